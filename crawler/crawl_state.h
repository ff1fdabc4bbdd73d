/* blotter: the crawl state, a SQLite database (DATA/crawl.db).
 *
 * It holds, per URL: the source and kind it was found as, the run that last
 * queued it and the run that last finished it, the last HTTP status and
 * outcome, the validators (ETag, Last-Modified) for conditional requests, the
 * SHA-256 of the last body, when it was fetched, and how many times in a row
 * it failed. The frontier is simply the URLs queued in the current run and not
 * yet finished in it, so a crawl killed at any moment resumes where it
 * stopped: a run stays open until bl_crawl_state_finish_run, and the next
 * bl_crawl_state_begin_run continues an open run instead of starting anew.
 * robots.txt answers are cached per origin with an expiry.
 *
 * The database is in WAL mode with synchronous=NORMAL: a power cut may lose
 * the last transactions, never consistency, and a lost "done" mark only means
 * a page is fetched again and re-indexed under the same key (idempotent).
 *
 * Ownership: strings returned through out-parameters are malloc'd and owned
 * by the caller; inputs are borrowed.
 */
#ifndef BL_CRAWL_STATE_H
#define BL_CRAWL_STATE_H

#include <stddef.h>
#include <time.h>

#include "bl_error.h"

typedef struct bl_crawl_state bl_crawl_state;

enum bl_url_kind {
    BL_URL_LISTING = 0,  /* a page whose links are followed */
    BL_URL_ARTICLE = 1,  /* a bulletin: indexed */
    BL_URL_FEED = 2,     /* RSS or Atom */
    BL_URL_SITEMAP = 3   /* sitemap or sitemap index */
};

/* What happened to a URL in a run (stored as text in the outcome column). */
enum bl_url_outcome {
    BL_OUTCOME_NEW = 0,          /* fetched, and indexed as a new bulletin */
    BL_OUTCOME_UPDATED,          /* fetched, an indexed bulletin changed */
    BL_OUTCOME_OK,               /* fetched (listings, feeds, sitemaps, unchanged index) */
    BL_OUTCOME_NOT_MODIFIED,     /* 304, or the same body as before */
    BL_OUTCOME_DUPLICATE,        /* the body of another URL already indexed */
    BL_OUTCOME_ROBOTS,           /* robots.txt forbids it */
    BL_OUTCOME_SKIPPED,          /* not HTML or text, or over max_pages */
    BL_OUTCOME_FAILED
};

typedef struct bl_url_info {
    char *source;
    int kind;
    char *etag, *last_modified, *digest; /* NULL when unknown */
    int done_this_run;
} bl_url_info;

typedef struct bl_url_result {
    int http_status;
    int outcome;                 /* enum bl_url_outcome */
    const char *etag;            /* NULL keeps the stored one on 304, clears otherwise */
    const char *last_modified;
    const char *digest;          /* NULL keeps the stored one */
    const char *error;           /* for failures */
} bl_url_result;

int bl_crawl_state_open(const char *path, bl_crawl_state **out, bl_error *err);
void bl_crawl_state_close(bl_crawl_state *st);

/* Continues the open run, if the last one was never finished (*resumed = 1),
 * else starts a new one in which every URL that failed last time is queued
 * again. */
int bl_crawl_state_begin_run(bl_crawl_state *st, long *run_id, int *resumed, bl_error *err);
int bl_crawl_state_finish_run(bl_crawl_state *st, bl_error *err);

/* Group writes; nesting is not supported. */
int bl_crawl_state_begin(bl_crawl_state *st, bl_error *err);
int bl_crawl_state_commit(bl_crawl_state *st, bl_error *err);

/* Queues url for this run unless it was already queued in it; *queued = 1
 * when this call queued it. */
int bl_crawl_state_enqueue(bl_crawl_state *st, const char *url, const char *source, int kind,
                           int *queued, bl_error *err);

/* Calls fn for each URL queued and not finished in this run, oldest first;
 * fn returning non-zero stops. */
typedef int (*bl_pending_fn)(void *ctx, const char *url, const char *source, int kind);
int bl_crawl_state_each_pending(bl_crawl_state *st, bl_pending_fn fn, void *ctx, bl_error *err);

/* What is known of url (BL_ENOTFOUND when nothing); free with bl_url_info_clear. */
int bl_crawl_state_get(bl_crawl_state *st, const char *url, bl_url_info *info, bl_error *err);
void bl_url_info_clear(bl_url_info *info);

/* Marks url finished in this run with its result. */
int bl_crawl_state_finish_url(bl_crawl_state *st, const char *url, const bl_url_result *res,
                              bl_error *err);

/* The URL an indexed body with this digest was first seen at (*url NULL when none). */
int bl_crawl_state_digest_owner(bl_crawl_state *st, const char *digest, char **url, bl_error *err);

/* robots.txt cache: status 0 means unreachable. BL_ENOTFOUND when nothing
 * unexpired is cached for origin. */
int bl_crawl_state_get_robots(bl_crawl_state *st, const char *origin, time_t now, int *status,
                              char **body, size_t *len, bl_error *err);
int bl_crawl_state_put_robots(bl_crawl_state *st, const char *origin, int status,
                              const char *body, size_t len, time_t expires, bl_error *err);

/* Counts for tests and reports: URLs with this outcome finished in this run
 * (outcome < 0: all URLs known). */
int bl_crawl_state_count(bl_crawl_state *st, int outcome, long *n, bl_error *err);

const char *bl_url_outcome_name(int outcome);

#endif
