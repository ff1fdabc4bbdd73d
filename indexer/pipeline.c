/* blotter: indexing on every core (see pipeline.h).
 *
 *   producer --jobs--> workers (read, extract, build document)
 *            --results[shard]--> one writer per shard
 *
 * Xapian allows one writer per database and does its share of the work
 * (inverting, B-tree updates, compression) on the thread that writes, so a
 * sharded index is written by one thread per shard: every shard's Xapian
 * work runs beside the others', and each writer alone touches its database.
 * A bulletin goes to the shard of its key, or, in the scratch shards of a
 * bulk build, to the writer with the shortest queue (key_routes.h).
 *
 * All queues are bounded rings; a closed queue wakes everyone, and the last
 * worker to leave closes every results queue so the writers know they are done.
 */
#include "pipeline.h"

#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bl_cli.h"
#include "input_files.h"
#include "key_routes.h"
#include "shard_layout.h"

#define MAX_WORKERS 32

/* ---- a bounded queue of pointers ---------------------------------------- */

typedef struct queue {
    void **items;
    unsigned cap, head, count;
    int closed;
    pthread_mutex_t lock;
    pthread_cond_t not_empty, not_full;
} queue;

static int queue_init(queue *q, unsigned cap)
{
    memset(q, 0, sizeof *q);
    q->items = calloc(cap, sizeof *q->items);
    if (!q->items)
        return -1;
    q->cap = cap;
    pthread_mutex_init(&q->lock, NULL);
    pthread_cond_init(&q->not_empty, NULL);
    pthread_cond_init(&q->not_full, NULL);
    return 0;
}

static void queue_destroy(queue *q)
{
    free(q->items);
    pthread_mutex_destroy(&q->lock);
    pthread_cond_destroy(&q->not_empty);
    pthread_cond_destroy(&q->not_full);
}

static void queue_push(queue *q, void *item)
{
    pthread_mutex_lock(&q->lock);
    while (q->count == q->cap)
        pthread_cond_wait(&q->not_full, &q->lock);
    q->items[(q->head + q->count) % q->cap] = item;
    q->count++;
    pthread_cond_signal(&q->not_empty);
    pthread_mutex_unlock(&q->lock);
}

/* Pushes item unless the queue is full: 0 when pushed, -1 when full. */
static int queue_try_push(queue *q, void *item)
{
    pthread_mutex_lock(&q->lock);
    int full = q->count == q->cap;
    if (!full) {
        q->items[(q->head + q->count) % q->cap] = item;
        q->count++;
        pthread_cond_signal(&q->not_empty);
    }
    pthread_mutex_unlock(&q->lock);
    return full ? -1 : 0;
}

/* The next item, or NULL once the queue is closed and empty. */
static void *queue_pop(queue *q)
{
    pthread_mutex_lock(&q->lock);
    while (q->count == 0 && !q->closed)
        pthread_cond_wait(&q->not_empty, &q->lock);
    void *item = NULL;
    if (q->count) {
        item = q->items[q->head];
        q->head = (q->head + 1) % q->cap;
        q->count--;
        pthread_cond_signal(&q->not_full);
    }
    pthread_mutex_unlock(&q->lock);
    return item;
}

static void queue_close(queue *q)
{
    pthread_mutex_lock(&q->lock);
    q->closed = 1;
    pthread_cond_broadcast(&q->not_empty);
    pthread_mutex_unlock(&q->lock);
}

/* ---- jobs and results ---------------------------------------------------- */

typedef struct job {
    char *label;      /* for messages: a path, or path:line */
    char *key;
    char *path;       /* a file to read, or NULL for an in-memory input */
    char *abs_path;
    bl_extract_input in; /* strings below are owned copies */
} job;

typedef struct result {
    char *label;
    int rc;
    char msg[BL_ERROR_MSG_MAX];
    bl_prepared *prepared;
    int new_key; /* first of its key in a free-routing run (route_freely) */
} result;

