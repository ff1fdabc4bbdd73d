/* blotter: the crawl state in SQLite (see crawl_state.h). */
#include "crawl_state.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

struct bl_crawl_state {
    sqlite3 *db;
    char *path;
    long run;
    long long seq;   /* the last queued_seq handed out */
};

static const char schema[] =
    "PRAGMA journal_mode=WAL;"
    "PRAGMA synchronous=NORMAL;"
    "CREATE TABLE IF NOT EXISTS runs("
    "  id INTEGER PRIMARY KEY, started INTEGER NOT NULL, finished INTEGER);"
    "CREATE TABLE IF NOT EXISTS urls("
    "  url TEXT PRIMARY KEY, source TEXT NOT NULL, kind INTEGER NOT NULL,"
    "  queued_run INTEGER NOT NULL DEFAULT 0, queued_seq INTEGER NOT NULL DEFAULT 0,"
    "  done_run INTEGER NOT NULL DEFAULT 0,"
    "  http_status INTEGER, outcome TEXT, etag TEXT, last_modified TEXT, digest TEXT,"
    "  last_fetch INTEGER, failures INTEGER NOT NULL DEFAULT 0, error TEXT);"
    "CREATE INDEX IF NOT EXISTS urls_frontier ON urls(queued_run, done_run, queued_seq);"
    "CREATE TABLE IF NOT EXISTS digests(digest TEXT PRIMARY KEY, url TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS robots("
    "  origin TEXT PRIMARY KEY, status INTEGER NOT NULL, body BLOB, expires INTEGER NOT NULL);";

static const char *outcome_names[] = {"new", "updated", "ok", "not-modified", "duplicate",
                                      "robots", "skipped", "failed"};

const char *bl_url_outcome_name(int outcome)
{
    if (outcome < 0 || outcome > BL_OUTCOME_FAILED)
        return "unknown";
    return outcome_names[outcome];
}

static int db_fail(bl_crawl_state *st, bl_error *err, const char *what)
{
    int code = sqlite3_errcode(st->db);
    int rc = (code == SQLITE_BUSY || code == SQLITE_LOCKED) ? BL_ELOCKED
             : (code == SQLITE_CORRUPT || code == SQLITE_NOTADB) ? BL_ECORRUPT
             : code == SQLITE_NOMEM ? BL_ENOMEM
             : BL_EIO;
    return bl_error_set(err, rc, "%s: %s: %s", st->path, what, sqlite3_errmsg(st->db));
}

static int exec(bl_crawl_state *st, const char *sql, bl_error *err)
{
    if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return db_fail(st, err, "cannot update the crawl state");
    return 0;
}

static int prepare(bl_crawl_state *st, const char *sql, sqlite3_stmt **stmt, bl_error *err)
{
    if (sqlite3_prepare_v2(st->db, sql, -1, stmt, NULL) != SQLITE_OK)
        return db_fail(st, err, "cannot read the crawl state");
    return 0;
}

static void bind_text(sqlite3_stmt *s, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(s, i);
}

static char *column_dup(sqlite3_stmt *s, int i)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    return t ? strdup((const char *)t) : NULL;
}

int bl_crawl_state_open(const char *path, bl_crawl_state **out, bl_error *err)
{
    *out = NULL;
    bl_crawl_state *st = calloc(1, sizeof *st);
    if (!st || !(st->path = strdup(path))) {
        free(st);
        return bl_error_set(err, BL_ENOMEM, "out of memory");
    }
    int rc = 0;
    if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK) {
        rc = st->db ? db_fail(st, err, "cannot open the crawl state")
                    : bl_error_set(err, BL_ENOMEM, "out of memory");
        goto done;
    }
    sqlite3_busy_timeout(st->db, 5000);
    if ((rc = exec(st, schema, err)))
        goto done;
    sqlite3_stmt *q = NULL;
    if ((rc = prepare(st, "SELECT COALESCE(MAX(queued_seq), 0) FROM urls", &q, err)))
        goto done;
    if (sqlite3_step(q) == SQLITE_ROW)
        st->seq = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
