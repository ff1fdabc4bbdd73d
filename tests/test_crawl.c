/* Whole crawls against a real web site on 127.0.0.1 (test_crawl_server.c): what
 * gets indexed, archived, skipped and reported; what a second run asks the
 * server; a crawl killed with SIGKILL and run again; one crawl at a time on a
 * data directory; and re-indexing from the archive with no network. */
#include <check.h>
#include <fcntl.h>
#include <glob.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bl_cli.h"
#include "bl_indexer.h"
#include "bl_paths.h"
#include "bl_schema.h"
#include "bl_xapian.h"
#include "blotter_run.h"
#include "crawl_config.h"
#include "test_crawl_server.h"
#include "crawler.h"
#include "warc_index.h"

static site web;
static char data_dir[256];
static char config_path[300];
static bl_crawl_config *cfg;

/* The bulletins the site links to, reachable and allowed: each must be in
 * the index exactly once after a crawl (dup.html repeats 1.html's body). */
static const char *const bulletins[] = {
    "/news/1.html", "/news/2.html", "/news/3.html", "/news/4.html", "/news/5.html",
    "/news/6.html", "/news/7.html", "/news/8.html", "/news/9.html", "/news/10.html",
    "/news/flaky.html", "/news/busy.html", "/news/gbk.html", "/news/gzip.html",
};
#define N_BULLETINS (sizeof bulletins / sizeof bulletins[0])

static void write_config(void)
{
    snprintf(config_path, sizeof config_path, "%s/sources.ini", data_dir);
    FILE *f = fopen(config_path, "w");
    ck_assert_ptr_nonnull(f);
    fprintf(f,
            "[crawl]\n"
            "user_agent = blotter-test/1.0\n"
            "concurrency = 4\n"
            "timeout = 10\n"
            "connect_timeout = 2\n"
            "low_speed_time = 1\n"
            "max_page_size = 65536\n"
            "max_redirects = 4\n"
            "retries = 2\n"
            "retry_delay = 0.05\n"
            "max_retry_after = 5\n"
            "delay = 0\n"
            "commit_every = 2\n"
            "\n"
            "[source test]\n"
            "agency = Test City Police\n"
            "lang = en\n"
            "seed = http://127.0.0.1:%u/list/index.html\n"
            "feed = http://127.0.0.1:%u/feed.xml\n"
            "sitemap = http://127.0.0.1:%u/sitemap.xml\n"
            "follow = ^http://127\\.0\\.0\\.1:[0-9]+/list/page-[0-9]+\\.html$\n"
            "article = ^http://127\\.0\\.0\\.1:[0-9]+/(news|private|files)/\n"
            "article = ^file:.*/news/\n", /* never followed from the web */
            web.port, web.port, web.port);
    fclose(f);
    bl_error err = {0};
    ck_assert_msg(bl_crawl_config_load(config_path, &cfg, &err) == 0, "%s", err.msg);
}

static void setup(void)
{
    snprintf(data_dir, sizeof data_dir, "/tmp/blotter-crawl-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(data_dir));
    memset(&web, 0, sizeof web);
    snprintf(web.fixtures, sizeof web.fixtures, "%s/tests/fixtures/crawl", BL_TEST_SOURCE_DIR);
    ck_assert_int_eq(site_start(&web), 0);
    write_config();
}

static void teardown(void)
{
    site_stop(&web);
    bl_crawl_config_free(cfg);
    cfg = NULL;
    char cmd[300];
    if (getenv("BLOTTER_TEST_KEEP")) {
        fprintf(stderr, "kept %s\n", data_dir);
        return;
    }
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", data_dir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", data_dir);
}

typedef struct failures {
    char urls[32][300];
    int n;
} failures;

static void on_failure(void *ctx, const char *url, const char *msg)
{
    failures *f = ctx;
    if (f->n < 32)
        snprintf(f->urls[f->n++], sizeof f->urls[0], "%s %s", url, msg);
}

static int failed_with(const failures *f, const char *path, const char *words)
{
    for (int i = 0; i < f->n; i++)
        if (strstr(f->urls[i], path) && strstr(f->urls[i], words))
            return 1;
    return 0;
}

static int crawl(bl_crawl_stats *st, failures *f, bl_error *err)
{
    bl_crawl_opts opts = {.data_dir = data_dir, .cfg = cfg, .on_failure = on_failure, .ctx = f};
    return bl_crawl_run(&opts, st, err);
}