static void job_free(job *j)
{
    if (!j)
        return;
    free(j->label);
    free(j->key);
    free(j->path);
    free(j->abs_path);
    free((char *)j->in.bytes);
    free((char *)j->in.url);
    free((char *)j->in.title_hint);
    free((char *)j->in.date_hint);
    free((char *)j->in.agency_hint);
    free((char *)j->in.lang_hint);
    free(j);
}

typedef struct writer {
    struct bl_pipeline *p;
    unsigned shard;
    queue results;
    pthread_t thread;
    int started;
} writer;

struct bl_pipeline {
    bl_indexer *ix;
    /* When the index routes freely: where each key went, and a lock and a
     * signal for handing bulletins to writers (see route_freely). */
    bl_key_routes *routes;
    pthread_mutex_t route_lock;
    pthread_cond_t writer_took;
    unsigned queue_cap;
    queue jobs;
    pthread_t workers[MAX_WORKERS];
    unsigned n_workers, workers_left;
    pthread_mutex_t workers_lock;
    writer writers[BL_INDEXER_MAX_SHARDS];
    unsigned n_writers;
    bl_index_counts counts;
    pthread_mutex_t counts_lock; /* counts, and write_err once failed is set */
    atomic_int failed;
    bl_error write_err;
};

/* Reads (for a file job), extracts and prepares one bulletin. */
static void work(const job *j, result *r)
{
    bl_error err = {0};
    char *bytes = NULL;
    size_t len = 0;
    bl_record *rec = NULL;
    bl_extract_input in = j->in;
    int rc = 0;
    if (j->path) {
        if ((rc = bl_read_file(j->path, BL_EXTRACT_MAX_INPUT, &bytes, &len, &err)))
            goto done;
        in.bytes = bytes;
        in.len = len;
    }
    if ((rc = bl_extract(&in, &rec, &err)))
        goto done;
    if (!rec->url && j->abs_path) {
        char url[PATH_MAX + 16];
        snprintf(url, sizeof url, "file://%s", j->abs_path);
        if ((rc = bl_record_set(&rec->url, url, (size_t)-1)))
            goto done;
    }
    rc = bl_prepare(rec, j->key, &r->prepared, &err);
done:
    r->rc = rc;
    if (rc)
        snprintf(r->msg, sizeof r->msg, "%s", err.code ? err.msg : "out of memory");
    bl_record_free(rec);
    free(bytes);
}

static unsigned queue_length(queue *q)
{
    pthread_mutex_lock(&q->lock);
    unsigned n = q->count;
    pthread_mutex_unlock(&q->lock);
    return n;
}

/* The writer with the shortest queue, ties going round from `start`; *len
 * is that queue's length. */
static unsigned least_busy_writer(bl_pipeline *p, unsigned start, unsigned *len)
{
    unsigned best = start % p->n_writers;
    *len = UINT_MAX;
    for (unsigned k = 0; k < p->n_writers; k++) {
        unsigned i = (start + k) % p->n_writers;
        unsigned n = queue_length(&p->writers[i].results);
        if (n < *len) {
            best = i;
            *len = n;
        }
    }
    return best;
}

static void fail_write(bl_pipeline *p, int rc, const char *label, const char *msg);

/* Hands r to a writer of an index that routes freely: a key seen before goes
 * where it went then; a new key goes to the writer with the shortest queue,
 * waiting only while every queue is full. A worker tied to one busy writer
 * would leave the others without work (their cores idle), as with shards
 * chosen by key. Nothing blocks while route_lock is held, except waiting for
 * writer_took, which lets it go: writers take that lock after each item. */
