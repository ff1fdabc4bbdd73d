/* blotter: the crawl frontier in memory: one queue per host, robots.txt
 * per origin, and the choice of what to fetch next (see crawler.h for the
 * politeness rules it applies). */
#include "crawl_run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "url_norm.h"

double crawl_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void crawl_job_free(job *j)
{
    if (j) {
        free(j->url);
        free(j->origin);
        free(j);
    }
}

int crawl_fatal(crawl *c, int rc, const bl_error *e)
{
    if (!c->fatal) {
        c->fatal = rc;
        bl_error_set(c->err, rc, "%s", e->msg);
    }
    return rc;
}

void crawl_report_failure(crawl *c, const char *url, const char *msg)
{
    c->stats->failed++;
    if (c->opts->on_failure)
        c->opts->on_failure(c->opts->ctx, url, msg);
}

/* ---- hosts and queues ---- */

static host *host_for(crawl *c, const char *url)
{
    char *origin = bl_url_origin(url);
    if (!origin && !bl_url_is_file(url))
        return NULL;
    for (size_t i = 0; i < c->n_hosts; i++) {
        host *h = c->hosts[i];
        if ((!origin && !h->origin) || (origin && h->origin && !strcmp(origin, h->origin))) {
            free(origin);
            return h;
        }
    }
    host **hs = realloc(c->hosts, (c->n_hosts + 1) * sizeof *hs);
    host *h = calloc(1, sizeof *h);
    if (!hs || !h) {
        free(origin);
        free(h);
        if (hs)
            c->hosts = hs;
        return NULL;
    }
    c->hosts = hs;
    h->origin = origin;
    h->robots_state = origin ? ROBOTS_UNKNOWN : ROBOTS_READY;
    c->hosts[c->n_hosts++] = h;
    return h;
}

void crawl_push(host *h, job *j, int front)
{
    j->h = h;
    if (front) {
        j->next = h->head;
        h->head = j;
        if (!h->tail)
            h->tail = j;
    } else {
        j->next = NULL;
        if (h->tail)
            h->tail->next = j;
        else
            h->head = j;
        h->tail = j;
    }
}

job *crawl_pop(host *h)
{
    job *j = h->head;
    if (j) {
        h->head = j->next;
        if (!h->head)
            h->tail = NULL;
        j->next = NULL;
    }
    return j;
}

static int add(crawl *c, const char *url, const char *origin, int kind, size_t src, int hops)
{
    host *h = host_for(c, url);
    job *j = calloc(1, sizeof *j);
    if (!h || !j || !(j->url = strdup(url)) || (origin && !(j->origin = strdup(origin)))) {
        crawl_job_free(j);
        bl_error e = {0};
        bl_error_set(&e, BL_ENOMEM, "out of memory");
        return crawl_fatal(c, BL_ENOMEM, &e);
    }
    j->kind = kind;
    j->src = src;
    j->hops = hops;
    double d = c->cfg->sources[src].delay;
    if (h->origin && d > h->delay)
        h->delay = d;
    crawl_push(h, j, 0);
    c->stats->queued++;
    return 0;
}

int crawl_add_job(crawl *c, const char *url, int kind, size_t src)
{
    return add(c, url, NULL, kind, src, 0);
}

int crawl_add_redirect(crawl *c, const char *url, const char *origin, int kind, size_t src,
                       int hops)
{
    return add(c, url, origin, kind, src, hops);
}

/* Queues url in the state and, when it is new in this run, in memory. */
int crawl_discover(crawl *c, const char *url, int kind, size_t src)
{
    bl_error e = {0};
    int queued = 0;
    int rc = bl_crawl_state_enqueue(c->st, url, c->cfg->sources[src].name, kind, &queued, &e);
    if (rc)
        return crawl_fatal(c, rc, &e);
    return queued ? crawl_add_job(c, url, kind, src) : 0;
}

int crawl_find_source(const bl_crawl_config *cfg, const char *name, size_t *out)
{
    for (size_t i = 0; i < cfg->n_sources; i++)
        if (!strcmp(cfg->sources[i].name, name)) {
            *out = i;
            return 1;
        }
    return 0;
}

/* ---- starting transfers ---- */

/* robots.txt's Crawl-delay raises the host's delay (up to a minute: a site
 * asking for more is still crawled, just slowly). */
static void apply_crawl_delay(host *h)
{
    double d = bl_robots_crawl_delay(h->robots);
    if (d > 60)
        d = 60;
    if (d > h->delay)
        h->delay = d;
}

void crawl_host_robots_ready(host *h)
{
    h->robots_state = ROBOTS_READY;
    apply_crawl_delay(h);
}

