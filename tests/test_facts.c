/* Numeric facts: categories from the words around a number, English and
 * Chinese, what is not a fact, offsets, qualifiers, currencies, the founding
 * bulletin, and hostile input. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bl_facts.h"

static bl_lexicon *lex;

static void load_lexicon(void)
{
    bl_error err = {0};
    ck_assert_msg(bl_lexicon_load(BL_TEST_SOURCE_DIR "/data/lexicon.txt", &lex, &err) == 0,
                  "%s", err.msg);
}

static void free_lexicon(void)
{
    bl_lexicon_free(lex);
    lex = NULL;
}

/* The facts of text as "category<qualifier>value[currency]" joined by "; ". */
static char *facts_of(const char *text, const char *lang)
{
    bl_record *rec = bl_record_new();
    bl_error err = {0};
    ck_assert_int_eq(bl_facts_find(lex, text, strlen(text), lang, rec, &err), 0);
    char *out = calloc(1, 4096);
    size_t used = 0;
    for (size_t i = 0; i < rec->n_facts; i++) {
        const bl_fact *f = &rec->facts[i];
        /* every fact's text is the bytes at its offset */
        ck_assert_uint_le(f->offset + f->length, strlen(text));
        ck_assert_int_eq(memcmp(text + f->offset, f->text, f->length), 0);
        used += (size_t)snprintf(out + used, 4096 - used, "%s%s%s%.10g%s", i ? "; " : "",
                                 f->category, f->qualifier, f->value, f->currency);
    }
    bl_record_free(rec);
    return out;
}

typedef struct fact_case {
    const char *lang;
    const char *text;
    const char *expected;
} fact_case;

static const fact_case english[] = {
    {"en", "There were 735 criminal cases this year.", "cases=735"},
    {"en", "Police cracked 42 cases.", "cases=42"},
    {"en", "21 criminal gangs obstructing border management were destroyed.", "gangs=21"},
    {"en", "1,461 criminal suspects obstructing national (frontier) management were arrested.",
     "suspects=1461"},
    {"en", "Officers arrested 1,461 in the sweep.", "suspects=1461"},
    {"en", "1,050 illegal entry and exit personnel were intercepted at the port.",
     "intercepted=1050"},
    {"en", "There were 3,102 pieces of information.", "leads=3102"},
    {"en", "He was sentenced to 92 months in prison.", "prison_months=92"},
    {"en", "She was sentenced to 10 years in prison.", "prison_months=120"},
    {"en", "He was sentenced to five years and three months in prison.", "prison_months=63"},
    {"en", "Agents seized 150 pounds of methamphetamine.", "weight_kg=68.038856"},
    {"en", "The ring moved $2.5 million.", "money=2500000USD"},
    {"en", "They laundered more than 5 million euros.", "money>=5000000EUR"},
    {"en", "Investors lost USD 300,000.", "money=300000USD"},
    {"en", "Police detained more than 300 people.", "suspects>=300"},
    {"en", "Nearly 200 victims were defrauded.", "victims<=200"},
    {"en", "A grand jury indicted twelve people.", "defendants=12"},
    {"en", "12 suspects were charged with fraud.", "defendants=12"},
    {"en", "Two dozen people were arrested.", "suspects=24"},
    /* not facts */
    {"en", "Watts, 38, of Tulsa, was arrested on July 6, 2020.", ""},
    {"en", "In 2019, the office opened.", ""},
    {"en", "He pleaded guilty to three counts of wire fraud, 18 U.S.C. \xC2\xA7 1343.", ""},
    {"en", "INTERPOL has 190 member countries.", ""},
    {"en", "Call 1-800-225-5324 or 202-514-2007.", ""},
    {"en", "Crime fell 15 percent; 20% of cases were closed.", ""},
    {"en", "Several suspects and dozens of victims were interviewed.", ""},
    {"en", "Case No. 2:21-cr-00045 was heard at 10:30 a.m.", ""},
    {"en", "He faces up to 20 years in prison and a fine of up to $250,000.", ""},
    {"en", "He will serve three years of supervised release.", ""},
    {"en", "A 38-year-old man was sentenced to 4 years in prison.", "prison_months=48"},
    {"en", "the 5th defendant", ""},
};

