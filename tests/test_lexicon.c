/* The lexicon file: load errors name file and line, users extend it, and the
 * lookup order (explicit path, $BLOTTER_LEXICON, installed, source, built in). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bl_facts.h"
#include "bl_facts_internal.h"

static char dir[256];

static void make_dir(void)
{
    snprintf(dir, sizeof dir, "/tmp/blotter-lexicon-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void remove_dir(void)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

/* Writes content to dir/name; returns the path (static buffer). */
static const char *write_file(const char *name, const char *content)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    fputs(content, f);
    fclose(f);
    return path;
}

typedef struct bad_case {
    const char *content;
    int line;
    const char *why; /* part of the message */
} bad_case;

static const bad_case bad[] = {
    {"# fine\nnoun cases en cases\nnoun nonsense en things\n", 3, "unknown category 'nonsense'"},
    {"frobnicate cases en x\n", 1, "unknown kind 'frobnicate'"},
    {"\n\nnoun cases xx cases\n", 3, "unknown language 'xx'"},
    {"noun cases en\n", 1, "noun has no phrase"},
    {"noun cases\n", 1, "needs a category, a language and a phrase"},
    {"unit weight_kg en heavy pounds\n", 1, "positive factor"},
    {"currency usd en 1 before $\n", 1, "three capital letters"},
    {"qualifier ~ en before about\n", 1, "not >=, <= or ="},
    {"veto en sideways percent\n", 1, "unknown place 'sideways'"},
    {"campaign en | alias\n", 1, "empty name"},
    {"noun cases en cases\r\nnoun cases en\r\n", 2, "has no phrase"},
};

START_TEST(a_bad_line_is_an_error_naming_file_and_line)
{
    const char *path = write_file("bad.txt", bad[_i].content);
    bl_lexicon *lex = NULL;
    bl_error err = {0};
    char where[600];
    ck_assert_int_eq(bl_lexicon_load(path, &lex, &err), BL_ECORRUPT);
    ck_assert_ptr_null(lex);
    snprintf(where, sizeof where, "%s:%d: ", path, bad[_i].line);
    ck_assert_msg(strstr(err.msg, where) != NULL, "'%s' lacks '%s'", err.msg, where);
    ck_assert_msg(strstr(err.msg, bad[_i].why) != NULL, "'%s' lacks '%s'", err.msg, bad[_i].why);
}
END_TEST

START_TEST(a_missing_file_is_not_found)
{
    bl_lexicon *lex = NULL;
    bl_error err = {0};
    ck_assert_int_eq(bl_lexicon_load("/nonexistent/lexicon.txt", &lex, &err), BL_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(err.msg, "/nonexistent/lexicon.txt"));
}
END_TEST

START_TEST(a_user_lexicon_adds_words_to_a_category)
{
    /* the shipped lexicon plus a user's own words */
    char path[600], *shipped = malloc(1 << 20);
    snprintf(path, sizeof path, "%s/data/lexicon.txt", BL_TEST_SOURCE_DIR);
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    size_t n = fread(shipped, 1, (1 << 20) - 200, f);
    fclose(f);
    strcpy(shipped + n, "\nnoun victims en hostages\nnoun victims zh 人质\n"
                        "campaign en Operation Blue Lantern | Blue Lantern\n");
    const char *user = write_file("user.txt", shipped);
    free(shipped);

    const char *text = "Police freed 14 hostages; 警方解救人质9名. Blue Lantern ended.";
    bl_lexicon *lex = NULL;
    bl_error err = {0};
    ck_assert_int_eq(bl_lexicon_load(user, &lex, &err), 0);
    bl_record *rec = bl_record_new();
    ck_assert_int_eq(bl_facts_find(lex, text, strlen(text), NULL, rec, &err), 0);
    ck_assert_int_eq(bl_campaigns_find(lex, text, strlen(text), NULL, rec, &err), 0);
    ck_assert_uint_eq(rec->n_facts, 2);
    ck_assert_str_eq(rec->facts[0].category, "victims");
    ck_assert(rec->facts[0].value == 14);
    ck_assert_str_eq(rec->facts[1].category, "victims");
    ck_assert(rec->facts[1].value == 9);
    ck_assert_uint_eq(rec->n_campaigns, 1);
    ck_assert_str_eq(rec->campaigns[0], "Operation Blue Lantern");
    bl_record_free(rec);
    bl_lexicon_free(lex);

    /* the shipped lexicon alone does not know hostages (人质9名 still counts:
     * 名 is people and 解救 makes them victims) */
    ck_assert_int_eq(bl_lexicon_load(BL_TEST_SOURCE_DIR "/data/lexicon.txt", &lex, &err), 0);
    rec = bl_record_new();
    ck_assert_int_eq(bl_facts_find(lex, text, strlen(text), NULL, rec, &err), 0);
    ck_assert_uint_eq(rec->n_facts, 1);
    ck_assert(rec->facts[0].value == 9);
    ck_assert_int_eq(bl_campaigns_find(lex, text, strlen(text), NULL, rec, &err), 0);
    ck_assert_uint_eq(rec->n_campaigns, 0);
    bl_record_free(rec);
    bl_lexicon_free(lex);
}
END_TEST

