/* Reliability of the blotter binary, end to end:
 *
 * - `blotter index` killed with SIGKILL at many seeded random moments: after
 *   each kill the index passes Xapian's check, keeps every bulletin it held
 *   before, holds each bulletin once and whole; a last run finishes the work.
 * - a full disk (a file-size limit, and a small tmpfs when we may mount one):
 *   a clear error, exit 2, and the earlier index intact and answering the
 *   same searches byte for byte.
 * - a read-only index: a clear error, exit 2, searches still answered.
 * - hostile queries: every one ends (a hang detector, not a timing
 *   assertion) with 0, 1 or 2, never a signal, and errors say "blotter search:".
 * - what a refused query echoes: the reason whole, the query without
 *   control characters, JSON output valid UTF-8 whatever the query's bytes.
 */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <json-c/json.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "blotter_run.h"
#include "bl_indexer.h"
#include "bl_schema.h"
#include "bl_xapian.h"

#define N_BULLETINS 3000
#define N_KILLS 12
#define KILL_SEED 20261128u
#define HANG_LIMIT_S 10   /* a hang detector: real runs take well under a second */
#define NOBODY_ID 65534

/* ---- inputs ------------------------------------------------------------- */

/* Writes n bulletins at URLs https://example.gov/SET/00000 ...; each has a
 * distinctive word w<SET-initial><number>x and the word rev<revision>q, so a
 * new revision changes every bulletin. filler_words pads the text. */
static void write_bulletins(const char *path, const char *set, unsigned n, unsigned revision,
                            unsigned filler_words)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    for (unsigned i = 0; i < n; i++) {
        fprintf(f,
                "{\"url\":\"https://example.gov/%s/%05u\",\"title\":\"Bulletin %s %u\","
                "\"date\":\"2020-%02u-%02u\",\"text\":\"Police arrested suspects in case "
                "w%c%05ux. Revision rev%uq of the release.",
                set, i, set, i, i % 12 + 1, i % 28 + 1, set[0], i, revision);
        for (unsigned w = 0; w < filler_words; w++)
            fprintf(f, " f%c%uz%u", set[0], i, w);
        fputs("\"}\n", f);
    }
    ck_assert_int_eq(fclose(f), 0);
}

/* ---- running the binary with limits ------------------------------------- */

static long last_max_rss_kb; /* of the run run_limited last reaped */

static bl_run_result run_limited(const char *work, const char *const *args, const bl_run_limits *o)
{
    const char *argv[64] = {BL_TEST_BINARY};
    int n = 1;
    for (; args[n - 1] && n < 63; n++)
        argv[n] = args[n - 1];
    argv[n] = NULL;
    char out[512], err[512];
    snprintf(out, sizeof out, "%s/stdout", work);
    snprintf(err, sizeof err, "%s/stderr", work);
    pid_t pid = bl_spawn_limited(argv, out, err, o);
    int ws = bl_wait_bounded(pid, HANG_LIMIT_S, args[0], &last_max_rss_kb);
    ck_assert_msg(WIFEXITED(ws), "%s was killed by signal %d", args[0],
                  WIFSIGNALED(ws) ? WTERMSIG(ws) : 0);
    bl_run_result r = {WEXITSTATUS(ws), bl_slurp(out), bl_slurp(err)};
    return r;
}

static void index_ok(const char *work, const char *data, const char *input)
{
    const char *args[] = {"index", "--data", data, input, NULL};
    bl_run_result r = bl_run_blotter(work, args);
    ck_assert_msg(r.status == 0, "index %s: %d %s", input, r.status, r.err);
    bl_run_free(&r);
}

/* Mounts a tmpfs on dir in a mount namespace of this test's own (Check runs
 * each test in a process of its own), so the mount vanishes with the test
 * however it ends. Returns 0, or -1 (errno set) where we may not mount. */
static int mount_private_tmpfs(const char *dir, const char *options)
{
    if (geteuid() != 0) {
        errno = EPERM;
        return -1;
    }
    if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
        return -1;
    return mount("tmpfs", dir, "tmpfs", 0, options);
}

/* ---- looking inside the index ------------------------------------------- */

