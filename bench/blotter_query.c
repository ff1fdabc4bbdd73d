/* bench_blotter_query: blotter's in-process query latency, without process
 * start-up or printing.
 *
 *   bench_blotter_query [--no-collapse] DATA_DIR QUERIES REPS
 *
 * Opens the index of DATA_DIR as `blotter search --data DATA_DIR` does, then
 * for each query (lines "ID<TAB>OPTIONS<TAB>QUERY", OPTIONS "-" or
 * "facet=year") times what the search command does before formatting:
 * bl_query_parse, bl_xsearch (10 hits by relevance, duplicate texts collapsed
 * (bl_dup_slot) as the command does unless --no-collapse; with the year
 * facet when asked, which counts every match), and the stored record of each hit
 * (bl_xmset_data). The command's look-up of the other URLs of collapsed hits
 * is not included. One untimed warm-up pass, then REPS timed passes over the
 * whole mix. Prints one JSON line per query: id, hits on the page, the match
 * estimate, every pass's time in nanoseconds ("ns"), the part of it spent in
 * parsing and searching ("ns_search"), and the error, if any.
 *
 * Exit status: 0 on success, 1 on any error (message on stderr).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bl_error.h"
#include "bl_schema.h"
#include "bl_xapian.h"
#include "dup_slot.h"
#include "index_open.h"
#include "query_build.h"

#define MAX_QUERIES 1000
#define MAX_REPS 1000
#define MAX_ID 64

typedef struct query_line {
    char id[MAX_ID];
    int facet_year;
    char text[BL_QUERY_MAX + 1];
} query_line;

typedef struct query_result {
    unsigned hits;
    uint64_t estimate;
    char error[BL_ERROR_MSG_MAX];
} query_result;

static long long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Reads the query file into a new array (caller frees); -1 with a message on
 * stderr when it cannot be read or a line is malformed. */
static int read_queries(const char *path, query_line **out, size_t *n_out)
{
    FILE *in = fopen(path, "r");
    if (!in) {
        perror(path);
        return -1;
    }
    query_line *qs = calloc(MAX_QUERIES, sizeof *qs);
    size_t n = 0;
    int rc = qs ? 0 : -1;
    char line[BL_QUERY_MAX + 256];
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
        if (!tab2 || n >= MAX_QUERIES || (size_t)(tab1 - line) >= MAX_ID ||
            strlen(tab2 + 1) > BL_QUERY_MAX) {
            rc = -1;
            continue;
        }
        memcpy(qs[n].id, line, (size_t)(tab1 - line));
        *tab2 = '\0';
        qs[n].facet_year = strcmp(tab1 + 1, "facet=year") == 0;
        strcpy(qs[n].text, tab2 + 1);
        n++;
    }
    fclose(in);
    if (rc) {
        fprintf(stderr, "bench_blotter_query: %s: bad query file "
                        "(ID<TAB>OPTIONS<TAB>QUERY, at most %d lines)\n", path, MAX_QUERIES);
        free(qs);
        return -1;
    }
    *out = qs;
    *n_out = n;
    return 0;
}

/* One query as `blotter search` runs it; 0, or a BL_E* code with err set. */
static int run_one(bl_xdb *db, const query_line *q, int collapse, query_result *res,
                   long long *search_done_ns, bl_error *err)
{
    bl_xquery *xq = NULL;
    bl_xmset *ms = NULL;
    bl_xsearch_opts opts;
    int rc = bl_query_parse(db, q->text, &xq, err);
    if (rc)
        goto done;
    bl_xsearch_opts_init(&opts);
    opts.limit = 10;
    if (collapse)
        opts.collapse_slot = bl_dup_slot(db);
    if (q->facet_year) {
        opts.n_facets = 1;
        opts.facet_slots[0] = BL_SLOT_YEAR;
        opts.facet_multi[0] = 0;
    }
    if ((rc = bl_xsearch(db, xq, &opts, &ms, err)))
        goto done;
    *search_done_ns = now_ns();
    res->hits = bl_xmset_size(ms);
    uint64_t lower, upper;
    bl_xmset_total(ms, &lower, &res->estimate, &upper);
    for (unsigned i = 0; i < res->hits; i++) {
        char *data = NULL;
        size_t len = 0;
        rc = bl_xmset_data(ms, i, &data, &len, err);
        free(data);
        if (rc)
            goto done;
    }
done:
    bl_xmset_free(ms);
    bl_xquery_free(xq);
    return rc;
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

int main(int argc, char **argv)
{
    int collapse = 1;
    if (argc == 5 && strcmp(argv[1], "--no-collapse") == 0) {
        collapse = 0;
        argv++;
        argc--;
    }
    if (argc != 4) {
        fputs("usage: bench_blotter_query [--no-collapse] DATA_DIR QUERIES REPS\n", stderr);
        return 1;
    }
    char *end = NULL;
    unsigned long reps = strtoul(argv[3], &end, 10);
    if (!*argv[3] || *end || reps < 1 || reps > MAX_REPS) {
        fprintf(stderr, "bench_blotter_query: REPS must be 1..%d\n", MAX_REPS);
        return 1;
    }
    int status = 1;
    bl_error err = {0};
    bl_xdb *db = NULL;
    query_line *qs = NULL;
    query_result *results = NULL;
    long long *times = NULL, *search_times = NULL;
    size_t nq = 0;
    if (read_queries(argv[2], &qs, &nq))
        goto done;
    results = calloc(nq + 1, sizeof *results);
    times = calloc(nq * reps + 1, sizeof *times);
    search_times = calloc(nq * reps + 1, sizeof *search_times);
    if (!results || !times || !search_times) {
        fputs("bench_blotter_query: out of memory\n", stderr);
        goto done;
    }
    if (bl_index_open_read(argv[1], NULL, 0, &db, &err)) {
        fprintf(stderr, "bench_blotter_query: %s\n", err.msg);
        goto done;
    }
    for (unsigned long pass = 0; pass <= reps; pass++) { /* pass 0 warms up */
        for (size_t i = 0; i < nq; i++) {
            bl_error qerr = {0};
            long long t0 = now_ns(), t_search = 0;
            int rc = run_one(db, &qs[i], collapse, &results[i], &t_search, &qerr);
            long long t1 = now_ns();
            if (rc)
                snprintf(results[i].error, sizeof results[i].error, "%s", qerr.msg);
            if (pass > 0) {
                times[i * reps + (pass - 1)] = t1 - t0;
                search_times[i * reps + (pass - 1)] = t_search ? t_search - t0 : t1 - t0;
            }
        }
    }
    for (size_t i = 0; i < nq; i++) {
        printf("{\"id\": ");
        print_json_string(qs[i].id);
        printf(", \"hits\": %u, \"estimate\": %llu, ", results[i].hits,
               (unsigned long long)results[i].estimate);
        if (results[i].error[0]) {
            printf("\"error\": ");
            print_json_string(results[i].error);
            printf(", ");
        }
        printf("\"ns\": [");
        for (unsigned long k = 0; k < reps; k++)
            printf("%s%lld", k ? ", " : "", times[i * reps + k]);
        printf("], \"ns_search\": [");
        for (unsigned long k = 0; k < reps; k++)
            printf("%s%lld", k ? ", " : "", search_times[i * reps + k]);
        printf("]}\n");
    }
    status = 0;
done:
    bl_xdb_close(db);
    free(qs);
    free(results);
    free(times);
    free(search_times);
    return status;
}
