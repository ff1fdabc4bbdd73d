/* Extraction's parts on their own: charset conversion, date forms, title
 * site suffixes, agency names, language, furniture lines. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "bl_agency.h"
#include "bl_blocks.h"
#include "bl_charset.h"
#include "bl_date.h"
#include "bl_lang.h"
#include "bl_title.h"

static char *to_utf8(const char *bytes, size_t len, const char *hint, int html, char *used)
{
    char *out = NULL;
    size_t out_len = 0;
    bl_error err = {0};
    ck_assert_int_eq(bl_to_utf8(bytes, len, hint, html, &out, &out_len, used, 16, &err), 0);
    ck_assert_uint_eq(strlen(out), out_len);
    return out;
}

static const struct {
    const char *name;
    const char *bytes;
    const char *hint;
    int html;
    const char *expected_utf8;
    const char *expected_charset;
} charset_cases[] = {
    {"plain UTF-8", "caf\xc3\xa9 \xe5\x85\xac\xe5\xae\x89", NULL, 0, "caf\xc3\xa9 \xe5\x85\xac\xe5\xae\x89", "UTF-8"},
    {"UTF-8 BOM is dropped", "\xef\xbb\xbfhello", NULL, 0, "hello", "UTF-8"},
    /* 公安部 in GBK, declared by the HTTP header */
    {"GBK with a header hint", "\xb9\xab\xb0\xb2\xb2\xbf", "text/html; charset=GBK", 0, "公安部", "GB18030"},
    /* gb2312 labels decode as GB18030 */
    {"gb2312 meta", "<meta charset=\"gb2312\"><p>\xb9\xab\xb0\xb2\xb2\xbf</p>", NULL, 1,
     "<meta charset=\"gb2312\"><p>公安部</p>", "GB18030"},
    {"http-equiv meta", "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gbk\">\xb9\xab\xb0\xb2",
     NULL, 1, "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gbk\">公安", "GB18030"},
    /* 警察 in Big5 */
    {"Big5", "\xc4\xb5\xb9\xee", "big5", 0, "警察", "BIG5-HKSCS"},
    {"Latin-1 as windows-1252", "caf\xe9 \x93quoted\x94", "iso-8859-1", 0, "café “quoted”", "WINDOWS-1252"},
    {"declared gb2312 but valid UTF-8 stays UTF-8", "<meta charset=gb2312>\xe5\x85\xac\xe5\xae\x89\xe9\x83\xa8",
     NULL, 1, "<meta charset=gb2312>公安部", "UTF-8"},
    {"a stray byte in UTF-8 becomes U+FFFD", "\xe5\x85\xac\xe5\xae\x89 \xff \xe9\x83\xa8", NULL, 0,
     "\xe5\x85\xac\xe5\xae\x89 \xef\xbf\xbd \xe9\x83\xa8", "UTF-8"},
    {"declared UTF-8 keeps a stray byte as U+FFFD", "ok \xff ok", "utf-8", 0, "ok \xef\xbf\xbd ok", "UTF-8"},
    {"a truncated sequence becomes U+FFFD", "end \xe5\x85", "text/plain; charset=utf-8", 0,
     "end \xef\xbf\xbd\xef\xbf\xbd", "UTF-8"},
    {"a lone high byte in undeclared ASCII reads as windows-1252", "ok \xff ok", NULL, 0, "ok \xc3\xbf ok",
     "WINDOWS-1252"},
    {"undeclared GBK is recognised", "\xb9\xab\xb0\xb2\xb2\xbf\xcd\xa8\xb1\xa8", NULL, 0, "公安部通报", "GB18030"},
    {"an unknown label falls back without failing", "abc", "x-no-such-charset", 0, "abc", "UTF-8"},
};

START_TEST(each_charset_comes_out_as_utf8)
{
    char used[16];
    char *out = to_utf8(charset_cases[_i].bytes, strlen(charset_cases[_i].bytes), charset_cases[_i].hint,
                        charset_cases[_i].html, used);
    ck_assert_msg(strcmp(out, charset_cases[_i].expected_utf8) == 0, "%s: got \"%s\"", charset_cases[_i].name, out);
    ck_assert_msg(strcmp(used, charset_cases[_i].expected_charset) == 0, "%s: used %s", charset_cases[_i].name,
                  used);
    free(out);
}
END_TEST