done:
    if (rc)
        bl_crawl_state_close(st);
    else
        *out = st;
    return rc;
}

void bl_crawl_state_close(bl_crawl_state *st)
{
    if (!st)
        return;
    sqlite3_close(st->db);
    free(st->path);
    free(st);
}

int bl_crawl_state_begin(bl_crawl_state *st, bl_error *err)
{
    return exec(st, "BEGIN IMMEDIATE", err);
}

int bl_crawl_state_commit(bl_crawl_state *st, bl_error *err)
{
    return exec(st, "COMMIT", err);
}

int bl_crawl_state_begin_run(bl_crawl_state *st, long *run_id, int *resumed, bl_error *err)
{
    sqlite3_stmt *s = NULL;
    int rc = prepare(st, "SELECT id, finished FROM runs ORDER BY id DESC LIMIT 1", &s, err);
    if (rc)
        return rc;
    long last = 0;
    int open_run = 0;
    if (sqlite3_step(s) == SQLITE_ROW) {
        last = (long)sqlite3_column_int64(s, 0);
        open_run = sqlite3_column_type(s, 1) == SQLITE_NULL;
    }
    sqlite3_finalize(s);
    if (open_run) {
        st->run = last;
        *resumed = 1;
        *run_id = last;
        return 0;
    }
    *resumed = 0;
    char sql[256];
    snprintf(sql, sizeof sql, "INSERT INTO runs(id, started) VALUES(%ld, %lld)", last + 1,
             (long long)time(NULL));
    if ((rc = exec(st, "BEGIN IMMEDIATE", err)) || (rc = exec(st, sql, err)))
        goto fail;
    st->run = last + 1;
    /* URLs that failed or were held back last time get another chance. */
    snprintf(sql, sizeof sql,
             "UPDATE urls SET queued_run = %ld WHERE outcome IN ('failed') OR "
             "(queued_run = %ld AND done_run < %ld)",
             st->run, last, last);
    if ((rc = exec(st, sql, err)) || (rc = exec(st, "COMMIT", err)))
        goto fail;
    *run_id = st->run;
    return 0;
fail:
    sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

int bl_crawl_state_finish_run(bl_crawl_state *st, bl_error *err)
{
    char sql[128];
    snprintf(sql, sizeof sql, "UPDATE runs SET finished = %lld WHERE id = %ld",
             (long long)time(NULL), st->run);
    return exec(st, sql, err);
}

int bl_crawl_state_enqueue(bl_crawl_state *st, const char *url, const char *source, int kind,
                           int *queued, bl_error *err)
{
    sqlite3_stmt *s = NULL;
    *queued = 0;
    int rc = prepare(st,
                     "INSERT INTO urls(url, source, kind, queued_run, queued_seq) "
                     "VALUES(?1, ?2, ?3, ?4, ?5) "
                     "ON CONFLICT(url) DO UPDATE SET queued_run = ?4, queued_seq = ?5 "
                     "WHERE queued_run < ?4",
                     &s, err);
    if (rc)
        return rc;
    bind_text(s, 1, url);
    bind_text(s, 2, source);
    sqlite3_bind_int(s, 3, kind);
    sqlite3_bind_int64(s, 4, st->run);
    sqlite3_bind_int64(s, 5, st->seq + 1);
    if (sqlite3_step(s) != SQLITE_DONE)
        rc = db_fail(st, err, "cannot queue a URL");
    else if ((*queued = sqlite3_changes(st->db) > 0))
        st->seq++;
    sqlite3_finalize(s);
    return rc;
}

int bl_crawl_state_each_pending(bl_crawl_state *st, bl_pending_fn fn, void *ctx, bl_error *err)
{
    sqlite3_stmt *s = NULL;
    int rc = prepare(st,
                     "SELECT url, source, kind FROM urls WHERE queued_run = ?1 AND done_run < ?1 "
                     "ORDER BY queued_seq",
                     &s, err);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, st->run);
    int step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        if (fn(ctx, (const char *)sqlite3_column_text(s, 0),
               (const char *)sqlite3_column_text(s, 1), sqlite3_column_int(s, 2)))
            break;
    }
    if (step != SQLITE_ROW && step != SQLITE_DONE)
        rc = db_fail(st, err, "cannot read the frontier");
    sqlite3_finalize(s);
    return rc;
}

