/* bl_extract end to end: pages and texts in, records out. Fixtures are small
 * pages written for these tests and three public-domain DOJ releases. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bl_extract.h"

#define FIXTURES BL_TEST_SOURCE_DIR "/tests/fixtures/extract/"

static char *slurp(const char *name, size_t *len)
{
    char path[1024];
    snprintf(path, sizeof path, FIXTURES "%s", name);
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static bl_record *run(const bl_extract_input *in)
{
    bl_record *rec = NULL;
    bl_error err = {0};
    int rc = bl_extract(in, &rec, &err);
    ck_assert_msg(rc == 0, "bl_extract: %d %s", rc, err.msg);
    ck_assert_ptr_nonnull(rec);
    ck_assert_ptr_nonnull(rec->text);
    return rec;
}

static bl_record *run_file(const char *name, int kind, const char *url)
{
    size_t len;
    char *bytes = slurp(name, &len);
    bl_extract_input in = {.bytes = bytes, .len = len, .kind = kind, .url = url};
    bl_record *rec = run(&in);
    free(bytes);
    return rec;
}

static bl_record *run_str(const char *s, int kind, const char *url)
{
    bl_extract_input in = {.bytes = s, .len = strlen(s), .kind = kind, .url = url};
    return run(&in);
}

static void assert_has(const char *text, const char *needle)
{
    ck_assert_msg(strstr(text, needle) != NULL, "\"%s\" missing from:\n%s", needle, text);
}

static void assert_lacks(const char *text, const char *needle)
{
    ck_assert_msg(strstr(text, needle) == NULL, "\"%s\" should not be in:\n%s", needle, text);
}

START_TEST(a_news_page_keeps_its_article_and_drops_the_furniture)
{
    bl_record *rec = run_file("news-en.html", BL_CONTENT_AUTO, "https://www.justice.gov/opa/pr/county-man");
    assert_has(rec->text, "WASHINGTON – A county man was sentenced today to 87 months");
    assert_has(rec->text, "prosecuted by trial attorneys of the Criminal Division.");
    assert_has(rec->text, "online marketplaces.\n\n“Cargo theft");
    static const char *const gone[] = {"SCRIPT", "HEADER", "NAV", "BREADCRUMB", "SHARE", "COMMENT",
                                       "SIDEBAR", "FORM", "FOOTER", "NOSCRIPT", "IFRAME", "font-family",
                                       "Latest News", "Justice.gov"};
    for (size_t i = 0; i < sizeof gone / sizeof gone[0]; i++)
        assert_lacks(rec->text, gone[i]);
    ck_assert_str_eq(rec->title, "County Man Sentenced for Cargo Theft Ring");
    ck_assert_str_eq(rec->date, "2021-03-04");
    ck_assert_str_eq(rec->lang, "en");
    ck_assert_str_eq(rec->agency, "Department of Justice");
    ck_assert_str_eq(rec->url, "https://www.justice.gov/opa/pr/county-man");
    bl_record_free(rec);
}
END_TEST

START_TEST(a_doj_fragment_keeps_every_paragraph_and_its_header_date)
{
    bl_record *rec = run_file("doj-010.html", BL_CONTENT_AUTO, NULL);
    assert_has(rec->text, "INTERPOL's Stolen/Lost Travel Document database (SLTD)");
    assert_lacks(rec->text, "FOR IMMEDIATE RELEASE");
    assert_lacks(rec->text, "USDOJ: INTERPOL Washington: Updates");
    ck_assert_str_eq(rec->date, "2014-03-11");
    ck_assert_str_eq(rec->agency, "INTERPOL Washington");
    ck_assert_str_eq(rec->title, "INTERPOL Stolen/Lost Travel Document Database");
    bl_record_free(rec);

    rec = run_file("doj-001.html", BL_CONTENT_AUTO, NULL);
    ck_assert_str_eq(rec->agency, "INTERPOL Washington");
    ck_assert_ptr_eq(strstr(rec->text, "WASHINGTON - INTERPOL Washington"), rec->text);
    ck_assert_ptr_null(rec->date); /* "WASHINGTON -" carries no date, and the body's are events */
    bl_record_free(rec);
}
END_TEST

