/* The printer: text, JSON and CSV say the same thing, each by its own rules. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "printer.h"
#include "snippet.h"

static bl_record *sample_record(void)
{
    bl_record *r = bl_record_new();
    bl_record_set(&r->url, "https://example.gov/a?b=1,2", (size_t)-1);
    bl_record_set(&r->title, "Smugglers, \"coyotes\" and gangs\nsentenced", (size_t)-1);
    bl_record_set(&r->date, "2019-07-07", (size_t)-1);
    bl_record_set(&r->lang, "en", (size_t)-1);
    bl_record_set(&r->text, "text", (size_t)-1);
    bl_fact f = {.category = "suspects", .value = 1461, .qualifier = "=", .text = "1,461 suspects"};
    bl_record_add_fact(r, &f);
    f.value = 12;
    bl_record_add_fact(r, &f);
    bl_fact m = {.category = "money", .value = 2.5e6, .qualifier = ">=", .currency = "USD"};
    bl_record_add_fact(r, &m);
    bl_record_add_campaign(r, "Hundred Days Action");
    bl_record_add_campaign(r, "Operation Legend");
    return r;
}

/* Prints one hit in format and returns what was written (caller frees). */
static char *render(int format)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    bl_record *r = sample_record();
    bl_printer *p = bl_printer_new(format, out, 0);
    bl_results_meta meta = {"smuggl* \"gangs\"", 42, 1, 0, NULL};
    bl_printer_begin(p, &meta);
    bl_hit hit = {1, 3.5, r, "the " BL_HI_START "smugglers" BL_HI_END " & <gangs>", NULL, 0};
    bl_printer_hit(p, &hit);
    const char *values[] = {"2019", "2018"};
    uint64_t counts[] = {30, 12};
    bl_printer_facet(p, "year", 2, values, counts);
    ck_assert_int_eq(bl_printer_end(p), 0);
    fclose(out);
    bl_record_free(r);
    return buf;
}

START_TEST(json_output_is_one_versioned_object_with_facts_as_maxima)
{
    char *s = render(BL_FORMAT_JSON);
    json_object *o = json_tokener_parse(s);
    ck_assert_ptr_nonnull(o);
    json_object *v, *hits, *hit, *facts;
    ck_assert(json_object_object_get_ex(o, "version", &v) && json_object_get_int(v) == 1);
    ck_assert(json_object_object_get_ex(o, "total", &v) && json_object_get_int(v) == 42);
    ck_assert(json_object_object_get_ex(o, "query", &v));
    ck_assert_str_eq(json_object_get_string(v), "smuggl* \"gangs\"");
    ck_assert(json_object_object_get_ex(o, "hits", &hits));
    ck_assert_int_eq(json_object_array_length(hits), 1);
    hit = json_object_array_get_idx(hits, 0);
    ck_assert(json_object_object_get_ex(hit, "snippet", &v));
    ck_assert_str_eq(json_object_get_string(v), "the smugglers & <gangs>");
    ck_assert(json_object_object_get_ex(hit, "snippet_html", &v));
    ck_assert_str_eq(json_object_get_string(v), "the <b>smugglers</b> &amp; &lt;gangs&gt;");
    ck_assert(json_object_object_get_ex(hit, "facts", &facts));
    ck_assert(json_object_object_get_ex(facts, "suspects", &v) && json_object_get_int(v) == 1461);
    ck_assert(json_object_object_get_ex(facts, "money", &v) && json_object_get_int(v) == 2500000);
    ck_assert(!json_object_object_get_ex(facts, "cases", &v));
    ck_assert(json_object_object_get_ex(hit, "campaigns", &v));
    ck_assert_int_eq(json_object_array_length(v), 2);
    ck_assert(json_object_object_get_ex(o, "facets", &v));
    json_object_put(o);
    free(s);
}
END_TEST

START_TEST(csv_output_quotes_commas_quotes_and_newlines_with_crlf_rows)
{
    char *s = render(BL_FORMAT_CSV);
    ck_assert_msg(strncmp(s, "rank,score,date,title,url,lang,agency,campaigns,cases,", 54) == 0, "%s", s);
    ck_assert_ptr_nonnull(strstr(s, "\r\n1,3.5000,2019-07-07,"
                                    "\"Smugglers, \"\"coyotes\"\" and gangs\nsentenced\","
                                    "\"https://example.gov/a?b=1,2\",en,,"
                                    "Hundred Days Action; Operation Legend,,,1461,"));
    ck_assert_ptr_nonnull(strstr(s, ",the smugglers & <gangs>\r\n"));
    ck_assert_ptr_nonnull(strstr(s, "facet,value,count\r\nyear,2019,30\r\nyear,2018,12\r\n"));
    free(s);
}
END_TEST

START_TEST(text_output_shows_rank_date_title_url_and_plain_snippet_off_a_terminal)
{
    char *s = render(BL_FORMAT_TEXT);
    ck_assert_ptr_nonnull(strstr(s, "1. 2019-07-07  Smugglers,"));
    ck_assert_ptr_nonnull(strstr(s, "   https://example.gov/a?b=1,2\n"));
    ck_assert_ptr_nonnull(strstr(s, "   the smugglers & <gangs>\n"));
    ck_assert_ptr_null(strchr(s, '\033'));
    ck_assert_ptr_null(strchr(s, '\x02'));
    ck_assert_ptr_nonnull(strstr(s, "Results 1-1 of 42."));
    free(s);
}
END_TEST

START_TEST(snippets_render_bold_only_for_a_terminal)
{
    const char *marked = "a " BL_HI_START "b" BL_HI_END " c";
    char *ansi = bl_snippet_render(marked, BL_SNIPPET_ANSI);
    char *plain = bl_snippet_render(marked, BL_SNIPPET_PLAIN);
    ck_assert_str_eq(ansi, "a \033[1mb\033[0m c");
    ck_assert_str_eq(plain, "a b c");
    free(ansi);
    free(plain);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("printer");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, json_output_is_one_versioned_object_with_facts_as_maxima);
    tcase_add_test(tc, csv_output_quotes_commas_quotes_and_newlines_with_crlf_rows);
    tcase_add_test(tc, text_output_shows_rank_date_title_url_and_plain_snippet_off_a_terminal);
    tcase_add_test(tc, snippets_render_bold_only_for_a_terminal);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
