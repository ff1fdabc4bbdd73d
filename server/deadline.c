/* blotter: work with a time limit on the answer (see deadline.h).
 *
 * The caller and the worker share one job record with a count of two
 * references; whoever lets go last frees it, so neither waits for the other
 * beyond the deadline. */
#include "deadline.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

typedef struct job {
    void (*fn)(void *);
    void (*abandon)(void *);
    void *ctx;
    pthread_mutex_t lock;
    pthread_cond_t done_cond;
    int done, abandoned, refs;
} job;

static pthread_mutex_t count_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned running;

static void count_add(int delta)
{
    pthread_mutex_lock(&count_lock);
    running = (unsigned)((int)running + delta);
    pthread_mutex_unlock(&count_lock);
}

unsigned bl_deadline_running(void)
{
    pthread_mutex_lock(&count_lock);
    unsigned n = running;
    pthread_mutex_unlock(&count_lock);
    return n;
}

static void job_release(job *j)
{
    pthread_mutex_lock(&j->lock);
    int last = --j->refs == 0;
    pthread_mutex_unlock(&j->lock);
    if (last) {
        pthread_cond_destroy(&j->done_cond);
        pthread_mutex_destroy(&j->lock);
        free(j);
    }
}

static void *worker(void *arg)
{
    job *j = arg;
    j->fn(j->ctx);
    count_add(-1); /* before the caller can see it done */
    pthread_mutex_lock(&j->lock);
    j->done = 1;
    int abandoned = j->abandoned;
    pthread_cond_signal(&j->done_cond);
    pthread_mutex_unlock(&j->lock);
    if (abandoned)
        j->abandon(j->ctx); /* the caller has gone: ctx is ours */
    job_release(j);
    return NULL;
}

int bl_deadline_run(void (*fn)(void *ctx), void *ctx, void (*abandon)(void *ctx),
                    unsigned timeout_ms)
{
    job *j = calloc(1, sizeof *j);
    if (!j)
        return BL_ENOMEM;
    j->fn = fn;
    j->abandon = abandon;
    j->ctx = ctx;
    j->refs = 2;
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_mutex_init(&j->lock, NULL);
    pthread_cond_init(&j->done_cond, &ca);
    pthread_condattr_destroy(&ca);

    pthread_attr_t ta;
    pthread_attr_init(&ta);
    pthread_attr_setdetachstate(&ta, PTHREAD_CREATE_DETACHED);
    count_add(1);
    pthread_t t;
    int rc = pthread_create(&t, &ta, worker, j);
    pthread_attr_destroy(&ta);
    if (rc != 0) {
        count_add(-1);
        pthread_cond_destroy(&j->done_cond);
        pthread_mutex_destroy(&j->lock);
        free(j);
        return BL_ERR;
    }

    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += timeout_ms / 1000;
    until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&j->lock);
    int waited = 0;
    while (!j->done && waited != ETIMEDOUT)
        waited = pthread_cond_timedwait(&j->done_cond, &j->lock, &until);
    int in_time = j->done;
    if (!in_time)
        j->abandoned = 1;
    pthread_mutex_unlock(&j->lock);
    job_release(j);
    return in_time ? 0 : BL_ETIMEOUT;
}