static void assert_index_checks(const char *index)
{
    bl_error err = {0};
    ck_assert_msg(bl_xdb_check(index, &err) == 0, "xapian check of %s: %s", index, err.msg);
}

static uint64_t doccount_of(const char *index)
{
    bl_xdb *db = NULL;
    bl_error err = {0};
    uint64_t n = 0;
    ck_assert_msg(bl_xdb_open(index, BL_XDB_READ, &db, &err) == 0, "open: %s", err.msg);
    ck_assert_int_eq(bl_xdb_doccount(db, &n, &err), 0);
    bl_xdb_close(db);
    return n;
}

typedef struct id_walk {
    bl_xdb *db;
    unsigned char *present; /* by bulletin number */
    unsigned n_ids;
    const char *problem;    /* the first thing found wrong */
    char where[300];
} id_walk;

static int note_problem(id_walk *w, const char *problem, const char *term, size_t len)
{
    if (!w->problem) {
        w->problem = problem;
        snprintf(w->where, sizeof w->where, "%.*s", (int)len, term);
    }
    return 1;
}

/* One id term: exactly one document, whose record JSON parses and names
 * the same URL. */
static int check_id_term(void *ctx, const char *term, size_t len, uint64_t freq)
{
    id_walk *w = ctx;
    static const char prefix[] = "Qhttps://example.gov/kill/";
    if (freq != 1)
        return note_problem(w, "an id held by several documents (a duplicate)", term, len);
    if (len != sizeof prefix - 1 + 5 || memcmp(term, prefix, sizeof prefix - 1) != 0)
        return note_problem(w, "an unexpected id", term, len);
    unsigned number = (unsigned)strtoul(term + sizeof prefix - 1, NULL, 10);
    if (number >= N_BULLETINS)
        return note_problem(w, "an id out of range", term, len);
    char key[300];
    snprintf(key, sizeof key, "%.*s", (int)len, term);
    char *data = NULL;
    size_t dlen = 0;
    bl_error err = {0};
    if (bl_xdb_get_data_by_term(w->db, key, &data, &dlen, &err))
        return note_problem(w, "an id without its document", term, len);
    json_object *rec = json_tokener_parse(data);
    json_object *url = NULL;
    int ok = rec && json_object_object_get_ex(rec, "url", &url) &&
             strcmp(json_object_get_string(url), key + 1) == 0;
    json_object_put(rec);
    free(data);
    if (!ok)
        return note_problem(w, "a document whose record is not whole", term, len);
    w->present[number] = 1;
    w->n_ids++;
    return 0;
}

/* Fills present[] with the bulletins the index holds and checks each is
 * held once and whole; returns the document count. */
static uint64_t walk_bulletins(const char *index, unsigned char present[N_BULLETINS])
{
    bl_error err = {0};
    id_walk w;
    memset(&w, 0, sizeof w);
    memset(present, 0, N_BULLETINS);
    w.present = present;
    ck_assert_msg(bl_xdb_open(index, BL_XDB_READ, &w.db, &err) == 0, "open: %s", err.msg);
    uint64_t docs = 0;
    ck_assert_int_eq(bl_xdb_doccount(w.db, &docs, &err), 0);
    ck_assert_int_eq(bl_xdb_each_term(w.db, BL_PREFIX_ID, check_id_term, &w, &err), 0);
    bl_xdb_close(w.db);
    ck_assert_msg(!w.problem, "%s: %s", w.problem, w.where);
    ck_assert_msg(w.n_ids == docs, "%u ids for %llu documents", w.n_ids,
                  (unsigned long long)docs);
    return docs;
}

static uint64_t term_freq_of(const char *index, const char *term)
{
    bl_xdb *db = NULL;
    bl_error err = {0};
    uint64_t n = 0;
    ck_assert_int_eq(bl_xdb_open(index, BL_XDB_READ, &db, &err), 0);
    ck_assert_int_eq(bl_xdb_term_freq(db, term, &n, &err), 0);
    bl_xdb_close(db);
    return n;
}

/* ---- 1. killed at any moment -------------------------------------------- */

