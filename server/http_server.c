/* blotter: the HTTP side of `blotter serve` (see http_server.h).
 *
 * A request's life: MHD calls uri_logged() first (we keep the raw URI and
 * the start time for the access log), then on_request() once, which answers
 * at once (GET and HEAD carry no body to wait for), then request_done(),
 * which writes the access-log line and frees the request's state. API
 * requests run in a worker (deadline.h) so that a client waits at most the
 * server's time limit.
 */
#include "http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <microhttpd.h>

#include "bl_cli.h"
#include "deadline.h"
#include "static_files.h"

#define LOG_URI_MAX 512

struct bl_http_server {
    struct MHD_Daemon *daemon;
    const bl_api_config *cfg;
    int loopback;      /* bound to 127.0.0.0/8 or ::1: check Host */
    unsigned port;
    unsigned timeout_ms;
};

typedef struct request_log {
    struct timespec start;
    char uri[LOG_URI_MAX + 1]; /* raw, control bytes replaced */
    char client[INET6_ADDRSTRLEN];
    int status;
    size_t bytes;
} request_log;

static const char CSP[] = "default-src 'self'; img-src 'self' data:; style-src 'self'; "
                          "script-src 'self'; object-src 'none'; base-uri 'none'; "
                          "form-action 'self'; frame-ancestors 'none'";

static void client_address(struct MHD_Connection *c, char *out, size_t size)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    snprintf(out, size, "-");
    if (!ci || !ci->client_addr)
        return;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
                  (socklen_t)size);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out,
                  (socklen_t)size);
}

static void *uri_logged(void *cls, const char *uri, struct MHD_Connection *c)
{
    (void)cls;
    request_log *log = calloc(1, sizeof *log);
    if (!log)
        return NULL;
    clock_gettime(CLOCK_MONOTONIC, &log->start);
    size_t i = 0;
    for (; uri && uri[i] && i < LOG_URI_MAX; i++) {
        unsigned char ch = (unsigned char)uri[i];
        log->uri[i] = ch < 0x20 || ch == 0x7f || ch == '"' ? '?' : (char)ch;
    }
    log->uri[i] = '\0';
    client_address(c, log->client, sizeof log->client);
    return log;
}

static void request_done(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)c;
    request_log *log = *con_cls;
    if (!log)
        return;
    struct timespec end;
    clock_gettime(CLOCK_MONOTONIC, &end);
    double ms = (double)(end.tv_sec - log->start.tv_sec) * 1e3 +
                (double)(end.tv_nsec - log->start.tv_nsec) / 1e6;
    char when[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    /* One fprintf per line: stdio locks the stream, lines never interleave. */
    fprintf(stderr, "%s %s \"%s\" %d %zu %.1fms%s\n", when, log->client, log->uri,
            log->status, log->bytes, ms,
            toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (not completed)");
    free(log);
    *con_cls = NULL;
}

static enum MHD_Result collect_param(void *cls, enum MHD_ValueKind kind, const char *key,
                                     const char *value)
{
    (void)kind;
    bl_api_request *req = cls;
    if (req->n_params >= BL_API_MAX_PARAMS) {
        req->too_many_params = 1;
        return MHD_NO;
    }
    req->params[req->n_params].key = key ? key : "";
    req->params[req->n_params].value = value ? value : "";
    req->n_params++;
    return MHD_YES;
}

/* Host names a loopback server answers to: anything else is a page on
 * another site that resolved its name to 127.0.0.1. */
static int host_allowed(const char *host)
{
    if (!host)
        return 1; /* HTTP/1.0 */
    static const char *const names[] = {"localhost", "127.0.0.1", "[::1]"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        size_t n = strlen(names[i]);
        if (strncasecmp(host, names[i], n) == 0 && (host[n] == '\0' || host[n] == ':'))
            return 1;
    }
    return 0;
}

static enum MHD_Result send_reply(struct MHD_Connection *c, request_log *log, int status,
                                  const char *type, void *body, size_t len,
                                  enum MHD_ResponseMemoryMode mode, int api)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(len, body, mode);
    if (!r) {
        if (mode == MHD_RESPMEM_MUST_FREE)
            free(body);
        return MHD_NO;
    }
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    MHD_add_response_header(r, "Content-Security-Policy", CSP);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, api ? "no-store" : "no-cache");
    if (status == 405)
        MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
    if (log) {
        log->status = status;
        log->bytes = len;
    }
    enum MHD_Result ok = MHD_queue_response(c, (unsigned)status, r);
    MHD_destroy_response(r);
    return ok;
}

static enum MHD_Result send_api_reply(struct MHD_Connection *c, request_log *log,
                                      bl_reply *reply)
{
    char *body = reply->body;
    reply->body = NULL;
    return send_reply(c, log, reply->status, reply->content_type, body, reply->len,
                      MHD_RESPMEM_MUST_FREE, 1);
}

static enum MHD_Result send_error(struct MHD_Connection *c, request_log *log, int status,
                                  const char *message)
{
    bl_reply reply;
    memset(&reply, 0, sizeof reply);
    if (bl_reply_error(&reply, status, message))
        return MHD_NO;
    return send_api_reply(c, log, &reply);
}

/* One API request handed to a worker: everything it reads is its own copy,
 * because the connection's memory is gone once a late request is answered. */
typedef struct api_job {
    const bl_api_config *cfg;
    bl_api_request req;
    char *strings; /* path and parameters, NUL-separated */
    bl_reply reply;
    int rc;
} api_job;