void bl_url_info_clear(bl_url_info *info)
{
    if (!info)
        return;
    free(info->source);
    free(info->etag);
    free(info->last_modified);
    free(info->digest);
    memset(info, 0, sizeof *info);
}

int bl_crawl_state_get(bl_crawl_state *st, const char *url, bl_url_info *info, bl_error *err)
{
    memset(info, 0, sizeof *info);
    sqlite3_stmt *s = NULL;
    int rc = prepare(st,
                     "SELECT source, kind, etag, last_modified, digest, done_run FROM urls "
                     "WHERE url = ?1",
                     &s, err);
    if (rc)
        return rc;
    bind_text(s, 1, url);
    int step = sqlite3_step(s);
    if (step == SQLITE_ROW) {
        info->source = column_dup(s, 0);
        info->kind = sqlite3_column_int(s, 1);
        info->etag = column_dup(s, 2);
        info->last_modified = column_dup(s, 3);
        info->digest = column_dup(s, 4);
        info->done_this_run = sqlite3_column_int64(s, 5) == st->run;
    } else if (step == SQLITE_DONE) {
        rc = BL_ENOTFOUND;
    } else {
        rc = db_fail(st, err, "cannot read a URL");
    }
    sqlite3_finalize(s);
    return rc;
}

int bl_crawl_state_finish_url(bl_crawl_state *st, const char *url, const bl_url_result *res,
                              bl_error *err)
{
    sqlite3_stmt *s = NULL;
    int keep_validators = res->outcome == BL_OUTCOME_NOT_MODIFIED && !res->etag &&
                          !res->last_modified;
    int failed = res->outcome == BL_OUTCOME_FAILED;
    int rc = prepare(st,
                     "UPDATE urls SET done_run = ?2, http_status = ?3, outcome = ?4, "
                     "etag = CASE WHEN ?9 THEN etag ELSE ?5 END, "
                     "last_modified = CASE WHEN ?9 THEN last_modified ELSE ?6 END, "
                     "digest = COALESCE(?7, digest), last_fetch = ?8, "
                     "failures = CASE WHEN ?10 THEN failures + 1 ELSE 0 END, error = ?11 "
                     "WHERE url = ?1",
                     &s, err);
    if (rc)
        return rc;
    bind_text(s, 1, url);
    sqlite3_bind_int64(s, 2, st->run);
    sqlite3_bind_int(s, 3, res->http_status);
    bind_text(s, 4, bl_url_outcome_name(res->outcome));
    bind_text(s, 5, failed ? NULL : res->etag);
    bind_text(s, 6, failed ? NULL : res->last_modified);
    bind_text(s, 7, res->digest);
    sqlite3_bind_int64(s, 8, (sqlite3_int64)time(NULL));
    sqlite3_bind_int(s, 9, keep_validators || failed);
    sqlite3_bind_int(s, 10, failed);
    bind_text(s, 11, res->error);
    if (sqlite3_step(s) != SQLITE_DONE)
        rc = db_fail(st, err, "cannot record a fetch");
    sqlite3_finalize(s);
    if (rc || !res->digest || (res->outcome != BL_OUTCOME_NEW && res->outcome != BL_OUTCOME_UPDATED))
        return rc;
    if ((rc = prepare(st, "INSERT OR IGNORE INTO digests(digest, url) VALUES(?1, ?2)", &s, err)))
        return rc;
    bind_text(s, 1, res->digest);
    bind_text(s, 2, url);
    if (sqlite3_step(s) != SQLITE_DONE)
        rc = db_fail(st, err, "cannot record a digest");
    sqlite3_finalize(s);
    return rc;
}

