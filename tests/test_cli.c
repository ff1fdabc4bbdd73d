/* blotter end to end: the built binary indexes real fixture files into a real
 * index in a temporary data directory, and searches it as a shell user would.
 * Every run checks the exit status and that the process was not killed by a
 * signal. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <json-c/json.h>

#include "blotter_run.h"

#define FIXTURES BL_TEST_SOURCE_DIR "/tests/fixtures"

static char data_dir[300];
static char work_dir[256];

typedef bl_run_result run_result;

static run_result run(const char *const *args)
{
    return bl_run_blotter(work_dir, args);
}

#define run_free bl_run_free

static void setup(void)
{
    bl_make_work_dir("cli", work_dir);
    snprintf(data_dir, sizeof data_dir, "%s/data", work_dir);
    const char *args[] = {"index", "--data", data_dir, FIXTURES "/cli", NULL};
    run_result r = run(args);
    ck_assert_msg(r.status == 0, "index exited %d: %s", r.status, r.err);
    run_free(&r);
}

static void teardown(void)
{
    bl_remove_tree(work_dir);
}

static run_result search(const char *query, const char *format)
{
    const char *args[] = {"search", "--data", data_dir, "--format", format, "--limit", "20", query, NULL};
    return run(args);
}

/* The URLs of the hits of a JSON search, in order, as one space-separated string. */
static char *json_urls(const char *json, int *total)
{
    json_object *o = json_tokener_parse(json);
    ck_assert_msg(o != NULL, "not JSON: %s", json);
    json_object *hits, *v;
    ck_assert(json_object_object_get_ex(o, "hits", &hits));
    ck_assert(json_object_object_get_ex(o, "total", &v));
    *total = json_object_get_int(v);
    char *urls = calloc(1, 8192);
    for (size_t i = 0; i < json_object_array_length(hits); i++) {
        json_object *h = json_object_array_get_idx(hits, i);
        ck_assert(json_object_object_get_ex(h, "url", &v));
        strcat(urls, json_object_get_string(v));
        strcat(urls, " ");
    }
    json_object_put(o);
    return urls;
}

START_TEST(indexing_the_fixtures_again_changes_nothing)
{
    const char *args[] = {"index", "--data", data_dir, FIXTURES "/cli", NULL};
    run_result r = run(args);
    ck_assert_int_eq(r.status, 0);
    ck_assert_msg(strstr(r.out, "0 added, 0 updated, 7 unchanged, 1 skipped, 0 failed"), "%s", r.out);
    run_free(&r);
}
END_TEST

typedef struct query_case {
    const char *query;
    const char *must_find;      /* a URL part every answer includes */
    const char *must_not_find;  /* a URL part no answer includes, or NULL */
    int total;                  /* exact number of hits */
} query_case;

static const query_case query_cases[] = {
    {"smuggling", "workshop-human", "red-notice-facilitates", 3},
    {"\"criminal gangs\"", "seed-bulletin", "workshop-human", 1},
    {"title:fugitive", "red-notice-facilitates", "workshop-human", 1},
    {"date:2013..2014", "red-notice-facilitates", "smuggling-east-africans", 2},
    {"date:2009-01", "smuggling-east-africans", "red-notice-facilitates", 1},
    {"抓获犯罪嫌疑人", "cn-nia-2019", "red-notice-facilitates", 1},
    {"smuggl*", "smuggling-east-africans", NULL, 3},
    {"smuggling -human", "smuggling-east-africans", "workshop-human", 2},
    {"methamphetamine OR telemarketing", "drug-seizure", NULL, 2},
    {"fraud AND ring", "fraud-ring", "drug-seizure", 1},
    {"lang:zh", "cn-nia-2019", "red-notice-facilitates", 1},
    {"site:example.gov", "fraud-ring", "red-notice-facilitates", 2},
};

START_TEST(each_query_form_finds_exactly_its_bulletins)
{
    const query_case *c = &query_cases[_i];
    run_result r = search(c->query, "json");
    ck_assert_msg(r.status == 0, "%s: exit %d: %s", c->query, r.status, r.err);
    int total = -1;
    char *urls = json_urls(r.out, &total);
    ck_assert_msg(total == c->total, "%s: %d hits, not %d: %s", c->query, total, c->total, urls);
    ck_assert_msg(strstr(urls, c->must_find), "%s: %s not in %s", c->query, c->must_find, urls);
    if (c->must_not_find)
        ck_assert_msg(!strstr(urls, c->must_not_find), "%s: %s in %s", c->query, c->must_not_find, urls);
    free(urls);
    run_free(&r);
}
END_TEST