static int load_robots(crawl *c, host *h)
{
    int status = 0;
    char *body = NULL;
    size_t len = 0;
    bl_error e = {0};
    int rc = bl_crawl_state_get_robots(c->st, h->origin, time(NULL), &status, &body, &len, &e);
    if (rc == 0) {
        if (status >= 200 && status < 300)
            bl_robots_parse(body ? body : "", len, c->cfg->crawl.user_agent, &h->robots, NULL);
        crawl_host_robots_ready(h);
        free(body);
        return 0;
    }
    if (rc != BL_ENOTFOUND)
        return crawl_fatal(c, rc, &e);
    /* Not cached: fetch it; the host waits. */
    char url[BL_URL_MAX + 16];
    snprintf(url, sizeof url, "%s/robots.txt", h->origin);
    job *j = calloc(1, sizeof *j);
    if (!j || !(j->url = strdup(url))) {
        free(j);
        bl_error_set(&e, BL_ENOMEM, "out of memory");
        return crawl_fatal(c, BL_ENOMEM, &e);
    }
    j->kind = KIND_ROBOTS;
    j->h = h;
    if ((rc = bl_fetcher_start(c->fetcher, url, NULL, NULL, BL_FETCH_TRUNCATE | BL_FETCH_FOLLOW,
                               j, &e))) {
        crawl_job_free(j);
        return crawl_fatal(c, rc, &e);
    }
    h->busy++;
    h->robots_state = ROBOTS_FETCHING;
    return 0;
}

/* Takes the next job of h: settles it without a request (robots, limits,
 * already done) or starts its transfer. */
static void dispatch(crawl *c, host *h)
{
    job *j = crawl_pop(h);
    c->stats->queued--;
    const bl_crawl_source *s = &c->cfg->sources[j->src];
    bl_error e = {0};
    if (h->robots_state == ROBOTS_UNAVAILABLE) {
        char msg[256];
        snprintf(msg, sizeof msg, "robots.txt unavailable (%.200s): host not crawled in this run",
                 h->robots_why);
        crawl_fail_url(c, JOB_STATE_URL(j), 0, msg);
        crawl_job_free(j);
        return;
    }
    if (h->robots) {
        char *path = bl_url_path_query(j->url);
        int allowed = !path || bl_robots_allowed(h->robots, path);
        free(path);
        if (!allowed) {
            bl_url_result res = {.outcome = BL_OUTCOME_ROBOTS, .error = "disallowed by robots.txt"};
            crawl_finish_now(c, JOB_STATE_URL(j), &res);
            c->stats->robots++;
            crawl_job_free(j);
            return;
        }
    }
    bl_url_info info = {0};
    int rc = bl_crawl_state_get(c->st, j->url, &info, &e);
    if (rc && rc != BL_ENOTFOUND) {
        crawl_fatal(c, rc, &e);
        crawl_job_free(j);
        return;
    }
    if (info.done_this_run && j->attempt == 0) {
        /* Fetched earlier in this run (the end of another redirect chain). */
        if (j->origin) {
            bl_url_result res = {.outcome = BL_OUTCOME_DUPLICATE,
                                 .error = "redirects to a page fetched in this run"};
            crawl_finish_now(c, j->origin, &res);
        }
        bl_url_info_clear(&info);
        crawl_job_free(j);
        return;
    }
    if (j->attempt == 0 && !j->origin && c->fetched_per_source[j->src] >= s->max_pages) {
        bl_url_result res = {.outcome = BL_OUTCOME_SKIPPED, .error = "max_pages reached"};
        crawl_finish_now(c, j->url, &res);
        c->stats->skipped++;
        bl_url_info_clear(&info);
        crawl_job_free(j);
        return;
    }
    if (j->attempt == 0 && !j->origin)
        c->fetched_per_source[j->src]++;
    rc = bl_fetcher_start(c->fetcher, j->url, info.etag, info.last_modified, 0, j, &e);
    bl_url_info_clear(&info);
    if (rc) {
        crawl_fatal(c, rc, &e);
        crawl_job_free(j);
        return;
    }
    h->busy++;
}

/* Starts what may start now; returns the earliest time something else may. */
double crawl_start_ready(crawl *c, double now)
{
    double wake = now + 0.5;
    unsigned long limit = c->cfg->crawl.concurrency;
    for (size_t i = 0; i < c->n_hosts && !c->fatal; i++) {
        host *h = c->hosts[i];
        while (h->head && !c->fatal && (unsigned long)bl_fetcher_active(c->fetcher) < limit) {
            if (h->robots_state == ROBOTS_UNKNOWN) {
                load_robots(c, h);
                continue;
            }
            if (h->robots_state == ROBOTS_FETCHING)
                break;
            if (h->origin && h->busy)
                break; /* one request at a time per host */
            double t = h->head->not_before > h->next_ok ? h->head->not_before : h->next_ok;
            if (t > now) {
                if (t < wake)
                    wake = t;
                break;
            }
            dispatch(c, h);
        }
    }
    return wake;
}

int crawl_frontier_empty(const crawl *c)
{
    for (size_t i = 0; i < c->n_hosts; i++)
        if (c->hosts[i]->head)
            return 0;
    return 1;
}

