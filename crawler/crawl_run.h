/* blotter: the inside of a crawl run, shared by crawler.c (setting up and
 * the main loop), crawl_frontier.c (hosts, queues, starting transfers) and
 * crawl_handle.c (what to do with each finished transfer). Not a public
 * header: only these three files include it.
 */
#ifndef BL_CRAWL_RUN_H
#define BL_CRAWL_RUN_H

#include <stddef.h>

#include "bl_indexer.h"
#include "crawl_config.h"
#include "crawl_state.h"
#include "crawler.h"
#include "fetcher.h"
#include "robots.h"
#include "warc_writer.h"

#define KIND_ROBOTS (-1)
#define FLUSH_SECONDS 5.0

enum { ROBOTS_UNKNOWN, ROBOTS_FETCHING, ROBOTS_READY, ROBOTS_UNAVAILABLE };

typedef struct host host;

typedef struct job {
    char *url;         /* what to fetch */
    char *origin;      /* the frontier URL a redirect chain started from, else NULL */
    int hops;          /* redirects followed to get here */
    int kind;          /* enum bl_url_kind, or KIND_ROBOTS */
    size_t src;        /* index into cfg->sources */
    int attempt;
    double not_before; /* monotonic seconds */
    host *h;
    struct job *next;
} job;

/* The URL the state knows this job by: where its redirect chain started. */
#define JOB_STATE_URL(j) ((j)->origin ? (j)->origin : (j)->url)

struct host {
    char *origin;      /* NULL: file URLs */
    job *head, *tail;
    int busy;          /* transfers in flight */
    double next_ok;
    double delay;
    int robots_state;
    char robots_why[300];
    bl_robots *robots;
};

/* A bulletin indexed but not yet committed: marked done after the commit. */
typedef struct done_mark {
    char *url;
    char *final_url;   /* after redirects; NULL when the same */
    bl_url_result res;
    char *etag, *last_modified, *digest;
} done_mark;

typedef struct crawl {
    const bl_crawl_opts *opts;
    const bl_crawl_config *cfg;
    bl_crawl_stats *stats;
    bl_error *err;
    int fatal;
    bl_crawl_state *st;
    bl_indexer *ix;
    bl_warc_writer *warc;
    bl_fetcher *fetcher;
    host **hosts;
    size_t n_hosts;
    unsigned long *fetched_per_source;
    done_mark *marks;
    size_t n_marks, cap_marks;
    double last_flush;
} crawl;


/* crawl_frontier.c */
double crawl_now(void);
void crawl_job_free(job *j);
/* Records the first error that stops the run; returns rc. */
int crawl_fatal(crawl *c, int rc, const bl_error *e);
void crawl_report_failure(crawl *c, const char *url, const char *msg);
void crawl_push(host *h, job *j, int front);
job *crawl_pop(host *h);
int crawl_add_job(crawl *c, const char *url, int kind, size_t src);
/* Queues the next hop of a redirect chain that started at origin. */
int crawl_add_redirect(crawl *c, const char *url, const char *origin, int kind, size_t src,
                       int hops);
/* Queues url in the state and, when it is new in this run, in memory. */
int crawl_discover(crawl *c, const char *url, int kind, size_t src);
int crawl_find_source(const bl_crawl_config *cfg, const char *name, size_t *out);
/* Starts what may start now; returns the earliest time something else may. */
double crawl_start_ready(crawl *c, double now);
int crawl_frontier_empty(const crawl *c);
/* h's robots.txt is known (h->robots may be NULL: all allowed). */
void crawl_host_robots_ready(host *h);

/* crawl_handle.c */
void crawl_finish_now(crawl *c, const char *url, const bl_url_result *res);
void crawl_fail_url(crawl *c, const char *url, int status, const char *msg);
/* Commits the index, then marks its bulletins done. */
void crawl_flush_done(crawl *c);
void crawl_handle_done(crawl *c, bl_fetch *fe);

#endif