START_TEST(text_output_has_titles_urls_and_snippets_with_the_match)
{
    run_result r = search("smuggling", "text");
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "1. 20"));
    ck_assert_ptr_nonnull(strstr(r.out, "Human Smuggling"));
    ck_assert_ptr_nonnull(strstr(r.out, "https://www.justice.gov/"));
    ck_assert_ptr_nonnull(strstr(r.out, "Results 1-3 of 3."));
    ck_assert_ptr_null(strchr(r.out, '\033')); /* not a terminal: no escapes */
    run_free(&r);
}
END_TEST

START_TEST(csv_output_has_a_header_and_one_row_per_hit)
{
    run_result r = search("smuggling", "csv");
    ck_assert_int_eq(r.status, 0);
    ck_assert(strncmp(r.out, "rank,score,date,title,url,", 26) == 0);
    int rows = 0;
    for (const char *p = r.out; (p = strstr(p, "\r\n")); p += 2)
        rows++;
    ck_assert_int_eq(rows, 4);
    run_free(&r);
}
END_TEST

START_TEST(json_hits_carry_date_lang_snippet_and_facts)
{
    run_result r = search("\"criminal gangs\"", "json");
    ck_assert_int_eq(r.status, 0);
    json_object *o = json_tokener_parse(r.out), *hits, *h, *v, *facts;
    ck_assert(json_object_object_get_ex(o, "hits", &hits));
    h = json_object_array_get_idx(hits, 0);
    ck_assert(json_object_object_get_ex(h, "lang", &v));
    ck_assert_str_eq(json_object_get_string(v), "en");
    ck_assert(json_object_object_get_ex(h, "snippet", &v));
    ck_assert_ptr_nonnull(strstr(json_object_get_string(v), "criminal gangs"));
    ck_assert(json_object_object_get_ex(h, "snippet_html", &v));
    ck_assert_ptr_nonnull(strstr(json_object_get_string(v), "<b>criminal gangs</b>"));
    ck_assert(json_object_object_get_ex(h, "facts", &facts));
    ck_assert(json_object_object_get_ex(facts, "suspects", &v));
    ck_assert_int_eq(json_object_get_int(v), 1461);
    json_object_put(o);
    run_free(&r);
}
END_TEST

START_TEST(results_sort_by_date_both_ways)
{
    const char *args[] = {"search", "--data", data_dir, "--format", "json", "--sort", "-date", "smuggling", NULL};
    run_result r = run(args);
    int total;
    char *urls = json_urls(r.out, &total);
    ck_assert_msg(strstr(urls, "workshop-human") < strstr(urls, "smuggling-east-africans"), "%s", urls);
    free(urls);
    run_free(&r);
    args[6] = "date";
    r = run(args);
    urls = json_urls(r.out, &total);
    ck_assert_msg(strstr(urls, "smuggling-east-africans") < strstr(urls, "workshop-human"), "%s", urls);
    free(urls);
    run_free(&r);
}
END_TEST

START_TEST(no_match_exits_1_like_grep)
{
    run_result r = search("xylophone", "text");
    ck_assert_int_eq(r.status, 1);
    ck_assert_str_eq(r.err, "");
    run_free(&r);
}
END_TEST

static const char *const bad_queries[] = {
    "date:2019-13..2020", "date:2020..2019", "suspects:lots..", "a AND (b OR", "AND",
    "smuggling AND", "date:..", "NOT",
};

START_TEST(a_bad_query_says_why_and_exits_2)
{
    run_result r = search(bad_queries[_i], "text");
    ck_assert_msg(r.status == 2, "'%s' exited %d", bad_queries[_i], r.status);
    ck_assert_msg(strstr(r.err, "blotter search: bad query"), "'%s': %s", bad_queries[_i], r.err);
    ck_assert_str_eq(r.out, "");
    run_free(&r);
}
END_TEST

START_TEST(a_missing_index_is_named_and_exits_2)
{
    char missing[300];
    snprintf(missing, sizeof missing, "%s/nowhere", work_dir);
    const char *args[] = {"search", "--data", missing, "anything", NULL};
    run_result r = run(args);
    ck_assert_int_eq(r.status, 2);
    ck_assert_ptr_nonnull(strstr(r.err, "no index at"));
    ck_assert_ptr_nonnull(strstr(r.err, "nowhere"));
    run_free(&r);
}
END_TEST

START_TEST(a_corrupt_index_is_reported_not_crashed_on)
{
    char path[400];
    snprintf(path, sizeof path, "%s/index/postlist.glass", data_dir);
    int fd = open(path, O_WRONLY);
    ck_assert_int_ge(fd, 0);
    char junk[8192];
    memset(junk, 0x5a, sizeof junk);
    ck_assert_int_eq(pwrite(fd, junk, sizeof junk, 0), (ssize_t)sizeof junk);
    close(fd);
    run_result r = search("smuggling", "text");
    ck_assert_int_eq(r.status, 2);
    ck_assert_msg(strstr(r.err, "blotter search:"), "%s", r.err);
    run_free(&r);
}
END_TEST