static void url_of(const char *path, char *out, size_t size)
{
    snprintf(out, size, "http://127.0.0.1:%u%s", web.port, path);
}

/* Documents in the index at path, and how many carry each bulletin's key. */
static void assert_each_bulletin_indexed_once(const char *index_path)
{
    bl_xdb *db = NULL;
    bl_error err = {0};
    ck_assert_msg(bl_xdb_open(index_path, BL_XDB_READ, &db, &err) == 0, "%s", err.msg);
    uint64_t docs = 0;
    ck_assert_int_eq(bl_xdb_doccount(db, &docs, &err), 0);
    ck_assert_uint_eq(docs, N_BULLETINS);
    for (size_t i = 0; i < N_BULLETINS; i++) {
        char url[300], term[BL_ID_TERM_SIZE];
        url_of(bulletins[i], url, sizeof url);
        bl_id_term(url, term);
        uint64_t n = 0;
        ck_assert_int_eq(bl_xdb_term_freq(db, term, &n, &err), 0);
        ck_assert_msg(n == 1, "%s indexed %llu times", url, (unsigned long long)n);
    }
    bl_xdb_close(db);
}

START_TEST(a_crawl_indexes_every_bulletin_it_may_and_reports_the_rest)
{
    bl_crawl_stats st;
    failures f = {0};
    bl_error err = {0};
    ck_assert_msg(crawl(&st, &f, &err) == 0, "%s", err.msg);
    ck_assert_uint_eq(st.added, N_BULLETINS);
    ck_assert_uint_eq(st.updated, 0);
    ck_assert_uint_eq(st.not_modified, 1);   /* dup.html: 1.html's body */
    ck_assert_uint_eq(st.robots, 1);         /* /private/ */
    ck_assert_uint_eq(st.skipped, 1);        /* the PDF */
    ck_assert_msg(st.failed == 4, "failed %lu", st.failed);
    ck_assert(failed_with(&f, "/news/loop-a", "redirect"));
    ck_assert(failed_with(&f, "/news/missing.html", "HTTP 404"));
    ck_assert(failed_with(&f, "/news/stall.html", "imeout")); /* "Timeout was reached" */
    ck_assert(failed_with(&f, "/news/huge.html", "larger than 65536 bytes"));

    char *index_path = bl_index_path(data_dir);
    assert_each_bulletin_indexed_once(index_path);
    free(index_path);

    /* Politeness and robots.txt, from the server's side. */
    ck_assert_int_eq(site_count(&web, "/robots.txt", 0), 1);
    ck_assert_int_eq(site_count(&web, "/private/secret.html", 0), 0);
    ck_assert_int_eq(web.max_in_flight, 1);
    /* The source's delay is 0: robots.txt's Crawl-delay (0.05 s) spaces the
     * requests. A lower bound only: a slow machine cannot make it fail. */
    ck_assert_msg(web.min_gap >= 0.05, "two requests %.3f s apart", web.min_gap);
    ck_assert_int_eq(web.gzip_served, 1);
    /* 500 then 200, 429 then 200: one retry each. */
    ck_assert_int_eq(site_count(&web, "/news/flaky.html", 0), 2);
    ck_assert_int_eq(site_count(&web, "/news/busy.html", 0), 2);
    /* Each URL once per run: 1.html is linked from the listing and the feed. */
    ck_assert_int_eq(site_count(&web, "/news/1.html", 0), 1);
    ck_assert_int_eq(site_count(&web, "/news/2.html", 0), 1);
    ck_assert_int_eq(site_count(&web, "/news/hop", 0), 1);
    ck_assert_int_eq(site_count(&web, "/list/page-3.html", 0), 1); /* <link rel=next> */
}
END_TEST

