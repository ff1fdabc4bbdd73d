/* Written numbers: every form bl_number_parse promises, and what it refuses. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bl_facts.h"

typedef struct number_case {
    const char *input;
    size_t consumed; /* 0: not a number */
    double value;
} number_case;

static const number_case numbers[] = {
    {"1461", 4, 1461},
    {"1,461", 5, 1461},
    {"12,345,678 people", 10, 12345678},
    {"1.5 tons", 3, 1.5},
    {"1.2 million", 11, 1.2e6},
    {"2.5 billion dollars", 11, 2.5e9},
    {"three", 5, 3},
    {"Three suspects", 5, 3},
    {"twenty-one", 10, 21},
    {"two dozen", 9, 24},
    {"a dozen victims", 7, 12},
    {"one hundred and five", 20, 105},
    {"seven hundred thirty-five", 25, 735},
    {"\xEF\xBC\x91\xEF\xBC\x94\xEF\xBC\x96\xEF\xBC\x91", 12, 1461}, /* １４６１ */
    {"一千四百六十一", 21, 1461},
    {"两千", 6, 2000},
    {"十年", 3, 10},
    {"二十一名", 9, 21},
    {"一百零五", 12, 105},
    {"三万五", 9, 35000},
    {"二〇一九年", 12, 2019},
    {"1.2万", 6, 12000},
    {"11.6亿元", 7, 1.16e9},
    {"1亿6千7百多", 12, 1.67e8},
    {"10余万", 8, 1e5},
    {"3千多万", 10, 3e7},
    {"壹佰贰拾", 12, 120},
    {"2019.", 4, 2019},   /* a full stop is no decimal point */
    {"1,2345", 1, 1},     /* a comma group has three digits */
    {"dozens", 0, 0},     /* vague */
    {"hundreds of", 0, 0},
    {"several", 0, 0},
    {"万", 0, 0},
    {"abc", 0, 0},
    {"", 0, 0},
};

START_TEST(every_written_form_parses_to_its_value)
{
    const number_case *c = &numbers[_i];
    double v = -1;
    size_t n = bl_number_parse(c->input, strlen(c->input), &v);
    ck_assert_msg(n == c->consumed, "'%s': consumed %zu, expected %zu", c->input, n, c->consumed);
    if (c->consumed)
        ck_assert_msg(fabs(v - c->value) < 1e-6 * fmax(1, c->value), "'%s': %g, expected %g",
                      c->input, v, c->value);
}
END_TEST

START_TEST(parsing_never_reads_past_the_given_length)
{
    /* "1,461" cut after "1,46": the group is incomplete, so only "1" */
    double v = 0;
    ck_assert_uint_eq(bl_number_parse("1,461", 4, &v), 1);
    ck_assert(v == 1);
    /* a Chinese numeral cut inside a character */
    ck_assert_uint_eq(bl_number_parse("一千", 4, &v), 3);
    ck_assert(v == 1);
}
END_TEST

START_TEST(invalid_utf8_is_not_a_number_and_does_not_crash)
{
    static const char *const bad[] = {"\xE4\xB8", "\xFF\xFE\xFD", "\xEF\xBC", "\xC0\xAF" "1"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        double v = 0;
        ck_assert_uint_eq(bl_number_parse(bad[i], strlen(bad[i]), &v), 0);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("numbers");
    TCase *tc = tcase_create("parse");
    tcase_add_loop_test(tc, every_written_form_parses_to_its_value, 0,
                        (int)(sizeof numbers / sizeof numbers[0]));
    tcase_add_test(tc, parsing_never_reads_past_the_given_length);
    tcase_add_test(tc, invalid_utf8_is_not_a_number_and_does_not_crash);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