static const char *const bad_options[][3] = {
    {"--limit", "-3", "--limit"}, {"--limit", "lots", "--limit"}, {"--sort", "size", "--sort"},
    {"--format", "xml", "--format"}, {"--facet", "colour", "--facet"},
};

START_TEST(bad_options_are_refused_with_exit_2)
{
    const char *args[] = {"search", "--data", data_dir, bad_options[_i][0], bad_options[_i][1], "smuggling", NULL};
    run_result r = run(args);
    ck_assert_int_eq(r.status, 2);
    ck_assert_ptr_nonnull(strstr(r.err, bad_options[_i][2]));
    run_free(&r);
}
END_TEST

START_TEST(bad_json_lines_are_reported_and_the_good_ones_indexed)
{
    const char *args[] = {"index", "--data", data_dir, FIXTURES "/cli-bad/mixed.jsonl", NULL};
    run_result r = run(args);
    ck_assert_int_eq(r.status, 1);
    ck_assert_msg(strstr(r.out, "2 added, 0 updated, 0 unchanged, 0 skipped, 3 failed"), "%s", r.out);
    ck_assert_ptr_nonnull(strstr(r.err, "mixed.jsonl:2:"));
    ck_assert_ptr_nonnull(strstr(r.err, "mixed.jsonl:3: no \"text\" or \"html\" member"));
    ck_assert_ptr_nonnull(strstr(r.err, "mixed.jsonl:4: not a JSON object"));
    run_free(&r);
    run_result s = search("counterfeit", "text");
    ck_assert_int_eq(s.status, 0);
    ck_assert_ptr_nonnull(strstr(s.out, "Results 1-2 of 2."));
    run_free(&s);
}
END_TEST

START_TEST(stories_sharing_one_url_are_kept_apart_by_their_id)
{
    const char *args[] = {"index", "--data", data_dir, FIXTURES "/cli-ids/shared-url.jsonl", NULL};
    run_result r = run(args);
    ck_assert_int_eq(r.status, 0);
    ck_assert_msg(strstr(r.out, "2 added, 0 updated"), "%s", r.out);
    run_free(&r);
    run_result s = search("site:example.gov date:2021-05-05", "text");
    ck_assert_ptr_nonnull(strstr(s.out, "Results 1-2 of 2."));
    run_free(&s);
}
END_TEST

START_TEST(a_binary_file_named_explicitly_is_skipped_with_a_warning)
{
    const char *args[] = {"index", "--data", data_dir, FIXTURES "/cli/blob.bin", NULL};
    run_result r = run(args);
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "1 skipped"));
    ck_assert_ptr_nonnull(strstr(r.err, "blob.bin"));
    run_free(&r);
}
END_TEST

START_TEST(help_goes_to_stdout_and_unknown_commands_exit_2)
{
    const char *help[] = {"search", "--help", NULL};
    run_result r = run(help);
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "usage: blotter search"));
    run_free(&r);
    const char *bogus[] = {"frobnicate", NULL};
    r = run(bogus);
    ck_assert_int_eq(r.status, 2);
    ck_assert_ptr_nonnull(strstr(r.err, "not a blotter command"));
    run_free(&r);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("blotter command line");
    TCase *tc = tcase_create("indexed fixtures");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, indexing_the_fixtures_again_changes_nothing);
    tcase_add_loop_test(tc, each_query_form_finds_exactly_its_bulletins, 0,
                        sizeof query_cases / sizeof query_cases[0]);
    tcase_add_test(tc, text_output_has_titles_urls_and_snippets_with_the_match);
    tcase_add_test(tc, csv_output_has_a_header_and_one_row_per_hit);
    tcase_add_test(tc, json_hits_carry_date_lang_snippet_and_facts);
    tcase_add_test(tc, results_sort_by_date_both_ways);
    tcase_add_test(tc, no_match_exits_1_like_grep);
    tcase_add_loop_test(tc, a_bad_query_says_why_and_exits_2, 0, sizeof bad_queries / sizeof bad_queries[0]);
    tcase_add_test(tc, a_missing_index_is_named_and_exits_2);
    tcase_add_test(tc, a_corrupt_index_is_reported_not_crashed_on);
    tcase_add_loop_test(tc, bad_options_are_refused_with_exit_2, 0, sizeof bad_options / sizeof bad_options[0]);
    tcase_add_test(tc, bad_json_lines_are_reported_and_the_good_ones_indexed);
    tcase_add_test(tc, a_binary_file_named_explicitly_is_skipped_with_a_warning);
    tcase_add_test(tc, stories_sharing_one_url_are_kept_apart_by_their_id);
    tcase_add_test(tc, help_goes_to_stdout_and_unknown_commands_exit_2);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