static void api_job_free(void *arg)
{
    api_job *job = arg;
    if (!job)
        return;
    bl_reply_clear(&job->reply);
    free(job->strings);
    free(job);
}

static void api_job_run(void *arg)
{
    api_job *job = arg;
    job->rc = bl_api_handle(job->cfg, &job->req, &job->reply);
}

/* A copy of req (path and parameters) for a worker; NULL when out of memory. */
static api_job *api_job_new(const bl_api_config *cfg, const bl_api_request *req)
{
    size_t size = strlen(req->path) + 1;
    for (unsigned i = 0; i < req->n_params; i++)
        size += strlen(req->params[i].key) + strlen(req->params[i].value) + 2;
    api_job *job = calloc(1, sizeof *job);
    char *p = job ? malloc(size) : NULL;
    if (!p) {
        free(job);
        return NULL;
    }
    job->cfg = cfg;
    job->strings = p;
    job->req = *req;
#define COPY(dst, src) (dst = strcpy(p, src), p += strlen(src) + 1)
    COPY(job->req.path, req->path);
    for (unsigned i = 0; i < req->n_params; i++) {
        COPY(job->req.params[i].key, req->params[i].key);
        COPY(job->req.params[i].value, req->params[i].value);
    }
#undef COPY
    return job;
}

/* Answers an API request within the server's time limit. */
static enum MHD_Result answer_api(bl_http_server *s, struct MHD_Connection *c, request_log *log,
                                  const bl_api_request *req)
{
    if (bl_deadline_running() >= BL_HTTP_MAX_WORKERS)
        return send_error(c, log, 503, "the server is busy; try again later");
    api_job *job = api_job_new(s->cfg, req);
    if (!job)
        return send_error(c, log, 500, "out of memory");
    int rc = bl_deadline_run(api_job_run, job, api_job_free, s->timeout_ms);
    if (rc == BL_ETIMEOUT) {
        bl_warnf("%s: no answer within %u ms", req->path, s->timeout_ms);
        return send_error(c, log, 503, "the request took too long; try a narrower query");
    }
    if (rc) {
        api_job_free(job);
        return send_error(c, log, 503, "the server is busy; try again later");
    }
    enum MHD_Result ok = job->rc ? send_error(c, log, 500, "out of memory")
                                 : send_api_reply(c, log, &job->reply);
    api_job_free(job);
    return ok;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    (void)version;
    (void)upload_data;
    bl_http_server *s = cls;
    request_log *log = *con_cls;
    if (log && log->status)
        return MHD_YES; /* answered already; a body still arriving is dropped */
    *upload_data_size = 0;
    if (s->loopback &&
        !host_allowed(MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST)))
        return send_error(c, log, 403, "this server answers to localhost and 127.0.0.1 only");
    if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
        return send_error(c, log, 405, "only GET and HEAD");
    if (strncmp(url, "/api/", 5) == 0) {
        bl_api_request req;
        memset(&req, 0, sizeof req);
        req.path = url;
        MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, collect_param, &req);
        return answer_api(s, c, log, &req);
    }
    const bl_static_file *f = bl_static_find(url);
    if (!f)
        return send_error(c, log, 404, "no such page");
    return send_reply(c, log, 200, f->content_type, (void *)f->data, f->size,
                      MHD_RESPMEM_PERSISTENT, 0);
}

static int is_loopback(const struct sockaddr *addr)
{
    if (addr->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const void *)addr;
        return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
    }
    if (addr->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const void *)addr;
        return IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr);
    }
    return 0;
}

int bl_http_server_start(const bl_api_config *cfg, const struct sockaddr *addr,
                         socklen_t addr_len, unsigned timeout_ms, bl_http_server **out,
                         bl_error *err)
{
    (void)addr_len;
    *out = NULL;
    bl_http_server *s = calloc(1, sizeof *s);
    if (!s)
        return bl_error_set(err, BL_ENOMEM, "out of memory");
    s->cfg = cfg;
    s->timeout_ms = timeout_ms;
    s->loopback = is_loopback(addr);
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION |
                     MHD_USE_ERROR_LOG;
    if (addr->sa_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    s->daemon = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, s,
        MHD_OPTION_SOCK_ADDR, addr,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)BL_HTTP_MAX_CONNECTIONS,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)BL_HTTP_IDLE_TIMEOUT_S,
        MHD_OPTION_URI_LOG_CALLBACK, uri_logged, (void *)NULL,
        MHD_OPTION_NOTIFY_COMPLETED, request_done, (void *)NULL,
        MHD_OPTION_END);
    if (!s->daemon) {
        free(s);
        return bl_error_set(err, BL_EIO,
                            "cannot listen on that address (in use, or not this machine's?)");
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_LISTEN_FD);
    struct sockaddr_storage bound;
    socklen_t len = sizeof bound;
    if (di && getsockname(di->listen_fd, (struct sockaddr *)&bound, &len) == 0) {
        if (bound.ss_family == AF_INET)
            s->port = ntohs(((struct sockaddr_in *)&bound)->sin_port);
        else if (bound.ss_family == AF_INET6)
            s->port = ntohs(((struct sockaddr_in6 *)&bound)->sin6_port);
    }
    *out = s;
    return 0;
}

unsigned bl_http_server_port(const bl_http_server *s)
{
    return s ? s->port : 0;
}

int bl_http_server_loopback(const bl_http_server *s)
{
    return s ? s->loopback : 0;
}

void bl_http_server_stop(bl_http_server *s)
{
    if (!s)
        return;
    MHD_stop_daemon(s->daemon);
    free(s);
}
