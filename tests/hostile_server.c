/* The crawler tests' misbehaving web server (see hostile_server.h).
 *
 * An acceptor thread polls the listening socket; each connection gets a
 * thread that reads one request, looks its path up in the route table and
 * runs that route's handler, which writes whatever it likes and returns.
 * Handlers that wait (trickles, silence) wake every few tens of milliseconds
 * to notice hs_stop. A connection's socket is shut down by its thread and
 * closed only by whoever joins that thread, so hs_stop never touches a
 * descriptor number that was reused.
 */
#define _GNU_SOURCE
#include "hostile_server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#define BOMB_CHUNK_DECODED (1u << 20)  /* bytes of spaces one bomb chunk inflates to */
#define BOMB_CHUNKS 4096u              /* so a bomb inflates to 4 GiB */
#define TRICKLE_PAUSE_MS 500           /* 2 bytes/s: above curl's 1 byte/s low-speed floor */
#define MANY_HEADERS 20000

typedef struct conn {
    hostile_server *s;
    int fd;
    int slot;              /* index into s->log, or -1 */
    pthread_t thread;
    volatile int finished; /* the thread is done: it may be joined */
    struct conn *next;
} conn;

struct hostile_server {
    hs_config cfg;
    int listen_fd;
    unsigned short port;
    pthread_t acceptor;
    volatile int stopping;
    pthread_mutex_t lock;
    conn *conns;
    hs_request log[HS_MAX_LOG];
    int n_log;
    int bulletins_served;
    /* The gzip bombs, built on first use (under lock). */
    unsigned char *bomb_chunk;
    size_t bomb_chunk_len;
    unsigned char bomb_trailer[10];
    unsigned char *double_bomb;
    size_t double_bomb_len;
};

static double mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Sleeps ms milliseconds; -1 when the server is stopping. */
static int pause_ms(conn *c, int ms)
{
    for (int left = ms; left > 0; left -= 20) {
        if (c->s->stopping)
            return -1;
        struct timespec ts = {0, (left < 20 ? left : 20) * 1000000L};
        nanosleep(&ts, NULL);
    }
    return c->s->stopping ? -1 : 0;
}