START_TEST(a_second_crawl_asks_conditionally_and_indexes_nothing_new)
{
    bl_crawl_stats st;
    failures f = {0};
    bl_error err = {0};
    ck_assert_msg(crawl(&st, &f, &err) == 0, "%s", err.msg);
    ck_assert_uint_eq(st.added, N_BULLETINS);
    int before = site_count(&web, "/list/index.html", 1);
    ck_assert_int_eq(before, 0);

    failures f2 = {0};
    ck_assert_msg(crawl(&st, &f2, &err) == 0, "%s", err.msg);
    ck_assert_uint_eq(st.added, 0);
    ck_assert_uint_eq(st.updated, 0);
    /* The seed listing, the feed and the sitemap index answer 304, so the
     * pages they lead to are not asked for again. */
    ck_assert_uint_eq(st.not_modified, 3);
    ck_assert_int_eq(site_count(&web, "/news/2.html", 0), 1);
    ck_assert_int_eq(site_count(&web, "/list/index.html", 1), 1);
    ck_assert_int_eq(site_count(&web, "/feed.xml", 1), 1);
    /* robots.txt comes from the cache; failed URLs are tried again. */
    ck_assert_int_eq(site_count(&web, "/robots.txt", 0), 1);
    ck_assert_int_eq(site_count(&web, "/news/missing.html", 0), 2);
    ck_assert_uint_eq(st.failed, 4);
    char *index_path = bl_index_path(data_dir);
    assert_each_bulletin_indexed_once(index_path);
    free(index_path);
}
END_TEST

/* Starts `blotter crawl` on the test site as a user would, without waiting;
 * stdout goes to out_path (NULL: a file named after what), stderr beside it.
 * The real program, not a fork of this process: the site's server threads
 * run here, and a fork of a threaded process may inherit a lock one of them
 * held, then wait for it forever. */
static pid_t spawn_crawl(const char *out_path, const char *what)
{
    char out[300], err[300];
    snprintf(out, sizeof out, "%s/%s.out", data_dir, what);
    snprintf(err, sizeof err, "%s/%s.err", data_dir, what);
    const char *argv[] = {BL_TEST_BINARY, "crawl", "--data", data_dir, "--config", config_path, NULL};
    return bl_spawn(argv, out_path ? out_path : out, err);
}

START_TEST(a_crawl_killed_midway_resumes_and_indexes_each_bulletin_once)
{
    pid_t pid = spawn_crawl(NULL, "killed");
    /* Kill it once the site has served some bulletins, in the middle. */
    for (int i = 0; i < 2000 && site_articles_served(&web) < 6; i++)
        usleep(5000);
    ck_assert_int_ge(site_articles_served(&web), 6);
    kill(pid, SIGKILL);
    int status = bl_wait_bounded(pid, 60, "blotter crawl after SIGKILL", NULL);
    ck_assert(WIFSIGNALED(status));

    bl_crawl_stats st;
    failures f = {0};
    bl_error err = {0};
    ck_assert_msg(crawl(&st, &f, &err) == 0, "%s", err.msg);
    ck_assert_int_eq(st.resumed, 1);
    char *index_path = bl_index_path(data_dir);
    assert_each_bulletin_indexed_once(index_path);
    free(index_path);
    /* And a run after that has nothing left to add. */
    ck_assert_msg(crawl(&st, &f, &err) == 0, "%s", err.msg);
    ck_assert_int_eq(st.resumed, 0);
    ck_assert_uint_eq(st.added, 0);
}
END_TEST

START_TEST(a_second_crawl_on_the_same_data_directory_refuses_to_start)
{
    char lock_path[300];
    snprintf(lock_path, sizeof lock_path, "%s/crawl.lock", data_dir);
    int fd = open(lock_path, O_RDWR | O_CREAT, 0644);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(flock(fd, LOCK_EX | LOCK_NB), 0);
    bl_crawl_stats st;
    failures f = {0};
    bl_error err = {0};
    ck_assert_int_eq(crawl(&st, &f, &err), BL_ELOCKED);
    ck_assert_msg(strstr(err.msg, "another blotter crawl"), "%s", err.msg);
    ck_assert_int_eq(site_count(&web, "/robots.txt", 0), 0);
    close(fd);
}
END_TEST

