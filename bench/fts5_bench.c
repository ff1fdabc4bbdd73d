/* bench_fts5: SQLite FTS5 on the same page texts and queries, as a peer.
 *
 *   bench_fts5 index DB PAGES
 *       Creates DB with one FTS5 table, pages(body), tokenize='porter unicode61',
 *       and inserts every page in one transaction. Prints one JSON line:
 *       documents, bytes of text, seconds.
 *
 *   bench_fts5 compact DB
 *       Merges the FTS5 segments ('optimize') and VACUUMs the file: the
 *       counterpart of xapian-compact for the size figure.
 *
 *   bench_fts5 query DB QUERIES REPS
 *       For each query (lines "ID<TAB>OPTIONS<TAB>QUERY"; OPTIONS ignored; the
 *       query in FTS5 syntax): prepare
 *         SELECT rowid FROM pages WHERE pages MATCH ? ORDER BY bm25(pages) LIMIT 10
 *       bind, step to the end, finalize. One untimed warm-up pass, then REPS
 *       timed passes. Prints one JSON line per query: id, rows, every time in ns.
 *       FTS5 gives no match estimate; "estimate" is -1.
 *
 * PAGES format: as bench_bare_xapian ("\x1e<LENGTH>\n", LENGTH bytes, "\n").
 * Exit status: 0 on success, 1 on any error (message on stderr).
 */
#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_PAGE (64u << 20)
#define MAX_QUERY 4096
#define MAX_QUERIES 1000
#define MAX_REPS 1000
#define MAX_ERROR 256

static long long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Reads the next page into *buf (grown as needed, caller frees): 1 when read,
 * 0 at the end, -1 on bad input or no memory. */
static int read_page(FILE *in, char **buf, size_t *cap, size_t *len)
{
    int c = fgetc(in);
    if (c == EOF)
        return 0;
    char header[32];
    if (c != 0x1e || !fgets(header, sizeof header, in))
        return -1;
    char *end = NULL;
    errno = 0;
    unsigned long long n = strtoull(header, &end, 10);
    if (errno || end == header || *end != '\n' || n > MAX_PAGE)
        return -1;
    if (n + 1 > *cap) {
        char *grown = realloc(*buf, n + 1);
        if (!grown)
            return -1;
        *buf = grown;
        *cap = n + 1;
    }
    if (n && fread(*buf, 1, n, in) != n)
        return -1;
    if (fgetc(in) != '\n')
        return -1;
    (*buf)[n] = '\0';
    *len = n;
    return 1;
}

static int exec_sql(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        fprintf(stderr, "bench_fts5: %s: %s\n", sql, msg ? msg : "error");
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

static int run_index(const char *db_path, const char *pages_path)
{
    int status = 1;
    sqlite3 *db = NULL;
    sqlite3_stmt *insert = NULL;
    char *buf = NULL;
    size_t cap = 0, len = 0;
    unsigned long long docs = 0, bytes = 0;
    FILE *in = fopen(pages_path, "rb");
    if (!in) {
        fprintf(stderr, "bench_fts5: %s: %s\n", pages_path, strerror(errno));
        goto done;
    }
    long long t0 = now_ns();
    if (sqlite3_open(db_path, &db) != SQLITE_OK) {
        fprintf(stderr, "bench_fts5: %s: %s\n", db_path, sqlite3_errmsg(db));
        goto done;
    }
    if (exec_sql(db, "CREATE VIRTUAL TABLE pages USING fts5(body, tokenize='porter unicode61')") ||
        exec_sql(db, "BEGIN"))
        goto done;
    if (sqlite3_prepare_v2(db, "INSERT INTO pages(body) VALUES (?)", -1, &insert, NULL) !=
        SQLITE_OK) {
        fprintf(stderr, "bench_fts5: prepare: %s\n", sqlite3_errmsg(db));
        goto done;
    }
    int r;
    while ((r = read_page(in, &buf, &cap, &len)) == 1) {
        sqlite3_bind_text(insert, 1, buf, (int)len, SQLITE_STATIC);
        if (sqlite3_step(insert) != SQLITE_DONE) {
            fprintf(stderr, "bench_fts5: insert: %s\n", sqlite3_errmsg(db));
            goto done;
        }
        sqlite3_reset(insert);
        docs++;
        bytes += len;
    }
    if (r < 0) {
        fprintf(stderr, "bench_fts5: %s: bad page record after %llu pages\n", pages_path, docs);
        goto done;
    }
    if (exec_sql(db, "COMMIT"))
        goto done;
    sqlite3_finalize(insert);
    insert = NULL;
    if (sqlite3_close(db) != SQLITE_OK) {
        fprintf(stderr, "bench_fts5: close: %s\n", sqlite3_errmsg(db));
        goto done;
    }
    db = NULL;
    printf("{\"docs\": %llu, \"bytes\": %llu, \"seconds\": %.6f}\n", docs, bytes,
           (now_ns() - t0) / 1e9);
    status = 0;
done:
    sqlite3_finalize(insert);
    sqlite3_close(db);
    free(buf);
    if (in)
        fclose(in);
    return status;
}

static int run_compact(const char *db_path)
{
    sqlite3 *db = NULL;
    int status = 1;
    if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        fprintf(stderr, "bench_fts5: %s: %s\n", db_path, sqlite3_errmsg(db));
        goto done;
    }
    if (exec_sql(db, "INSERT INTO pages(pages) VALUES('optimize')") || exec_sql(db, "VACUUM"))
        goto done;
    status = 0;
done:
    sqlite3_close(db);
    return status;
}