START_TEST(a_utf16_page_with_a_bom_is_converted)
{
    const char bytes[] = {'\xff', '\xfe', 'h', 0, 'i', 0};
    char used[16];
    char *out = to_utf8(bytes, sizeof bytes, NULL, 0, used);
    ck_assert_str_eq(out, "hi");
    free(out);
}
END_TEST

START_TEST(bytes_with_nul_or_many_control_bytes_are_not_text)
{
    char *out = NULL;
    size_t len;
    bl_error err = {0};
    ck_assert_int_eq(bl_to_utf8("ab\0cd", 5, NULL, 0, &out, &len, NULL, 0, &err), BL_EINVAL);
    ck_assert_str_eq(err.msg, "not text");
    char ctl[100];
    memset(ctl, 0x01, sizeof ctl);
    bl_error_clear(&err);
    ck_assert_int_eq(bl_to_utf8(ctl, sizeof ctl, NULL, 0, &out, &len, NULL, 0, &err), BL_EINVAL);
    ck_assert_ptr_null(out);
}
END_TEST

static const struct {
    const char *text;
    int flags;
    const char *expected; /* NULL: no date; "0000-MM-DD" for yearless */
} date_cases[] = {
    {"Published 2019-07-07 10:00", 0, "2019-07-07"},
    {"2019/7/7", 0, "2019-07-07"},
    {"2019.07.07", 0, "2019-07-07"},
    {"2019年7月7日", 0, "2019-07-07"},
    {"２０１９年７月７日", 0, "2019-07-07"},
    {"January 3, 2025", 0, "2025-01-03"},
    {"Jan. 25, 2013", 0, "2013-01-25"},
    {"Sept. 3rd 2024", 0, "2024-09-03"},
    {"Monday, March 11, 2014", 0, "2014-03-11"},
    {"3 January 2025", 0, "2025-01-03"},
    {"Sun, 07 Jul 2019 08:00:00 GMT", 0, "2019-07-07"},
    {"07/04/2020", 0, "2020-07-04"},
    {"20190707", BL_DATE_COMPACT, "2019-07-07"},
    {"20190707", 0, NULL},
    {"July 7th", BL_DATE_YEARLESS, "0000-07-07"},
    {"7月7日电", BL_DATE_YEARLESS, "0000-07-07"},
    {"July 7th", 0, NULL},
    {"2019-02-29", 0, NULL},
    {"2020-02-29", 0, "2020-02-29"},
    {"2019-13-01", 0, NULL},
    {"April 31, 2019", 0, NULL},
    {"1989-06-01", 0, NULL},
    {"2101-01-01", 0, NULL},
    {"We may 5 times", 0, NULL},
    {"May 2019 report", 0, NULL},
    {"phone 120190707", BL_DATE_COMPACT, NULL},
    {"", 0, NULL},
};

START_TEST(dates_in_every_form_are_normalised_and_validated)
{
    bl_date d;
    const char *t = date_cases[_i].text;
    int found = bl_date_find(t, strlen(t), date_cases[_i].flags, &d);
    if (!date_cases[_i].expected) {
        ck_assert_msg(!found, "\"%s\" gave a date", t);
        return;
    }
    ck_assert_msg(found, "\"%s\" gave no date", t);
    char out[11];
    bl_date_format(&d, out);
    ck_assert_msg(strcmp(out, date_cases[_i].expected) == 0, "\"%s\" -> %s", t, out);
}
END_TEST

static const struct {
    const char *url;
    const char *expected;
    int year_only;
} url_cases[] = {
    {"https://www.brooklynda.org/2016/03/09/contractors-charged/", "2016-03-09", 0},
    {"https://news.sina.com.cn/c/2019-10-23/doc-iicezuev4202091.shtml", "2019-10-23", 0},
    {"https://www.mps.gov.cn/n2253534/n2253535/c6571122/content.html", NULL, 0},
    {"http://www.gov.cn/xinwen/2019-07/07/content_5406780.htm", "2019-07-07", 0},
    {"http://www.nia.gov.cn/n741440/n741567/c1234/201907/t20190707_123.html", "2019-07-07", 0},
    {"https://example.org/2019/news/item", NULL, 2019},
    {"https://20190707.example.org/item", NULL, 0},
    {NULL, NULL, 0},
};

START_TEST(dates_in_urls_are_found_in_the_path_only)
{
    char out[11] = "";
    int year = -1;
    int found = bl_date_from_url(url_cases[_i].url, out, &year);
    if (url_cases[_i].expected) {
        ck_assert_msg(found, "%s", url_cases[_i].url);
        ck_assert_str_eq(out, url_cases[_i].expected);
    } else {
        ck_assert_msg(!found, "%s gave %s", url_cases[_i].url, out);
        ck_assert_int_eq(year, url_cases[_i].year_only);
    }
}
END_TEST

