/* `blotter crawl` against servers that misbehave on purpose
 * (hostile_server.c, on 127.0.0.1 only), end to end through the binary.
 *
 * Each case serves, from one server, good bulletins beside hostile paths:
 * bytes trickling forever, endless bodies, gzip bombs, 20,000 headers,
 * redirect loops and chains, broken chunked encoding, garbage and silence,
 * and a 50 MB or endless robots.txt. For each, the crawl must end in bounded
 * time (each bad URL by the configured timeouts, the run under a hang
 * detector) and bounded memory (peak RSS; and an address-space limit where
 * no sanitizer needs the room), name each bad URL on stderr with a
 * recognisable reason, exit with the documented status (1: some URLs
 * failed), and still index every good bulletin, found by `blotter search`.
 *
 * Then `blotter crawl` is killed with SIGKILL at seeded random moments of a
 * 30-bulletin crawl: after each kill the index passes Xapian's check and
 * keeps every bulletin it held before, each once; a last run completes the
 * crawl with every bulletin exactly once.
 */
#define _GNU_SOURCE
#include <check.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "blotter_run.h"
#include "bl_schema.h"
#include "bl_xapian.h"
#include "hostile_server.h"

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif
#ifndef UNDER_ASAN
#define UNDER_ASAN 0
#endif

/* The sources file's limits: small, so the bad URLs end soon. */
#define TIMEOUT_S 3
#define LOW_SPEED_S 2
#define MAX_PAGE 1048576
#define MAX_REDIRECTS 3

#define N_GOOD 5                    /* good bulletins beside the bad paths */
#define HANG_LIMIT_S 40             /* a crawl still running then has hung */
#define SLACK_S 3.0                 /* over a timeout, for a loaded or sanitized machine */
#define RSS_LIMIT_KB (300L * 1024)  /* peak resident memory of one crawl */
#define AS_LIMIT ((rlim_t)1 << 30)  /* address space, without sanitizers */

static hostile_server *srv;
static char work[256], data[300], sources[300];

static void setup(void)
{
    bl_make_work_dir("crawl-hostile", work);
    snprintf(data, sizeof data, "%s/data", work);
    snprintf(sources, sizeof sources, "%s/sources.ini", work);
    srv = NULL;
}

static void teardown(void)
{
    hs_stop(srv);
    srv = NULL;
    if (getenv("BLOTTER_TEST_KEEP"))
        fprintf(stderr, "kept %s\n", work);
    else
        bl_remove_tree(work);
}

static void write_sources(unsigned commit_every)
{
    FILE *f = fopen(sources, "w");
    ck_assert_ptr_nonnull(f);
    fprintf(f,
            "[crawl]\n"
            "user_agent = blotter-test/1.0\n"
            "timeout = %d\n"
            "connect_timeout = 2\n"
            "low_speed_time = %d\n"
            "max_page_size = %d\n"
            "max_redirects = %d\n"
            "retries = 0\n"
            "delay = 0\n"
            "commit_every = %u\n"
            "\n"
            "[source hostile]\n"
            "agency = Test City Police\n"
            "lang = en\n"
            "seed = http://127.0.0.1:%u/list.html\n"
            "article = ^http://127\\.0\\.0\\.1:[0-9]+/(news|bad|private)/\n",
            TIMEOUT_S, LOW_SPEED_S, MAX_PAGE, MAX_REDIRECTS, commit_every, hs_port(srv));
    ck_assert_int_eq(fclose(f), 0);
}

static void start_server(const hs_config *cfg, unsigned commit_every)
{
    srv = hs_start(cfg);
    ck_assert_ptr_nonnull(srv);
    write_sources(commit_every);
}

static double mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- running `blotter crawl` under limits -------------------------------- */

typedef struct crawl_result {
    int status;       /* exit status */
    char *out, *err;  /* stdout and stderr */
    double seconds;
    long max_rss_kb;
} crawl_result;