START_TEST(a_body_date_is_an_event_not_the_publication_date)
{
    bl_record *rec = run_file("doj-050.html", BL_CONTENT_AUTO, NULL);
    assert_has(rec->text, "On June 25, 2006, at the Sequoyah County Jail");
    ck_assert_ptr_null(rec->date);
    ck_assert_str_eq(rec->agency, "U.S. Attorney's Office for the Eastern District of Oklahoma");
    bl_record_free(rec);
}
END_TEST

static const struct {
    const char *file;
    const char *charset_hint;
    const char *must_have;
} charset_pages[] = {
    {"cn-gbk.html", NULL, "公安机关成功破获一起特大跨境电信网络诈骗案件"},
    {"cn-gbk.html", "text/html; charset=gb2312", "抓获犯罪嫌疑人120名"},
    {"cn-gb2312-but-utf8.html", NULL, "公安机关成功破获一起特大跨境电信网络诈骗案件"},
    {"tw-big5.html", NULL, "警方破獲一個跨國詐騙集團"},
    {"latin1.html", NULL, "The owner of a café was charged today"},
};

START_TEST(pages_in_legacy_charsets_come_out_right)
{
    size_t len;
    char *bytes = slurp(charset_pages[_i].file, &len);
    bl_extract_input in = {.bytes = bytes, .len = len, .charset_hint = charset_pages[_i].charset_hint};
    bl_record *rec = run(&in);
    assert_has(rec->text, charset_pages[_i].must_have);
    assert_lacks(rec->text, "\xef\xbf\xbd");
    free(bytes);
    bl_record_free(rec);
}
END_TEST

START_TEST(a_chinese_page_gets_title_date_agency_and_language)
{
    bl_record *rec = run_file("cn-gbk.html", BL_CONTENT_AUTO, NULL);
    ck_assert_str_eq(rec->title, "警方破获特大电信诈骗案 抓获犯罪嫌疑人120名");
    ck_assert_str_eq(rec->date, "2019-07-07");
    ck_assert_str_eq(rec->agency, "公安部");
    ck_assert_str_eq(rec->lang, "zh");
    assert_lacks(rec->text, "版权所有");
    assert_lacks(rec->text, "首页");
    bl_record_free(rec);
}
END_TEST

START_TEST(site_text_loses_its_menus_lists_and_footer)
{
    bl_record *rec = run_file("site-text.txt", BL_CONTENT_AUTO, NULL);
    assert_has(rec->text, "A 41-year-old man was sentenced today");
    /* a quotation broken across lines by the saved page is joined again */
    assert_has(rec->text, "accountable,” District Attorney Ortiz said. “I thank the detectives");
    assert_has(rec->text, "Property Crimes Unit.");
    static const char *const gone[] = {"Skip to main content", "HOME", "VICTIM SERVICES", "Latest News",
                                       "Victim Advocate Program", "Catalytic Converters", "Copyright",
                                       "Privacy Policy", "Facebook", "# # #"};
    for (size_t i = 0; i < sizeof gone / sizeof gone[0]; i++)
        assert_lacks(rec->text, gone[i]);
    ck_assert_str_eq(rec->title, "Man Sentenced for Warehouse Burglaries");
    ck_assert_str_eq(rec->date, "2024-10-08");
    ck_assert_str_eq(rec->agency, "Lakeview County District Attorney's Office");
    bl_record_free(rec);
}
END_TEST

START_TEST(plain_text_keeps_its_paragraphs)
{
    const char *text = "  First paragraph of the bulletin, with enough words to read as prose here.\r\n"
                       "It continues on a second line.\n\n\n"
                       "Second   paragraph\tafter blank lines, also long enough to count as prose text.\n";
    bl_record *rec = run_str(text, BL_CONTENT_TEXT, NULL);
    ck_assert_str_eq(rec->text, "First paragraph of the bulletin, with enough words to read as prose here.\n"
                                "It continues on a second line.\n\n"
                                "Second paragraph after blank lines, also long enough to count as prose text.");
    bl_record_free(rec);
}
END_TEST

