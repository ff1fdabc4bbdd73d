/* blotter: transfers with libcurl (see fetcher.h). */
#include "fetcher.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

_Static_assert(sizeof(((bl_fetch *)0)->curl_detail) >= CURL_ERROR_SIZE,
               "curl_detail must hold libcurl's error buffer");

struct bl_fetcher {
    CURLM *multi;
    bl_fetch_opts opts;
    char *user_agent;
    int active;
    bl_fetch *running;  /* started, not yet finished */
};

int bl_fetcher_new(const bl_fetch_opts *opts, bl_fetcher **out, bl_error *err)
{
    *out = NULL;
    static int initialised;
    if (!initialised) {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
            return bl_error_set(err, BL_ERR, "cannot initialise libcurl");
        initialised = 1;
    }
    bl_fetcher *f = calloc(1, sizeof *f);
    if (!f || !(f->user_agent = strdup(opts->user_agent ? opts->user_agent : "blotter")) ||
        !(f->multi = curl_multi_init())) {
        if (f)
            free(f->user_agent);
        free(f);
        return bl_error_set(err, BL_ENOMEM, "out of memory");
    }
    f->opts = *opts;
    f->opts.user_agent = f->user_agent;
    /* One connection per host, reused: the crawl already sends one request
     * at a time to a host, and this keeps it so across redirects too. */
    curl_multi_setopt(f->multi, CURLMOPT_MAX_HOST_CONNECTIONS, 1L);
    *out = f;
    return 0;
}

void bl_fetch_free(bl_fetch *fe)
{
    if (!fe)
        return;
    if (fe->easy)
        curl_easy_cleanup(fe->easy);
    curl_slist_free_all(fe->req_headers);
    free(fe->url);
    free(fe->effective_url);
    free(fe->redirect_url);
    free(fe->content_type);
    free(fe->etag);
    free(fe->last_modified);
    free(fe->headers);
    free(fe->request);
    free(fe->body);
    free(fe);
}

void bl_fetcher_free(bl_fetcher *f)
{
    if (!f)
        return;
    /* Transfers still running are abandoned. */
    while (f->running) {
        bl_fetch *fe = f->running;
        f->running = fe->next;
        curl_multi_remove_handle(f->multi, fe->easy);
        bl_fetch_free(fe);
    }
    curl_multi_cleanup(f->multi);
    free(f->user_agent);
    free(f);
}

/* The limit counts decoded bytes, as they arrive: an endless body or a gzip
 * bomb is stopped at max_body, never held whole. Returning less than given
 * makes libcurl abort the transfer. */
static size_t on_body(char *data, size_t size, size_t nmemb, void *userp)
{
    bl_fetch *fe = userp;
    size_t n = size * nmemb;
    int stop = 0;
    if (n > fe->max_body - fe->body_len) {
        fe->too_big = 1;
        if (!fe->truncate)
            return 0; /* the transfer fails */
        n = fe->max_body - fe->body_len; /* keep the prefix, then stop reading */
        stop = 1;
    }
    if (fe->body_len + n + 1 > fe->body_cap) {
        size_t cap = fe->body_cap ? fe->body_cap : 16384;
        while (cap < fe->body_len + n + 1)
            cap *= 2;
        if (cap > fe->max_body + 1)
            cap = fe->max_body + 1;
        char *b = realloc(fe->body, cap);
        if (!b) {
            fe->out_of_memory = 1;
            return 0;
        }
        fe->body = b;
        fe->body_cap = cap;
    }
    memcpy(fe->body + fe->body_len, data, n);
    fe->body_len += n;
    fe->body[fe->body_len] = '\0';
    return stop ? 0 : size * nmemb;
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *userp)
{
    bl_fetch *fe = userp;
    size_t n = size * nmemb;
    /* Each response of a redirect chain starts with its status line: keep
     * only the last response's headers. */
    if (n >= 5 && strncmp(data, "HTTP/", 5) == 0) {
        fe->headers_len = 0;
        fe->headers_done = 0;
    }
    if ((n == 2 && data[0] == '\r') || (n == 1 && data[0] == '\n'))
        fe->headers_done = 1; /* the blank line after a response's headers */
    if (fe->headers_len + n + 1 > BL_FETCH_MAX_HEADERS) {
        fe->headers_too_big = 1;
        return 0; /* aborts the transfer */
    }
    if (fe->headers_len + n + 1 > fe->headers_cap) {
        size_t cap = fe->headers_cap ? fe->headers_cap * 2 : 4096;
        while (cap < fe->headers_len + n + 1)
            cap *= 2;
        char *h = realloc(fe->headers, cap);
        if (!h) {
            fe->out_of_memory = 1;
            return 0;
        }
        fe->headers = h;
        fe->headers_cap = cap;
    }
    memcpy(fe->headers + fe->headers_len, data, n);
    fe->headers_len += n;
    fe->headers[fe->headers_len] = '\0';
    return n;
}

