/* blotter: one crawl run over the sources of a configuration.
 *
 * The run takes DATA/crawl.lock (flock: a second crawl on the same data
 * directory gets BL_ELOCKED at once), opens the state (DATA/crawl.db), the
 * index (DATA/index) and a new archive file in DATA/archive/, then fetches
 * until the frontier is empty:
 * - per host one request at a time, the next one no sooner than the host's
 *   delay after the last (the source's delay, or robots.txt's Crawl-delay
 *   when larger); several hosts at once, up to `concurrency` transfers;
 * - robots.txt first for each http(s) origin (cached in the state with an
 *   expiry): 4xx allows all, 5xx or no answer means the host is not crawled
 *   in this run (its URLs count as failed and are queued again next run);
 *   file:// sources have neither robots.txt nor delays;
 * - conditional requests from the stored validators; a 304 or a body whose
 *   SHA-256 was seen before is not indexed again and is archived as a
 *   revisit record;
 * - 429 and 5xx are retried with exponential backoff (Retry-After honoured
 *   up to max_retry_after); anything else that is not 2xx fails that URL.
 * Bulletins are committed to the index before they are marked done in the
 * state, so a run killed at any moment loses nothing and, indexing being keyed
 * by URL, duplicates nothing: the next run resumes the open frontier.
 *
 * Failures of single URLs are counted and reported through on_failure; the
 * function itself fails only when the run cannot go on (lock, state, index,
 * archive).
 */
#ifndef BL_CRAWLER_H
#define BL_CRAWLER_H

#include "bl_error.h"
#include "crawl_config.h"

typedef struct bl_crawl_stats {
    unsigned long fetched;       /* requests answered (any status) */
    unsigned long added;         /* new bulletins indexed */
    unsigned long updated;       /* bulletins whose content changed */
    unsigned long not_modified;  /* 304s, unchanged and duplicate bodies */
    unsigned long robots;        /* URLs robots.txt kept us from */
    unsigned long skipped;       /* not HTML or text, or over max_pages */
    unsigned long failed;
    unsigned long queued;        /* still in the frontier */
    int resumed;                 /* this run continued an interrupted one */
    int interrupted;             /* stopped early by *interrupted */
} bl_crawl_stats;

typedef struct bl_crawl_opts {
    const char *data_dir;
    const bl_crawl_config *cfg;
    /* Optional: one call per failed URL, and progress now and then. */
    void (*on_failure)(void *ctx, const char *url, const char *message);
    void (*on_progress)(void *ctx, const bl_crawl_stats *stats);
    void *ctx;
    volatile int *interrupted;   /* may be NULL; non-zero stops the run */
} bl_crawl_opts;

int bl_crawl_run(const bl_crawl_opts *opts, bl_crawl_stats *stats, bl_error *err);

#endif