START_TEST(the_archive_alone_rebuilds_the_index)
{
    bl_crawl_stats st;
    failures f = {0};
    bl_error err = {0};
    ck_assert_msg(crawl(&st, &f, &err) == 0, "%s", err.msg);
    char pattern[300];
    snprintf(pattern, sizeof pattern, "%s/archive/*.warc.gz", data_dir);
    glob_t g;
    ck_assert_int_eq(glob(pattern, 0, NULL, &g), 0);
    ck_assert_uint_eq(g.gl_pathc, 1);
    site_stop(&web); /* no network from here on */

    char rebuilt[300];
    snprintf(rebuilt, sizeof rebuilt, "%s/rebuilt", data_dir);
    bl_indexer *ix = NULL;
    ck_assert_msg(bl_indexer_open(rebuilt, &ix, &err) == 0, "%s", err.msg);
    bl_warc_index_stats ws;
    ck_assert_msg(bl_warc_index_file(g.gl_pathv[0], ix, &ws, &err) == 0, "%s", err.msg);
    ck_assert_uint_eq(ws.added, N_BULLETINS);
    ck_assert_uint_eq(ws.failed, 0);
    ck_assert_uint_gt(ws.skipped, 5); /* listings, feed, sitemaps, robots, revisits, errors */
    /* Each answer's request is archived beside it. */
    bl_warc_reader *r = NULL;
    bl_warc_record *rec = NULL;
    int responses = 0, requests = 0;
    ck_assert_int_eq(bl_warc_reader_open(g.gl_pathv[0], &r, &err), 0);
    while (bl_warc_reader_next(r, &rec, &err) == 1) {
        responses += !strcmp(rec->type, "response");
        if (!strcmp(rec->type, "request")) {
            requests++;
            ck_assert_ptr_nonnull(rec->concurrent_to);
            ck_assert_ptr_nonnull(strstr(rec->block, "User-Agent: blotter-test/1.0\r\n"));
        }
        bl_warc_record_free(rec);
    }
    bl_warc_reader_close(r);
    ck_assert_int_gt(responses, 20);
    ck_assert_int_eq(requests, responses);
    ck_assert_int_eq(bl_indexer_close(ix, &err), 0);
    assert_each_bulletin_indexed_once(rebuilt);

    /* Reading it again changes nothing. */
    ck_assert_int_eq(bl_indexer_open(rebuilt, &ix, &err), 0);
    ck_assert_int_eq(bl_warc_index_file(g.gl_pathv[0], ix, &ws, &err), 0);
    ck_assert_uint_eq(ws.added, 0);
    ck_assert_uint_eq(ws.unchanged, N_BULLETINS);
    ck_assert_int_eq(bl_indexer_close(ix, &err), 0);
    globfree(&g);
}
END_TEST

START_TEST(an_archive_cut_short_is_indexed_up_to_the_cut_and_reported)
{
    bl_crawl_stats st;
    failures f = {0};
    bl_error err = {0};
    ck_assert_msg(crawl(&st, &f, &err) == 0, "%s", err.msg);
    char pattern[300];
    snprintf(pattern, sizeof pattern, "%s/archive/*.warc.gz", data_dir);
    glob_t g;
    ck_assert_int_eq(glob(pattern, 0, NULL, &g), 0);
    struct stat sb;
    ck_assert_int_eq(stat(g.gl_pathv[0], &sb), 0);
    ck_assert_int_eq(truncate(g.gl_pathv[0], sb.st_size - 20), 0);
    char rebuilt[300];
    snprintf(rebuilt, sizeof rebuilt, "%s/rebuilt", data_dir);
    bl_indexer *ix = NULL;
    ck_assert_int_eq(bl_indexer_open(rebuilt, &ix, &err), 0);
    bl_warc_index_stats ws;
    ck_assert_int_eq(bl_warc_index_file(g.gl_pathv[0], ix, &ws, &err), BL_ECORRUPT);
    ck_assert_msg(strstr(err.msg, "truncated"), "%s", err.msg);
    ck_assert_uint_ge(ws.records, 10);
    ck_assert_int_eq(bl_indexer_close(ix, NULL), 0);
    globfree(&g);
}
END_TEST

START_TEST(a_host_whose_robots_txt_fails_with_5xx_is_not_crawled_now)
{
    web.robots_status = 503;
    bl_crawl_stats st;
    failures f = {0};
    bl_error err = {0};
    ck_assert_msg(crawl(&st, &f, &err) == 0, "%s", err.msg);
    ck_assert_uint_eq(st.failed, 3); /* the seed, the feed and the sitemap */
    ck_assert_uint_eq(st.added, 0);
    ck_assert(failed_with(&f, "/list/index.html", "robots.txt unavailable (HTTP 503)"));
    ck_assert_int_eq(site_count(&web, "/list/index.html", 0), 0);
    /* The next run asks again, and crawls once robots.txt is back. */
    web.robots_status = 0;
    ck_assert_msg(crawl(&st, &f, &err) == 0, "%s", err.msg);
    ck_assert_int_eq(site_count(&web, "/robots.txt", 0), 2);
    ck_assert_uint_eq(st.added, N_BULLETINS);
}
END_TEST

