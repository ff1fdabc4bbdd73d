/* blotter: the crawl run (see crawler.h): taking the lock, opening the
 * state, index and archive, loading the frontier, and the main loop.
 *
 * The frontier lives in the state database; crawl_frontier.c keeps a copy of
 * it in memory as one queue per host and starts transfers when a host's turn
 * comes; crawl_handle.c handles each finished transfer. Bulletins are marked
 * done in the state only after the index commit that holds them
 * (crawl_flush_done), everything else as soon as it is handled.
 */
#include "crawler.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "bl_paths.h"
#include "crawl_run.h"
#include "url_norm.h"

/* ---- setting up ---- */

static int take_lock(const char *data_dir, int *fd_out, bl_error *err)
{
    char *path = bl_path_join(data_dir, "crawl.lock");
    if (!path)
        return bl_error_set(err, BL_ENOMEM, "out of memory");
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        int rc = bl_error_set_errno(err, BL_EIO, errno, "cannot open %s", path);
        free(path);
        return rc;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        char pid[32] = "";
        ssize_t n = pread(fd, pid, sizeof pid - 1, 0);
        pid[n > 0 ? n : 0] = '\0';
        pid[strcspn(pid, "\n")] = '\0';
        int rc = bl_error_set(err, BL_ELOCKED,
                              "another blotter crawl%s%s%s is running on %s (lock %s); "
                              "wait for it to finish",
                              *pid ? " (pid " : "", pid, *pid ? ")" : "", data_dir, path);
        close(fd);
        free(path);
        return rc;
    }
    char pid[32];
    int n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
    if (ftruncate(fd, 0) == 0 && pwrite(fd, pid, (size_t)n, 0) < 0) {
        /* The pid is only for messages. */
    }
    free(path);
    *fd_out = fd;
    return 0;
}

static int seed_frontier(crawl *c)
{
    for (size_t i = 0; i < c->cfg->n_sources && !c->fatal; i++) {
        const bl_crawl_source *s = &c->cfg->sources[i];
        const bl_strlist *lists[3] = {&s->seeds, &s->feeds, &s->sitemaps};
        const int kinds[3] = {BL_URL_LISTING, BL_URL_FEED, BL_URL_SITEMAP};
        for (int k = 0; k < 3; k++)
            for (size_t n = 0; n < lists[k]->n && !c->fatal; n++) {
                char *url = NULL;
                bl_error e = {0};
                if (bl_url_resolve(NULL, lists[k]->items[n], &url, &e)) {
                    crawl_report_failure(c, lists[k]->items[n], e.msg);
                    continue;
                }
                crawl_discover(c, url, kinds[k], i);
                free(url);
            }
    }
    return c->fatal;
}

static int on_pending(void *ctx, const char *url, const char *source, int kind)
{
    crawl *c = ctx;
    size_t src;
    if (!crawl_find_source(c->cfg, source, &src)) {
        bl_url_result res = {.outcome = BL_OUTCOME_SKIPPED, .error = "source no longer configured"};
        crawl_finish_now(c, url, &res);
        return c->fatal;
    }
    return crawl_add_job(c, url, kind, src) ? 1 : 0;
}

static int open_archive(crawl *c, const char *data_dir)
{
    char *dir = bl_path_join(data_dir, "archive");
    if (!dir)
        return bl_error_set(c->err, BL_ENOMEM, "out of memory");
    int rc = bl_mkdir_p(dir, c->err);
    if (rc == 0) {
        char name[128], stamp[32];
        time_t t = time(NULL);
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
        /* Two runs in the same second from one process get -1, -2, ... */
        for (int seq = 0; seq < 100; seq++) {
            if (seq == 0)
                snprintf(name, sizeof name, "blotter-%s-%ld.warc.gz", stamp, (long)getpid());
            else
                snprintf(name, sizeof name, "blotter-%s-%ld-%d.warc.gz", stamp, (long)getpid(),
                         seq);
            char *path = bl_path_join(dir, name);
            if (!path) {
                rc = bl_error_set(c->err, BL_ENOMEM, "out of memory");
                break;
            }
            bl_error e = {0};
            rc = bl_warc_writer_open(path, "blotter/0.1", &c->warc, &e);
            free(path);
            if (rc != BL_EEXISTS) {
                if (rc)
                    bl_error_set(c->err, rc, "%s", e.msg);
                break;
            }
        }
    }
    free(dir);
    return rc;
}