/* Keeps the request headers curl sent last, for the archive's request
 * record. Only called because CURLOPT_VERBOSE is on; prints nothing. */
static int on_debug(CURL *e, curl_infotype type, char *data, size_t size, void *userp)
{
    bl_fetch *fe = userp;
    (void)e;
    if (type != CURLINFO_HEADER_OUT || size > BL_FETCH_MAX_HEADERS)
        return 0;
    char *copy = malloc(size + 1);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    copy[size] = '\0';
    free(fe->request);
    fe->request = copy;
    fe->request_len = size;
    return 0;
}

int bl_fetcher_start(bl_fetcher *f, const char *url, const char *etag, const char *last_modified,
                     int flags, void *user, bl_error *err)
{
    int truncate = (flags & BL_FETCH_TRUNCATE) != 0;
    bl_fetch *fe = calloc(1, sizeof *fe);
    CURL *e = curl_easy_init();
    if (!fe || !e || !(fe->url = strdup(url))) {
        free(fe);
        curl_easy_cleanup(e);
        return bl_error_set(err, BL_ENOMEM, "out of memory");
    }
    fe->easy = e;
    fe->user = user;
    fe->truncate = truncate;
    const bl_fetch_opts *o = &f->opts;
    fe->max_body = truncate && o->truncate_at && o->truncate_at < o->max_body ? o->truncate_at
                                                                                : o->max_body;
    fe->retry_after = -1;
    curl_easy_setopt(e, CURLOPT_URL, url);
    curl_easy_setopt(e, CURLOPT_PRIVATE, fe);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, fe->curl_detail);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https,file");
    curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, (flags & BL_FETCH_FOLLOW) ? 1L : 0L);
    curl_easy_setopt(e, CURLOPT_MAXREDIRS, o->max_redirects);
    curl_easy_setopt(e, CURLOPT_USERAGENT, o->user_agent);
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)(o->timeout * 1000));
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, (long)(o->connect_timeout * 1000));
    curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, (long)(o->low_speed_time < 1 ? 1 : o->low_speed_time));
    if (!truncate)
        curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)o->max_body);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, fe);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, fe);
    curl_easy_setopt(e, CURLOPT_FILETIME, 1L);
    if (strncasecmp(url, "file:", 5) != 0) {
        curl_easy_setopt(e, CURLOPT_DEBUGFUNCTION, on_debug);
        curl_easy_setopt(e, CURLOPT_DEBUGDATA, fe);
        curl_easy_setopt(e, CURLOPT_VERBOSE, 1L);
    }
    struct curl_slist *h = NULL;
    char line[1024];
    if (etag && strlen(etag) < 900) {
        snprintf(line, sizeof line, "If-None-Match: %s", etag);
        h = curl_slist_append(h, line);
    }
    if (last_modified && strlen(last_modified) < 900) {
        snprintf(line, sizeof line, "If-Modified-Since: %s", last_modified);
        struct curl_slist *h2 = curl_slist_append(h, line);
        if (h2)
            h = h2;
    }
    fe->req_headers = h;
    if (h)
        curl_easy_setopt(e, CURLOPT_HTTPHEADER, h);
    if (curl_multi_add_handle(f->multi, e) != CURLM_OK) {
        bl_fetch_free(fe);
        return bl_error_set(err, BL_ERR, "cannot start a transfer for %s", url);
    }
    f->active++;
    fe->next = f->running;
    fe->prev = NULL;
    if (f->running)
        f->running->prev = fe;
    f->running = fe;
    return 0;
}