static const struct {
    const char *name;
    const char *page;
    int kind;
    const char *url;
    const char *date_hint;
    const char *expected; /* NULL: unknown */
} date_pages[] = {
    {"meta article:published_time",
     "<html><head><meta property=\"article:published_time\" content=\"2019-07-07T08:00:00+08:00\"></head>"
     "<body><p>Text.</p></body></html>", BL_CONTENT_HTML, NULL, NULL, "2019-07-07"},
    {"meta DC.date", "<html><head><meta name=\"DC.date\" content=\"2018-05-17\"></head><body>x</body></html>",
     BL_CONTENT_HTML, NULL, NULL, "2018-05-17"},
    {"meta pubdate compact", "<html><head><meta name=\"pubdate\" content=\"20171231\"></head><body>x</body></html>",
     BL_CONTENT_HTML, NULL, NULL, "2017-12-31"},
    {"time datetime", "<html><body><article><time datetime=\"2020-02-29T10:00\">Feb 29</time>"
                      "<p>Police arrested two men on Friday after a long investigation into thefts.</p>"
                      "</article></body></html>", BL_CONTENT_HTML, NULL, NULL, "2020-02-29"},
    {"KABUL dateline", "<p>KABUL, Afghanistan (Jan. 25, 2013) &ndash; Afghan and coalition forces detained "
                       "two suspected insurgents during an operation in the province, officials said.</p>",
     BL_CONTENT_HTML, NULL, NULL, "2013-01-25"},
    {"WASHINGTON dateline", "WASHINGTON, May 16, 2013 – INTERPOL Washington announced the capture of a fugitive "
                            "wanted for charges of fraud, officials said today.", BL_CONTENT_TEXT, NULL, NULL,
     "2013-05-16"},
    {"date line above the text", "Press Release\nJanuary 3, 2025\nThe office announced today that a man was "
                                 "charged with twelve counts of fraud in a scheme that targeted seniors.",
     BL_CONTENT_TEXT, NULL, NULL, "2025-01-03"},
    {"Chinese date under the headline",
     "<html><head><title>通报_公安部</title></head><body><h1>通报</h1><div>2019年7月7日 来源：公安部</div>"
     "<p>公安机关成功破获一起特大跨境电信网络诈骗案件，抓获犯罪嫌疑人120名，冻结涉案资金3000余万元。</p></body></html>",
     BL_CONTENT_HTML, NULL, NULL, "2019-07-07"},
    {"ISO date line", "2019-07-07\n公安机关成功破获一起特大跨境电信网络诈骗案件，抓获犯罪嫌疑人120名，冻结涉案资金3000余万元。",
     BL_CONTENT_TEXT, NULL, NULL, "2019-07-07"},
    {"date in the URL path", "A man was charged today with twelve counts of fraud in a scheme that targeted seniors.",
     BL_CONTENT_TEXT, "https://www.brooklynda.org/2016/03/09/man-charged/", NULL, "2016-03-09"},
    {"t-prefixed URL date", "公安机关成功破获一起特大跨境电信网络诈骗案件，抓获犯罪嫌疑人120名。", BL_CONTENT_TEXT,
     "http://www.nia.gov.cn/n741440/c1/201907/t20190707_1.html", NULL, "2019-07-07"},
    {"yearless dateline with the year in the URL",
     "China News Service, July 7th. According to the National Immigration Administration, 1,461 suspects "
     "were arrested during the action, officials said.", BL_CONTENT_TEXT, "https://example.org/2019/news/1.html",
     NULL, "2019-07-07"},
    {"yearless dateline with a dated line on the page",
     "Published: July 9, 2019\n\nChina News Service, July 7th. According to the National Immigration "
     "Administration, 1,461 suspects were arrested during the action, officials said.", BL_CONTENT_TEXT, NULL,
     NULL, "2019-07-09"},
    {"yearless Chinese dateline with a year elsewhere",
     "中新网7月7日电 据国家移民管理局消息，夏季治安打击整治行动开展以来，截至2019年7月6日，抓获犯罪嫌疑人1461名，破获刑事案件735起。",
     BL_CONTENT_TEXT, NULL, NULL, "2019-07-07"},
    {"yearless dateline without evidence stays unknown",
     "China News Service, July 7th. According to the National Immigration Administration, 1,461 suspects "
     "were arrested during the action, officials said.", BL_CONTENT_TEXT, NULL, NULL, NULL},
    {"an event date in the body is not the publication date",
     "WASHINGTON – A former officer pleaded guilty today to using excessive force during an arrest on "
     "June 25, 2006, in Charleston, prosecutors said.", BL_CONTENT_TEXT, NULL, NULL, NULL},
    {"a sentence opening with an event date is not a dateline",
     "WASHINGTON – On Jan. 19, 2009, the President signed an order that the department will carry out, "
     "officials said.", BL_CONTENT_TEXT, NULL, NULL, NULL},
    {"an impossible date is no date", "Published 2019-02-30\n\nPolice arrested two men on Friday after a long "
                                      "investigation into thefts from parked cars.", BL_CONTENT_TEXT, NULL, NULL, NULL},
    {"a year out of range is no date", "Published 1985-02-03\n\nPolice arrested two men on Friday after a long "
                                       "investigation into thefts from parked cars.", BL_CONTENT_TEXT, NULL, NULL,
     NULL},
    {"the hint wins", "<html><head><meta name=\"date\" content=\"2018-01-01\"></head><body>x</body></html>",
     BL_CONTENT_HTML, "https://example.org/2017/02/03/x", "2020-05-06", "2020-05-06"},
};