static void route_freely(bl_pipeline *p, result *r, unsigned *turn)
{
    uint64_t h = bl_key_hash(bl_prepared_key(r->prepared));
    pthread_mutex_lock(&p->route_lock);
    int shard = bl_key_routes_find(p->routes, h);
    while (shard < 0) {
        unsigned len;
        unsigned best = least_busy_writer(p, (*turn)++, &len);
        /* Set before the push: the writer may take r at once. */
        r->new_key = 1;
        if (len < p->queue_cap && queue_try_push(&p->writers[best].results, r) == 0) {
            /* Unrecorded, a later copy of this key could reach another
             * shard: stop the run rather than risk a duplicate. */
            if (bl_key_routes_add(p->routes, h, best) != 0)
                fail_write(p, BL_ENOMEM, NULL, "out of memory");
            pthread_mutex_unlock(&p->route_lock);
            return;
        }
        r->new_key = 0;
        pthread_cond_wait(&p->writer_took, &p->route_lock);
        /* Another worker may have routed the same key meanwhile. */
        shard = bl_key_routes_find(p->routes, h);
    }
    pthread_mutex_unlock(&p->route_lock);
    queue_push(&p->writers[shard].results, r);
}

/* Hands r to the writer of its shard. A bulletin that failed before it had
 * a shard is only counted: the first writer does that. */
static void hand_over(bl_pipeline *p, result *r, unsigned *turn)
{
    if (r->prepared && p->routes)
        route_freely(p, r, turn);
    else
        queue_push(&p->writers[r->prepared ? bl_prepared_shard(p->ix, r->prepared) : 0].results,
                   r);
}

static void *worker_main(void *arg)
{
    bl_pipeline *p = arg;
    unsigned turn = 0;
    job *j;
    while ((j = queue_pop(&p->jobs))) {
        result *r = calloc(1, sizeof *r);
        if (r) {
            r->label = j->label;
            j->label = NULL;
            if (p->failed)
                r->rc = BL_ERR; /* writing stopped: drop quietly */
            else
                work(j, r);
            hand_over(p, r, &turn);
        }
        job_free(j);
    }
    pthread_mutex_lock(&p->workers_lock);
    int last = --p->workers_left == 0;
    pthread_mutex_unlock(&p->workers_lock);
    if (last)
        for (unsigned i = 0; i < p->n_writers; i++)
            queue_close(&p->writers[i].results);
    return NULL;
}

/* The first write failure stops the run; later ones add nothing. label
 * names the bulletin being written, or is NULL for a commit. */
static void fail_write(bl_pipeline *p, int rc, const char *label, const char *msg)
{
    pthread_mutex_lock(&p->counts_lock);
    if (!p->failed) {
        if (label)
            bl_error_set(&p->write_err, rc, "%s: %s", label, msg);
        else
            bl_error_set(&p->write_err, rc, "%s", msg);
        p->failed = 1;
    }
    pthread_mutex_unlock(&p->counts_lock);
}

static void count_result(bl_pipeline *p, unsigned shard, result *r)
{
    bl_error err = {0};
    int outcome = 0;
    if (p->failed) {
        bl_prepared_free(r->prepared);
        return;
    }
    if (r->rc == 0) {
        int rc;
        if (r->new_key) {
            /* A scratch shard that started empty cannot hold it yet. */
            outcome = BL_INDEX_ADDED;
            rc = bl_indexer_add_new_in(p->ix, shard, r->prepared, &err);
        } else {
            rc = bl_indexer_apply_in(p->ix, shard, r->prepared, &outcome, &err);
        }
        if (rc) {
            fail_write(p, rc, r->label, err.msg);
            return;
        }
    }
    pthread_mutex_lock(&p->counts_lock);
    if (r->rc == 0) {
        if (outcome == BL_INDEX_ADDED)
            p->counts.added++;
        else if (outcome == BL_INDEX_UPDATED)
            p->counts.updated++;
        else
            p->counts.unchanged++;
    } else if (r->rc == BL_EINVAL) {
        p->counts.skipped++;
    } else {
        p->counts.failed++;
    }
    bl_index_counts c = p->counts;
    pthread_mutex_unlock(&p->counts_lock);
    if (r->rc == BL_EINVAL)
        bl_warnf("%s: %s, skipped", r->label, r->msg);
    else if (r->rc)
        bl_errorf("%s: %s", r->label, r->msg);
    bl_progress("indexing: %lu added, %lu updated, %lu unchanged, %lu failed", c.added,
                c.updated, c.unchanged, c.failed);
}