START_TEST(the_environment_variable_comes_before_the_shipped_copies)
{
    const char *path = write_file("env.txt", "# only one word\nnoun leads en whispers\n");
    bl_lexicon *lex = NULL;
    bl_error err = {0};
    setenv("BLOTTER_LEXICON", path, 1);
    ck_assert_int_eq(bl_lexicon_load(NULL, &lex, &err), 0);
    unsetenv("BLOTTER_LEXICON");
    bl_record *rec = bl_record_new();
    const char *text = "We heard 7 whispers and 3 tips.";
    ck_assert_int_eq(bl_facts_find(lex, text, strlen(text), "en", rec, &err), 0);
    ck_assert_uint_eq(rec->n_facts, 1);
    ck_assert_str_eq(rec->facts[0].category, "leads");
    bl_record_free(rec);
    bl_lexicon_free(lex);

    /* a broken file named by the variable is an error, not a silent fallback */
    path = write_file("broken.txt", "noun\n");
    setenv("BLOTTER_LEXICON", path, 1);
    ck_assert_int_eq(bl_lexicon_load(NULL, &lex, &err), BL_ECORRUPT);
    unsetenv("BLOTTER_LEXICON");
}
END_TEST

START_TEST(the_default_lexicon_loads_once_from_anywhere)
{
    unsetenv("BLOTTER_LEXICON");
    ck_assert_int_eq(chdir("/"), 0);
    bl_error err = {0};
    const bl_lexicon *a = bl_lexicon_default(&err);
    ck_assert_msg(a != NULL, "%s", err.msg);
    ck_assert_ptr_eq(bl_lexicon_default(NULL), a);
    /* a NULL lexicon in the finders means the default one */
    bl_record *rec = bl_record_new();
    ck_assert_int_eq(bl_facts_find(NULL, "抓获犯罪嫌疑人12名", strlen("抓获犯罪嫌疑人12名"), "zh",
                                   rec, &err), 0);
    ck_assert_uint_eq(rec->n_facts, 1);
    bl_record_free(rec);
}
END_TEST

START_TEST(the_compiled_in_copy_is_the_shipped_file_byte_for_byte)
{
    bl_lexicon *builtin = NULL, *shipped = NULL;
    bl_error err = {0};
    ck_assert_msg(bl_lexicon_load_builtin(&builtin, &err) == 0, "%s", err.msg);
    ck_assert_int_eq(bl_lexicon_load(BL_TEST_SOURCE_DIR "/data/lexicon.txt", &shipped, &err), 0);
    ck_assert_uint_gt(bl_lex_count(builtin), 100);
    ck_assert_uint_eq(bl_lex_count(builtin), bl_lex_count(shipped));
    for (size_t i = 0; i < bl_lex_count(shipped); i++)
        ck_assert_str_eq(bl_lex_entry_at(builtin, i)->phrase, bl_lex_entry_at(shipped, i)->phrase);
    bl_lexicon_free(builtin);
    bl_lexicon_free(shipped);
}
END_TEST

START_TEST(freeing_nothing_is_harmless)
{
    bl_lexicon_free(NULL);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("lexicon");
    TCase *tc = tcase_create("load");
    tcase_add_checked_fixture(tc, make_dir, remove_dir);
    tcase_add_loop_test(tc, a_bad_line_is_an_error_naming_file_and_line, 0,
                        (int)(sizeof bad / sizeof bad[0]));
    tcase_add_test(tc, a_missing_file_is_not_found);
    tcase_add_test(tc, a_user_lexicon_adds_words_to_a_category);
    tcase_add_test(tc, the_environment_variable_comes_before_the_shipped_copies);
    tcase_add_test(tc, the_default_lexicon_loads_once_from_anywhere);
    tcase_add_test(tc, the_compiled_in_copy_is_the_shipped_file_byte_for_byte);
    tcase_add_test(tc, freeing_nothing_is_harmless);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