int bl_crawl_run(const bl_crawl_opts *opts, bl_crawl_stats *stats, bl_error *err)
{
    memset(stats, 0, sizeof *stats);
    crawl c = {.opts = opts, .cfg = opts->cfg, .stats = stats, .err = err};
    int lock_fd = -1, rc;
    char *state_path = NULL, *index_path = NULL;
    long run_id = 0;
    if ((rc = bl_mkdir_p(opts->data_dir, err)) || (rc = take_lock(opts->data_dir, &lock_fd, err)))
        return rc;
    state_path = bl_path_join(opts->data_dir, "crawl.db");
    index_path = bl_index_path(opts->data_dir);
    c.fetched_per_source = calloc(c.cfg->n_sources + 1, sizeof *c.fetched_per_source);
    if (!state_path || !index_path || !c.fetched_per_source) {
        rc = bl_error_set(err, BL_ENOMEM, "out of memory");
        goto done;
    }
    if ((rc = bl_crawl_state_open(state_path, &c.st, err)) ||
        (rc = bl_crawl_state_begin_run(c.st, &run_id, &stats->resumed, err)) ||
        (rc = bl_indexer_open(index_path, &c.ix, err)) || (rc = open_archive(&c, opts->data_dir)))
        goto done;
    bl_fetch_opts fo = {
        .user_agent = c.cfg->crawl.user_agent,
        .timeout = c.cfg->crawl.timeout,
        .connect_timeout = c.cfg->crawl.connect_timeout,
        .low_speed_time = c.cfg->crawl.low_speed_time,
        .max_body = c.cfg->crawl.max_page_size,
        /* robots.txt: only the prefix that is parsed is read (RFC 9309 2.5). */
        .truncate_at = BL_ROBOTS_MAX_SIZE,
        .max_redirects = (long)c.cfg->crawl.max_redirects,
    };
    if ((rc = bl_fetcher_new(&fo, &c.fetcher, err)))
        goto done;
    /* The open frontier first (a resumed run), then the sources' entry points. */
    bl_error e = {0};
    if ((rc = bl_crawl_state_each_pending(c.st, on_pending, &c, &e))) {
        crawl_fatal(&c, rc, &e);
        goto done;
    }
    if (c.fatal || seed_frontier(&c))
        goto done;
    c.last_flush = crawl_now();
    while (!c.fatal) {
        if (opts->interrupted && *opts->interrupted) {
            stats->interrupted = 1;
            break;
        }
        double now = crawl_now();
        double wake = crawl_start_ready(&c, now);
        if (c.fatal)
            break;
        int active = bl_fetcher_active(c.fetcher);
        if (!active && crawl_frontier_empty(&c))
            break;
        double wait = wake - crawl_now();
        int ms = wait <= 0 ? 0 : wait > 0.5 ? 500 : (int)(wait * 1000) + 1;
        if (active) {
            if ((rc = bl_fetcher_run(c.fetcher, ms, &e))) {
                crawl_fatal(&c, rc, &e);
                break;
            }
        } else if (ms > 0) {
            struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
            nanosleep(&ts, NULL);
        }
        bl_fetch *fe;
        while (!c.fatal && (fe = bl_fetcher_next_done(c.fetcher))) {
            crawl_handle_done(&c, fe);
            bl_fetch_free(fe);
        }
        if (!c.fatal && (c.n_marks >= c.cfg->crawl.commit_every ||
                         (c.n_marks && crawl_now() - c.last_flush > FLUSH_SECONDS)))
            crawl_flush_done(&c);
        if (opts->on_progress)
            opts->on_progress(opts->ctx, stats);
    }
    if (!c.fatal)
        crawl_flush_done(&c);
    if (!c.fatal && !stats->interrupted && (rc = bl_crawl_state_finish_run(c.st, &e)))
        crawl_fatal(&c, rc, &e);
done:
    if (!rc)
        rc = c.fatal;
    bl_fetcher_free(c.fetcher);
    {
        bl_error ce = {0};
        int crc = bl_indexer_close(c.ix, &ce);
        if (crc && !rc)
            rc = bl_error_set(err, crc, "%s", ce.msg);
        bl_error_clear(&ce);
        crc = bl_warc_writer_close(c.warc, &ce);
        if (crc && !rc)
            rc = bl_error_set(err, crc, "%s", ce.msg);
    }
    bl_crawl_state_close(c.st);
    for (size_t i = 0; i < c.n_hosts; i++) {
        host *h = c.hosts[i];
        job *j;
        while ((j = crawl_pop(h)))
            crawl_job_free(j);
        bl_robots_free(h->robots);
        free(h->origin);
        free(h);
    }
    free(c.hosts);
    for (size_t i = 0; i < c.n_marks; i++) {
        free(c.marks[i].url);
        free(c.marks[i].final_url);
        free(c.marks[i].etag);
        free(c.marks[i].last_modified);
        free(c.marks[i].digest);
    }
    free(c.marks);
    free(c.fetched_per_source);
    free(state_path);
    free(index_path);
    if (lock_fd >= 0)
        close(lock_fd);
    return rc;
}

