/* blotter serve: the JSON API and the search page over HTTP, read-only over
 * the index, until SIGTERM or SIGINT (then exit 0 once the requests in
 * progress are answered).
 *
 * API requests are answered within --timeout seconds or get a 503 (see
 * http_server.h). Signals are blocked before the server's threads start, so they inherit
 * the mask and only the main thread, waiting in sigwait(), ever sees them:
 * no handler runs in the middle of a request.
 */
#include "serve_cmd.h"

#include <arpa/inet.h>
#include <getopt.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "bl_cli.h"
#include "http_server.h"

#define MAX_INDEXES 64
#define DEFAULT_LISTEN "127.0.0.1:8080"
#define DEFAULT_TIMEOUT_S 30
#define MAX_TIMEOUT_S 3600

static void usage(FILE *out)
{
    fputs("usage: blotter serve [OPTIONS]\n\n"
          "Serves the search page and a JSON API over the index, read-only; open\n"
          "the printed address (http://127.0.0.1:8080/ by default) in a browser.\n\n"
          "  GET /api/v1/search?q=QUERY&limit=&offset=&sort=&facet=year,campaign\n"
          "  GET /api/v1/bulletin?url=URL        the extracted record\n"
          "  GET /api/v1/campaigns?q=&campaign=  campaigns with their timeline\n"
          "  GET /api/v1/campaigns/chart.svg?q=&campaign=&fact=\n"
          "  GET /api/v1/stats\n\n"
          "Options:\n"
          "  --data DIR          data directory (as for blotter search)\n"
          "  --index PATH        serve this index or stub file instead (repeatable)\n"
          "  --listen ADDR:PORT  address to listen on (default " DEFAULT_LISTEN ";\n"
          "                      port 0 picks a free one; [::1]:PORT for IPv6).\n"
          "                      Anything but a loopback address exposes the index\n"
          "                      to the network.\n"
          "  --timeout SECONDS   answer 503 to an API request not done by then\n"
          "                      (default 30)\n"
          "  -h, --help          this help\n\n"
          "Access logs go to standard error. SIGTERM or Ctrl-C stops the server.\n", out);
}

int bl_serve_parse_listen(const char *text, struct sockaddr_storage *addr, socklen_t *len)
{
    char host[INET6_ADDRSTRLEN + 2] = "127.0.0.1";
    const char *port_text = text;
    const char *colon = strrchr(text, ':');
    if (colon) {
        size_t hlen = (size_t)(colon - text);
        if (text[0] == '[') {
            if (hlen < 3 || text[hlen - 1] != ']' || hlen - 2 >= sizeof host)
                return BL_EINVAL;
            memcpy(host, text + 1, hlen - 2);
            host[hlen - 2] = '\0';
        } else {
            if (hlen == 0 || hlen >= sizeof host)
                return BL_EINVAL;
            memcpy(host, text, hlen);
            host[hlen] = '\0';
        }
        port_text = colon + 1;
    }
    unsigned long port;
    if (bl_parse_uint(port_text, 65535, &port))
        return BL_EINVAL;
    memset(addr, 0, sizeof *addr);
    struct sockaddr_in *in4 = (struct sockaddr_in *)addr;
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)addr;
    if (inet_pton(AF_INET, host, &in4->sin_addr) == 1) {
        in4->sin_family = AF_INET;
        in4->sin_port = htons((uint16_t)port);
        *len = sizeof *in4;
        return 0;
    }
    if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons((uint16_t)port);
        *len = sizeof *in6;
        return 0;
    }
    return BL_EINVAL;
}

typedef struct serve_args {
    const char *data_opt;
    const char *indexes[MAX_INDEXES];
    unsigned n_indexes;
    struct sockaddr_storage addr;
    socklen_t addr_len;
    unsigned long timeout_s;
} serve_args;

/* Static: a request that outlives its deadline still reads the configuration
 * after the server has stopped (until the process exits). */
static serve_args args;
static bl_api_config cfg;

static int parse_args(int argc, char **argv, serve_args *a)
{
    static const struct option options[] = {
        {"data", required_argument, NULL, 'd'},
        {"index", required_argument, NULL, 'i'},
        {"listen", required_argument, NULL, 'l'},
        {"timeout", required_argument, NULL, 't'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    memset(a, 0, sizeof *a);
    bl_serve_parse_listen(DEFAULT_LISTEN, &a->addr, &a->addr_len);
    a->timeout_s = DEFAULT_TIMEOUT_S;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        switch (c) {
        case 'd': a->data_opt = optarg; break;
        case 'i':
            if (a->n_indexes >= MAX_INDEXES) {
                bl_errorf("at most %d --index options", MAX_INDEXES);
                return BL_EXIT_ERROR;
            }
            a->indexes[a->n_indexes++] = optarg;
            break;
        case 'l':
            if (bl_serve_parse_listen(optarg, &a->addr, &a->addr_len)) {
                bl_errorf("--listen takes ADDRESS:PORT such as 127.0.0.1:8080 or [::1]:8080, "
                          "not '%s'", optarg);
                return BL_EXIT_ERROR;
            }
            break;
        case 't':
            if (bl_parse_uint(optarg, MAX_TIMEOUT_S, &a->timeout_s) || a->timeout_s == 0) {
                bl_errorf("--timeout takes seconds from 1 to %d, not '%s'", MAX_TIMEOUT_S, optarg);
                return BL_EXIT_ERROR;
            }
            break;
        case 'h': usage(stdout); return BL_EXIT_OK;
        default: usage(stderr); return BL_EXIT_ERROR;
        }
    }
    if (optind < argc) {
        bl_errorf("unexpected argument '%s' (see 'blotter serve --help')", argv[optind]);
        return BL_EXIT_ERROR;
    }
    return -1;
}

static void print_address(const serve_args *a, unsigned port)
{
    char host[INET6_ADDRSTRLEN] = "?";
    if (a->addr.ss_family == AF_INET) {
        inet_ntop(AF_INET, &((const struct sockaddr_in *)&a->addr)->sin_addr, host, sizeof host);
        fprintf(stderr, "listening on http://%s:%u/\n", host, port);
    } else {
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)&a->addr)->sin6_addr, host,
                  sizeof host);
        fprintf(stderr, "listening on http://[%s]:%u/\n", host, port);
    }
    fflush(stderr);
}

int bl_cmd_serve(int argc, char **argv)
{
    serve_args *a = &args;
    int status = parse_args(argc, argv, a);
    if (status >= 0)
        return status;
    cfg.data_opt = a->data_opt;
    cfg.indexes = a->indexes;
    cfg.n_indexes = a->n_indexes;

    sigset_t stop, old;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, &old);
    signal(SIGPIPE, SIG_IGN); /* a client gone mid-answer is not our death */

    bl_error err = {0};
    bl_http_server *server = NULL;
    if (bl_http_server_start(&cfg, (const struct sockaddr *)&a->addr, a->addr_len,
                             (unsigned)a->timeout_s * 1000u, &server, &err)) {
        bl_errorf("%s", err.msg);
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        return BL_EXIT_ERROR;
    }
    print_address(a, bl_http_server_port(server));
    if (!bl_http_server_loopback(server))
        bl_warnf("not a loopback address: anyone who can reach it can read the index");
    int sig = 0;
    while (sigwait(&stop, &sig) != 0)
        ;
    fprintf(stderr, "stopping on %s\n", sig == SIGTERM ? "SIGTERM" : "SIGINT");
    bl_http_server_stop(server);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return BL_EXIT_OK;
}