/* Writes all of data; -1 once the peer is gone or the server stops. */
static int send_all(conn *c, const void *data, size_t len)
{
    const char *p = data;
    while (len > 0) {
        if (c->s->stopping)
            return -1;
        ssize_t n = send(c->fd, p, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
        if (c->slot >= 0) {
            pthread_mutex_lock(&c->s->lock);
            c->s->log[c->slot].bytes_sent += (size_t)n;
            pthread_mutex_unlock(&c->s->lock);
        }
    }
    return 0;
}

static int send_str(conn *c, const char *s)
{
    return send_all(c, s, strlen(s));
}

static void set_status(conn *c, int status)
{
    if (c->slot < 0)
        return;
    pthread_mutex_lock(&c->s->lock);
    c->s->log[c->slot].status = status;
    pthread_mutex_unlock(&c->s->lock);
}

/* Status line and headers, then the body: what a good server sends. */
static void answer(conn *c, int status, const char *type, const char *extra, const char *body,
                   size_t len)
{
    char head[1024];
    snprintf(head, sizeof head,
             "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
             "Connection: close\r\n%s\r\n",
             status, status == 200 ? "OK" : status == 302 ? "Found" : "Not Found", type, len,
             extra ? extra : "");
    set_status(c, status);
    if (send_str(c, head) == 0)
        send_all(c, body, len);
}

/* ---- well-behaved pages -------------------------------------------------- */

static void not_found(conn *c, const char *path)
{
    (void)path;
    static const char page[] = "<html><body>Not found</body></html>";
    answer(c, 404, "text/html", NULL, page, sizeof page - 1);
}

void hs_bulletin_word(int k, char *out)
{
    snprintf(out, 16, "kq%03dz", k);
}

static void bulletin(conn *c, const char *path)
{
    int k = 0;
    char tail[16] = "";
    if (strcmp(path, "/private/secret.html") == 0) {
        k = 999;
    } else if (sscanf(path, "/news/%d%15s", &k, tail) != 2 || strcmp(tail, ".html") != 0 ||
               k < 1 || k > c->s->cfg.n_bulletins) {
        not_found(c, path);
        return;
    }
    char word[16], body[1024];
    hs_bulletin_word(k, word);
    int n = snprintf(body, sizeof body,
                     "<!DOCTYPE html><html><head><title>Police bulletin %d</title></head><body>"
                     "<h1>Police bulletin %d</h1><p>On 2024-03-%02d officers of the Test City "
                     "Police arrested %d suspects after a fraud investigation. Reference %s, "
                     "revision rev%uq.</p></body></html>",
                     k, k, k % 28 + 1, k % 7 + 2, word, c->s->cfg.revision);
    if (pause_ms(c, c->s->cfg.latency_ms))
        return;
    answer(c, 200, "text/html; charset=utf-8", NULL, body, (size_t)n);
    pthread_mutex_lock(&c->s->lock);
    c->s->bulletins_served++;
    pthread_mutex_unlock(&c->s->lock);
}

static void listing(conn *c, const char *path)
{
    (void)path;
    size_t cap = 4096 + (size_t)c->s->cfg.n_bulletins * 64;
    char *page = malloc(cap);
    if (!page)
        return;
    size_t n = (size_t)snprintf(page, cap, "<html><head><title>News</title></head><body><ul>");
    for (int i = 0; i < HS_MAX_HOSTILE && c->s->cfg.hostile[i]; i++)
        n += (size_t)snprintf(page + n, cap - n, "<li><a href=\"%s\">Bad %d</a>",
                              c->s->cfg.hostile[i], i);
    n += (size_t)snprintf(page + n, cap - n, "<li><a href=\"/private/secret.html\">Secret</a>");
    for (int k = 1; k <= c->s->cfg.n_bulletins; k++)
        n += (size_t)snprintf(page + n, cap - n, "<li><a href=\"/news/%d.html\">Bulletin %d</a>",
                              k, k);
    n += (size_t)snprintf(page + n, cap - n, "</ul></body></html>");
    if (pause_ms(c, c->s->cfg.latency_ms) == 0)
        answer(c, 200, "text/html; charset=utf-8", NULL, page, n);
    free(page);
}

/* robots.txt: the one rule first. The big variants go on with comment
 * lines, and a rule the HS_ROBOTS_CUT boundary runs through: read only up to
 * the cut, "Disallow: /private/more" would become "Disallow: /". */
static void robots(conn *c, const char *path)
{
    (void)path;
    static const char rules[] = "User-agent: *\nDisallow: /private/\n";
    static const char trap[] = "Disallow: /private/more\n";
    static const char filler[] = "# padding padding padding padding padding padding padding pad\n";
    int kind = c->s->cfg.robots;
    if (kind == HS_ROBOTS_SMALL) {
        answer(c, 200, "text/plain", NULL, rules, sizeof rules - 1);
        return;
    }
    size_t start_len = 1u << 20;
    char *start = malloc(start_len), block[65536];
    if (!start)
        return;
    for (size_t i = 0; i < start_len; i++)
        start[i] = filler[i % (sizeof filler - 1)];
    for (size_t i = 0; i < sizeof block; i++)
        block[i] = filler[i % (sizeof filler - 1)];
    memcpy(start, rules, sizeof rules - 1);
    size_t at = HS_ROBOTS_CUT - strlen("Disallow: /");
    start[at - 1] = '\n';
    memcpy(start + at, trap, sizeof trap - 1);
    char head[256];
    if (kind == HS_ROBOTS_HUGE)
        snprintf(head, sizeof head,
                 "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %u\r\n"
                 "Connection: close\r\n\r\n",
                 HS_ROBOTS_HUGE_SIZE);
    else
        snprintf(head, sizeof head,
                 "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n");
    set_status(c, 200);
    int rc = send_str(c, head) || send_all(c, start, start_len);
    free(start);
    size_t left = HS_ROBOTS_HUGE_SIZE - start_len;
    while (!rc && (kind == HS_ROBOTS_ENDLESS || left > 0)) {
        size_t n = kind == HS_ROBOTS_ENDLESS || left > sizeof block ? sizeof block : left;
        rc = send_all(c, block, n);
        left -= kind == HS_ROBOTS_ENDLESS ? 0 : n;
    }
}

/* ---- 1. bytes trickling forever ----------------------------------------- */

static void trickle(conn *c, const char *head, const char *drip)
{
    set_status(c, 200);
    if (send_str(c, head))
        return;
    for (size_t i = 0;; i++) {
        char ch = drip[i % strlen(drip)];
        if (send_all(c, &ch, 1) || pause_ms(c, TRICKLE_PAUSE_MS))
            return;
    }
}

static void trickle_body(conn *c, const char *path)
{
    (void)path;
    trickle(c, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n",
            "<p>police ");
}

static void trickle_headers(conn *c, const char *path)
{
    (void)path;
    trickle(c, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Slow: ", "a");
}

/* ---- 2. endless bodies --------------------------------------------------- */

static void endless(conn *c, const char *head)
{
    static const char unit[] = "<p>police arrested suspects</p>\n";
    char block[65536];
    for (size_t i = 0; i < sizeof block; i++)
        block[i] = unit[i % (sizeof unit - 1)];
    set_status(c, 200);
    if (send_str(c, head) || send_str(c, "<html><body>"))
        return;
    while (send_all(c, block, sizeof block) == 0)
        ;
}

static void endless_no_length(conn *c, const char *path)
{
    (void)path;
    endless(c, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n");
}

static void endless_huge_length(conn *c, const char *path)
{
    (void)path;
    endless(c, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
               "Content-Length: 1000000000000\r\nConnection: close\r\n\r\n");
}

/* ---- 3. gzip bombs ------------------------------------------------------- */

/* One raw deflate chunk of BOMB_CHUNK_DECODED spaces, compressed from a
 * fresh state and ended by a full flush: it refers to nothing before it and
 * ends on a byte boundary, so any number of copies in a row is a valid
 * deflate stream. Then the gzip trailer of BOMB_CHUNKS copies. */
static int build_bomb_chunk(hostile_server *s)
{
    if (s->bomb_chunk)
        return 0;
    unsigned char *spaces = malloc(BOMB_CHUNK_DECODED);
    z_stream z;
    memset(&z, 0, sizeof z);
    if (!spaces || deflateInit2(&z, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY) != Z_OK) {
        free(spaces);
        return -1;
    }
    memset(spaces, ' ', BOMB_CHUNK_DECODED);
    size_t cap = deflateBound(&z, BOMB_CHUNK_DECODED) + 64;
    s->bomb_chunk = malloc(cap);
    z.next_in = spaces;
    z.avail_in = BOMB_CHUNK_DECODED;
    z.next_out = s->bomb_chunk;
    z.avail_out = (uInt)cap;
    int rc = s->bomb_chunk ? deflate(&z, Z_FULL_FLUSH) : Z_MEM_ERROR;
    s->bomb_chunk_len = cap - z.avail_out;
    deflateEnd(&z);
    /* The trailer: the last (empty, final) block, CRC-32 and length mod 2^32. */
    uLong one = crc32(0L, spaces, BOMB_CHUNK_DECODED), all = one;
    for (unsigned i = 1; i < BOMB_CHUNKS; i++)
        all = crc32_combine(all, one, BOMB_CHUNK_DECODED);
    uint32_t size = (uint32_t)((uint64_t)BOMB_CHUNK_DECODED * BOMB_CHUNKS);
    unsigned char *t = s->bomb_trailer;
    t[0] = 0x03;
    t[1] = 0x00;
    for (int i = 0; i < 4; i++) {
        t[2 + i] = (unsigned char)(all >> (8 * i));
        t[6 + i] = (unsigned char)(size >> (8 * i));
    }
    free(spaces);
    if (rc != Z_OK || z.avail_out == 0) {
        free(s->bomb_chunk);
        s->bomb_chunk = NULL;
        return -1;
    }
    return 0;
}

typedef struct outbuf {
    unsigned char *buf;
    size_t len, cap;
} outbuf;

/* Compresses n bytes of in into o (growing it); with Z_FINISH, to the end. */
static int deflate_into(z_stream *z, const void *in, size_t n, int flush, outbuf *o)
{
    z->next_in = (Bytef *)in;
    z->avail_in = (uInt)n;
    for (;;) {
        if (o->cap - o->len < 4096) {
            size_t cap = o->cap ? 2 * o->cap : 65536;
            unsigned char *b = realloc(o->buf, cap);
            if (!b)
                return -1;
            o->buf = b;
            o->cap = cap;
        }
        z->next_out = o->buf + o->len;
        z->avail_out = (uInt)(o->cap - o->len);
        int rc = deflate(z, flush);
        o->len = o->cap - z->avail_out;
        if (rc == Z_STREAM_END)
            return 0;
        if (rc != Z_OK && rc != Z_BUF_ERROR)
            return -1;
        if (flush != Z_FINISH && z->avail_in == 0 && z->avail_out > 0)
            return 0;
    }
}

static const unsigned char gzip_header[10] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};

/* The 4 GiB bomb gzipped once more: a few kilobytes in all. */
static int build_double_bomb(hostile_server *s)
{
    if (s->double_bomb)
        return 0;
    if (build_bomb_chunk(s))
        return -1;
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, 9, Z_DEFLATED, 31, 9, Z_DEFAULT_STRATEGY) != Z_OK)
        return -1;
    outbuf o = {0};
    int rc = deflate_into(&z, gzip_header, sizeof gzip_header, Z_NO_FLUSH, &o);
    for (unsigned i = 0; i < BOMB_CHUNKS && rc == 0; i++)
        rc = deflate_into(&z, s->bomb_chunk, s->bomb_chunk_len, Z_NO_FLUSH, &o);
    if (rc == 0)
        rc = deflate_into(&z, s->bomb_trailer, sizeof s->bomb_trailer, Z_FINISH, &o);
    deflateEnd(&z);
    if (rc) {
        free(o.buf);
        return -1;
    }
    s->double_bomb = o.buf;
    s->double_bomb_len = o.len;
    return 0;
}

