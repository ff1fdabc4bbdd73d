/* The crawler tests' web site (see crawl_server.h). */
#include "test_crawl_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>
#include <zlib.h>

#define LAST_MODIFIED "Tue, 05 Mar 2024 10:00:00 GMT"

static void log_request(site *s, const char *path, struct MHD_Connection *conn, int status)
{
    pthread_mutex_lock(&s->lock);
    if (s->n_log < SITE_MAX_LOG) {
        site_request *r = &s->log[s->n_log++];
        snprintf(r->path, sizeof r->path, "%s", path);
        r->if_none_match = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "If-None-Match") != NULL;
        r->if_modified_since =
            MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "If-Modified-Since") != NULL;
        r->status = status;
    }
    pthread_mutex_unlock(&s->lock);
}

static enum MHD_Result send_buffer(struct MHD_Connection *conn, int status, const char *type,
                                   const void *body, size_t len, const char *etag)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
    if (type)
        MHD_add_response_header(r, "Content-Type", type);
    if (etag) {
        MHD_add_response_header(r, "ETag", etag);
        MHD_add_response_header(r, "Last-Modified", LAST_MODIFIED);
    }
    enum MHD_Result ret = MHD_queue_response(conn, (unsigned)status, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result send_text(site *s, struct MHD_Connection *conn, const char *path,
                                 int status, const char *type, const char *body, const char *etag)
{
    log_request(s, path, conn, status);
    return send_buffer(conn, status, type, body, strlen(body), etag);
}

static enum MHD_Result redirect(site *s, struct MHD_Connection *conn, const char *path,
                                const char *to)
{
    log_request(s, path, conn, 302);
    struct MHD_Response *r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    MHD_add_response_header(r, "Location", to);
    enum MHD_Result ret = MHD_queue_response(conn, 302, r);
    MHD_destroy_response(r);
    return ret;
}

/* A conditional request that matches gets a 304. */
static int not_modified(site *s, struct MHD_Connection *conn, const char *path, const char *etag,
                        enum MHD_Result *ret)
{
    const char *inm = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "If-None-Match");
    if (!inm || strcmp(inm, etag))
        return 0;
    log_request(s, path, conn, 304);
    struct MHD_Response *r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    MHD_add_response_header(r, "ETag", etag);
    *ret = MHD_queue_response(conn, 304, r);
    MHD_destroy_response(r);
    return 1;
}

static char *read_fixture(site *s, const char *name, size_t *len)
{
    char path[700];
    snprintf(path, sizeof path, "%s/%s", s->fixtures, name);
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = malloc(65536);
    *len = fread(buf, 1, 65536, f);
    fclose(f);
    return buf;
}

static size_t gzip_bytes(const char *in, size_t len, unsigned char *out, size_t cap)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    deflateInit2(&z, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY);
    z.next_in = (unsigned char *)in;
    z.avail_in = (uInt)len;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    deflate(&z, Z_FINISH);
    size_t n = cap - z.avail_out;
    deflateEnd(&z);
    return n;
}

static void bulletin(char *out, size_t size, const char *id, int day)
{
    snprintf(out, size,
             "<!DOCTYPE html><html><head><title>Police bulletin %s</title></head><body>"
             "<h1>Police bulletin %s</h1><p>On 2024-03-%02d officers of the Test City Police "
             "arrested %d suspects after a fraud investigation. Reference zqx%s.</p>"
             "</body></html>",
             id, id, day, day + 1, id);
}

/* The stalled body: a little, then nothing for a long time. */
typedef struct stall_state {
    site *s;
    int sent;
} stall_state;

static ssize_t stall_reader(void *cls, uint64_t pos, char *buf, size_t max)
{
    stall_state *st = cls;
    /* Headers are out; the body never comes (until the server stops). */
    for (int i = 0; i < 200 && !st->s->stopping; i++)
        usleep(50000);
    return MHD_CONTENT_READER_END_OF_STREAM;
}