static void crawl_output_paths(char out[300], char err[300])
{
    snprintf(out, 300, "%s/crawl.out", work);
    snprintf(err, 300, "%s/crawl.err", work);
}

/* `blotter crawl` on data_dir with the test's sources file, output into the
 * crawl_output_paths. */
static pid_t spawn_crawl(const char *data_dir)
{
    const char *argv[] = {BL_TEST_BINARY, "crawl", "--quiet", "--data", data_dir,
                          "--config", sources, NULL};
    char out[300], err[300];
    crawl_output_paths(out, err);
    /* A sanitizer reserves terabytes of address space for its shadow: there
     * the peak RSS bound alone has to do. */
    bl_run_limits limits = {.address_space = UNDER_ASAN ? 0 : AS_LIMIT};
    return bl_spawn_limited(argv, out, err, &limits);
}

static crawl_result run_crawl(const char *data_dir)
{
    crawl_result r = {0};
    double t0 = mono();
    pid_t pid = spawn_crawl(data_dir);
    int ws = bl_wait_bounded(pid, HANG_LIMIT_S, "blotter crawl", &r.max_rss_kb);
    r.seconds = mono() - t0;
    char out[300], err[300];
    crawl_output_paths(out, err);
    r.out = bl_slurp(out);
    r.err = bl_slurp(err);
    ck_assert_msg(WIFEXITED(ws), "blotter crawl was killed by signal %d; stderr:\n%s",
                  WIFSIGNALED(ws) ? WTERMSIG(ws) : 0, r.err);
    r.status = WEXITSTATUS(ws);
    return r;
}

static void crawl_result_free(crawl_result *r)
{
    free(r->out);
    free(r->err);
}

/* ---- what the crawl left ----------------------------------------------- */

static void url_of(const char *path, char *out, size_t size)
{
    snprintf(out, size, "http://127.0.0.1:%u%s", hs_port(srv), path);
}

/* The reason stderr gives for path ("blotter crawl: URL: reason"), malloc'd,
 * or NULL when path is not reported. */
static char *reason_for(const char *err, const char *path)
{
    char prefix[400];
    char url[300];
    url_of(path, url, sizeof url);
    snprintf(prefix, sizeof prefix, "blotter crawl: %s: ", url);
    const char *p = strstr(err, prefix);
    if (!p)
        return NULL;
    p += strlen(prefix);
    return strndup(p, strcspn(p, "\n"));
}

