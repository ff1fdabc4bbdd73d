/* Research features end to end, on fixture bulletins with hand-checked facts:
 * fact ranges, currency, facets against a brute-force count, sorting by a fact,
 * duplicates, "did you mean", synonyms, more like this, and campaigns with
 * their timeline, CSV and chart. */
#include <check.h>
#include <fcntl.h>
#include <ftw.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <json-c/json.h>

#include "blotter_run.h"

#define FIXTURES BL_TEST_SOURCE_DIR "/tests/fixtures/research"

static char work[256], data[300];

typedef bl_run_result run_result;

static run_result blotter(const char *const *args)
{
    return bl_run_blotter(work, args);
}

#define run_free bl_run_free

static void setup(void)
{
    bl_make_work_dir("research", work);
    snprintf(data, sizeof data, "%s/data", work);
    const char *a[] = {"index", "--data", data, FIXTURES, NULL};
    run_result r = blotter(a);
    ck_assert_msg(r.status == 0, "%s", r.err);
    run_free(&r);
}

static void teardown(void)
{
    bl_remove_tree(work);
}

/* `blotter search --format json` with extra options; the parsed answer. */
static json_object *search(const char *query, const char *opt1, const char *val1)
{
    const char *args[] = {"search", "--data", data, "--format", "json", "--limit", "50",
                          opt1 ? opt1 : query, opt1 ? val1 : NULL, opt1 ? query : NULL, NULL};
    run_result r = blotter(args);
    ck_assert_msg(r.status == 0 || r.status == 1, "%s: exit %d: %s", query, r.status, r.err);
    json_object *o = json_tokener_parse(r.out);
    ck_assert_msg(o != NULL, "not JSON: %s", r.out);
    run_free(&r);
    return o;
}

static json_object *member(json_object *o, const char *key)
{
    json_object *v = NULL;
    ck_assert_msg(json_object_object_get_ex(o, key, &v), "no member %s", key);
    return v;
}

/* The hits' URLs, space-separated, in order (caller frees). */
static char *urls(json_object *o)
{
    json_object *hits = member(o, "hits");
    char *s = calloc(1, 4096);
    for (size_t i = 0; i < json_object_array_length(hits); i++) {
        strcat(s, json_object_get_string(member(json_object_array_get_idx(hits, i), "url")));
        strcat(s, " ");
    }
    return s;
}

typedef struct range_case {
    const char *query;
    int total;
    const char *want[4]; /* URL parts the answer holds */
} range_case;

static const range_case range_cases[] = {
    {"suspects:1000..", 4, {"legend-update", "legend-results", "liehu", "seed-bulletin"}},
    {"suspects:..1499", 2, {"liehu", "seed-bulletin"}},
    {"suspects:1461", 1, {"seed-bulletin"}},
    {"money:1m.. currency:usd", 1, {"fraud-ring"}},
    {"money:1m.. currency:cny", 1, {"liehu"}},
    {"prison_months:90..", 1, {"fraud-ring"}},
    {"defendants:200.. date:2020-08", 1, {"legend-update"}},
    {"campaign:\"operation legend\"", 2, {"legend-update", "legend-results"}},
    {"campaign:猎狐行动 OR campaign:\"hundred days action\"", 2, {"liehu", "seed-bulletin"}},
    {"suspects:1000.. lang:zh", 1, {"liehu"}},
};

START_TEST(fact_ranges_and_filters_find_exactly_their_bulletins)
{
    const range_case *c = &range_cases[_i];
    json_object *o = search(c->query, NULL, NULL);
    char *u = urls(o);
    ck_assert_msg(json_object_get_int(member(o, "total")) == c->total, "%s: %s", c->query, u);
    for (int k = 0; k < 4 && c->want[k]; k++)
        ck_assert_msg(strstr(u, c->want[k]), "%s: %s missing from %s", c->query, c->want[k], u);
    free(u);
    json_object_put(o);
}
END_TEST

START_TEST(results_sort_by_a_fact_largest_first)
{
    json_object *o = search("suspects:1..", "--sort", "-suspects");
    char *u = urls(o);
    const char *order[] = {"legend-results", "legend-update", "seed-bulletin", "liehu"};
    for (int k = 0; k < 3; k++)
        ck_assert_msg(strstr(u, order[k]) < strstr(u, order[k + 1]), "%s", u);
    free(u);
    json_object_put(o);
}
END_TEST

