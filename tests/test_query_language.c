/* The query language: range bounds, normalisation of fields, parse errors. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "query_build.h"
#include "range_convert.h"

typedef struct {
    const char *in;
    int upper;
    const char *want; /* NULL: not a date */
} date_case;

static const date_case date_cases[] = {
    {"2019", 0, "20190101"},       {"2019", 1, "20191231"},
    {"2019-07", 0, "20190701"},    {"2019-07", 1, "20190731"},
    {"2019-02", 1, "20190228"},    {"2020-02", 1, "20200229"},
    {"2019-06-01", 0, "20190601"}, {"2019-06-01", 1, "20190601"},
    {"20190704", 0, "20190704"},   {"2019-13", 0, NULL},
    {"2019-02-30", 0, NULL},       {"19", 0, NULL},
    {"2019-7-1", 0, NULL},         {"yesterday", 1, NULL},
    {"", 0, NULL},
};

START_TEST(date_bounds_expand_years_and_months_to_their_first_or_last_day)
{
    const date_case *c = &date_cases[_i];
    char out[9];
    int rc = bl_parse_date_bound(c->in, c->upper, out);
    if (c->want) {
        ck_assert_msg(rc == 0, "'%s' should parse", c->in);
        ck_assert_str_eq(out, c->want);
    } else {
        ck_assert_msg(rc != 0, "'%s' should not parse", c->in);
    }
}
END_TEST

typedef struct {
    const char *in;
    double want;
    int ok;
} number_case;

static const number_case number_cases[] = {
    {"1000", 1000, 1}, {"1,000", 1000, 1}, {"1.5", 1.5, 1}, {"2k", 2000, 1},
    {"1.5m", 1500000, 1}, {"3B", 3e9, 1}, {"abc", 0, 0}, {"12x", 0, 0}, {"", 0, 0},
};

START_TEST(number_bounds_accept_commas_decimals_and_suffixes)
{
    const number_case *c = &number_cases[_i];
    double v = -1;
    int rc = bl_parse_number_bound(c->in, &v);
    ck_assert_int_eq(rc == 0, c->ok);
    if (c->ok)
        ck_assert_double_eq_tol(v, c->want, 1e-9);
}
END_TEST

START_TEST(a_reversed_date_range_is_refused_with_its_reason)
{
    char lo[64], hi[64], why[200];
    size_t lo_len, hi_len;
    int rc = bl_range_convert_date(NULL, "2020", "2019", lo, &lo_len, hi, &hi_len, why, sizeof why);
    ck_assert_int_ne(rc, 0);
    ck_assert_ptr_nonnull(strstr(why, "after"));
    rc = bl_range_convert_date(NULL, "", "2019-07", lo, &lo_len, hi, &hi_len, why, sizeof why);
    ck_assert_int_eq(rc, 0);
    ck_assert_uint_eq(lo_len, 0);
    ck_assert_uint_eq(hi_len, 8);
    ck_assert(memcmp(hi, "20190731", 8) == 0);
}
END_TEST

typedef struct {
    const char *in, *want;
} normalise_case;

static const normalise_case normalise_cases[] = {
    {"smuggling", "smuggling"},
    {"date:2019-07", "date:2019-07..2019-07"},
    {"date:2019..2020", "date:2019..2020"},
    {"suspects:1461 fraud", "suspects:1461..1461 fraud"},
    {"suspects:1000..", "suspects:1000.."},
    {"agency:\"National Immigration Administration\"", "agency:\"national immigration administration\""},
    {"(lang:ZH OR site:Justice.gov)", "(lang:zh OR site:justice.gov)"},
    {"\"date:2019 in a phrase\"", "\"date:2019 in a phrase\""},
    {"update:2019", "update:2019"},
    {"-date:2019", "-date:2019..2019"},
};

START_TEST(single_range_values_become_ranges_and_filters_are_lowercased)
{
    const normalise_case *c = &normalise_cases[_i];
    char *out = bl_query_normalise(c->in);
    ck_assert_ptr_nonnull(out);
    ck_assert_str_eq(out, c->want);
    free(out);
}
END_TEST

START_TEST(an_overlong_query_is_refused_not_truncated)
{
    size_t n = BL_QUERY_MAX + 10;
    char *q = malloc(n + 1);
    memset(q, 'a', n);
    q[n] = '\0';
    bl_error err = {0};
    bl_xquery *out = NULL;
    ck_assert_int_eq(bl_query_parse(NULL, q, &out, &err), BL_EQUERY);
    ck_assert_ptr_null(out);
    ck_assert_ptr_nonnull(strstr(err.msg, "longer"));
    free(q);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("query language");
    TCase *tc = tcase_create("core");
    tcase_add_loop_test(tc, date_bounds_expand_years_and_months_to_their_first_or_last_day, 0,
                        sizeof date_cases / sizeof date_cases[0]);
    tcase_add_loop_test(tc, number_bounds_accept_commas_decimals_and_suffixes, 0,
                        sizeof number_cases / sizeof number_cases[0]);
    tcase_add_test(tc, a_reversed_date_range_is_refused_with_its_reason);
    tcase_add_loop_test(tc, single_range_values_become_ranges_and_filters_are_lowercased, 0,
                        sizeof normalise_cases / sizeof normalise_cases[0]);
    tcase_add_test(tc, an_overlong_query_is_refused_not_truncated);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