static const struct {
    const char *title;
    const char *expected;
    const char *site;
} title_cases[] = {
    {"Man Sentenced for Fraud | Office of Public Affairs | United States Department of Justice",
     "Man Sentenced for Fraud", "Office of Public Affairs | United States Department of Justice"},
    {"法国全国大罢工再次严重影响交通-新华网", "法国全国大罢工再次严重影响交通", "新华网"},
    {"公安部部署开展夏季治安打击整治百日行动_公安部", "公安部部署开展夏季治安打击整治百日行动", "公安部"},
    {"国家移民管理局通报 - 新华网", "国家移民管理局通报", "新华网"},
    {"Nine Charged in Cargo Theft – The Brooklyn District Attorney's Office", "Nine Charged in Cargo Theft",
     "The Brooklyn District Attorney's Office"},
    {"A title without a site name", "A title without a site name", NULL},
    {"7-Eleven clerk robbed in Irvine", "7-Eleven clerk robbed in Irvine", NULL},
    {"   ", NULL, NULL},
};

START_TEST(site_names_are_cut_from_page_titles)
{
    char *site = NULL;
    char *t = bl_title_strip_site(title_cases[_i].title, &site);
    if (!title_cases[_i].expected) {
        ck_assert_ptr_null(t);
    } else {
        ck_assert_str_eq(t, title_cases[_i].expected);
        if (title_cases[_i].site)
            ck_assert_str_eq(site, title_cases[_i].site);
        else
            ck_assert_ptr_null(site);
    }
    free(t);
    free(site);
}
END_TEST

START_TEST(an_h1_inside_the_page_title_wins_over_the_title)
{
    const char *h1[] = {"Site Logo", "Man Sentenced for Fraud"};
    char *t = bl_title_choose("Man Sentenced for Fraud | Justice", "Og Title | Site", h1, 2);
    ck_assert_str_eq(t, "Man Sentenced for Fraud");
    free(t);
    t = bl_title_choose("Page | Site", "Og Title - Site", NULL, 0);
    ck_assert_str_eq(t, "Og Title");
    free(t);
    ck_assert_ptr_null(bl_title_choose(NULL, NULL, NULL, 0));
}
END_TEST

static const struct {
    const char *text;
    const char *expected;
} agency_cases[] = {
    {"The U.S. Attorney's Office for the Southern District of New York announced",
     "U.S. Attorney's Office for the Southern District of New York"},
    {"said U.S. Attorney for the Eastern District of Oklahoma Sheldon J. Sperling",
     "U.S. Attorney's Office for the Eastern District of Oklahoma"},
    {"the United States Attorney’s Office for the District of Columbia said",
     "U.S. Attorney's Office for the District of Columbia"},
    {"WASHINGTON - INTERPOL Washington, the United States National Central Bureau", "INTERPOL Washington"},
    {"the Justice Department announced today", "Department of Justice"},
    {"据国家移民管理局微信公众号消息", "国家移民管理局"},
    {"公安部部署开展夏季治安打击整治行动", "公安部"},
    {"According to the National Immigration Administration, 1,461 suspects", "国家移民管理局"},
    {"Brooklyn District Attorney Eric Gonzalez today announced", "Brooklyn District Attorney's Office"},
    {"the Orange County District Attorney’s Office said", "Orange County District Attorney's Office"},
    {"Cook County State's Attorney Eileen O'Neill Burke", "Cook County State's Attorney's Office"},
    {"Senior Assistant District Attorney Betty Smith prosecuted", NULL},
    {"The District Attorney identified the defendant", NULL},
    {"JUSTICE is served", NULL},
    {"The FBI and ICE investigated; the Department of Justice prosecuted", "Federal Bureau of Investigation"},
    {"", NULL},
};

START_TEST(agencies_are_named_as_the_data_file_records_them)
{
    const bl_agencies *tab = bl_agencies_default();
    char *got = bl_agency_find(tab, agency_cases[_i].text, strlen(agency_cases[_i].text));
    if (agency_cases[_i].expected) {
        ck_assert_msg(got != NULL, "no agency in \"%s\"", agency_cases[_i].text);
        ck_assert_str_eq(got, agency_cases[_i].expected);
    } else {
        ck_assert_msg(got == NULL, "\"%s\" gave %s", agency_cases[_i].text, got);
    }
    free(got);
}
END_TEST