static const fact_case chinese[] = {
    {"zh", "破获刑事案件735起", "cases=735"},
    {"zh", "打掉犯罪团伙21个", "gangs=21"},
    {"zh", "抓获犯罪嫌疑人1461名", "suspects=1461"},
    {"zh", "抓获1461名犯罪嫌疑人", "suspects=1461"},
    {"zh", "刑拘300余人", "suspects>=300"},
    {"zh", "涉案金额11.6亿元", "money=1160000000CNY"},
    {"zh", "缴获毒品1.5吨", "weight_kg=1500"},
    {"zh", "线索3102条", "leads=3102"},
    {"zh", "查获非法出入境人员1050名", "intercepted=1050"},
    {"zh", "解救被拐儿童12名", "victims=12"},
    {"zh", "起诉犯罪嫌疑人56人", "defendants=56"},
    {"zh", "被告人被判处有期徒刑十年", "prison_months=120"},
    {"zh", "判处有期徒刑十年六个月", "prison_months=126"},
    {"zh", "冻结资金人民币3000万元", "money=30000000CNY"},
    {"zh", "共查办案件1.2万起", "cases=12000"},
    {"zh", "抓获犯罪嫌疑人一千四百六十一名", "suspects=1461"},
    {"zh", "涉案金额1亿6千7百多万元", "money>=167000000CNY"},
    {"zh", "抓获犯罪嫌疑人\xEF\xBC\x91\xEF\xBC\x94\xEF\xBC\x96\xEF\xBC\x91名", "suspects=1461"},
    {"zh", "近500名偷渡人员被拦截", "intercepted<=500"},
    /* not facts */
    {"zh", "2019年7月6日，公安部召开发布会", ""},
    {"zh", "嫌疑人陈某（男，42岁）被刑事拘留", ""},
    {"zh", "数十名群众参与巡逻", ""},
    {"zh", "第3批次行动于今日展开", ""},
    {"zh", "发案数同比下降21.3%", ""},
    {"zh", "判处有期徒刑三年，缓刑四年", "prison_months=36"},
    {"zh", "接报警情3.6万起", ""},
    {"zh", "查扣涉嫌走私红油2000多吨", "weight_kg>=2000000"},
    {"zh", "破获毒品案件1957起", "cases=1957"},
};

START_TEST(english_numbers_get_the_category_their_words_give)
{
    char *got = facts_of(english[_i].text, english[_i].lang);
    ck_assert_msg(strcmp(got, english[_i].expected) == 0, "'%s': got '%s', expected '%s'",
                  english[_i].text, got, english[_i].expected);
    free(got);
}
END_TEST

START_TEST(chinese_numbers_get_the_category_their_words_give)
{
    char *got = facts_of(chinese[_i].text, chinese[_i].lang);
    ck_assert_msg(strcmp(got, chinese[_i].expected) == 0, "'%s': got '%s', expected '%s'",
                  chinese[_i].text, got, chinese[_i].expected);
    free(got);
}
END_TEST

START_TEST(the_language_is_guessed_per_number_when_not_given)
{
    char *got = facts_of("Police arrested 21 suspects. 警方抓获犯罪嫌疑人300余名。", NULL);
    ck_assert_str_eq(got, "suspects=21; suspects>=300");
    free(got);
}
END_TEST

START_TEST(a_fact_records_the_matched_words_and_their_offset)
{
    const char *text = "As of July 6, 1,461 criminal suspects were arrested.";
    bl_record *rec = bl_record_new();
    ck_assert_int_eq(bl_facts_find(lex, text, strlen(text), "en", rec, NULL), 0);
    ck_assert_uint_eq(rec->n_facts, 1);
    ck_assert_str_eq(rec->facts[0].text, "1,461 criminal suspects");
    ck_assert_uint_eq(rec->facts[0].offset, 14);
    ck_assert_uint_eq(rec->facts[0].length, strlen("1,461 criminal suspects"));
    ck_assert_str_eq(rec->facts[0].qualifier, "=");
    ck_assert_str_eq(rec->facts[0].currency, "");
    bl_record_free(rec);
}
END_TEST