START_TEST(index_killed_at_random_points_keeps_every_committed_bulletin_once)
{
    char work[256], data[300], index[320], input[300];
    bl_make_work_dir("reliability-kill", work);
    snprintf(data, sizeof data, "%s/data", work);
    snprintf(index, sizeof index, "%s/index", data);
    snprintf(input, sizeof input, "%s/bulletins.jsonl", work);
    static unsigned char before[N_BULLETINS], now[N_BULLETINS];
    memset(before, 0, sizeof before);
    uint64_t docs_before = 0;
    unsigned state = KILL_SEED, landed = 0;

    /* The index holds every bulletin before the first kill: a run into an
     * empty index builds it aside and swaps it in whole (test_index_parallel
     * kills those), while a run over an index it updates commits batch by
     * batch, and that is where a kill can lose or double something.
     * Kill points are drawn over the length of such a run on this machine
     * and build (a sanitizer build is several times slower), measured once
     * into a scratch data directory. */
    char scratch[300];
    snprintf(scratch, sizeof scratch, "%s/scratch", work);
    write_bulletins(input, "kill", N_BULLETINS, 1000, 0);
    index_ok(work, scratch, input);
    index_ok(work, data, input);
    docs_before = walk_bulletins(index, before);
    ck_assert_uint_eq(docs_before, N_BULLETINS);
    write_bulletins(input, "kill", N_BULLETINS, 1001, 0);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    index_ok(work, scratch, input);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    unsigned run_ms = (unsigned)((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000);
    unsigned min_ms = run_ms / 20 + 1, span_ms = run_ms * 9 / 10 - min_ms + 1;

    for (unsigned k = 0; k < N_KILLS; k++) {
        /* A new revision each round: every bulletin is written again, so
         * each kill lands among replacements as well as additions. */
        write_bulletins(input, "kill", N_BULLETINS, k, 0);
        unsigned delay_ms = min_ms + bl_next_random(&state) % span_ms;
        char out[300], err[300];
        snprintf(out, sizeof out, "%s/stdout", work);
        snprintf(err, sizeof err, "%s/stderr", work);
        const char *argv[] = {BL_TEST_BINARY, "index", "--quiet", "--data", data, input, NULL};
        int ws = bl_kill_after(bl_spawn(argv, out, err), delay_ms);
        if (WIFSIGNALED(ws))
            landed++;
        else
            ck_assert_msg(WIFEXITED(ws) && WEXITSTATUS(ws) == 0,
                          "round %u: a run that finished before its kill failed", k);
        assert_index_checks(index);
        uint64_t docs = walk_bulletins(index, now);
        for (unsigned i = 0; i < N_BULLETINS; i++)
            ck_assert_msg(!before[i] || now[i],
                          "round %u (kill after %u ms): bulletin %u was committed, now lost", k,
                          delay_ms, i);
        ck_assert_uint_eq(docs, N_BULLETINS); /* none lost, none twice */
        memcpy(before, now, sizeof before);
        docs_before = docs;
    }
    /* Were no kill to land mid-run, the test would prove nothing. */
    ck_assert_msg(landed > 0, "no kill landed during a run");
    printf("reliability: %u of %u kills landed mid-run (a run takes %u ms here); "
           "%llu bulletins held after the last\n",
           landed, N_KILLS, run_ms, (unsigned long long)docs_before);

    write_bulletins(input, "kill", N_BULLETINS, N_KILLS, 0);
    const char *args[] = {"index", "--data", data, input, NULL};
    bl_run_result r = bl_run_blotter(work, args);
    ck_assert_msg(r.status == 0, "final run: %d %s", r.status, r.err);
    unsigned long added, updated, unchanged, skipped, failed;
    ck_assert_int_eq(sscanf(r.out, "%lu added, %lu updated, %lu unchanged, %lu skipped, %lu failed",
                            &added, &updated, &unchanged, &skipped, &failed),
                     5);
    ck_assert_uint_eq(added + updated + unchanged, N_BULLETINS);
    ck_assert_uint_eq(added, N_BULLETINS - docs_before);
    ck_assert_uint_eq(unchanged + skipped + failed, 0);
    bl_run_free(&r);
    assert_index_checks(index);
    ck_assert_uint_eq(walk_bulletins(index, now), N_BULLETINS);
    char rev[32];
    snprintf(rev, sizeof rev, "rev%uq", N_KILLS);
    ck_assert_uint_eq(term_freq_of(index, rev), N_BULLETINS);
    bl_remove_tree(work);
}
END_TEST

/* ---- 2. full disk --------------------------------------------------------- */

static const char *const recorded_queries[] = {
    "police", "ws00007x", "title:bulletin", "date:2020-03..2020-05", "w*", "*",
};
#define N_RECORDED (sizeof recorded_queries / sizeof recorded_queries[0])

static char *search_json(const char *work, const char *data, const char *query,
                         const bl_run_limits *o)
{
    const char *args[] = {"search", "--data", data, "--format", "json", "-n", "50",
                          "--facet", "year", query, NULL};
    bl_run_result r = run_limited(work, args, o);
    ck_assert_msg(r.status == 0, "search %s: %d %s", query, r.status, r.err);
    free(r.err);
    return r.out;
}

static void record_searches(const char *work, const char *data, char *answers[N_RECORDED])
{
    for (size_t i = 0; i < N_RECORDED; i++)
        answers[i] = search_json(work, data, recorded_queries[i], NULL);
}

static void assert_same_searches(const char *work, const char *data, char *answers[N_RECORDED],
                                 const bl_run_limits *o)
{
    for (size_t i = 0; i < N_RECORDED; i++) {
        char *now = search_json(work, data, recorded_queries[i], o);
        ck_assert_msg(strcmp(now, answers[i]) == 0, "search %s changed:\nwas %s\nnow %s",
                      recorded_queries[i], answers[i], now);
        free(now);
    }
}

static void free_answers(char *answers[N_RECORDED])
{
    for (size_t i = 0; i < N_RECORDED; i++)
        free(answers[i]);
}

/* Index a small set, then a large one that cannot fit: the large run must
 * fail cleanly and leave the small index as it was. The large set is big
 * enough that its first batch already cannot be written, so nothing of it
 * is committed and the recorded answers (scores included) stay identical. */
static void full_disk_case(const char *work, const char *data, const bl_run_limits *o,
                           const char *reason)
{
    char index[320], small[300], large[300];
    snprintf(index, sizeof index, "%s/index", data);
    snprintf(small, sizeof small, "%s/small.jsonl", work);
    snprintf(large, sizeof large, "%s/large.jsonl", work);
    write_bulletins(small, "small", 100, 1, 0);
    write_bulletins(large, "large", 700, 1, 150);
    index_ok(work, data, small);
    char *answers[N_RECORDED];
    record_searches(work, data, answers);

    /* libxapian 1.4.22 itself leaks about 1.7 KB allocated inside
     * WritableDatabase::commit() when a block write there fails (seen with
     * LeakSanitizer on ENOSPC). LeakSanitizer's fast unwinder cannot walk
     * libxapian's frames, so the suppression names the library: for this
     * one run, leaks of memory allocated inside libxapian are not ours to
     * fail on. Builds without sanitizers ignore the variable. */
    char supp[300], lsan[400];
    snprintf(supp, sizeof supp, "%s/lsan.supp", work);
    FILE *f = fopen(supp, "w");
    ck_assert_ptr_nonnull(f);
    fputs("leak:Xapian::WritableDatabase::commit\nleak:libxapian.so\n", f);
    ck_assert_int_eq(fclose(f), 0);
    snprintf(lsan, sizeof lsan, "suppressions=%s", supp);
    bl_run_limits limited = o ? *o : (bl_run_limits){0};
    limited.lsan_options = lsan;

    const char *args[] = {"index", "--data", data, large, NULL};
    bl_run_result r = run_limited(work, args, &limited);
    ck_assert_msg(r.status == 2, "indexing into a full disk: exit %d, stderr %s", r.status, r.err);
    ck_assert_msg(strncmp(r.err, "blotter index: ", 15) == 0, "stderr: %s", r.err);
    ck_assert_msg(strstr(r.err, index) && strstr(r.err, reason),
                  "the message does not name both the index and '%s': %s", reason, r.err);
    bl_run_free(&r);

    assert_index_checks(index);
    ck_assert_uint_eq(doccount_of(index), 100);
    assert_same_searches(work, data, answers, NULL);
    free_answers(answers);
}

START_TEST(index_into_a_file_size_limit_fails_clearly_and_keeps_the_index)
{
    char work[256], data[300], large[300];
    bl_make_work_dir("reliability-fsize", work);
    snprintf(data, sizeof data, "%s/data", work);
    bl_run_limits limit = {.file_size = 384 * 1024};
    full_disk_case(work, data, &limit, "File too large");
    /* Room again: the next run does the whole work. */
    snprintf(large, sizeof large, "%s/large.jsonl", work);
    index_ok(work, data, large);
    char index[320];
    snprintf(index, sizeof index, "%s/index", data);
    assert_index_checks(index);
    ck_assert_uint_eq(doccount_of(index), 800);
    bl_remove_tree(work);
}
END_TEST

START_TEST(index_into_a_full_tmpfs_fails_clearly_and_keeps_the_index)
{
    char work[256], data[300];
    bl_make_work_dir("reliability-tmpfs", work);
    snprintf(data, sizeof data, "%s/data", work);
    ck_assert_int_eq(mkdir(data, 0755), 0);
    if (mount_private_tmpfs(data, "size=1m") != 0) {
        printf("reliability: full tmpfs variant skipped: cannot mount a tmpfs here (%s)\n",
               strerror(errno));
        bl_remove_tree(work);
        return;
    }
    full_disk_case(work, data, NULL, "No space left");
    umount2(data, MNT_DETACH);
    bl_remove_tree(work);
}
END_TEST

/* ---- 3. read-only index --------------------------------------------------- */

/* Indexing into a read-only index: exit 2 with a "blotter index:" message,
 * and searches answered as before. (Xapian's check opens the tables for
 * writing, so callers run it once the index is writable again.) Returns stderr
 * (caller frees) for the message checks of the "what errors and output say" case. */
static char *read_only_case(const char *work, const char *data, char *answers[N_RECORDED],
                            const bl_run_limits *o)
{
    char index[320], small[300];
    snprintf(index, sizeof index, "%s/index", data);
    snprintf(small, sizeof small, "%s/small.jsonl", work);
    const char *args[] = {"index", "--data", data, small, NULL};
    bl_run_result r = run_limited(work, args, o);
    ck_assert_msg(r.status == 2, "indexing into a read-only index: exit %d, stderr %s", r.status,
                  r.err);
    ck_assert_msg(strncmp(r.err, "blotter index: ", 15) == 0, "stderr: %s", r.err);
    free(r.out);
    ck_assert_uint_eq(doccount_of(index), 100);
    assert_same_searches(work, data, answers, o);
    return r.err;
}

/* chmod -R a-w; root ignores permissions, so as root the run drops to
 * nobody. */
static char *read_only_by_permissions(void)
{
    char work[256], data[300], index[320], small[300];
    bl_make_work_dir("reliability-chmod", work);
    ck_assert_int_eq(chmod(work, 0755), 0);
    snprintf(data, sizeof data, "%s/data", work);
    snprintf(index, sizeof index, "%s/index", data);
    snprintf(small, sizeof small, "%s/small.jsonl", work);
    write_bulletins(small, "small", 100, 1, 0);
    index_ok(work, data, small);
    char *answers[N_RECORDED];
    record_searches(work, data, answers);
    char cmd[700];
    snprintf(cmd, sizeof cmd, "chmod -R a-w '%s'", data);
    ck_assert_int_eq(system(cmd), 0);
    bl_run_limits o = {.as_uid = geteuid() == 0 ? NOBODY_ID : 0};
    char *msg = read_only_case(work, data, answers, &o);
    free_answers(answers);
    snprintf(cmd, sizeof cmd, "chmod -R u+w '%s'", data);
    ck_assert_int_eq(system(cmd), 0);
    assert_index_checks(index);
    bl_remove_tree(work);
    return msg;
}

/* A tmpfs remounted read-only: what root meets too. NULL when we may not
 * mount here. */
static char *read_only_by_mount(void)
{
    char work[256], data[300], small[300];
    bl_make_work_dir("reliability-romount", work);
    snprintf(data, sizeof data, "%s/data", work);
    snprintf(small, sizeof small, "%s/small.jsonl", work);
    ck_assert_int_eq(mkdir(data, 0755), 0);
    if (mount_private_tmpfs(data, "size=4m") != 0) {
        printf("reliability: read-only mount variant skipped: cannot mount a tmpfs here (%s)\n",
               strerror(errno));
        bl_remove_tree(work);
        return NULL;
    }
    write_bulletins(small, "small", 100, 1, 0);
    index_ok(work, data, small);
    char *answers[N_RECORDED];
    record_searches(work, data, answers);
    ck_assert_int_eq(mount(NULL, data, NULL, MS_REMOUNT | MS_RDONLY, NULL), 0);
    char *msg = read_only_case(work, data, answers, NULL);
    free_answers(answers);
    ck_assert_int_eq(mount(NULL, data, NULL, MS_REMOUNT, NULL), 0);
    char index[320];
    snprintf(index, sizeof index, "%s/index", data);
    assert_index_checks(index);
    umount2(data, MNT_DETACH);
    bl_remove_tree(work);
    return msg;
}

START_TEST(index_into_a_read_only_index_fails_with_exit_2_and_searches_still_work)
{
    free(read_only_by_permissions());
    free(read_only_by_mount());
}
END_TEST

/* ---- 4. hostile queries ----------------------------------------------------- */

typedef struct bad_query {
    const char *name;
    char *text;       /* built by make_bad_queries */
    int status;       /* the exit status expected: 0 match, 1 none, 2 error */
} bad_query;

static char *repeat(const char *head, const char *unit, unsigned n, const char *tail)
{
    size_t len = strlen(head) + strlen(unit) * n + strlen(tail) + 1;
    char *s = malloc(len);
    ck_assert_ptr_nonnull(s);
    strcpy(s, head);
    for (unsigned i = 0; i < n; i++)
        strcat(s, unit);
    strcat(s, tail);
    return s;
}

static char *opening_then_closing(unsigned depth)
{
    char *s = malloc(depth * 2 + 8);
    ck_assert_ptr_nonnull(s);
    memset(s, '(', depth);
    memcpy(s + depth, "police", 6);
    memset(s + depth + 6, ')', depth);
    s[depth * 2 + 6] = '\0';
    return s;
}

/* The bulletins searched hold "police", the words w?NNNNNx and dates. */
static unsigned make_bad_queries(bad_query *q)
{
    unsigned n = 0;
    q[n++] = (bad_query){"a 4,000-byte query", repeat("", "police ", 571, "x"), 1};
    q[n++] = (bad_query){"4,000 bytes of one word repeated", repeat("", "police ", 571, ""), 0};
    q[n++] = (bad_query){"a query over 4096 bytes", repeat("", "x", 4097, ""), 2};
    q[n++] = (bad_query){"a query of 100 KB", repeat("", "police ", 15000, ""), 2};
    q[n++] = (bad_query){"1,000 nested parentheses", opening_then_closing(1000), 0};
    q[n++] = (bad_query){"2,000 unclosed parentheses", repeat("", "(", 2000, "police"), 0};
    q[n++] = (bad_query){"4,000 closing parentheses", repeat("police", ")", 4000, ""), 0};
    q[n++] = (bad_query){"a date range over all time", strdup("date:0001..9999"), 0};
    q[n++] = (bad_query){"a huge number range", strdup("suspects:0..999999999999"), 1};
    q[n++] = (bad_query){"a number that overflows", strdup("suspects:1e999.."), 2};
    q[n++] = (bad_query){"an impossible date", strdup("date:2019-13-45.."), 2};
    q[n++] = (bad_query){"an empty range", strdup("date:.."), 2};
    q[n++] = (bad_query){"a short wildcard", strdup("a*"), 0};
    q[n++] = (bad_query){"a wildcard over every word", strdup("w*"), 0};
    q[n++] = (bad_query){"twenty wildcards over every word", repeat("", "w* ", 20, ""), 0};
    q[n++] = (bad_query){"everything", strdup("*"), 0};
    q[n++] = (bad_query){"an unclosed quote", strdup("\"police arrested"), 0};
    q[n++] = (bad_query){"a lone quote", strdup("police \""), 0};
    q[n++] = (bad_query){"quotes only", repeat("", "\"", 999, ""), 1};
    q[n++] = (bad_query){"operators only", strdup("AND OR NOT"), 2};
    q[n++] = (bad_query){"control characters", strdup("police \x01\x02\x1b[31m\x7f"), 1};
    q[n++] = (bad_query){"invalid UTF-8", strdup("police \xff\xfe\xc3"), 1};
    q[n++] = (bad_query){"a truncated UTF-8 sequence alone", strdup("\xe6\x8a"), 1};
    q[n++] = (bad_query){"500 synonym expansions", repeat("", "~police ", 500, ""), 0};
    q[n++] = (bad_query){"a long NEAR chain", repeat("police", " NEAR police", 300, ""), 1};
    return n;
}

#define MAX_BAD_QUERIES 32

static void make_search_index(char *work, char *data)
{
    char input[300];
    bl_make_work_dir("reliability-query", work);
    snprintf(data, 300, "%s/data", work);
    snprintf(input, sizeof input, "%s/bulletins.jsonl", work);
    write_bulletins(input, "query", 1000, 1, 0);
    index_ok(work, data, input);
}

START_TEST(hostile_queries_end_with_a_status_and_a_clear_message)
{
    char work[256], data[300];
    make_search_index(work, data);
    bad_query q[MAX_BAD_QUERIES];
    unsigned n = make_bad_queries(q);
    for (unsigned i = 0; i < n; i++) {
        const char *formats[] = {"text", "json"};
        for (unsigned f = 0; f < 2; f++) {
            const char *args[] = {"search", "--data", data, "--format", formats[f], "-n", "5",
                                  "--", q[i].text, NULL};
            bl_run_result r = run_limited(work, args, NULL);
            ck_assert_msg(r.status == q[i].status, "%s (%s): exit %d, expected %d; stderr %.300s",
                          q[i].name, formats[f], r.status, q[i].status, r.err);
            if (r.status == 2)
                ck_assert_msg(strncmp(r.err, "blotter search: ", 16) == 0,
                              "%s: stderr %.300s", q[i].name, r.err);
            if (r.status != 2 && f == 1) {
                json_object *o = json_tokener_parse(r.out);
                ck_assert_msg(o != NULL, "%s: output is not JSON: %.300s", q[i].name, r.out);
                json_object_put(o);
            }
            bl_run_free(&r);
        }
        free(q[i].text);
    }
    bl_remove_tree(work);
}
END_TEST

/* ---- what errors and output say ----------------------------------------------- */

/* Xapian raises the same lock error for a busy index and for one where the
 * lock file cannot be created at all (a read-only index or file system):
 * only the first may be reported as busy. */
START_TEST(read_only_index_is_reported_as_read_only_not_as_busy)
{
    char *msgs[2] = {read_only_by_permissions(), read_only_by_mount()};
    for (int i = 0; i < 2; i++) {
        if (!msgs[i])
            continue;
        ck_assert_msg(!strstr(msgs[i], "another blotter process"),
                      "a read-only index reported as busy: %s", msgs[i]);
        ck_assert_msg(strstr(msgs[i], "ead-only") || strstr(msgs[i], "ermission"),
                      "the message does not say why: %s", msgs[i]);
        free(msgs[i]);
    }
}
END_TEST

/* The message has room for 512 bytes: a long query printed whole before the
 * reason would push the reason out. */
START_TEST(an_over_long_query_is_refused_with_its_reason)
{
    char work[256], data[300];
    make_search_index(work, data);
    char *text = repeat("", "x", 4097, "");
    const char *args[] = {"search", "--data", data, text, NULL};
    bl_run_result r = run_limited(work, args, NULL);
    ck_assert_int_eq(r.status, 2);
    ck_assert_msg(strstr(r.err, "4096") || strstr(r.err, "longer"), "no reason given: %.600s",
                  r.err);
    bl_run_free(&r);
    free(text);
    bl_remove_tree(work);
}
END_TEST

/* Expansion is bounded per wildcard: without a bound on their number, 1,300
 * copies of "w*" (3,900 bytes, under the 4096-byte limit) would build a query
 * of 1.3 million terms (9 s and 716 MB over these 1,000 bulletins). */
#define WILDCARD_QUERY_MAX_RSS_KB (200L * 1024)
START_TEST(a_query_of_many_wildcards_ends_in_bounded_time_and_memory)
{
    char work[256], data[300];
    make_search_index(work, data);
    char *text = repeat("", "w* ", 1300, "");
    const char *args[] = {"search", "--data", data, "-n", "5", text, NULL};
    bl_run_result r = run_limited(work, args, NULL);
    ck_assert_msg(r.status == 0 || (r.status == 2 && strncmp(r.err, "blotter search: ", 16) == 0),
                  "exit %d: %.300s", r.status, r.err);
    ck_assert_msg(last_max_rss_kb < WILDCARD_QUERY_MAX_RSS_KB,
                  "a 3,900-byte query used %ld KB of memory", last_max_rss_kb);
    bl_run_free(&r);
    free(text);
    bl_remove_tree(work);
}
END_TEST

/* The "query" member echoes the query: invalid UTF-8 in it must not make the
 * JSON output invalid (RFC 8259 requires UTF-8). */
START_TEST(json_output_stays_utf8_for_an_invalid_utf8_query)
{
    char work[256], data[300];
    make_search_index(work, data);
    const char *args[] = {"search", "--data", data, "--format", "json", "police \xff\xfe\xc3",
                          NULL};
    bl_run_result r = run_limited(work, args, NULL);
    json_tokener *tok = json_tokener_new();
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
    json_object *o = json_tokener_parse_ex(tok, r.out, (int)strlen(r.out));
    ck_assert_msg(o != NULL, "not valid UTF-8 JSON: %s",
                  json_tokener_error_desc(json_tokener_get_error(tok)));
    json_object_put(o);
    json_tokener_free(tok);
    bl_run_free(&r);
    bl_remove_tree(work);
}
END_TEST

/* A bad query is echoed in the message: its control characters, ESC
 * included, must not reach the terminal. */
START_TEST(a_bad_query_message_carries_no_control_characters)
{
    char work[256], data[300];
    make_search_index(work, data);
    const char *args[] = {"search", "--data", data, "AND \x1b[31mred", NULL};
    bl_run_result r = run_limited(work, args, NULL);
    ck_assert_int_eq(r.status, 2);
    for (const char *p = r.err; *p; p++)
        ck_assert_msg((unsigned char)*p >= 0x20 || *p == '\n', "byte 0x%02x in %s",
                      (unsigned char)*p, r.err);
    bl_run_free(&r);
    bl_remove_tree(work);
}
END_TEST

static Suite *reliability_suite(void)
{
    Suite *s = suite_create("reliability");
    TCase *kill = tcase_create("killed at any moment");
    tcase_add_test(kill, index_killed_at_random_points_keeps_every_committed_bulletin_once);
    suite_add_tcase(s, kill);
    TCase *disk = tcase_create("full disk and read-only index");
    tcase_add_test(disk, index_into_a_file_size_limit_fails_clearly_and_keeps_the_index);
    tcase_add_test(disk, index_into_a_full_tmpfs_fails_clearly_and_keeps_the_index);
    tcase_add_test(disk, index_into_a_read_only_index_fails_with_exit_2_and_searches_still_work);
    suite_add_tcase(s, disk);
    TCase *queries = tcase_create("hostile queries");
    tcase_add_test(queries, hostile_queries_end_with_a_status_and_a_clear_message);
    suite_add_tcase(s, queries);
    TCase *echo = tcase_create("what errors and output say");
    tcase_add_test(echo, read_only_index_is_reported_as_read_only_not_as_busy);
    tcase_add_test(echo, an_over_long_query_is_refused_with_its_reason);
    tcase_add_test(echo, a_query_of_many_wildcards_ends_in_bounded_time_and_memory);
    tcase_add_test(echo, json_output_stays_utf8_for_an_invalid_utf8_query);
    tcase_add_test(echo, a_bad_query_message_carries_no_control_characters);
    suite_add_tcase(s, echo);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(reliability_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