static void *writer_main(void *arg)
{
    writer *w = arg;
    result *r;
    while ((r = queue_pop(&w->results))) {
        if (w->p->routes) { /* a worker may be waiting for room */
            pthread_mutex_lock(&w->p->route_lock);
            pthread_cond_broadcast(&w->p->writer_took);
            pthread_mutex_unlock(&w->p->route_lock);
        }
        count_result(w->p, w->shard, r);
        free(r->label);
        free(r);
    }
    /* Each writer commits its own shard, so the last commits run in
     * parallel too. */
    bl_error err = {0};
    int rc;
    if (!w->p->failed && (rc = bl_indexer_commit_shard(w->p->ix, w->shard, &err)))
        fail_write(w->p, rc, NULL, err.msg);
    return NULL;
}

/* Stops whatever threads were started and frees p (a start that failed). */
static void abandon(bl_pipeline *p)
{
    queue_close(&p->jobs);
    for (unsigned i = 0; i < p->n_workers; i++)
        pthread_join(p->workers[i], NULL);
    for (unsigned i = 0; i < p->n_writers; i++) {
        queue_close(&p->writers[i].results);
        if (p->writers[i].started)
            pthread_join(p->writers[i].thread, NULL);
        queue_destroy(&p->writers[i].results);
    }
    queue_destroy(&p->jobs);
    pthread_mutex_destroy(&p->workers_lock);
    pthread_mutex_destroy(&p->counts_lock);
    pthread_mutex_destroy(&p->route_lock);
    pthread_cond_destroy(&p->writer_took);
    bl_key_routes_free(p->routes);
    free(p);
}

int bl_pipeline_start(bl_indexer *ix, unsigned n_workers, bl_pipeline **out, bl_error *err)
{
    *out = NULL;
    if (n_workers == 0) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        n_workers = cores > 0 ? (unsigned)cores : 1;
    }
    if (n_workers > MAX_WORKERS)
        n_workers = MAX_WORKERS;
    unsigned cap = 2 * n_workers + 2;
    bl_pipeline *p = calloc(1, sizeof *p);
    if (!p)
        return bl_error_set(err, BL_ENOMEM, "out of memory");
    if (queue_init(&p->jobs, cap)) {
        free(p);
        return bl_error_set(err, BL_ENOMEM, "out of memory");
    }
    p->ix = ix;
    p->queue_cap = cap;
    pthread_mutex_init(&p->workers_lock, NULL);
    pthread_mutex_init(&p->counts_lock, NULL);
    pthread_mutex_init(&p->route_lock, NULL);
    pthread_cond_init(&p->writer_took, NULL);
    if (bl_indexer_routes_freely(ix) && bl_indexer_shards(ix) > 1 &&
        !(p->routes = bl_key_routes_new())) {
        abandon(p);
        return bl_error_set(err, BL_ENOMEM, "out of memory");
    }
    for (unsigned i = 0; i < bl_indexer_shards(ix); i++) {
        writer *w = &p->writers[i];
        if (queue_init(&w->results, cap)) {
            abandon(p);
            return bl_error_set(err, BL_ENOMEM, "out of memory");
        }
        w->p = p;
        w->shard = i;
        p->n_writers++;
    }
    for (unsigned i = 0; i < p->n_writers; i++) {
        writer *w = &p->writers[i];
        if (pthread_create(&w->thread, NULL, writer_main, w) != 0) {
            abandon(p);
            return bl_error_set(err, BL_ERR, "cannot start indexing threads");
        }
        w->started = 1;
    }
    p->workers_left = n_workers;
    for (unsigned i = 0; i < n_workers; i++) {
        if (pthread_create(&p->workers[i], NULL, worker_main, p) != 0) {
            /* Fewer workers still do the job; none at all cannot. */
            pthread_mutex_lock(&p->workers_lock);
            p->workers_left -= n_workers - i;
            pthread_mutex_unlock(&p->workers_lock);
            break;
        }
        p->n_workers++;
    }
    if (p->n_workers == 0) {
        abandon(p);
        return bl_error_set(err, BL_ERR, "cannot start indexing threads");
    }
    *out = p;
    return 0;
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