START_TEST(a_robots_txt_that_is_not_found_allows_everything)
{
    web.robots_status = 404;
    bl_crawl_stats st;
    failures f = {0};
    bl_error err = {0};
    ck_assert_msg(crawl(&st, &f, &err) == 0, "%s", err.msg);
    ck_assert_uint_eq(st.robots, 0);
    ck_assert_int_eq(site_count(&web, "/private/secret.html", 0), 1);
    ck_assert_uint_eq(st.added, N_BULLETINS + 1);
}
END_TEST

/* Runs `blotter crawl ARGS` in a child with stdout and stderr in files;
 * returns the exit status and the two outputs (malloc'd). */
static int run_cmd(const char *const *args, char **out, char **errs)
{
    char out_path[300], err_path[300];
    snprintf(out_path, sizeof out_path, "%s/cmd.out", data_dir);
    snprintf(err_path, sizeof err_path, "%s/cmd.err", data_dir);
    const char *argv[16] = {BL_TEST_BINARY, "crawl"};
    int argc = 2;
    for (; args[argc - 2] && argc < 15; argc++)
        argv[argc] = args[argc - 2];
    argv[argc] = NULL;
    int status = bl_wait_bounded(bl_spawn(argv, out_path, err_path), 90, "blotter crawl", NULL);
    ck_assert(WIFEXITED(status));
    *out = bl_slurp(out_path);
    *errs = bl_slurp(err_path);
    return WEXITSTATUS(status);
}

START_TEST(a_crawl_stopped_by_sigterm_keeps_its_work_exits_130_and_resumes)
{
    char out_path[300];
    snprintf(out_path, sizeof out_path, "%s/term.out", data_dir);
    pid_t pid = spawn_crawl(out_path, "term");
    for (int i = 0; i < 2000 && site_articles_served(&web) < 4; i++)
        usleep(5000);
    kill(pid, SIGTERM);
    int status = bl_wait_bounded(pid, 60, "blotter crawl after SIGTERM", NULL);
    ck_assert(WIFEXITED(status));
    ck_assert_int_eq(WEXITSTATUS(status), 130);
    FILE *f = fopen(out_path, "r");
    char line[300] = "";
    ck_assert_ptr_nonnull(fgets(line, sizeof line, f));
    fclose(f);
    ck_assert_msg(strstr(line, "interrupted: the next run resumes"), "%s", line);

    bl_crawl_stats st;
    failures fl = {0};
    bl_error err = {0};
    ck_assert_msg(crawl(&st, &fl, &err) == 0, "%s", err.msg);
    ck_assert_int_eq(st.resumed, 1);
    char *index_path = bl_index_path(data_dir);
    assert_each_bulletin_indexed_once(index_path);
    free(index_path);
}
END_TEST