START_TEST(publication_dates_come_from_the_best_evidence)
{
    bl_extract_input in = {.bytes = date_pages[_i].page, .len = strlen(date_pages[_i].page),
                           .kind = date_pages[_i].kind, .url = date_pages[_i].url,
                           .date_hint = date_pages[_i].date_hint};
    bl_record *rec = run(&in);
    if (date_pages[_i].expected)
        ck_assert_msg(rec->date && strcmp(rec->date, date_pages[_i].expected) == 0, "%s: got %s",
                      date_pages[_i].name, rec->date ? rec->date : "null");
    else
        ck_assert_msg(rec->date == NULL, "%s: got %s", date_pages[_i].name, rec->date);
    bl_record_free(rec);
}
END_TEST

static const struct {
    const char *page;
    const char *title_hint;
    const char *expected;
} title_pages[] = {
    {"<html><head><title>Man Sentenced | Office of Public Affairs | United States Department of Justice</title>"
     "</head><body><p>x</p></body></html>", NULL, "Man Sentenced"},
    {"<html><head><title>法国全国大罢工再次严重影响交通 - 新华网</title></head><body>x</body></html>", NULL,
     "法国全国大罢工再次严重影响交通"},
    {"<html><head><title>部署开展夏季治安打击整治百日行动_公安部</title></head><body>x</body></html>", NULL,
     "部署开展夏季治安打击整治百日行动"},
    {"<html><head><title>Site</title><meta property=\"og:title\" content=\"Og Headline\"></head>"
     "<body>x</body></html>", NULL, "Og Headline"},
    {"<html><body><h1>Only A Heading Here</h1><p>x</p></body></html>", NULL, "Only A Heading Here"},
    {"Nine Charged in Cargo Theft - Lakeview County District Attorney\nSkip to content\nThe defendants were "
     "charged today in a scheme that stole cargo from rail yards, prosecutors said.", NULL,
     "Nine Charged in Cargo Theft"},
    {"<html><head><title>Page title</title></head><body>x</body></html>", "Hint Title", "Hint Title"},
};

START_TEST(titles_lose_their_site_suffix)
{
    bl_extract_input in = {.bytes = title_pages[_i].page, .len = strlen(title_pages[_i].page),
                           .title_hint = title_pages[_i].title_hint};
    bl_record *rec = run(&in);
    ck_assert_ptr_nonnull(rec->title);
    ck_assert_str_eq(rec->title, title_pages[_i].expected);
    bl_record_free(rec);
}
END_TEST

