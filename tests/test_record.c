/* The bulletin record: JSON both ways, facts, campaigns, bad input. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "bl_record.h"

START_TEST(a_record_survives_a_json_round_trip)
{
    bl_record *r = bl_record_new();
    bl_record_set(&r->url, "https://www.nia.gov.cn/n/1.html", (size_t)-1);
    bl_record_set(&r->title, "国家移民管理局 \"百日行动\"", (size_t)-1);
    bl_record_set(&r->date, "2019-07-07", (size_t)-1);
    bl_record_set(&r->text, "抓获犯罪嫌疑人1461名\n\nline two", (size_t)-1);
    bl_fact f = {.category = "suspects", .value = 1461, .qualifier = "=", .text = "抓获犯罪嫌疑人1461名",
                 .offset = 0, .length = 31};
    bl_record_add_fact(r, &f);
    bl_fact m = {.category = "money", .value = 1.16e9, .qualifier = ">=", .currency = "CNY", .text = "11.6亿元"};
    bl_record_add_fact(r, &m);
    bl_record_add_campaign(r, "百日行动");
    char *json = bl_record_to_json(r, 0);
    ck_assert_ptr_nonnull(strstr(json, "\"value\":1461,"));
    ck_assert_ptr_nonnull(strstr(json, "\"agency\":null"));

    bl_record *back = NULL;
    bl_error err = {0};
    ck_assert_int_eq(bl_record_from_json(json, strlen(json), &back, &err), 0);
    ck_assert_str_eq(back->title, r->title);
    ck_assert_str_eq(back->text, r->text);
    ck_assert_ptr_null(back->agency);
    ck_assert_uint_eq(back->n_facts, 2);
    ck_assert_str_eq(back->facts[1].currency, "CNY");
    ck_assert_str_eq(back->facts[1].qualifier, ">=");
    ck_assert_uint_eq(back->facts[0].length, 31);
    ck_assert_uint_eq(back->n_campaigns, 1);
    char *again = bl_record_to_json(back, 0);
    ck_assert_str_eq(again, json);
    free(again);
    free(json);
    bl_record_free(back);
    bl_record_free(r);
}
END_TEST

START_TEST(campaigns_are_kept_once_whatever_their_case)
{
    bl_record *r = bl_record_new();
    bl_record_add_campaign(r, "Operation Legend");
    bl_record_add_campaign(r, "operation legend");
    bl_record_add_campaign(r, "Hundred Days Action");
    ck_assert_uint_eq(r->n_campaigns, 2);
    bl_record_free(r);
}
END_TEST

START_TEST(the_largest_value_of_a_category_is_its_facet_value)
{
    bl_record *r = bl_record_new();
    int found = 1;
    bl_record_fact_max(r, "cases", &found);
    ck_assert_int_eq(found, 0);
    bl_fact f = {.category = "cases", .value = 3};
    bl_record_add_fact(r, &f);
    f.value = 735;
    bl_record_add_fact(r, &f);
    f.value = 20;
    bl_record_add_fact(r, &f);
    ck_assert_double_eq(bl_record_fact_max(r, "cases", &found), 735);
    ck_assert_int_eq(found, 1);
    bl_record_free(r);
}
END_TEST

static const char *const bad_json[] = {
    "", "{", "[1,2]", "\"text\"", "{\"title\": 5}", "{\"facts\": [{\"value\": 1}]}",
    "{\"facts\": [{\"category\": \"cases\", \"value\": \"many\"}]}", "{\"campaigns\": [1]}",
};

START_TEST(bad_record_json_is_reported_as_corrupt)
{
    bl_record *r = NULL;
    bl_error err = {0};
    int rc = bl_record_from_json(bad_json[_i], strlen(bad_json[_i]), &r, &err);
    ck_assert_msg(rc == BL_ECORRUPT, "'%s' gave %d", bad_json[_i], rc);
    ck_assert_ptr_null(r);
    ck_assert(err.msg[0] != '\0');
}
END_TEST

int main(void)
{
    Suite *s = suite_create("record");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, a_record_survives_a_json_round_trip);
    tcase_add_test(tc, campaigns_are_kept_once_whatever_their_case);
    tcase_add_test(tc, the_largest_value_of_a_category_is_its_facet_value);
    tcase_add_loop_test(tc, bad_record_json_is_reported_as_corrupt, 0, sizeof bad_json / sizeof bad_json[0]);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