int bl_fetcher_run(bl_fetcher *f, int timeout_ms, bl_error *err)
{
    int running = 0;
    CURLMcode mc = curl_multi_perform(f->multi, &running);
    if (mc == CURLM_OK && running > 0)
        mc = curl_multi_poll(f->multi, NULL, 0, timeout_ms, NULL);
    if (mc == CURLM_OK)
        mc = curl_multi_perform(f->multi, &running);
    if (mc != CURLM_OK)
        return bl_error_set(err, BL_ENETWORK, "transfer engine: %s", curl_multi_strerror(mc));
    return 0;
}

/* The value of header `name` in the final response, malloc'd, or NULL. */
static char *header_value(const bl_fetch *fe, const char *name)
{
    size_t nl = strlen(name);
    const char *p = fe->headers;
    while (p && *p) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n > nl && strncasecmp(p, name, nl) == 0 && p[nl] == ':') {
            const char *v = p + nl + 1, *ve = p + n;
            while (v < ve && (*v == ' ' || *v == '\t'))
                v++;
            while (ve > v && (ve[-1] == '\r' || ve[-1] == ' ' || ve[-1] == '\t'))
                ve--;
            return strndup(v, (size_t)(ve - v));
        }
        p = e ? e + 1 : NULL;
    }
    return NULL;
}

static const char *file_content_type(const char *url)
{
    const char *dot = strrchr(url, '.');
    const char *slash = strrchr(url, '/');
    if (!dot || (slash && dot < slash))
        return NULL;
    if (!strcasecmp(dot, ".html") || !strcasecmp(dot, ".htm"))
        return "text/html";
    if (!strcasecmp(dot, ".txt"))
        return "text/plain";
    if (!strcasecmp(dot, ".xml") || !strcasecmp(dot, ".rss"))
        return "application/xml";
    if (!strcasecmp(dot, ".gz"))
        return "application/gzip";
    if (!strcasecmp(dot, ".pdf"))
        return "application/pdf";
    return NULL;
}

/* fe->error: what went wrong, said first in plain words where libcurl's own
 * name for it would mislead (a header line over libcurl's limit is "Out of
 * memory", a reply that is not HTTP is "Unsupported protocol"), then
 * libcurl's detail. */
static void describe_failure(bl_fetch *fe, CURLcode result)
{
    const char *detail = fe->curl_detail;
    const char *what = curl_easy_strerror(result);
    if (fe->headers_too_big) {
        snprintf(fe->error, sizeof fe->error, "response headers larger than %u bytes",
                 BL_FETCH_MAX_HEADERS);
        return;
    }
    if (fe->too_big || result == CURLE_FILESIZE_EXCEEDED) {
        fe->too_big = 1;
        snprintf(fe->error, sizeof fe->error, "body larger than %zu bytes, not fetched",
                 fe->max_body);
        return;
    }
    if (fe->out_of_memory) {
        snprintf(fe->error, sizeof fe->error, "out of memory");
        return;
    }
    switch (result) {
    case CURLE_UNSUPPORTED_PROTOCOL:
        if (strstr(detail, "HTTP/0.9"))
            what = "not HTTP: the server answered without a status line";
        break;
    case CURLE_WEIRD_SERVER_REPLY:
        what = "not HTTP: the server's answer is not a valid HTTP response";
        break;
    case CURLE_OUT_OF_MEMORY:
        /* libcurl 7.x says only this when one header line passes its own
         * limit (CURL_MAX_HTTP_HEADER, 100 KB). */
        if (!fe->headers_done)
            what = "a response header line is too large (libcurl: Out of memory)";
        break;
    case CURLE_PARTIAL_FILE:
        what = "body cut short";
        break;
    case CURLE_RECV_ERROR:
        if (strstr(detail, "chunk"))
            what = "broken chunked encoding";
        break;
    default:
        break;
    }
    if (*detail && strcmp(detail, what) != 0)
        snprintf(fe->error, sizeof fe->error, "%s: %.200s", what, detail);
    else
        snprintf(fe->error, sizeof fe->error, "%s", what);
}