typedef struct query_line {
    char id[64];
    char text[MAX_QUERY + 1];
} query_line;

/* Reads "ID<TAB>OPTIONS<TAB>QUERY" lines into a new array (caller frees). */
static int read_queries(const char *path, query_line **out, size_t *n_out)
{
    FILE *in = fopen(path, "r");
    if (!in) {
        fprintf(stderr, "bench_fts5: %s: %s\n", path, strerror(errno));
        return -1;
    }
    query_line *qs = calloc(MAX_QUERIES, sizeof *qs);
    size_t n = 0;
    int rc = qs ? 0 : -1;
    char line[MAX_QUERY + 256];
    while (rc == 0 && fgets(line, sizeof line, in)) {
        size_t len = strlen(line);
        if (len && line[len - 1] == '\n')
            line[--len] = '\0';
        else if (!feof(in))
            rc = -1;
        if (rc || !len)
            continue;
        char *tab1 = strchr(line, '\t');
        char *tab2 = tab1 ? strchr(tab1 + 1, '\t') : NULL;
        if (!tab2 || n >= MAX_QUERIES || (size_t)(tab1 - line) >= sizeof qs[n].id ||
            strlen(tab2 + 1) > MAX_QUERY) {
            rc = -1;
            continue;
        }
        memcpy(qs[n].id, line, (size_t)(tab1 - line));
        strcpy(qs[n].text, tab2 + 1);
        n++;
    }
    fclose(in);
    if (rc) {
        fprintf(stderr, "bench_fts5: %s: bad query file (ID<TAB>OPTIONS<TAB>QUERY, "
                        "at most %d lines)\n", path, MAX_QUERIES);
        free(qs);
        return -1;
    }
    *out = qs;
    *n_out = n;
    return 0;
}

static void print_json_string(const char *s)
{
    putchar('"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            printf("\\%c", *p);
        else if (*p < 0x20)
            printf("\\u%04x", *p);
        else
            putchar(*p);
    }
    putchar('"');
}

static int run_queries(const char *db_path, const char *queries_path, const char *reps_text)
{
    char *end = NULL;
    unsigned long reps = strtoul(reps_text, &end, 10);
    if (!*reps_text || *end || reps < 1 || reps > MAX_REPS) {
        fprintf(stderr, "bench_fts5: REPS must be 1..%d\n", MAX_REPS);
        return 1;
    }
    int status = 1;
    sqlite3 *db = NULL;
    query_line *qs = NULL;
    size_t nq = 0;
    long long *times = NULL;
    unsigned *rows = NULL;
    char (*errors)[MAX_ERROR] = NULL;
    if (read_queries(queries_path, &qs, &nq))
        goto done;
    times = calloc(nq * reps + 1, sizeof *times);
    rows = calloc(nq + 1, sizeof *rows);
    errors = calloc(nq + 1, sizeof *errors);
    if (!times || !rows || !errors) {
        fputs("bench_fts5: out of memory\n", stderr);
        goto done;
    }
    if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        fprintf(stderr, "bench_fts5: %s: %s\n", db_path, sqlite3_errmsg(db));
        goto done;
    }
    static const char sql[] =
        "SELECT rowid FROM pages WHERE pages MATCH ? ORDER BY bm25(pages) LIMIT 10";
    for (unsigned long pass = 0; pass <= reps; pass++) { /* pass 0 warms up */
        for (size_t i = 0; i < nq; i++) {
            long long t0 = now_ns();
            sqlite3_stmt *st = NULL;
            unsigned n = 0;
            int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
            if (rc == SQLITE_OK)
                rc = sqlite3_bind_text(st, 1, qs[i].text, -1, SQLITE_STATIC);
            if (rc == SQLITE_OK) {
                while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
                    (void)sqlite3_column_int64(st, 0);
                    n++;
                }
            }
            if (rc != SQLITE_DONE)
                snprintf(errors[i], MAX_ERROR, "%s", sqlite3_errmsg(db));
            sqlite3_finalize(st);
            long long t1 = now_ns();
            rows[i] = n;
            if (pass > 0)
                times[i * reps + (pass - 1)] = t1 - t0;
        }
    }
    for (size_t i = 0; i < nq; i++) {
        printf("{\"id\": ");
        print_json_string(qs[i].id);
        printf(", \"hits\": %u, \"estimate\": -1, ", rows[i]);
        if (errors[i][0]) {
            printf("\"error\": ");
            print_json_string(errors[i]);
            printf(", ");
        }
        printf("\"ns\": [");
        for (unsigned long k = 0; k < reps; k++)
            printf("%s%lld", k ? ", " : "", times[i * reps + k]);
        printf("]}\n");
    }
    status = 0;
done:
    sqlite3_close(db);
    free(qs);
    free(times);
    free(rows);
    free(errors);
    return status;
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "index") == 0)
        return run_index(argv[2], argv[3]);
    if (argc == 3 && strcmp(argv[1], "compact") == 0)
        return run_compact(argv[2]);
    if (argc == 5 && strcmp(argv[1], "query") == 0)
        return run_queries(argv[2], argv[3], argv[4]);
    fputs("usage: bench_fts5 index DB PAGES\n"
          "       bench_fts5 compact DB\n"
          "       bench_fts5 query DB QUERIES REPS\n", stderr);
    return 1;
}