START_TEST(the_agency_in_the_title_beats_one_in_the_text)
{
    const char *page = "<html><head><title>国家移民管理局通报百日行动成果</title></head><body>"
                       "<p>公安部部署开展夏季治安打击整治百日行动以来，全国移民管理机构抓获犯罪嫌疑人1461名。</p></body></html>";
    bl_record *rec = run_str(page, BL_CONTENT_AUTO, NULL);
    ck_assert_str_eq(rec->agency, "国家移民管理局");
    bl_record_free(rec);
    bl_extract_input in = {.bytes = page, .len = strlen(page), .agency_hint = "Hinted Agency",
                           .lang_hint = "en"};
    rec = run(&in);
    ck_assert_str_eq(rec->agency, "Hinted Agency");
    ck_assert_str_eq(rec->lang, "en");
    bl_record_free(rec);
    rec = run_str("Nothing here names an office of any kind, and the text is long enough to be prose.",
                  BL_CONTENT_TEXT, NULL);
    ck_assert_ptr_null(rec->agency);
    bl_record_free(rec);
}
END_TEST

START_TEST(odd_input_gives_a_record_not_a_failure)
{
    static const char *const inputs[] = {
        "", "   \n\n  ", "<html><body><p>Truncated mid-way through a tag <a hr",
        "<<<>>><div><div><p>unclosed", "</p></div></body></html>", "\xff\xfe\xfd garbage \x80\x81",
        "<html><head><meta charset=\"x-unknown\"></head><body><p>Unknown charset label.</p></body></html>",
        "<script>only a script</script>", "<!DOCTYPE html>",
        "<html><head><title>Last</title></head><body><p>Text before.</p><h1>Last Heading</h1></body></html>",
        "<h1>A</h1><h1>B</h1><h1></h1><h1>C</h1>",
    };
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        bl_record *rec = run_str(inputs[i], BL_CONTENT_AUTO, NULL);
        ck_assert_ptr_nonnull(rec->lang);
        bl_record_free(rec);
    }
    bl_record *rec = run_str("<html><body><p>Truncated mid-way through a sentence that goes on", BL_CONTENT_AUTO,
                             NULL);
    assert_has(rec->text, "Truncated mid-way through a sentence that goes on");
    bl_record_free(rec);
    rec = run_str("<script>only a script</script>", BL_CONTENT_HTML, NULL);
    ck_assert_str_eq(rec->text, "");
    ck_assert_str_eq(rec->lang, "und");
    bl_record_free(rec);
}
END_TEST

START_TEST(an_article_inside_furniture_markup_is_still_found)
{
    /* an unclosed <header> and a container named like a sidebar hold the
     * whole article */
    const char *page = "<html><body><div class=\"sidebar-wrapper\"><header class=\"top\">"
                       "<p>The police arrested twelve suspects on Monday after a six-month investigation into a "
                       "burglary ring, officials said.</p><p>The suspects face charges of burglary and receiving "
                       "stolen property, according to the district attorney.</p></div></body></html>";
    bl_record *rec = run_str(page, BL_CONTENT_AUTO, NULL);
    assert_has(rec->text, "The police arrested twelve suspects on Monday");
    assert_has(rec->text, "according to the district attorney.");
    bl_record_free(rec);
}
END_TEST

START_TEST(binary_input_is_refused_as_not_text)
{
    static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10";
    bl_extract_input in = {.bytes = png, .len = sizeof png - 1};
    bl_record *rec = (bl_record *)1;
    bl_error err = {0};
    ck_assert_int_eq(bl_extract(&in, &rec, &err), BL_EINVAL);
    ck_assert_ptr_null(rec);
    ck_assert_str_eq(err.msg, "not text");
}
END_TEST