static int count_lines(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

/* `blotter search WORD`: how many hits, and the first hit's URL (malloc'd). */
static int search_hits(const char *word, char **first_url)
{
    const char *args[] = {"search", "--data", data, "--format", "json", "-n", "100", word, NULL};
    bl_run_result r = bl_run_blotter(work, args);
    ck_assert_msg(r.status == 0 || r.status == 1, "search %s: exit %d: %s", word, r.status,
                  r.err);
    json_object *doc = json_tokener_parse(r.out), *total = NULL, *hits = NULL, *url = NULL;
    ck_assert_msg(doc && json_object_object_get_ex(doc, "total", &total) &&
                      json_object_object_get_ex(doc, "hits", &hits),
                  "search %s: %s", word, r.out);
    int n = json_object_get_int(total);
    if (first_url) {
        json_object *hit = json_object_array_length(hits) ? json_object_array_get_idx(hits, 0)
                                                          : NULL;
        *first_url = hit && json_object_object_get_ex(hit, "url", &url)
                         ? strdup(json_object_get_string(url))
                         : NULL;
    }
    json_object_put(doc);
    bl_run_free(&r);
    return n;
}

/* Bulletins 1..n are each found once, by their own word, at their own URL. */
static void assert_bulletins_searchable(int n)
{
    for (int k = 1; k <= n; k++) {
        char word[16], path[64], url[300], *found = NULL;
        hs_bulletin_word(k, word);
        snprintf(path, sizeof path, "/news/%d.html", k);
        url_of(path, url, sizeof url);
        int hits = search_hits(word, &found);
        ck_assert_msg(hits == 1, "%s: %d hits for %s", url, hits, word);
        ck_assert_msg(found && strcmp(found, url) == 0, "%s found at %s", word,
                      found ? found : "nowhere");
        free(found);
    }
}

/* ---- the hostile cases --------------------------------------------------- */

typedef struct bad_path {
    const char *path;
    const char *reason;  /* a word the stderr line must hold (any case) */
    double seconds;      /* the longest the server may see it take */
} bad_path;

#define UNTIL_TIMEOUT (TIMEOUT_S + SLACK_S)
#define UNTIL_LOW_SPEED (LOW_SPEED_S + SLACK_S)
#define AT_ONCE SLACK_S

/* One crawl of a site whose listing links the bad paths first, then N_GOOD
 * good bulletins: every bad path fails in bounded time with its reason, the
 * good ones are indexed and found, memory stays bounded. */
static void crawl_survives(const bad_path *bad, size_t n_bad, int robots)
{
    hs_config cfg = {.n_bulletins = N_GOOD, .robots = robots};
    ck_assert_uint_lt(n_bad, HS_MAX_HOSTILE);
    double budget = 2 * SLACK_S; /* the whole crawl: the good pages, then each bad URL */
    for (size_t i = 0; i < n_bad; i++) {
        cfg.hostile[i] = bad[i].path;
        budget += bad[i].seconds;
    }
    start_server(&cfg, 2);
    crawl_result r = run_crawl(data);
    ck_assert_msg(r.status == (n_bad ? 1 : 0), "exit %d (stdout %s), stderr:\n%s", r.status,
                  r.out, r.err);
    for (size_t i = 0; i < n_bad; i++) {
        char *why = reason_for(r.err, bad[i].path);
        ck_assert_msg(why && strcasestr(why, bad[i].reason),
                      "%s: expected a reason with '%s', stderr:\n%s", bad[i].path,
                      bad[i].reason, r.err);
        free(why);
    }
    ck_assert_msg(count_lines(r.err) == (int)n_bad, "one line per bad URL, stderr:\n%s", r.err);
    char summary[200];
    snprintf(summary, sizeof summary,
             "crawl: %d new, 0 updated, 0 not modified, 1 skipped by robots, %zu failed\n",
             N_GOOD, n_bad);
    ck_assert_str_eq(r.out, summary);
    ck_assert_msg(r.max_rss_kb < RSS_LIMIT_KB, "peak RSS %ld KiB", r.max_rss_kb);
    ck_assert_msg(r.seconds < budget, "the crawl took %.1f s (bound %.1f s)", r.seconds, budget);
    /* Each bad URL ended by the timeouts, seen from the server. */
    ck_assert_msg(hs_wait_idle(srv, 5) == 0, "a connection is still open");
    for (size_t i = 0; i < n_bad; i++) {
        double t = hs_longest(srv, bad[i].path);
        ck_assert_msg(t >= 0 && t <= bad[i].seconds, "%s took %.1f s (bound %.1f s)",
                      bad[i].path, t, bad[i].seconds);
    }
    ck_assert_int_eq(hs_count(srv, "/private/secret.html"), 0);
    printf("hostile:");
    for (size_t i = 0; i < n_bad; i++)
        printf(" %s %.1f s;", bad[i].path, hs_longest(srv, bad[i].path));
    printf(" crawl %.1f s, peak RSS %ld MiB\n", r.seconds, r.max_rss_kb / 1024);
    crawl_result_free(&r);
    assert_bulletins_searchable(N_GOOD);
}

START_TEST(bytes_trickling_forever_end_at_the_timeout_and_the_rest_is_indexed)
{
    static const bad_path bad[] = {
        {"/bad/trickle-body.html", "timeout", UNTIL_TIMEOUT},
        {"/bad/trickle-headers.html", "timeout", UNTIL_TIMEOUT},
    };
    crawl_survives(bad, 2, HS_ROBOTS_SMALL);
}
END_TEST

START_TEST(an_endless_body_is_cut_at_max_page_size_and_the_rest_is_indexed)
{
    static const bad_path bad[] = {
        {"/bad/endless.html", "larger than 1048576 bytes", AT_ONCE},
        {"/bad/endless-length.html", "larger than 1048576 bytes", AT_ONCE},
    };
    crawl_survives(bad, 2, HS_ROBOTS_SMALL);
}
END_TEST

START_TEST(a_gzip_bomb_is_cut_at_max_page_size_once_inflated)
{
    static const bad_path bad[] = {
        {"/bad/bomb.html", "larger than 1048576 bytes", AT_ONCE},
        {"/bad/double-bomb.html", "larger than 1048576 bytes", AT_ONCE},
    };
    crawl_survives(bad, 2, HS_ROBOTS_SMALL);
}
END_TEST

START_TEST(twenty_thousand_headers_or_one_huge_header_fail_that_url_only)
{
    static const bad_path bad[] = {
        {"/bad/many-headers.html", "headers", AT_ONCE},
        {"/bad/long-header.html", "header", AT_ONCE},
    };
    crawl_survives(bad, 2, HS_ROBOTS_SMALL);
}
END_TEST

START_TEST(redirect_loops_endless_chains_and_bad_locations_fail_that_url_only)
{
    static const bad_path bad[] = {
        {"/bad/loop-a.html", "redirect loop", AT_ONCE},
        {"/bad/chain/1.html", "too many redirects", AT_ONCE},
        {"/bad/long-location.html", "redirect to a bad URL", AT_ONCE},
        {"/bad/no-location.html", "redirect without a Location", AT_ONCE},
    };
    crawl_survives(bad, 4, HS_ROBOTS_SMALL);
    /* The chain was followed up to the limit, not further. */
    ck_assert_int_eq(hs_count(srv, "/bad/chain/1.html"), 1);
    char last[64];
    snprintf(last, sizeof last, "/bad/chain/%d.html", MAX_REDIRECTS + 1);
    ck_assert_int_eq(hs_count(srv, last), 1);
    snprintf(last, sizeof last, "/bad/chain/%d.html", MAX_REDIRECTS + 2);
    ck_assert_int_eq(hs_count(srv, last), 0);
    /* The loop is seen as one when it comes back: A, B, and no more. */
    ck_assert_int_eq(hs_count(srv, "/bad/loop-a.html"), 1);
    ck_assert_int_eq(hs_count(srv, "/bad/loop-b.html"), 1);
}
END_TEST

START_TEST(broken_chunked_encoding_fails_that_url_only)
{
    static const bad_path bad[] = {
        {"/bad/chunk-bad-size.html", "chunk", AT_ONCE},
        {"/bad/chunk-truncated.html", "cut short", AT_ONCE},
        {"/bad/chunk-huge-size.html", "chunk", AT_ONCE},
    };
    crawl_survives(bad, 3, HS_ROBOTS_SMALL);
}
END_TEST

START_TEST(garbage_a_foreign_banner_silence_and_a_hang_up_fail_that_url_only)
{
    static const bad_path bad[] = {
        {"/bad/garbage.html", "not HTTP", AT_ONCE},
        {"/bad/banner.html", "not HTTP", AT_ONCE},
        {"/bad/silent.html", "timeout", UNTIL_LOW_SPEED},
        {"/bad/hang-up.html", "empty reply", AT_ONCE},
    };
    crawl_survives(bad, 4, HS_ROBOTS_SMALL);
}
END_TEST

/* robots.txt is read up to a bounded prefix and the transfer stopped there:
 * its rules apply (the /private/ page is never asked for), the rule the
 * prefix cuts in two is not read as "Disallow: /" (the bulletins are
 * indexed), and the server got out no more than the socket buffers hold
 * (a few megabytes) before the crawler hung up. */
static void robots_prefix_case(int kind)
{
    crawl_survives(NULL, 0, kind);
    size_t sent = hs_bytes_sent(srv, "/robots.txt");
    ck_assert_msg(sent < 16u * 1024 * 1024, "%zu bytes of robots.txt went out", sent);
    printf("hostile: %zu bytes of robots.txt went out\n", sent);
    ck_assert_int_eq(hs_count(srv, "/robots.txt"), 1);
}

START_TEST(a_50_mb_robots_txt_is_read_as_a_bounded_prefix)
{
    robots_prefix_case(HS_ROBOTS_HUGE);
}
END_TEST

START_TEST(an_endless_robots_txt_is_read_as_a_bounded_prefix)
{
    robots_prefix_case(HS_ROBOTS_ENDLESS);
}
END_TEST

/* ---- killed at random moments ------------------------------------------- */

#define N_KILL_BULLETINS 30
#define N_KILLS 10
#define KILL_SEED 20240917u

static int index_opens(const char *index)
{
    bl_xdb *db = NULL;
    int rc = bl_xdb_open(index, BL_XDB_READ, &db, NULL);
    bl_xdb_close(db);
    return rc == 0;
}

/* Marks in present[] the bulletins the index holds, checking each is held
 * at most once, by its id and by its word, and nothing else is; returns how
 * many it holds. */
static int walk_bulletins(const char *index, unsigned char present[N_KILL_BULLETINS + 1])
{
    bl_xdb *db = NULL;
    bl_error err = {0};
    ck_assert_msg(bl_xdb_open(index, BL_XDB_READ, &db, &err) == 0, "open: %s", err.msg);
    int held = 0;
    for (int k = 1; k <= N_KILL_BULLETINS; k++) {
        char path[64], url[300], term[BL_ID_TERM_SIZE], word[16];
        snprintf(path, sizeof path, "/news/%d.html", k);
        url_of(path, url, sizeof url);
        bl_id_term(url, term);
        hs_bulletin_word(k, word);
        uint64_t by_id = 0, by_word = 0;
        ck_assert_int_eq(bl_xdb_term_freq(db, term, &by_id, &err), 0);
        ck_assert_int_eq(bl_xdb_term_freq(db, word, &by_word, &err), 0);
        ck_assert_msg(by_id <= 1 && by_word == by_id, "%s: %llu by id, %llu by its word", url,
                      (unsigned long long)by_id, (unsigned long long)by_word);
        present[k] = by_id == 1;
        held += present[k];
    }
    uint64_t docs = 0;
    ck_assert_int_eq(bl_xdb_doccount(db, &docs, &err), 0);
    ck_assert_msg(docs == (uint64_t)held, "%llu documents for %d bulletins",
                  (unsigned long long)docs, held);
    bl_xdb_close(db);
    return held;
}

START_TEST(a_crawl_killed_at_random_moments_keeps_what_it_committed_and_finishes_once)
{
    hs_config cfg = {.n_bulletins = N_KILL_BULLETINS, .latency_ms = 15};
    start_server(&cfg, 3);
    char index[320];
    snprintf(index, sizeof index, "%s/index", data);

    /* Kill moments are drawn over the length of one whole crawl on this
     * machine and build, measured once into a data directory of its own. */
    char scratch[300];
    snprintf(scratch, sizeof scratch, "%s/scratch", work);
    crawl_result r = run_crawl(scratch);
    ck_assert_msg(r.status == 0, "a whole crawl: exit %d: %s", r.status, r.err);
    unsigned run_ms = (unsigned)(r.seconds * 1000);
    crawl_result_free(&r);
    ck_assert_int_eq(hs_bulletins_served(srv), N_KILL_BULLETINS);
    unsigned min_ms = run_ms / 20 + 1, span_ms = run_ms * 9 / 10 - min_ms + 1;

    unsigned char before[N_KILL_BULLETINS + 1] = {0}, now[N_KILL_BULLETINS + 1];
    int held_before = 0;
    unsigned state = KILL_SEED, landed = 0, checked = 0;
    for (unsigned k = 0; k < N_KILLS; k++) {
        /* A new revision each round: bulletins change, so kills land among
         * replacements as well as additions. */
        hs_config_of(srv)->revision = k + 1;
        unsigned delay_ms = min_ms + bl_next_random(&state) % span_ms;
        int ws = bl_kill_after(spawn_crawl(data), delay_ms);
        if (WIFSIGNALED(ws))
            landed++;
        else
            ck_assert_msg(WIFEXITED(ws) && WEXITSTATUS(ws) == 0,
                          "round %u: a crawl that ended before its kill exited %d", k,
                          WIFEXITED(ws) ? WEXITSTATUS(ws) : -1);
        if (held_before == 0 && !index_opens(index))
            continue; /* killed before anything was committed: nothing promised */
        bl_error err = {0};
        ck_assert_msg(bl_xdb_check(index, &err) == 0, "round %u (kill after %u ms): %s", k,
                      delay_ms, err.msg);
        int held = walk_bulletins(index, now);
        for (int b = 1; b <= N_KILL_BULLETINS; b++)
            ck_assert_msg(!before[b] || now[b],
                          "round %u (kill after %u ms): bulletin %d was committed, now lost", k,
                          delay_ms, b);
        memcpy(before, now, sizeof before);
        held_before = held;
        checked++;
    }
    ck_assert_msg(landed > 0, "no kill landed during a crawl");

    /* The last run completes the crawl: each bulletin once. */
    r = run_crawl(data);
    ck_assert_msg(r.status == 0, "final crawl: exit %d: %s", r.status, r.err);
    crawl_result_free(&r);
    bl_error err = {0};
    ck_assert_msg(bl_xdb_check(index, &err) == 0, "after the final crawl: %s", err.msg);
    ck_assert_int_eq(walk_bulletins(index, now), N_KILL_BULLETINS);
    assert_bulletins_searchable(N_KILL_BULLETINS);
    /* A run after it brings every bulletin to the last revision, still once. */
    r = run_crawl(data);
    ck_assert_msg(r.status == 0, "crawl after the final one: exit %d: %s", r.status, r.err);
    crawl_result_free(&r);
    char rev[16];
    snprintf(rev, sizeof rev, "rev%uq", N_KILLS);
    ck_assert_int_eq(search_hits(rev, NULL), N_KILL_BULLETINS);
    ck_assert_int_eq(walk_bulletins(index, now), N_KILL_BULLETINS);
    printf("hostile: %u of %u kills landed mid-crawl (a crawl takes %u ms here), %u checked; "
           "%d bulletins held after the last kill\n",
           landed, N_KILLS, run_ms, checked, held_before);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("crawl_hostile");
    TCase *tc = tcase_create("hostile servers");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, bytes_trickling_forever_end_at_the_timeout_and_the_rest_is_indexed);
    tcase_add_test(tc, an_endless_body_is_cut_at_max_page_size_and_the_rest_is_indexed);
    tcase_add_test(tc, a_gzip_bomb_is_cut_at_max_page_size_once_inflated);
    tcase_add_test(tc, twenty_thousand_headers_or_one_huge_header_fail_that_url_only);
    tcase_add_test(tc, redirect_loops_endless_chains_and_bad_locations_fail_that_url_only);
    tcase_add_test(tc, broken_chunked_encoding_fails_that_url_only);
    tcase_add_test(tc, garbage_a_foreign_banner_silence_and_a_hang_up_fail_that_url_only);
    tcase_add_test(tc, a_50_mb_robots_txt_is_read_as_a_bounded_prefix);
    tcase_add_test(tc, an_endless_robots_txt_is_read_as_a_bounded_prefix);
    suite_add_tcase(s, tc);
    tc = tcase_create("killed");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, a_crawl_killed_at_random_moments_keeps_what_it_committed_and_finishes_once);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