static int count_lines(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

START_TEST(quiet_crawl_prints_one_summary_line_and_lists_failures_with_status_1)
{
    char *out, *errs;
    const char *args[] = {"--data", data_dir, "--config", config_path, "--quiet", NULL};
    ck_assert_int_eq(run_cmd(args, &out, &errs), 1);
    ck_assert_int_eq(count_lines(out), 1);
    ck_assert_str_eq(out, "crawl: 14 new, 0 updated, 1 not modified, 1 skipped by robots, 4 failed\n");
    ck_assert_int_eq(count_lines(errs), 4);
    ck_assert_ptr_nonnull(strstr(errs, "blotter crawl: http://127.0.0.1:"));
    ck_assert_ptr_nonnull(strstr(errs, "/news/missing.html: HTTP 404\n"));
    free(out);
    free(errs);
}
END_TEST

START_TEST(a_bad_sources_file_stops_the_crawl_with_status_2_before_any_request)
{
    FILE *f = fopen(config_path, "a");
    fputs("colour = red\n", f);
    fclose(f);
    char *out, *errs;
    const char *args[] = {"--data", data_dir, "--config", config_path, NULL};
    ck_assert_int_eq(run_cmd(args, &out, &errs), 2);
    ck_assert_msg(strstr(errs, "sources.ini:24: unknown key 'colour'"), "%s", errs);
    ck_assert_str_eq(out, "");
    ck_assert_int_eq(site_count(&web, "/robots.txt", 0), 0);
    free(out);
    free(errs);
}
END_TEST

/* The shipped sources file crawls the bundled sample site from disk. */
START_TEST(the_sample_sources_file_crawls_the_bundled_site_with_no_network)
{
    snprintf(data_dir, sizeof data_dir, "/tmp/blotter-crawl-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(data_dir));
    bl_error err = {0};
    ck_assert_msg(bl_crawl_config_load(BL_TEST_SOURCE_DIR "/samples/sources.ini", &cfg, &err) == 0,
                  "%s", err.msg);
    bl_crawl_stats st;
    failures f = {0};
    ck_assert_msg(crawl(&st, &f, &err) == 0, "%s", err.msg);
    ck_assert_msg(st.failed == 0, "%s", f.n ? f.urls[0] : "");
    ck_assert_uint_eq(st.added, 12);
    ck_assert_uint_eq(st.robots, 0);

    char key[600];
    snprintf(key, sizeof key, "file://%s/samples/site/news/doj-001.html", BL_TEST_SOURCE_DIR);
    char *index_path = bl_index_path(data_dir);
    bl_xdb *db = NULL;
    ck_assert_int_eq(bl_xdb_open(index_path, BL_XDB_READ, &db, &err), 0);
    char term[BL_ID_TERM_SIZE];
    bl_id_term(key, term);
    uint64_t n = 0;
    ck_assert_int_eq(bl_xdb_term_freq(db, term, &n, &err), 0);
    ck_assert_uint_eq(n, 1);
    bl_xdb_close(db);
    free(index_path);

    /* The first run's archive alone gives the same bulletins. */
    char pattern[300], rebuilt[300];
    snprintf(pattern, sizeof pattern, "%s/archive/*.warc.gz", data_dir);
    snprintf(rebuilt, sizeof rebuilt, "%s/rebuilt", data_dir);
    glob_t g;
    ck_assert_int_eq(glob(pattern, 0, NULL, &g), 0);
    ck_assert_uint_eq(g.gl_pathc, 1);
    /* Files are archived as resource records (there is no HTTP exchange). */
    bl_warc_reader *r = NULL;
    bl_warc_record *rec = NULL;
    int resources = 0, responses = 0;
    ck_assert_int_eq(bl_warc_reader_open(g.gl_pathv[0], &r, &err), 0);
    while (bl_warc_reader_next(r, &rec, &err) == 1) {
        resources += !strcmp(rec->type, "resource");
        responses += !strcmp(rec->type, "response");
        bl_warc_record_free(rec);
    }
    bl_warc_reader_close(r);
    ck_assert_int_ge(resources, 12 + 2 + 2); /* bulletins, listings, feed and sitemap */
    ck_assert_int_eq(responses, 0);
    bl_indexer *ix = NULL;
    ck_assert_int_eq(bl_indexer_open(rebuilt, &ix, &err), 0);
    bl_warc_index_stats ws;
    ck_assert_msg(bl_warc_index_file(g.gl_pathv[0], ix, &ws, &err) == 0, "%s", err.msg);
    ck_assert_uint_eq(ws.added, 12);
    ck_assert_int_eq(bl_indexer_close(ix, &err), 0);
    globfree(&g);

    /* Files have no validators: the same bytes read again are not re-indexed. */
    ck_assert_msg(crawl(&st, &f, &err) == 0, "%s", err.msg);
    ck_assert_uint_eq(st.added, 0);
    ck_assert_uint_eq(st.updated, 0);
    ck_assert_uint_eq(st.not_modified, 12);
    teardown();
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("crawl");
    TCase *tc = tcase_create("site");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, a_crawl_indexes_every_bulletin_it_may_and_reports_the_rest);
    tcase_add_test(tc, a_second_crawl_asks_conditionally_and_indexes_nothing_new);
    tcase_add_test(tc, a_crawl_killed_midway_resumes_and_indexes_each_bulletin_once);
    tcase_add_test(tc, a_second_crawl_on_the_same_data_directory_refuses_to_start);
    tcase_add_test(tc, the_archive_alone_rebuilds_the_index);
    tcase_add_test(tc, an_archive_cut_short_is_indexed_up_to_the_cut_and_reported);
    tcase_add_test(tc, a_host_whose_robots_txt_fails_with_5xx_is_not_crawled_now);
    tcase_add_test(tc, a_robots_txt_that_is_not_found_allows_everything);
    tcase_add_test(tc, a_crawl_stopped_by_sigterm_keeps_its_work_exits_130_and_resumes);
    tcase_add_test(tc, quiet_crawl_prints_one_summary_line_and_lists_failures_with_status_1);
    tcase_add_test(tc, a_bad_sources_file_stops_the_crawl_with_status_2_before_any_request);
    suite_add_tcase(s, tc);
    tc = tcase_create("files");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, the_sample_sources_file_crawls_the_bundled_site_with_no_network);
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