START_TEST(input_over_the_limit_is_refused_before_reading)
{
    size_t len = (size_t)BL_EXTRACT_MAX_INPUT + 1;
    char *big = calloc(1, len);
    ck_assert_ptr_nonnull(big);
    bl_extract_input in = {.bytes = big, .len = len};
    bl_record *rec = NULL;
    bl_error err = {0};
    ck_assert_int_eq(bl_extract(&in, &rec, &err), BL_ETOOBIG);
    ck_assert_ptr_null(rec);
    free(big);
    ck_assert_int_eq(bl_extract(NULL, &rec, &err), BL_EINVAL);
}
END_TEST

/* 50 MB of markup and of text: must come back with the text, in bounded
 * memory (no timing assertion; the suite's timeout is the bound). */
START_TEST(a_fifty_megabyte_page_is_extracted)
{
    const char *para = "<p>The defendant was sentenced today to twenty years in prison, officials said, "
                       "after a trial that lasted three weeks.</p>\n";
    size_t plen = strlen(para), target = 50u * 1024u * 1024u;
    char *page = malloc(target + 64);
    ck_assert_ptr_nonnull(page);
    size_t len = 0;
    memcpy(page, "<html><body>", 12);
    len = 12;
    while (len + plen < target) {
        memcpy(page + len, para, plen);
        len += plen;
    }
    bl_extract_input in = {.bytes = page, .len = len};
    bl_record *rec = run(&in);
    ck_assert_uint_gt(strlen(rec->text), 30u * 1024u * 1024u);
    ck_assert_str_eq(rec->lang, "en");
    bl_record_free(rec);

    /* the same as plain text, one line per paragraph */
    len = 0;
    const char *line = "The defendant was sentenced today to twenty years in prison, officials said.\n";
    size_t llen = strlen(line);
    while (len + llen < target) {
        memcpy(page + len, line, llen);
        len += llen;
    }
    in.len = len;
    in.kind = BL_CONTENT_TEXT;
    rec = run(&in);
    ck_assert_uint_gt(strlen(rec->text), 40u * 1024u * 1024u);
    bl_record_free(rec);
    free(page);
}
END_TEST

START_TEST(deeply_nested_markup_does_not_exhaust_the_stack)
{
    size_t depth = 300000, len = 0;
    char *page = malloc(depth * 5 + 100);
    for (size_t i = 0; i < depth; i++) {
        memcpy(page + len, "<div>", 5);
        len += 5;
    }
    strcpy(page + len, "Deep text that is here.");
    len += strlen(page + len);
    bl_extract_input in = {.bytes = page, .len = len, .kind = BL_CONTENT_HTML};
    bl_record *rec = run(&in);
    bl_record_free(rec);
    free(page);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("extract");
    TCase *tc = tcase_create("extract");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, a_news_page_keeps_its_article_and_drops_the_furniture);
    tcase_add_test(tc, a_doj_fragment_keeps_every_paragraph_and_its_header_date);
    tcase_add_test(tc, a_body_date_is_an_event_not_the_publication_date);
    tcase_add_loop_test(tc, pages_in_legacy_charsets_come_out_right, 0,
                        sizeof charset_pages / sizeof charset_pages[0]);
    tcase_add_test(tc, a_chinese_page_gets_title_date_agency_and_language);
    tcase_add_test(tc, site_text_loses_its_menus_lists_and_footer);
    tcase_add_test(tc, plain_text_keeps_its_paragraphs);
    tcase_add_loop_test(tc, publication_dates_come_from_the_best_evidence, 0,
                        sizeof date_pages / sizeof date_pages[0]);
    tcase_add_loop_test(tc, titles_lose_their_site_suffix, 0, sizeof title_pages / sizeof title_pages[0]);
    tcase_add_test(tc, the_agency_in_the_title_beats_one_in_the_text);
    tcase_add_test(tc, odd_input_gives_a_record_not_a_failure);
    tcase_add_test(tc, an_article_inside_furniture_markup_is_still_found);
    tcase_add_test(tc, binary_input_is_refused_as_not_text);
    tcase_add_test(tc, input_over_the_limit_is_refused_before_reading);
    tcase_add_test(tc, a_fifty_megabyte_page_is_extracted);
    tcase_add_test(tc, deeply_nested_markup_does_not_exhaust_the_stack);
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