START_TEST(the_same_text_twice_shows_once_with_its_other_url)
{
    json_object *o = search("\"operation legend\" fentanyl", NULL, NULL);
    ck_assert_int_eq(json_object_get_int(member(o, "total")), 1);
    json_object *hit = json_object_array_get_idx(member(o, "hits"), 0);
    json_object *dups = member(hit, "duplicates");
    ck_assert_int_eq(json_object_array_length(dups), 1);
    const char *a = json_object_get_string(member(hit, "url"));
    const char *b = json_object_get_string(json_object_array_get_idx(dups, 0));
    ck_assert_msg((strstr(a, "legend-update") && strstr(b, "mirror")) ||
                  (strstr(a, "mirror") && strstr(b, "legend-update")), "%s / %s", a, b);
    json_object_put(o);
}
END_TEST

/* For every facet value, the facet count equals the number of bulletins that
 * the query AND that value match, counted by a separate search. */
static void check_facet_against_brute_force(const char *query, const char *facet, const char *field)
{
    json_object *o = search(query, "--facet", facet);
    json_object *list = member(member(o, "facets"), facet);
    ck_assert_int_gt(json_object_array_length(list), 0);
    for (size_t i = 0; i < json_object_array_length(list); i++) {
        json_object *e = json_object_array_get_idx(list, i);
        char q[512];
        snprintf(q, sizeof q, "(%s) %s:\"%s\"", query, field, json_object_get_string(member(e, "value")));
        json_object *brute = search(q, NULL, NULL);
        ck_assert_msg(json_object_get_int(member(e, "count")) == json_object_get_int(member(brute, "total")),
                      "%s: facet says %d, search says %d", q, json_object_get_int(member(e, "count")),
                      json_object_get_int(member(brute, "total")));
        json_object_put(brute);
    }
    json_object_put(o);
}

START_TEST(facet_counts_equal_a_brute_force_count)
{
    check_facet_against_brute_force("*", "year", "year");
    check_facet_against_brute_force("*", "lang", "lang");
    check_facet_against_brute_force("*", "campaign", "campaign");
    check_facet_against_brute_force("suspects:1..", "agency", "agency");
}
END_TEST

START_TEST(a_misspelt_query_suggests_the_indexed_spelling)
{
    json_object *o = search("telemarketting fentanil", NULL, NULL);
    ck_assert_int_eq(json_object_get_int(member(o, "total")), 0);
    ck_assert_str_eq(json_object_get_string(member(o, "suggestion")), "telemarketing fentanyl");
    json_object_put(o);
}
END_TEST

START_TEST(a_tilde_word_also_finds_its_synonyms)
{
    json_object *plain = search("swindle", NULL, NULL);
    ck_assert_int_eq(json_object_get_int(member(plain, "total")), 0);
    json_object_put(plain);
    json_object *o = search("~swindle", NULL, NULL);
    char *u = urls(o);
    ck_assert_msg(strstr(u, "fraud-ring"), "%s", u);
    free(u);
    json_object_put(o);
}
END_TEST

START_TEST(similar_bulletins_leave_out_the_bulletin_itself)
{
    const char *args[] = {"similar", "--data", data, "--format", "json",
                          "https://example.gov/pr/2020/12/legend-results", NULL};
    run_result r = blotter(args);
    ck_assert_msg(r.status == 0, "%s", r.err);
    json_object *o = json_tokener_parse(r.out);
    char *u = urls(o);
    ck_assert_msg(strstr(u, "legend-update") || strstr(u, "mirror"), "%s", u);
    ck_assert_msg(!strstr(u, "legend-results"), "%s", u);
    free(u);
    json_object_put(o);
    run_free(&r);
    const char *missing[] = {"similar", "--data", data, "https://nowhere.example/x", NULL};
    r = blotter(missing);
    ck_assert_int_eq(r.status, 2);
    ck_assert_ptr_nonnull(strstr(r.err, "not in the index"));
    run_free(&r);
}
END_TEST

static json_object *find_campaign(json_object *list, const char *name)
{
    for (size_t i = 0; i < json_object_array_length(list); i++) {
        json_object *c = json_object_array_get_idx(list, i);
        if (strcmp(json_object_get_string(member(c, "name")), name) == 0)
            return c;
    }
    ck_abort_msg("campaign %s not listed", name);
    return NULL;
}