int bl_pipeline_submit_file(bl_pipeline *p, const char *path, const char *abs_path, int kind)
{
    job *j = calloc(1, sizeof *j);
    char key[PATH_MAX + 16];
    snprintf(key, sizeof key, "file:%s", abs_path);
    if (!j || !(j->label = strdup(path)) || !(j->key = strdup(key)) ||
        !(j->path = strdup(path)) || !(j->abs_path = strdup(abs_path))) {
        job_free(j);
        return BL_ENOMEM;
    }
    j->in.kind = kind;
    queue_push(&p->jobs, j);
    return 0;
}

int bl_pipeline_submit_input(bl_pipeline *p, const bl_extract_input *in, const char *key,
                             const char *label)
{
    job *j = calloc(1, sizeof *j);
    if (!j)
        return BL_ENOMEM;
    j->in = *in;
    j->in.bytes = NULL;
    j->in.url = j->in.title_hint = j->in.date_hint = j->in.agency_hint = j->in.lang_hint = NULL;
    j->in.charset_hint = NULL;
    char *bytes = malloc(in->len + 1);
    if (bytes) {
        memcpy(bytes, in->bytes, in->len);
        bytes[in->len] = '\0';
    }
    j->in.bytes = bytes;
    j->in.url = dup_or_null(in->url);
    j->in.title_hint = dup_or_null(in->title_hint);
    j->in.date_hint = dup_or_null(in->date_hint);
    j->in.agency_hint = dup_or_null(in->agency_hint);
    j->in.lang_hint = dup_or_null(in->lang_hint);
    j->label = strdup(label);
    j->key = strdup(key);
    if (!bytes || !j->label || !j->key || (in->url && !j->in.url) ||
        (in->title_hint && !j->in.title_hint) || (in->date_hint && !j->in.date_hint) ||
        (in->agency_hint && !j->in.agency_hint) || (in->lang_hint && !j->in.lang_hint)) {
        job_free(j);
        return BL_ENOMEM;
    }
    queue_push(&p->jobs, j);
    return 0;
}

void bl_pipeline_count(bl_pipeline *p, int skipped, int failed)
{
    pthread_mutex_lock(&p->counts_lock);
    p->counts.skipped += (unsigned long)skipped;
    p->counts.failed += (unsigned long)failed;
    pthread_mutex_unlock(&p->counts_lock);
}

int bl_pipeline_failed(const bl_pipeline *p)
{
    return p->failed;
}

int bl_pipeline_finish(bl_pipeline *p, bl_index_counts *counts, bl_error *err)
{
    queue_close(&p->jobs);
    for (unsigned i = 0; i < p->n_workers; i++)
        pthread_join(p->workers[i], NULL);
    for (unsigned i = 0; i < p->n_writers; i++) {
        pthread_join(p->writers[i].thread, NULL);
        queue_destroy(&p->writers[i].results);
    }
    int rc = 0;
    if (p->failed)
        rc = bl_error_set(err, p->write_err.code, "%s", p->write_err.msg);
    *counts = p->counts;
    queue_destroy(&p->jobs);
    pthread_mutex_destroy(&p->workers_lock);
    pthread_mutex_destroy(&p->counts_lock);
    pthread_mutex_destroy(&p->route_lock);
    pthread_cond_destroy(&p->writer_took);
    bl_key_routes_free(p->routes);
    free(p);
    return rc;
}