static enum MHD_Result answer(void *cls, struct MHD_Connection *conn, const char *url,
                              const char *method, const char *version, const char *upload_data,
                              size_t *upload_data_size, void **con_cls)
{
    site *s = cls;
    enum MHD_Result ret;
    char body[4096], etag[64];
    const char *html = "text/html; charset=utf-8";
    if (!strcmp(url, "/robots.txt") && s->robots_status)
        return send_text(s, conn, url, s->robots_status, "text/plain", "no robots.txt here", NULL);
    if (!strcmp(url, "/robots.txt"))
        return send_text(s, conn, url, 200, "text/plain",
                         "# test site\nUser-agent: *\nDisallow: /private/\nCrawl-delay: 0.05\n",
                         NULL);
    if (!strcmp(url, "/list/index.html")) {
        if (not_modified(s, conn, url, "\"list1\"", &ret))
            return ret;
        char listing[4096];
        snprintf(listing, sizeof listing,
                         "<html><head><title>News</title></head><body><ul>"
                         "<li><a href=\"../news/1.html#top\">One</a>"
                         "<li><a href=\"/news/2.html\">Two</a>"
                         "<li><a href=\" /news/3.html \">Three</a>"
                         "<li><a href=\"http://127.0.0.1:%u/news/4.html\">Four</a>"
                         "<li><a href=\"/news/redirect\">Moved</a>"
                         "<li><a href=\"/news/loop-a\">Loop</a>"
                         "<li><a href=\"/news/missing.html\">Missing</a>"
                         "<li><a href=\"/news/flaky.html\">Flaky</a>"
                         "<li><a href=\"/news/busy.html\">Busy</a>"
                         "<li><a href=\"/news/stall.html\">Stall</a>"
                         "<li><a href=\"/news/huge.html\">Huge</a>"
                         "<li><a href=\"/news/gbk.html\">GBK</a>"
                         "<li><a href=\"/news/dup.html\">Copy of one</a>"
                         "<li><a href=\"/news/gzip.html\">Compressed</a>"
                         "<li><a href=\"/private/secret.html\">Secret</a>"
                         "<li><a href=\"/files/report.pdf\">Report (PDF)</a>"
                         "<li><a href=\"http://other.invalid/news/x.html\">Elsewhere</a>"
                         "<li><a href=\"mailto:press@example.invalid\">Mail</a>"
                         "<li><a href=\"file:///nonexistent/news/x.html\">Local</a>"
                         "<li><a href=\"page-2.html\">Next page</a>"
                         "</ul></body></html>",
                 (unsigned)s->port);
        return send_text(s, conn, url, 200, html, listing, "\"list1\"");
    }
    if (!strcmp(url, "/list/page-2.html")) {
        if (not_modified(s, conn, url, "\"list2\"", &ret))
            return ret;
        return send_text(s, conn, url, 200, html,
                         "<html><head><link rel=\"next\" href=\"page-3.html\"></head><body>"
                         "<a href=\"/news/6.html\">Six</a> <a href=\"/news/7.html\">Seven</a>"
                         "</body></html>",
                         "\"list2\"");
    }
    if (!strcmp(url, "/list/page-3.html")) {
        if (not_modified(s, conn, url, "\"list3\"", &ret))
            return ret;
        return send_text(s, conn, url, 200, html,
                         "<html><body><a href=\"/news/10.html\">Ten</a></body></html>", "\"list3\"");
    }
    if (!strcmp(url, "/feed.xml")) {
        if (not_modified(s, conn, url, "\"feed\"", &ret))
            return ret;
        return send_text(s, conn, url, 200, "application/rss+xml",
                         "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel>"
                         "<title>Test City Police</title><link>http://127.0.0.1/</link>"
                         "<item><title>Eight</title><link>/news/8.html</link></item>"
                         "<item><title>One</title><link>/news/1.html</link></item>"
                         "</channel></rss>",
                         "\"feed\"");
    }
    if (!strcmp(url, "/sitemap.xml")) {
        if (not_modified(s, conn, url, "\"smi\"", &ret))
            return ret;
        return send_text(s, conn, url, 200, "application/xml",
                         "<?xml version=\"1.0\"?>"
                         "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"
                         "<sitemap><loc>/sitemap-news.xml.gz</loc></sitemap></sitemapindex>",
                         "\"smi\"");
    }
    if (!strcmp(url, "/sitemap-news.xml.gz")) {
        if (not_modified(s, conn, url, "\"sm\"", &ret))
            return ret;
        const char *xml = "<?xml version=\"1.0\"?>"
                          "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"
                          "<url><loc>/news/9.html</loc></url><url><loc>/news/2.html</loc></url>"
                          "</urlset>";
        unsigned char gz[2048];
        size_t n = gzip_bytes(xml, strlen(xml), gz, sizeof gz);
        log_request(s, url, conn, 200);
        return send_buffer(conn, 200, "application/gzip", gz, n, "\"sm\"");
    }
    if (!strcmp(url, "/news/redirect"))
        return redirect(s, conn, url, "/news/hop");
    if (!strcmp(url, "/news/hop"))
        return redirect(s, conn, url, "/news/5.html");
    if (!strcmp(url, "/news/loop-a"))
        return redirect(s, conn, url, "/news/loop-b");
    if (!strcmp(url, "/news/loop-b"))
        return redirect(s, conn, url, "/news/loop-a");
    if (!strcmp(url, "/news/flaky.html") || !strcmp(url, "/news/busy.html")) {
        int flaky = url[6] == 'f';
        pthread_mutex_lock(&s->lock);
        int calls = flaky ? s->flaky_calls++ : s->busy_calls++;
        pthread_mutex_unlock(&s->lock);
        if (calls == 0 && flaky)
            return send_text(s, conn, url, 500, "text/plain", "try again", NULL);
        if (calls == 0) {
            log_request(s, url, conn, 429);
            struct MHD_Response *r =
                MHD_create_response_from_buffer(4, (void *)"busy", MHD_RESPMEM_PERSISTENT);
            MHD_add_response_header(r, "Retry-After", "1");
            ret = MHD_queue_response(conn, 429, r);
            MHD_destroy_response(r);
            return ret;
        }
        bulletin(body, sizeof body, flaky ? "flaky" : "busy", flaky ? 20 : 21);
        pthread_mutex_lock(&s->lock);
        s->articles_served++;
        pthread_mutex_unlock(&s->lock);
        return send_text(s, conn, url, 200, html, body, flaky ? "\"flaky\"" : "\"busy\"");
    }
    if (!strcmp(url, "/news/stall.html")) {
        log_request(s, url, conn, 200);
        stall_state *st = calloc(1, sizeof *st);
        st->s = s;
        struct MHD_Response *r =
            MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 1024, stall_reader, st, free);
        MHD_add_response_header(r, "Content-Type", html);
        ret = MHD_queue_response(conn, 200, r);
        MHD_destroy_response(r);
        return ret;
    }
    if (!strcmp(url, "/news/huge.html")) {
        size_t n = 200 * 1024;
        char *big = malloc(n);
        memset(big, 'a', n);
        memcpy(big, "<html><body><p>", 15);
        log_request(s, url, conn, 200);
        ret = send_buffer(conn, 200, html, big, n, NULL);
        free(big);
        return ret;
    }
    if (!strcmp(url, "/news/gbk.html") || !strcmp(url, "/files/report.pdf")) {
        int gbk = url[1] == 'n';
        size_t n = 0;
        char *bytes = read_fixture(s, gbk ? "gbk.html" : "report.pdf", &n);
        if (!bytes)
            return send_text(s, conn, url, 500, "text/plain", "fixture missing", NULL);
        log_request(s, url, conn, 200);
        if (gbk) {
            pthread_mutex_lock(&s->lock);
            s->articles_served++;
            pthread_mutex_unlock(&s->lock);
        }
        ret = send_buffer(conn, 200, gbk ? "text/html; charset=GBK" : "application/pdf", bytes, n,
                          gbk ? "\"gbk\"" : NULL);
        free(bytes);
        return ret;
    }
    if (!strcmp(url, "/news/gzip.html")) {
        if (not_modified(s, conn, url, "\"gz\"", &ret))
            return ret;
        bulletin(body, sizeof body, "gzip", 22);
        const char *ae = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Accept-Encoding");
        log_request(s, url, conn, 200);
        pthread_mutex_lock(&s->lock);
        s->articles_served++;
        pthread_mutex_unlock(&s->lock);
        if (ae && strstr(ae, "gzip")) {
            unsigned char gz[4096];
            size_t n = gzip_bytes(body, strlen(body), gz, sizeof gz);
            struct MHD_Response *r = MHD_create_response_from_buffer(n, gz, MHD_RESPMEM_MUST_COPY);
            MHD_add_response_header(r, "Content-Type", html);
            MHD_add_response_header(r, "Content-Encoding", "gzip");
            MHD_add_response_header(r, "ETag", "\"gz\"");
            ret = MHD_queue_response(conn, 200, r);
            MHD_destroy_response(r);
            pthread_mutex_lock(&s->lock);
            s->gzip_served++;
            pthread_mutex_unlock(&s->lock);
            return ret;
        }
        return send_buffer(conn, 200, html, body, strlen(body), "\"gz\"");
    }
    int n;
    if (sscanf(url, "/news/%d.html", &n) == 1 || !strcmp(url, "/news/dup.html") ||
        !strcmp(url, "/private/secret.html")) {
        int dup = !strcmp(url, "/news/dup.html");
        if (dup)
            n = 1;
        if (!strcmp(url, "/private/secret.html"))
            n = 99;
        snprintf(etag, sizeof etag, "\"v%d%s\"", n, dup ? "d" : "");
        if (not_modified(s, conn, url, etag, &ret))
            return ret;
        char id[16];
        snprintf(id, sizeof id, "bulletin%d", n);
        bulletin(body, sizeof body, id, n);
        pthread_mutex_lock(&s->lock);
        s->articles_served++;
        pthread_mutex_unlock(&s->lock);
        return send_text(s, conn, url, 200, html, body, etag);
    }
    return send_text(s, conn, url, 404, "text/html", "<html><body>Not found</body></html>", NULL);
}