START_TEST(a_bad_agency_line_is_reported_with_its_number)
{
    bl_agencies *a = NULL;
    bl_error err = {0};
    const char *text = "# comment\nGood Agency | GA\n{NOPE} Office\n";
    ck_assert_int_eq(bl_agencies_parse(text, strlen(text), &a, &err), BL_EINVAL);
    ck_assert_ptr_null(a);
    ck_assert_ptr_nonnull(strstr(err.msg, "line 3"));
    text = "Alpha Agency | AA\n";
    ck_assert_int_eq(bl_agencies_parse(text, strlen(text), &a, NULL), 0);
    char *got = bl_agency_find(a, "the AA said", 11);
    ck_assert_str_eq(got, "Alpha Agency");
    free(got);
    bl_agencies_free(a);
    bl_agencies_free(NULL);
}
END_TEST

static const struct {
    const char *text;
    const char *lang;
} lang_cases[] = {
    {"公安部部署开展夏季治安打击整治百日行动，抓获犯罪嫌疑人1461名。", "zh"},
    {"The defendant was sentenced to 20 years in prison.", "en"},
    {"国家移民管理局 (National Immigration Administration) 通报了百日行动的成果，抓获犯罪嫌疑人。", "zh"},
    {"12345 67890", "und"},
    {"", "und"},
    {"Продолжение следует", "und"},
};

START_TEST(language_follows_the_script)
{
    ck_assert_str_eq(bl_lang_detect(lang_cases[_i].text, strlen(lang_cases[_i].text)), lang_cases[_i].lang);
}
END_TEST

static const struct {
    const char *line;
    int boilerplate, barrier;
} line_cases[] = {
    {"Skip to main content", 1, 0},
    {"HOME", 1, 0},
    {"Copyright © 2024 Lakeview County. All rights reserved.", 1, 0},
    {"© 2026. Dallas County.", 1, 0},
    {"This website uses cookies to improve your experience.", 1, 0},
    {"Share", 1, 0},
    {"|", 1, 0},
    {"[TWEET THIS]", 1, 0},
    {"4", 1, 0},
    {"Latest News", 0, 1},
    {"Related Posts", 0, 1},
    {"# # #", 1, 1},
    {"相关新闻", 0, 1},
    {"【责任编辑：张三】", 1, 1},
    {"The defendant was sentenced today to nine years in state prison.", 0, 0},
    {"Man Sentenced for Warehouse Burglaries", 0, 0},
};

START_TEST(site_furniture_lines_are_recognised)
{
    const char *s = line_cases[_i].line;
    ck_assert_msg(bl_line_is_boilerplate(s, strlen(s)) == line_cases[_i].boilerplate, "boilerplate: %s", s);
    ck_assert_msg(bl_line_is_barrier(s, strlen(s)) == line_cases[_i].barrier, "barrier: %s", s);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("extract_parts");
    TCase *tc = tcase_create("parts");
    tcase_add_loop_test(tc, each_charset_comes_out_as_utf8, 0, sizeof charset_cases / sizeof charset_cases[0]);
    tcase_add_test(tc, a_utf16_page_with_a_bom_is_converted);
    tcase_add_test(tc, bytes_with_nul_or_many_control_bytes_are_not_text);
    tcase_add_loop_test(tc, dates_in_every_form_are_normalised_and_validated, 0,
                        sizeof date_cases / sizeof date_cases[0]);
    tcase_add_loop_test(tc, dates_in_urls_are_found_in_the_path_only, 0, sizeof url_cases / sizeof url_cases[0]);
    tcase_add_loop_test(tc, site_names_are_cut_from_page_titles, 0, sizeof title_cases / sizeof title_cases[0]);
    tcase_add_test(tc, an_h1_inside_the_page_title_wins_over_the_title);
    tcase_add_loop_test(tc, agencies_are_named_as_the_data_file_records_them, 0,
                        sizeof agency_cases / sizeof agency_cases[0]);
    tcase_add_test(tc, a_bad_agency_line_is_reported_with_its_number);
    tcase_add_loop_test(tc, language_follows_the_script, 0, sizeof lang_cases / sizeof lang_cases[0]);
    tcase_add_loop_test(tc, site_furniture_lines_are_recognised, 0, sizeof line_cases / sizeof line_cases[0]);
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