static void bomb(conn *c, const char *path)
{
    (void)path;
    pthread_mutex_lock(&c->s->lock);
    int ok = build_bomb_chunk(c->s) == 0;
    pthread_mutex_unlock(&c->s->lock);
    if (!ok)
        return;
    set_status(c, 200);
    if (send_str(c, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n"
                    "Connection: close\r\n\r\n") ||
        send_all(c, gzip_header, sizeof gzip_header))
        return;
    for (unsigned i = 0; i < BOMB_CHUNKS; i++)
        if (send_all(c, c->s->bomb_chunk, c->s->bomb_chunk_len))
            return;
    send_all(c, c->s->bomb_trailer, sizeof c->s->bomb_trailer);
}

static void double_bomb(conn *c, const char *path)
{
    (void)path;
    pthread_mutex_lock(&c->s->lock);
    int ok = build_double_bomb(c->s) == 0;
    pthread_mutex_unlock(&c->s->lock);
    if (!ok)
        return;
    char head[256];
    snprintf(head, sizeof head,
             "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip, gzip\r\n"
             "Content-Length: %zu\r\nConnection: close\r\n\r\n",
             c->s->double_bomb_len);
    set_status(c, 200);
    if (send_str(c, head) == 0)
        send_all(c, c->s->double_bomb, c->s->double_bomb_len);
}