static double fact(json_object *c, const char *category, const char *what)
{
    return json_object_get_double(member(member(member(c, "facts"), category), what));
}

START_TEST(campaigns_list_bulletins_dates_agencies_and_fact_totals)
{
    const char *args[] = {"campaigns", "--data", data, "--format", "json", "--timeline", NULL};
    run_result r = blotter(args);
    ck_assert_msg(r.status == 0, "%s", r.err);
    json_object *o = json_tokener_parse(r.out);
    json_object *list = member(o, "campaigns");
    /* the founding example's three campaigns */
    find_campaign(list, "Hundred Days Action");
    find_campaign(list, "Meerkat Hunting Action");
    json_object *hd = find_campaign(list, "Snake Catching Action");
    ck_assert_double_eq(fact(hd, "suspects", "max"), 1461);
    ck_assert_double_eq(fact(hd, "cases", "total"), 735);
    /* the same bulletin twice counts once */
    json_object *legend = find_campaign(list, "Operation Legend");
    ck_assert_int_eq(json_object_get_int(member(legend, "bulletins")), 2);
    ck_assert_str_eq(json_object_get_string(member(legend, "first")), "2020-08-19");
    ck_assert_str_eq(json_object_get_string(member(legend, "last")), "2020-12-23");
    ck_assert_double_eq(fact(legend, "suspects", "total"), 7500);
    ck_assert_double_eq(fact(legend, "suspects", "max"), 6000);
    json_object *timeline = member(legend, "timeline");
    ck_assert_int_eq(json_object_array_length(timeline), 2);
    ck_assert_str_eq(json_object_get_string(member(json_object_array_get_idx(timeline, 0), "month")), "2020-08");
    json_object *liehu = find_campaign(list, "猎狐行动");
    ck_assert_double_eq(fact(liehu, "money", "max"), 1.16e9);
    json_object_put(o);
    run_free(&r);
}
END_TEST

START_TEST(campaigns_csv_and_chart_are_written_for_spreadsheets_and_people)
{
    const char *csv[] = {"campaigns", "--data", data, "--format", "csv", NULL};
    run_result r = blotter(csv);
    ck_assert_int_eq(r.status, 0);
    ck_assert(strncmp(r.out, "campaign,bulletins,first,last,agencies,cases_total,", 51) == 0);
    ck_assert_ptr_nonnull(strstr(r.out, "\r\nOperation Legend,2,2020-08-19,2020-12-23,Department of Justice,"));
    run_free(&r);

    char svg[400];
    snprintf(svg, sizeof svg, "%s/chart.svg", work);
    const char *plot[] = {"campaigns", "--data", data, "--plot", svg, "--fact", "suspects", NULL};
    r = blotter(plot);
    ck_assert_msg(r.status == 0, "%s", r.err);
    run_free(&r);
    char *s = bl_slurp(svg);
    ck_assert_ptr_nonnull(strstr(s, "<svg"));
    ck_assert_ptr_nonnull(strstr(s, "suspects per month"));  /* the y axis says what it counts */
    ck_assert_ptr_nonnull(strstr(s, ">Operation Legend</text>")); /* a legend entry */
    ck_assert_ptr_nonnull(strstr(s, ">2019-11</text>")); /* the first month on the axis */
    ck_assert_ptr_nonnull(strstr(s, "<polyline"));
    free(s);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("research features");
    TCase *tc = tcase_create("fixture bulletins");
    tcase_add_unchecked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, fact_ranges_and_filters_find_exactly_their_bulletins, 0,
                        sizeof range_cases / sizeof range_cases[0]);
    tcase_add_test(tc, results_sort_by_a_fact_largest_first);
    tcase_add_test(tc, the_same_text_twice_shows_once_with_its_other_url);
    tcase_add_test(tc, facet_counts_equal_a_brute_force_count);
    tcase_add_test(tc, a_misspelt_query_suggests_the_indexed_spelling);
    tcase_add_test(tc, a_tilde_word_also_finds_its_synonyms);
    tcase_add_test(tc, similar_bulletins_leave_out_the_bulletin_itself);
    tcase_add_test(tc, campaigns_list_bulletins_dates_agencies_and_fact_totals);
    tcase_add_test(tc, campaigns_csv_and_chart_are_written_for_spreadsheets_and_people);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_set_fork_status(sr, CK_NOFORK);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