int bl_crawl_state_digest_owner(bl_crawl_state *st, const char *digest, char **url, bl_error *err)
{
    *url = NULL;
    sqlite3_stmt *s = NULL;
    int rc = prepare(st, "SELECT url FROM digests WHERE digest = ?1", &s, err);
    if (rc)
        return rc;
    bind_text(s, 1, digest);
    int step = sqlite3_step(s);
    if (step == SQLITE_ROW)
        *url = column_dup(s, 0);
    else if (step != SQLITE_DONE)
        rc = db_fail(st, err, "cannot read digests");
    sqlite3_finalize(s);
    return rc;
}

int bl_crawl_state_get_robots(bl_crawl_state *st, const char *origin, time_t now, int *status,
                              char **body, size_t *len, bl_error *err)
{
    *body = NULL;
    *len = 0;
    sqlite3_stmt *s = NULL;
    int rc = prepare(st, "SELECT status, body FROM robots WHERE origin = ?1 AND expires > ?2",
                     &s, err);
    if (rc)
        return rc;
    bind_text(s, 1, origin);
    sqlite3_bind_int64(s, 2, (sqlite3_int64)now);
    int step = sqlite3_step(s);
    if (step == SQLITE_ROW) {
        *status = sqlite3_column_int(s, 0);
        const void *b = sqlite3_column_blob(s, 1);
        int n = sqlite3_column_bytes(s, 1);
        if (b && n > 0) {
            if (!(*body = malloc((size_t)n + 1))) {
                rc = bl_error_set(err, BL_ENOMEM, "out of memory");
            } else {
                memcpy(*body, b, (size_t)n);
                (*body)[n] = '\0';
                *len = (size_t)n;
            }
        }
    } else if (step == SQLITE_DONE) {
        rc = BL_ENOTFOUND;
    } else {
        rc = db_fail(st, err, "cannot read the robots.txt cache");
    }
    sqlite3_finalize(s);
    return rc;
}

int bl_crawl_state_put_robots(bl_crawl_state *st, const char *origin, int status,
                              const char *body, size_t len, time_t expires, bl_error *err)
{
    sqlite3_stmt *s = NULL;
    int rc = prepare(st, "INSERT OR REPLACE INTO robots(origin, status, body, expires) "
                         "VALUES(?1, ?2, ?3, ?4)",
                     &s, err);
    if (rc)
        return rc;
    bind_text(s, 1, origin);
    sqlite3_bind_int(s, 2, status);
    if (body)
        sqlite3_bind_blob(s, 3, body, (int)len, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(s, 3);
    sqlite3_bind_int64(s, 4, (sqlite3_int64)expires);
    if (sqlite3_step(s) != SQLITE_DONE)
        rc = db_fail(st, err, "cannot cache robots.txt");
    sqlite3_finalize(s);
    return rc;
}

int bl_crawl_state_count(bl_crawl_state *st, int outcome, long *n, bl_error *err)
{
    sqlite3_stmt *s = NULL;
    int rc = prepare(st,
                     outcome < 0 ? "SELECT COUNT(*) FROM urls"
                                 : "SELECT COUNT(*) FROM urls WHERE done_run = ?1 AND outcome = ?2",
                     &s, err);
    if (rc)
        return rc;
    if (outcome >= 0) {
        sqlite3_bind_int64(s, 1, st->run);
        bind_text(s, 2, bl_url_outcome_name(outcome));
    }
    if (sqlite3_step(s) == SQLITE_ROW)
        *n = (long)sqlite3_column_int64(s, 0);
    else
        rc = db_fail(st, err, "cannot count URLs");
    sqlite3_finalize(s);
    return rc;
}
