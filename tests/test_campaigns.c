/* Campaigns: generic patterns, the lexicon's known names and aliases, and
 * one name per campaign. */
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

typedef struct campaign_case {
    const char *text;
    const char *expected; /* names joined by " | " */
} campaign_case;

static const campaign_case cases[] = {
    {"since the launch of the \"Hundred Days Action\" by the national public security organs",
     "Hundred Days Action"},
    {"the ministry launched the 'Hundred Days' action", "Hundred Days Action"},
    {"combined with the \"Meerkat Hunting\" Action, \"Snake Catching\" Action and others",
     "Meerkat Hunting Action | Snake Catching Action"},
    {"Operation Legend has led to 6,000 arrests.", "Operation Legend"},
    {"During Operation Cross Country XIV, agents recovered 84 children.",
     "Operation Cross Country XIV"},
    {"The \"Fox Hunt\" operation brought back fugitives.", "Fox Hunt Action"},
    {"公安部部署开展“百日行动”", "百日行动"},
    {"“猎狐行动”取得显著成效", "猎狐行动"},
    {"“猎狐2019”专项行动启动", "猎狐行动"},
    {"猎狐2019专项行动启动", "猎狐行动"},
    {"深入推进“净网2020”专项行动", "净网行动"},
    {"持续开展昆仑行动和雷霆行动", "昆仑行动 | 雷霆行动"},
    {"开展“清风”专项行动", "清风行动"},
    {"“百日行动”和“百日行动”", "百日行动"},
    {"持续开展“云剑”“断卡”、“团圆”等专项行动", "云剑行动 | 断卡行动 | 团圆行动"},
    /* not campaigns */
    {"Operations continued throughout the year.", ""},
    {"Operation of the port was suspended.", ""},
    {"He said \"we will act\" and left.", ""},
    {"各地统一行动，联合行动", ""},
    {"“扫黄打非”", ""},
    {"Join our \"Call to Action\" today.", ""},
    {"Drug Ring Operation Led By Two Brothers Is Dismantled\nThe ring sold heroin.", ""},
    {"Operation Stormfront Results in 50 Arrests\nOperation Stormfront ended in May.",
     "Operation Stormfront"},
};

static char *campaigns_of(const char *text)
{
    bl_record *rec = bl_record_new();
    bl_error err = {0};
    ck_assert_int_eq(bl_campaigns_find(lex, text, strlen(text), NULL, rec, &err), 0);
    char *out = calloc(1, 1024);
    size_t used = 0;
    for (size_t i = 0; i < rec->n_campaigns; i++)
        used += (size_t)snprintf(out + used, 1024 - used, "%s%s", i ? " | " : "",
                                 rec->campaigns[i]);
    bl_record_free(rec);
    return out;
}

START_TEST(campaigns_are_found_and_named_one_way)
{
    char *got = campaigns_of(cases[_i].text);
    ck_assert_msg(strcmp(got, cases[_i].expected) == 0, "'%s': got '%s', expected '%s'",
                  cases[_i].text, got, cases[_i].expected);
    free(got);
}
END_TEST

START_TEST(the_founding_bulletin_names_its_three_campaigns)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/fixtures/facts/seed-bulletin.txt", BL_TEST_SOURCE_DIR);
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    char *text = malloc(1 << 20);
    size_t len = fread(text, 1, (1 << 20) - 1, f);
    fclose(f);
    text[len] = '\0';
    char *got = campaigns_of(text);
    ck_assert_str_eq(got, "Hundred Days Action | Meerkat Hunting Action | Snake Catching Action");
    free(got);
    free(text);
}
END_TEST

START_TEST(unclosed_quotes_and_bad_bytes_end_quietly)
{
    static const char *const hostile[] = {"\"Hundred Days", "“猎狐", "Operation ", "\xE2\x80",
                                          "\"\xFF\xFE\" Action", "'"};
    for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
        bl_record *rec = bl_record_new();
        ck_assert_int_eq(bl_campaigns_find(lex, hostile[i], strlen(hostile[i]), NULL, rec, NULL), 0);
        bl_record_free(rec);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("campaigns");
    TCase *tc = tcase_create("find");
    tcase_add_unchecked_fixture(tc, load_lexicon, free_lexicon);
    tcase_add_loop_test(tc, campaigns_are_found_and_named_one_way, 0,
                        (int)(sizeof cases / sizeof cases[0]));
    tcase_add_test(tc, the_founding_bulletin_names_its_three_campaigns);
    tcase_add_test(tc, unclosed_quotes_and_bad_bytes_end_quietly);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
