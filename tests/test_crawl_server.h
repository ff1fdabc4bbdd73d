/* A test web site on 127.0.0.1 (libmicrohttpd, an ephemeral port, never any
 * other address) for the crawler's tests: listings, bulletins with ETag and
 * Last-Modified, a feed, a sitemap index and a gzipped sitemap, robots.txt,
 * and the failure cases (redirect chain and loop, 404, 500 then 200, 429
 * with Retry-After, a stall, an oversized body, a GBK page, a PDF). */
#ifndef TEST_CRAWL_SERVER_H
#define TEST_CRAWL_SERVER_H

#include <pthread.h>

#define SITE_MAX_LOG 512

typedef struct site_request {
    char path[256];
    int if_none_match;   /* the request carried If-None-Match */
    int if_modified_since;
    int status;
} site_request;

typedef struct site {
    struct MHD_Daemon *daemon;
    unsigned short port;
    pthread_mutex_t lock;
    site_request log[SITE_MAX_LOG];
    int n_log;
    int in_flight, max_in_flight;
    double last_end;         /* when the last answer was handed over (monotonic) */
    double min_gap;          /* shortest pause between an answer and the next request */
    int flaky_calls, busy_calls;
    int gzip_served;
    int articles_served;     /* 200 responses for /news/ pages */
    int robots_status;       /* 0: serve robots.txt; else answer it with this status */
    volatile int stopping;
    char fixtures[512];
} site;

int site_start(site *s);
void site_stop(site *s);

/* How many requests for path the site saw (with If-None-Match when inm). */
int site_count(site *s, const char *path, int only_if_none_match);
int site_articles_served(site *s);

#endif
