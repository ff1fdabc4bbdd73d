/* blotter: HTTP(S) and file transfers over libcurl's multi interface.
 *
 * A bl_fetcher runs many transfers at once; the crawl decides which to start
 * (politeness is its business, not the fetcher's). Every transfer: http,
 * https and file only, TLS verified, HTTP/2 where the server offers it, any
 * content encoding curl was built with, connect and low-speed timeouts and a
 * whole-transfer timeout, a limit on the response headers, and a body limit
 * enforced on the decoded bytes while they arrive, so neither an endless body
 * nor a gzip bomb is ever held whole: over the limit the transfer is aborted
 * and fails, or with BL_FETCH_TRUNCATE it stops there and succeeds with the
 * prefix (truncate_at bytes when set, for robots.txt). Redirects are not
 * followed (the crawl follows them itself, one request at a time, checking
 * robots.txt at each hop) unless BL_FETCH_FOLLOW asks for it: then at most
 * max_redirects, to http and https only.
 *
 * A failed transfer's error is one line that says what went wrong in words a
 * reader can act on: a timeout, a body or headers over their limit, a body cut
 * short, a server that did not answer in HTTP, with libcurl's detail.
 *
 * Ownership: a finished bl_fetch returned by bl_fetcher_next_done belongs to
 * the caller, who frees it with bl_fetch_free; its strings belong to it.
 */
#ifndef BL_FETCHER_H
#define BL_FETCHER_H

#include <stddef.h>

#include "bl_error.h"

typedef struct bl_fetch_opts {
    const char *user_agent;
    double timeout, connect_timeout, low_speed_time; /* seconds */
    size_t max_body;
    size_t truncate_at;       /* bytes kept by BL_FETCH_TRUNCATE; 0: max_body */
    long max_redirects;
} bl_fetch_opts;

/* Response headers (status lines and header lines of one response) over
 * this many bytes fail the transfer. */
#define BL_FETCH_MAX_HEADERS (256u * 1024u)

typedef struct bl_fetch {
    /* Request. */
    char *url;
    void *user;               /* the caller's, untouched */
    int truncate;             /* keep the first max_body bytes instead of failing */
    char *redirect_url;       /* an unfollowed 3xx's Location, absolute; may be NULL */
    /* Response. */
    int ok;                   /* the transfer completed (any HTTP status) */
    long status;              /* HTTP status; 200 for a file read */
    char *effective_url;      /* after redirects */
    char *content_type;       /* may be NULL */
    char *etag, *last_modified; /* may be NULL */
    double retry_after;       /* seconds, -1 when absent */
    char *headers;            /* status line and headers of the final response */
    size_t headers_len;
    char *request;            /* request line and headers as sent (http only); may be NULL */
    size_t request_len;
    char *body;               /* NUL-terminated */
    size_t body_len;
    int too_big;
    char error[256];          /* why it failed when !ok */
    /* Internal. */
    void *easy;
    void *req_headers;
    size_t max_body;          /* of this transfer: truncate_at or max_body */
    size_t body_cap, headers_cap;
    int headers_done;         /* the last response's headers ended */
    int headers_too_big, out_of_memory;
    char curl_detail[256];    /* libcurl's error buffer (CURL_ERROR_SIZE) */
    struct bl_fetch *next, *prev;
} bl_fetch;

typedef struct bl_fetcher bl_fetcher;

int bl_fetcher_new(const bl_fetch_opts *opts, bl_fetcher **out, bl_error *err);
void bl_fetcher_free(bl_fetcher *f);

enum bl_fetch_flags {
    BL_FETCH_TRUNCATE = 1,  /* over the limit: keep the start and stop, instead of failing */
    BL_FETCH_FOLLOW = 2     /* follow redirects inside the transfer */
};

/* Starts a GET; etag and last_modified (may be NULL) make it conditional;
 * flags are enum bl_fetch_flags. */
int bl_fetcher_start(bl_fetcher *f, const char *url, const char *etag, const char *last_modified,
                     int flags, void *user, bl_error *err);

/* Runs transfers for up to timeout_ms (returns sooner when one finishes). */
int bl_fetcher_run(bl_fetcher *f, int timeout_ms, bl_error *err);

/* A finished transfer, or NULL when none is waiting. */
bl_fetch *bl_fetcher_next_done(bl_fetcher *f);

/* Transfers started and not yet returned by bl_fetcher_next_done. */
int bl_fetcher_active(const bl_fetcher *f);

void bl_fetch_free(bl_fetch *fe);

#endif
