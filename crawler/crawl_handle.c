/* blotter: what a crawl does with each finished transfer: archive it,
 * follow its links, index it, retry it or report it; and the rule that a
 * bulletin is marked done only after the index commit that holds it. */
#include "crawl_run.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "bl_digest.h"
#include "bl_extract.h"
#include "links.h"
#include "url_norm.h"
#include "warc_reader.h"

/* ---- finishing URLs ---- */

void crawl_finish_now(crawl *c, const char *url, const bl_url_result *res)
{
    bl_error e = {0};
    int rc = bl_crawl_state_finish_url(c->st, url, res, &e);
    if (rc)
        crawl_fatal(c, rc, &e);
}

void crawl_fail_url(crawl *c, const char *url, int status, const char *msg)
{
    bl_url_result res = {.http_status = status, .outcome = BL_OUTCOME_FAILED, .error = msg};
    crawl_finish_now(c, url, &res);
    crawl_report_failure(c, url, msg);
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

static void defer_mark(crawl *c, const char *url, const char *final_url, const bl_url_result *res)
{
    if (c->n_marks == c->cap_marks) {
        size_t cap = c->cap_marks ? 2 * c->cap_marks : 32;
        done_mark *m = realloc(c->marks, cap * sizeof *m);
        if (!m) {
            bl_error e = {0};
            bl_error_set(&e, BL_ENOMEM, "out of memory");
            crawl_fatal(c, BL_ENOMEM, &e);
            return;
        }
        c->marks = m;
        c->cap_marks = cap;
    }
    done_mark *m = &c->marks[c->n_marks++];
    memset(m, 0, sizeof *m);
    m->url = strdup(url);
    m->final_url = final_url && strcmp(final_url, url) ? strdup(final_url) : NULL;
    m->res = *res;
    m->etag = dup_or_null(res->etag);
    m->last_modified = dup_or_null(res->last_modified);
    m->digest = dup_or_null(res->digest);
    m->res.etag = m->etag;
    m->res.last_modified = m->last_modified;
    m->res.digest = m->digest;
    m->res.error = NULL;
}

/* Commits the index, then marks its bulletins done: in this order, a kill
 * between the two only costs a re-fetch that re-indexes under the same key. */
void crawl_flush_done(crawl *c)
{
    bl_error e = {0};
    int rc = bl_indexer_commit(c->ix, &e);
    if (rc) {
        crawl_fatal(c, rc, &e);
        return;
    }
    if (c->n_marks && !(rc = bl_crawl_state_begin(c->st, &e))) {
        for (size_t i = 0; i < c->n_marks && !rc; i++) {
            done_mark *m = &c->marks[i];
            if (m->url)
                rc = bl_crawl_state_finish_url(c->st, m->url, &m->res, &e);
            if (!rc && m->final_url)
                rc = bl_crawl_state_finish_url(c->st, m->final_url, &m->res, &e);
        }
        if (!rc)
            rc = bl_crawl_state_commit(c->st, &e);
    }
    if (rc)
        crawl_fatal(c, rc, &e);
    for (size_t i = 0; i < c->n_marks; i++) {
        free(c->marks[i].url);
        free(c->marks[i].final_url);
        free(c->marks[i].etag);
        free(c->marks[i].last_modified);
        free(c->marks[i].digest);
    }
    c->n_marks = 0;
    c->last_flush = crawl_now();
}

/* ---- link discovery ---- */

typedef struct link_ctx {
    crawl *c;
    size_t src;
    int from_file;  /* the page was read from a file:// URL */
} link_ctx;

static int on_link(void *ctx, const char *url, int hint)
{
    link_ctx *lc = ctx;
    const bl_crawl_source *s = &lc->c->cfg->sources[lc->src];
    int kind;
    /* A web page must not make us read local files, and a local copy of a
     * site stays local. */
    if (bl_url_is_file(url) != lc->from_file)
        return 0;
    if (hint == BL_LINK_SITEMAP)
        kind = BL_URL_SITEMAP;
    else if (bl_regex_list_match(&s->article, url))
        kind = BL_URL_ARTICLE;
    else if (bl_regex_list_match(&s->follow, url))
        kind = BL_URL_LISTING;
    else
        return 0; /* out of scope */
    return crawl_discover(lc->c, url, kind, lc->src) ? 1 : 0;
}

static int is_html(const char *ct)
{
    return !ct || !strncasecmp(ct, "text/html", 9) || !strncasecmp(ct, "application/xhtml", 17);
}

static int is_text(const char *ct)
{
    return is_html(ct) || !strncasecmp(ct, "text/", 5);
}

static void find_links(crawl *c, const job *j, const bl_fetch *fe, const char *base)
{
    link_ctx lc = {c, j->src, bl_url_is_file(base)};
    bl_error e = {0};
    int rc = 0;
    if (j->kind == BL_URL_LISTING) {
        if (is_html(fe->content_type))
            rc = bl_links_html(fe->body, fe->body_len, base, on_link, &lc, &e);
    } else if (j->kind == BL_URL_FEED) {
        rc = bl_links_feed(fe->body, fe->body_len, base, on_link, &lc, &e);
    } else if (j->kind == BL_URL_SITEMAP) {
        rc = bl_links_sitemap(fe->body, fe->body_len, base, on_link, &lc, &e);
    }
    if (rc < 0 && !c->fatal)
        crawl_report_failure(c, JOB_STATE_URL(j), e.msg);
}

/* ---- archive ---- */

static void archive_page(crawl *c, const job *j, const bl_fetch *fe, const char *target)
{
    const bl_crawl_source *s = &c->cfg->sources[j->src];
    static const char *kinds[] = {"listing", "article", "feed", "sitemap"};
    bl_warc_page page = {
        .target_uri = target,
        .date = time(NULL),
        .http_headers = fe->headers_len ? fe->headers : NULL,
        .http_headers_len = fe->headers_len,
        .http_request = fe->request,
        .http_request_len = fe->request_len,
        .content_type = fe->content_type,
        .body = fe->body,
        .body_len = fe->body_len,
        .kind = j->kind >= 0 ? kinds[j->kind] : "robots",
        .agency = j->kind == BL_URL_ARTICLE ? s->agency : NULL,
        .lang = j->kind == BL_URL_ARTICLE ? s->lang : NULL,
    };
    bl_error e = {0};
    int rc = bl_warc_write_page(c->warc, &page, &e);
    if (rc == BL_EINVAL)
        return; /* a URL that cannot be a WARC field: not archived */
    if (rc)
        crawl_fatal(c, rc, &e);
}

static void archive_revisit(crawl *c, const char *target, const char *refers_to, int profile,
                            const char *body, size_t len)
{
    char digest[38];
    bl_warc_sha1_digest(body ? body : "", body ? len : 0, digest);
    bl_error e = {0};
    int rc = bl_warc_write_revisit(c->warc, target, refers_to, profile, body ? digest : NULL, 0,
                                   &e);
    if (rc && rc != BL_EINVAL)
        crawl_fatal(c, rc, &e);
}

/* ---- handling finished transfers ---- */

static void handle_article(crawl *c, const job *j, const bl_fetch *fe, const char *final,
                           const char *digest)
{
    const bl_crawl_source *s = &c->cfg->sources[j->src];
    bl_url_result res = {.http_status = (int)fe->status, .etag = fe->etag,
                         .last_modified = fe->last_modified, .digest = digest};
    if (!is_text(fe->content_type)) {
        archive_page(c, j, fe, final);
        res.outcome = BL_OUTCOME_SKIPPED;
        res.error = "not HTML or text";
        crawl_finish_now(c, JOB_STATE_URL(j), &res);
        c->stats->skipped++;
        return;
    }
    /* Unchanged content is not indexed again: same body as this URL's last,
     * or as a bulletin already indexed under another URL. */
    bl_url_info info = {0};
    bl_error e = {0};
    char *owner = NULL;
    int rc = bl_crawl_state_get(c->st, final, &info, &e);
    if (rc == 0 && info.digest && !strcmp(info.digest, digest)) {
        archive_revisit(c, final, NULL, BL_WARC_IDENTICAL_DIGEST, fe->body, fe->body_len);
        res.outcome = BL_OUTCOME_NOT_MODIFIED;
        c->stats->not_modified++;
        defer_mark(c, JOB_STATE_URL(j), final, &res);
        goto done;
    }
    bl_error_clear(&e);
    if ((rc = bl_crawl_state_digest_owner(c->st, digest, &owner, &e))) {
        crawl_fatal(c, rc, &e);
        goto done;
    }
    /* Bulletins indexed in this batch are not in the digests table yet. */
    for (size_t i = 0; !owner && i < c->n_marks; i++) {
        const done_mark *m = &c->marks[i];
        if (m->digest && !strcmp(m->digest, digest) &&
            (m->res.outcome == BL_OUTCOME_NEW || m->res.outcome == BL_OUTCOME_UPDATED))
            owner = strdup(m->final_url ? m->final_url : m->url);
    }
    if (owner && strcmp(owner, final) && strcmp(owner, JOB_STATE_URL(j))) {
        archive_revisit(c, final, owner, BL_WARC_IDENTICAL_DIGEST, fe->body, fe->body_len);
        res.outcome = BL_OUTCOME_DUPLICATE;
        c->stats->not_modified++;
        defer_mark(c, JOB_STATE_URL(j), final, &res);
        goto done;
    }
    archive_page(c, j, fe, final);
    char *charset = bl_content_type_charset(fe->content_type);
    bl_extract_input in = {
        .bytes = fe->body,
        .len = fe->body_len,
        .kind = !fe->content_type ? BL_CONTENT_AUTO
                : is_html(fe->content_type) ? BL_CONTENT_HTML : BL_CONTENT_TEXT,
        .url = final,
        .charset_hint = charset,
        .agency_hint = s->agency,
        .lang_hint = s->lang,
    };
    int outcome = 0;
    bl_error_clear(&e);
    rc = bl_indexer_add(c->ix, &in, final, &outcome, &e);
    free(charset);
    if (rc == BL_EINVAL) {
        res.outcome = BL_OUTCOME_SKIPPED;
        res.error = e.msg;
        crawl_finish_now(c, JOB_STATE_URL(j), &res);
        c->stats->skipped++;
    } else if (rc == BL_ETOOBIG || rc == BL_ECORRUPT) {
        crawl_fail_url(c, JOB_STATE_URL(j), (int)fe->status, e.msg);
    } else if (rc) {
        crawl_fatal(c, rc, &e);
    } else {
        res.outcome = outcome == BL_INDEX_ADDED     ? BL_OUTCOME_NEW
                      : outcome == BL_INDEX_UPDATED ? BL_OUTCOME_UPDATED
                                                    : BL_OUTCOME_NOT_MODIFIED;
        if (outcome == BL_INDEX_ADDED)
            c->stats->added++;
        else if (outcome == BL_INDEX_UPDATED)
            c->stats->updated++;
        else
            c->stats->not_modified++;
        defer_mark(c, JOB_STATE_URL(j), final, &res);
    }
done:
    free(owner);
    bl_url_info_clear(&info);
}

static void handle_ok(crawl *c, job *j, const bl_fetch *fe)
{
    /* After redirects, the page is known by the URL it was found at (the
     * state's) and by where it is (the index's key). */
    const char *final = j->url;
    int redirected = j->origin != NULL;
    if (redirected) {
        int queued = 0;
        bl_error e = {0};
        int rc = bl_crawl_state_enqueue(c->st, final, c->cfg->sources[j->src].name, j->kind,
                                        &queued, &e);
        if (rc) {
            crawl_fatal(c, rc, &e);
            return;
        }
    }
    char digest[BL_SHA256_HEX_SIZE];
    bl_sha256_hex(fe->body, fe->body_len, digest);
    if (j->kind == BL_URL_ARTICLE) {
        handle_article(c, j, fe, final, digest);
    } else {
        archive_page(c, j, fe, final);
        bl_error e = {0};
        int rc = bl_crawl_state_begin(c->st, &e);
        if (rc) {
            crawl_fatal(c, rc, &e);
        } else {
            find_links(c, j, fe, final);
            bl_url_result res = {.http_status = (int)fe->status, .outcome = BL_OUTCOME_OK,
                                 .etag = fe->etag, .last_modified = fe->last_modified,
                                 .digest = digest};
            if (!c->fatal)
                crawl_finish_now(c, JOB_STATE_URL(j), &res);
            if (!c->fatal && redirected)
                crawl_finish_now(c, final, &res);
            if (!c->fatal && (rc = bl_crawl_state_commit(c->st, &e)))
                crawl_fatal(c, rc, &e);
        }
    }
}

/* The next hop of a redirect chain goes back to the frontier, so it waits
 * for its host's turn and robots.txt like any other request. */
static void follow_redirect(crawl *c, const job *j, const bl_fetch *fe)
{
    char msg[400], *to = NULL;
    if ((unsigned long)j->hops >= c->cfg->crawl.max_redirects) {
        snprintf(msg, sizeof msg, "too many redirects (more than %lu)",
                 c->cfg->crawl.max_redirects);
        crawl_fail_url(c, JOB_STATE_URL(j), (int)fe->status, msg);
        return;
    }
    bl_error e = {0};
    int bad = 1;
    if (!fe->redirect_url)
        snprintf(msg, sizeof msg, "HTTP %ld redirect without a Location", fe->status);
    else if (bl_url_resolve(j->url, fe->redirect_url, &to, &e))
        snprintf(msg, sizeof msg, "HTTP %ld redirect to a bad URL: %.300s", fe->status, e.msg);
    else if (bl_url_is_file(to))
        snprintf(msg, sizeof msg, "HTTP %ld redirect to %.200s: not an http or https URL",
                 fe->status, fe->redirect_url);
    else
        bad = 0;
    if (bad) {
        crawl_fail_url(c, JOB_STATE_URL(j), (int)fe->status, msg);
        free(to);
        return;
    }
    /* Back to where the chain started, or to itself: a loop, said as one
     * now rather than as too many hops later. */
    if (!strcmp(to, JOB_STATE_URL(j)) || !strcmp(to, j->url)) {
        snprintf(msg, sizeof msg, "redirect loop: %.200s redirects back to %.150s", j->url, to);
        crawl_fail_url(c, JOB_STATE_URL(j), (int)fe->status, msg);
        free(to);
        return;
    }
    crawl_add_redirect(c, to, JOB_STATE_URL(j), j->kind, j->src, j->hops + 1);
    free(to);
}

static int retry_later(crawl *c, job *j, const bl_fetch *fe, double now)
{
    const bl_crawl_settings *cs = &c->cfg->crawl;
    if ((unsigned long)j->attempt >= cs->retries)
        return 0;
    double wait = cs->retry_delay * pow(2, j->attempt);
    if (fe->retry_after >= 0) {
        if (fe->retry_after > cs->max_retry_after)
            return 0;
        if (fe->retry_after > wait)
            wait = fe->retry_after;
    }
    j->attempt++;
    j->not_before = now + wait;
    crawl_push(j->h, j, 1);
    c->stats->queued++;
    return 1;
}

static void handle_robots(crawl *c, host *h, const bl_fetch *fe)
{
    const bl_crawl_settings *cs = &c->cfg->crawl;
    bl_error e = {0};
    int status = fe->ok ? (int)fe->status : 0;
    if (fe->ok)
        archive_page(c, &(job){.kind = KIND_ROBOTS}, fe, fe->effective_url);
    if (status >= 200 && status < 300) {
        bl_robots_parse(fe->body, fe->body_len, cs->user_agent, &h->robots, &e);
        crawl_host_robots_ready(h);
    } else if (status >= 400 && status < 500) {
        crawl_host_robots_ready(h); /* no robots.txt: everything is allowed */
    } else {
        h->robots_state = ROBOTS_UNAVAILABLE;
        if (fe->ok)
            snprintf(h->robots_why, sizeof h->robots_why, "HTTP %d", status);
        else
            snprintf(h->robots_why, sizeof h->robots_why, "%s", fe->error);
        return; /* not cached: asked again next run */
    }
    time_t expires = time(NULL) + (time_t)cs->robots_ttl;
    int rc = bl_crawl_state_put_robots(c->st, h->origin, status,
                                       status < 300 ? fe->body : NULL,
                                       status < 300 ? fe->body_len : 0, expires, &e);
    if (rc)
        crawl_fatal(c, rc, &e);
}

void crawl_handle_done(crawl *c, bl_fetch *fe)
{
    job *j = fe->user;
    host *h = j->h;
    double now = crawl_now();
    h->busy--;
    c->stats->fetched += fe->ok;
    if (j->kind == KIND_ROBOTS) {
        handle_robots(c, h, fe); /* may raise the host's delay */
        h->next_ok = now + h->delay;
        crawl_job_free(j);
        return;
    }
    h->next_ok = now + (h->origin ? h->delay : 0);
    char msg[400];
    if (!fe->ok) {
        crawl_fail_url(c, JOB_STATE_URL(j), 0, fe->error);
    } else if (fe->status == 429 || fe->status >= 500) {
        archive_page(c, j, fe, j->url);
        if (retry_later(c, j, fe, now))
            return; /* the job is queued again */
        if (fe->status == 429 && fe->retry_after > c->cfg->crawl.max_retry_after)
            snprintf(msg, sizeof msg, "HTTP 429, Retry-After %.0f s is longer than max_retry_after",
                     fe->retry_after);
        else
            snprintf(msg, sizeof msg, "HTTP %ld after %d attempts", fe->status, j->attempt + 1);
        crawl_fail_url(c, JOB_STATE_URL(j), (int)fe->status, msg);
    } else if (fe->status >= 300 && fe->status < 400 && fe->status != 304) {
        archive_page(c, j, fe, j->url);
        follow_redirect(c, j, fe);
    } else if (fe->status == 304) {
        archive_revisit(c, j->url, NULL, BL_WARC_NOT_MODIFIED, NULL, 0);
        bl_url_result res = {.http_status = 304, .outcome = BL_OUTCOME_NOT_MODIFIED,
                             .etag = fe->etag, .last_modified = fe->last_modified};
        crawl_finish_now(c, JOB_STATE_URL(j), &res);
        c->stats->not_modified++;
    } else if (fe->status >= 200 && fe->status < 300) {
        handle_ok(c, j, fe);
    } else {
        archive_page(c, j, fe, j->url);
        snprintf(msg, sizeof msg, "HTTP %ld", fe->status);
        crawl_fail_url(c, JOB_STATE_URL(j), (int)fe->status, msg);
    }
    crawl_job_free(j);
}