static void finish(bl_fetch *fe, CURLcode result)
{
    CURL *e = fe->easy;
    char *eff = NULL, *ct = NULL;
    curl_easy_getinfo(e, CURLINFO_EFFECTIVE_URL, &eff);
    fe->effective_url = strdup(eff ? eff : fe->url);
    int is_file = strncasecmp(fe->url, "file:", 5) == 0;
    if (is_file) {
        /* curl reports file sizes and times as header lines: not HTTP. */
        fe->headers_len = 0;
        const char *t = file_content_type(fe->url);
        fe->content_type = t ? strdup(t) : NULL;
        fe->status = result == CURLE_OK ? 200 : 0;
    } else {
        curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &fe->status);
        curl_easy_getinfo(e, CURLINFO_CONTENT_TYPE, &ct);
        fe->content_type = ct ? strdup(ct) : NULL;
        char *loc = NULL;
        curl_easy_getinfo(e, CURLINFO_REDIRECT_URL, &loc);
        fe->redirect_url = loc ? strdup(loc) : NULL;
        fe->etag = header_value(fe, "ETag");
        fe->last_modified = header_value(fe, "Last-Modified");
        char *ra = header_value(fe, "Retry-After");
        if (ra) {
            char *end;
            double secs = strtod(ra, &end);
            if (end != ra && *end == '\0' && secs >= 0) {
                fe->retry_after = secs;
            } else {
                time_t when = curl_getdate(ra, NULL);
                if (when != (time_t)-1) {
                    double d = difftime(when, time(NULL));
                    fe->retry_after = d > 0 ? d : 0;
                }
            }
            free(ra);
        }
    }
    if (fe->too_big && fe->truncate && result == CURLE_WRITE_ERROR)
        result = CURLE_OK; /* stopped on purpose, with the prefix */
    if (result == CURLE_OK)
        fe->ok = 1;
    else
        describe_failure(fe, result);
    if (!fe->body && (fe->body = malloc(1)))
        fe->body[0] = '\0';
}

bl_fetch *bl_fetcher_next_done(bl_fetcher *f)
{
    int left;
    CURLMsg *m;
    while ((m = curl_multi_info_read(f->multi, &left))) {
        if (m->msg != CURLMSG_DONE)
            continue;
        CURL *e = m->easy_handle;
        CURLcode result = m->data.result;
        bl_fetch *fe = NULL;
        curl_easy_getinfo(e, CURLINFO_PRIVATE, (char **)&fe);
        curl_multi_remove_handle(f->multi, e);
        f->active--;
        if (fe->prev)
            fe->prev->next = fe->next;
        else
            f->running = fe->next;
        if (fe->next)
            fe->next->prev = fe->prev;
        fe->next = fe->prev = NULL;
        finish(fe, result);
        curl_easy_cleanup(e);
        fe->easy = NULL;
        return fe;
    }
    return NULL;
}

int bl_fetcher_active(const bl_fetcher *f)
{
    return f->active;
}