/* ---- 4. thousands of headers --------------------------------------------- */

static void many_headers(conn *c, const char *path)
{
    (void)path;
    size_t cap = (size_t)MANY_HEADERS * 48 + 1024, n = 0;
    char *h = malloc(cap);
    if (!h)
        return;
    n += (size_t)snprintf(h + n, cap - n, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n");
    for (int i = 0; i < MANY_HEADERS; i++)
        n += (size_t)snprintf(h + n, cap - n, "X-Filler-%05d: padding padding\r\n", i);
    n += (size_t)snprintf(h + n, cap - n,
                          "Content-Length: 20\r\nConnection: close\r\n\r\n<p>police report</p>");
    set_status(c, 200);
    send_all(c, h, n);
    free(h);
}

static void long_header(conn *c, const char *path)
{
    (void)path;
    size_t len = 1u << 20;
    char *v = malloc(len);
    if (!v)
        return;
    memset(v, 'a', len);
    set_status(c, 200);
    if (send_str(c, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Long: ") == 0 &&
        send_all(c, v, len) == 0)
        send_str(c, "\r\nContent-Length: 20\r\nConnection: close\r\n\r\n<p>police report</p>");
    free(v);
}

/* ---- 5. redirects -------------------------------------------------------- */

static void redirect_to(conn *c, const char *to)
{
    char extra[256];
    snprintf(extra, sizeof extra, "Location: %s\r\n", to);
    answer(c, 302, "text/html", extra, "", 0);
}

static void loop_a(conn *c, const char *path)
{
    (void)path;
    redirect_to(c, "/bad/loop-b.html");
}

static void loop_b(conn *c, const char *path)
{
    (void)path;
    redirect_to(c, "/bad/loop-a.html");
}

/* /bad/chain/K.html -> /bad/chain/K+1.html, without end. */
static void chain(conn *c, const char *path)
{
    int k = 0;
    sscanf(path, "/bad/chain/%d", &k);
    char to[64];
    snprintf(to, sizeof to, "/bad/chain/%d.html", k + 1);
    redirect_to(c, to);
}

/* A Location of 10,000 bytes: longer than any URL the crawl keeps. */
static void long_location(conn *c, const char *path)
{
    (void)path;
    size_t n = 10000;
    char *to = malloc(n + 1);
    if (!to)
        return;
    memcpy(to, "/bad/", 5);
    memset(to + 5, 'a', n - 5);
    to[n] = '\0';
    set_status(c, 302);
    if (send_str(c, "HTTP/1.1 302 Found\r\nLocation: ") == 0 && send_str(c, to) == 0)
        send_str(c, "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    free(to);
}

static void no_location(conn *c, const char *path)
{
    (void)path;
    answer(c, 302, "text/html", NULL, "", 0);
}

/* ---- 6. broken chunked encoding ------------------------------------------- */

static const char chunked_head[] = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
                                   "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n";

static void chunk_bad_size(conn *c, const char *path)
{
    (void)path;
    set_status(c, 200);
    if (send_str(c, chunked_head) == 0)
        send_str(c, "10\r\n<html><body><p>x\r\nzz\r\npolice\r\n0\r\n\r\n");
}

/* Announces 1024 bytes, sends 100, hangs up. */
static void chunk_truncated(conn *c, const char *path)
{
    (void)path;
    char part[101];
    memset(part, 'p', 100);
    part[100] = '\0';
    set_status(c, 200);
    if (send_str(c, chunked_head) == 0 && send_str(c, "400\r\n") == 0)
        send_str(c, part);
}

static void chunk_huge_size(conn *c, const char *path)
{
    (void)path;
    set_status(c, 200);
    if (send_str(c, chunked_head) == 0)
        send_str(c, "fffffffffffffffffff\r\n<html><body><p>police</p>\r\n0\r\n\r\n");
}

/* ---- 7. not HTTP at all --------------------------------------------------- */

static void garbage(conn *c, const char *path)
{
    (void)path;
    unsigned char bytes[4096];
    unsigned state = 20240601u;
    for (size_t i = 0; i < sizeof bytes; i++) {
        state = state * 1103515245u + 12345u;
        bytes[i] = (unsigned char)(state >> 16);
    }
    send_all(c, bytes, sizeof bytes);
}

static void banner(conn *c, const char *path)
{
    (void)path;
    send_str(c, "SSH-2.0-OpenSSH_9.2p1 Debian-2\r\nProtocol mismatch.\r\n");
}

/* Reads the request, then says nothing until the client gives up. */
static void silent(conn *c, const char *path)
{
    (void)path;
    char buf[512];
    while (!c->s->stopping) {
        struct pollfd p = {c->fd, POLLIN, 0};
        int r = poll(&p, 1, 50);
        if (r > 0 && recv(c->fd, buf, sizeof buf, 0) <= 0)
            return; /* the client hung up */
    }
}

/* Hangs up at once, not a byte sent. */
static void hang_up(conn *c, const char *path)
{
    (void)c;
    (void)path;
}

/* ---- routing -------------------------------------------------------------- */

typedef void (*handler)(conn *c, const char *path);

static const struct route {
    const char *path;
    int prefix;   /* path is a prefix */
    handler fn;
} routes[] = {
    {"/robots.txt", 0, robots},
    {"/list.html", 0, listing},
    {"/news/", 1, bulletin},
    {"/private/", 1, bulletin},
    {"/bad/trickle-body.html", 0, trickle_body},
    {"/bad/trickle-headers.html", 0, trickle_headers},
    {"/bad/endless.html", 0, endless_no_length},
    {"/bad/endless-length.html", 0, endless_huge_length},
    {"/bad/bomb.html", 0, bomb},
    {"/bad/double-bomb.html", 0, double_bomb},
    {"/bad/many-headers.html", 0, many_headers},
    {"/bad/long-header.html", 0, long_header},
    {"/bad/loop-a.html", 0, loop_a},
    {"/bad/loop-b.html", 0, loop_b},
    {"/bad/chain/", 1, chain},
    {"/bad/long-location.html", 0, long_location},
    {"/bad/no-location.html", 0, no_location},
    {"/bad/chunk-bad-size.html", 0, chunk_bad_size},
    {"/bad/chunk-truncated.html", 0, chunk_truncated},
    {"/bad/chunk-huge-size.html", 0, chunk_huge_size},
    {"/bad/garbage.html", 0, garbage},
    {"/bad/banner.html", 0, banner},
    {"/bad/silent.html", 0, silent},
    {"/bad/hang-up.html", 0, hang_up},
};

static handler route_of(const char *path)
{
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
        size_t n = strlen(routes[i].path);
        if (routes[i].prefix ? strncmp(path, routes[i].path, n) == 0
                             : strcmp(path, routes[i].path) == 0)
            return routes[i].fn;
    }
    return not_found;
}

/* Reads up to the end of the request head; the path into path[128]. */
static int read_request(conn *c, char *path)
{
    char buf[8192];
    size_t len = 0;
    buf[0] = '\0';
    while (!strstr(buf, "\r\n\r\n")) {
        if (len == sizeof buf - 1 || c->s->stopping)
            return -1;
        struct pollfd p = {c->fd, POLLIN, 0};
        if (poll(&p, 1, 50) <= 0)
            continue;
        ssize_t n = recv(c->fd, buf + len, sizeof buf - 1 - len, 0);
        if (n <= 0)
            return -1;
        len += (size_t)n;
        buf[len] = '\0';
    }
    return sscanf(buf, "GET %127s HTTP/", path) == 1 ? 0 : -1;
}

static void *serve(void *arg)
{
    conn *c = arg;
    hostile_server *s = c->s;
    char path[128];
    if (read_request(c, path) == 0) {
        pthread_mutex_lock(&s->lock);
        if (s->n_log < HS_MAX_LOG) {
            c->slot = s->n_log++;
            hs_request *r = &s->log[c->slot];
            memset(r, 0, sizeof *r);
            snprintf(r->path, sizeof r->path, "%s", path);
            r->start = mono();
        }
        pthread_mutex_unlock(&s->lock);
        route_of(path)(c, path);
        if (c->slot >= 0) {
            pthread_mutex_lock(&s->lock);
            s->log[c->slot].end = mono();
            pthread_mutex_unlock(&s->lock);
        }
    }
    shutdown(c->fd, SHUT_RDWR);
    c->finished = 1;
    return NULL;
}

static void reap(hostile_server *s, int all)
{
    conn **p = &s->conns;
    while (*p) {
        conn *c = *p;
        if (all)
            shutdown(c->fd, SHUT_RDWR); /* wakes a thread blocked in send or recv */
        if (all || c->finished) {
            pthread_join(c->thread, NULL);
            close(c->fd);
            *p = c->next;
            free(c);
        } else {
            p = &c->next;
        }
    }
}

static void *accept_loop(void *arg)
{
    hostile_server *s = arg;
    while (!s->stopping) {
        reap(s, 0);
        struct pollfd p = {s->listen_fd, POLLIN, 0};
        if (poll(&p, 1, 50) <= 0)
            continue;
        int fd = accept4(s->listen_fd, NULL, NULL, SOCK_CLOEXEC);
        if (fd < 0)
            continue;
        conn *c = calloc(1, sizeof *c);
        if (!c) {
            close(fd);
            continue;
        }
        c->s = s;
        c->fd = fd;
        c->slot = -1;
        if (pthread_create(&c->thread, NULL, serve, c) != 0) {
            close(fd);
            free(c);
            continue;
        }
        c->next = s->conns;
        s->conns = c;
    }
    return NULL;
}

hostile_server *hs_start(const hs_config *cfg)
{
    hostile_server *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->cfg = *cfg;
    pthread_mutex_init(&s->lock, NULL);
    s->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = 0;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK); /* 127.0.0.1 only */
    socklen_t alen = sizeof addr;
    if (s->listen_fd < 0 || bind(s->listen_fd, (struct sockaddr *)&addr, sizeof addr) ||
        listen(s->listen_fd, 64) ||
        getsockname(s->listen_fd, (struct sockaddr *)&addr, &alen) ||
        pthread_create(&s->acceptor, NULL, accept_loop, s)) {
        if (s->listen_fd >= 0)
            close(s->listen_fd);
        pthread_mutex_destroy(&s->lock);
        free(s);
        return NULL;
    }
    s->port = ntohs(addr.sin_port);
    return s;
}

void hs_stop(hostile_server *s)
{
    if (!s)
        return;
    s->stopping = 1;
    pthread_join(s->acceptor, NULL);
    reap(s, 1);
    close(s->listen_fd);
    pthread_mutex_destroy(&s->lock);
    free(s->bomb_chunk);
    free(s->double_bomb);
    free(s);
}

unsigned short hs_port(const hostile_server *s)
{
    return s->port;
}

hs_config *hs_config_of(hostile_server *s)
{
    return &s->cfg;
}

int hs_count(hostile_server *s, const char *path)
{
    int n = 0;
    pthread_mutex_lock(&s->lock);
    for (int i = 0; i < s->n_log; i++)
        n += strcmp(s->log[i].path, path) == 0;
    pthread_mutex_unlock(&s->lock);
    return n;
}

size_t hs_bytes_sent(hostile_server *s, const char *path)
{
    size_t n = 0;
    pthread_mutex_lock(&s->lock);
    for (int i = 0; i < s->n_log; i++)
        if (strcmp(s->log[i].path, path) == 0)
            n += s->log[i].bytes_sent;
    pthread_mutex_unlock(&s->lock);
    return n;
}

double hs_longest(hostile_server *s, const char *path)
{
    double longest = -1;
    pthread_mutex_lock(&s->lock);
    for (int i = 0; i < s->n_log; i++) {
        const hs_request *r = &s->log[i];
        if (strcmp(r->path, path) != 0)
            continue;
        if (r->end == 0) {
            longest = -1;
            break;
        }
        if (r->end - r->start > longest)
            longest = r->end - r->start;
    }
    pthread_mutex_unlock(&s->lock);
    return longest;
}

int hs_wait_idle(hostile_server *s, double seconds)
{
    double until = mono() + seconds;
    for (;;) {
        int open = 0;
        pthread_mutex_lock(&s->lock);
        for (int i = 0; i < s->n_log; i++)
            open += s->log[i].end == 0;
        pthread_mutex_unlock(&s->lock);
        if (!open)
            return 0;
        if (mono() > until)
            return -1;
        struct timespec ts = {0, 20 * 1000000L};
        nanosleep(&ts, NULL);
    }
}

int hs_bulletins_served(hostile_server *s)
{
    pthread_mutex_lock(&s->lock);
    int n = s->bulletins_served;
    pthread_mutex_unlock(&s->lock);
    return n;
}