static double mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Counts requests being answered at once, and the pauses between them. Each answer takes a little while,
 * so two requests sent together would overlap here; a crawler that waits for
 * each answer before its next request never makes this count exceed one. */
static enum MHD_Result handle(void *cls, struct MHD_Connection *conn, const char *url,
                              const char *method, const char *version, const char *upload_data,
                              size_t *upload_data_size, void **con_cls)
{
    site *s = cls;
    pthread_mutex_lock(&s->lock);
    double now = mono();
    if (s->last_end > 0 && s->in_flight == 0 && (s->min_gap == 0 || now - s->last_end < s->min_gap))
        s->min_gap = now - s->last_end;
    if (++s->in_flight > s->max_in_flight)
        s->max_in_flight = s->in_flight;
    pthread_mutex_unlock(&s->lock);
    usleep(10000);
    enum MHD_Result ret = answer(cls, conn, url, method, version, upload_data, upload_data_size,
                                 con_cls);
    pthread_mutex_lock(&s->lock);
    s->in_flight--;
    s->last_end = mono();
    pthread_mutex_unlock(&s->lock);
    return ret;
}

int site_start(site *s)
{
    pthread_mutex_init(&s->lock, NULL);
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = 0;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK); /* 127.0.0.1 only */
    s->daemon = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION,
                                 0, NULL, NULL, handle, s, MHD_OPTION_SOCK_ADDR, &addr,
                                 MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)10, MHD_OPTION_END);
    if (!s->daemon)
        return -1;
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info ? info->port : 0;
    return s->port ? 0 : -1;
}

void site_stop(site *s)
{
    s->stopping = 1;
    if (s->daemon)
        MHD_stop_daemon(s->daemon);
    s->daemon = NULL;
}

int site_count(site *s, const char *path, int only_if_none_match)
{
    int n = 0;
    pthread_mutex_lock(&s->lock);
    for (int i = 0; i < s->n_log; i++)
        if (!strcmp(s->log[i].path, path) && (!only_if_none_match || s->log[i].if_none_match))
            n++;
    pthread_mutex_unlock(&s->lock);
    return n;
}

int site_articles_served(site *s)
{
    pthread_mutex_lock(&s->lock);
    int n = s->articles_served;
    pthread_mutex_unlock(&s->lock);
    return n;
}