static char *read_fixture(const char *name, size_t *len)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/fixtures/facts/%s", BL_TEST_SOURCE_DIR, name);
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    char *buf = malloc(1 << 20);
    *len = fread(buf, 1, (1 << 20) - 1, f);
    buf[*len] = '\0';
    fclose(f);
    return buf;
}

START_TEST(the_founding_bulletin_gives_exactly_its_five_facts)
{
    size_t len;
    char *text = read_fixture("seed-bulletin.txt", &len);
    bl_record *rec = bl_record_new();
    ck_assert_int_eq(bl_facts_find(lex, text, len, "en", rec, NULL), 0);
    char got[512] = "";
    size_t used = 0;
    for (size_t i = 0; i < rec->n_facts; i++)
        used += (size_t)snprintf(got + used, sizeof got - used, "%s%s=%g", i ? "; " : "",
                                 rec->facts[i].category, rec->facts[i].value);
    ck_assert_str_eq(got, "cases=735; gangs=21; suspects=1461; leads=3102; intercepted=1050");
    int found;
    ck_assert(bl_record_fact_max(rec, "suspects", &found) == 1461 && found);
    bl_record_free(rec);
    free(text);
}
END_TEST

START_TEST(hostile_bytes_never_crash_and_every_fact_stays_inside_the_text)
{
    /* invalid UTF-8, truncated sequences, NULs, digits everywhere */
    static const char pattern[] = "\xE4\xB8\xFF 1,4 \xEF\xBC\x91\x00 \xE4\xB8\x87 arrested 3\xC0"
                                  " 抓获\xE5 12名 $ 5 million \xF4\x90\x80\x80 一千\xE4";
    size_t n = sizeof pattern - 1, len = n * 2000;
    char *text = malloc(len);
    for (size_t i = 0; i < len; i++)
        text[i] = pattern[i % n];
    bl_record *rec = bl_record_new();
    ck_assert_int_eq(bl_facts_find(lex, text, len, NULL, rec, NULL), 0);
    ck_assert_uint_gt(rec->n_facts, 0);
    for (size_t i = 0; i < rec->n_facts; i++)
        ck_assert_uint_le(rec->facts[i].offset + rec->facts[i].length, len);
    bl_record_free(rec);
    free(text);
}
END_TEST

START_TEST(a_large_text_is_read_in_one_pass)
{
    /* 8 MB of bulletin sentences: all facts found, none lost at the seams */
    const char *s = "Police arrested 1,461 suspects. 破获刑事案件735起，";
    size_t n = strlen(s), reps = (8u << 20) / n, len = n * reps;
    char *text = malloc(len);
    for (size_t i = 0; i < reps; i++)
        memcpy(text + i * n, s, n);
    bl_record *rec = bl_record_new();
    ck_assert_int_eq(bl_facts_find(lex, text, len, NULL, rec, NULL), 0);
    ck_assert_uint_eq(rec->n_facts, 2 * reps);
    bl_record_free(rec);
    free(text);
}
END_TEST

START_TEST(no_record_is_an_invalid_argument)
{
    bl_error err = {0};
    ck_assert_int_eq(bl_facts_find(lex, "1", 1, "en", NULL, &err), BL_EINVAL);
    ck_assert_int_ne(err.code, 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("facts");
    TCase *tc = tcase_create("find");
    tcase_add_unchecked_fixture(tc, load_lexicon, free_lexicon);
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, english_numbers_get_the_category_their_words_give, 0,
                        (int)(sizeof english / sizeof english[0]));
    tcase_add_loop_test(tc, chinese_numbers_get_the_category_their_words_give, 0,
                        (int)(sizeof chinese / sizeof chinese[0]));
    tcase_add_test(tc, the_language_is_guessed_per_number_when_not_given);
    tcase_add_test(tc, a_fact_records_the_matched_words_and_their_offset);
    tcase_add_test(tc, the_founding_bulletin_gives_exactly_its_five_facts);
    tcase_add_test(tc, hostile_bytes_never_crash_and_every_fact_stays_inside_the_text);
    tcase_add_test(tc, a_large_text_is_read_in_one_pass);
    tcase_add_test(tc, no_record_is_an_invalid_argument);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
