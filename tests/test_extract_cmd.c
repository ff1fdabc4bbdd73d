/* `blotter extract`: the command function called directly with its output
 * captured, and the built binary when it is there. */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <json-c/json.h>

#include "bl_cli.h"
#include "extract_cmd.h"

#define FIXTURES BL_TEST_SOURCE_DIR "/tests/fixtures/extract/"

static char tmpdir[] = "/tmp/bl-extract-cmd-XXXXXX";

static char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    char *buf = calloc(1, 1 << 20);
    size_t n = fread(buf, 1, (1 << 20) - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

typedef struct captured {
    int status;
    char *out, *err;
} captured;

/* Runs bl_cmd_extract with stdout and stderr (and stdin when in_path is
 * set) redirected to files in the temporary directory. */
static captured run_cmd(const char *in_path, int argc, char **argv)
{
    char out_path[256], err_path[256];
    snprintf(out_path, sizeof out_path, "%s/out", tmpdir);
    snprintf(err_path, sizeof err_path, "%s/err", tmpdir);
    fflush(stdout);
    fflush(stderr);
    int saved_out = dup(1), saved_err = dup(2), saved_in = dup(0);
    int fo = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int fe = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ck_assert_int_ge(fo, 0);
    ck_assert_int_ge(fe, 0);
    dup2(fo, 1);
    dup2(fe, 2);
    close(fo);
    close(fe);
    if (in_path) {
        int fi = open(in_path, O_RDONLY);
        ck_assert_int_ge(fi, 0);
        dup2(fi, 0);
        close(fi);
        clearerr(stdin);
    }
    captured c;
    c.status = bl_cmd_extract(argc, argv);
    fflush(stdout);
    fflush(stderr);
    dup2(saved_out, 1);
    dup2(saved_err, 2);
    dup2(saved_in, 0);
    close(saved_out);
    close(saved_err);
    close(saved_in);
    clearerr(stdin);
    c.out = read_text(out_path);
    c.err = read_text(err_path);
    return c;
}

static void captured_free(captured *c)
{
    free(c->out);
    free(c->err);
}

START_TEST(json_output_is_the_record_form)
{
    char *argv[] = {"extract", FIXTURES "cn-gbk.html", NULL};
    captured c = run_cmd(NULL, 2, argv);
    ck_assert_int_eq(c.status, BL_EXIT_OK);
    ck_assert_str_eq(c.err, "");
    json_object *o = json_tokener_parse(c.out);
    ck_assert_ptr_nonnull(o);
    json_object *v;
    ck_assert(json_object_object_get_ex(o, "version", &v));
    ck_assert_int_eq(json_object_get_int(v), 1);
    ck_assert(json_object_object_get_ex(o, "title", &v));
    ck_assert_str_eq(json_object_get_string(v), "警方破获特大电信诈骗案 抓获犯罪嫌疑人120名");
    ck_assert(json_object_object_get_ex(o, "date", &v));
    ck_assert_str_eq(json_object_get_string(v), "2019-07-07");
    ck_assert(json_object_object_get_ex(o, "url", &v));
    ck_assert_str_eq(json_object_get_string(v), "file:" FIXTURES "cn-gbk.html");
    json_object_put(o);
    captured_free(&c);
}
END_TEST

START_TEST(text_output_reads_as_fields_then_the_text)
{
    char *argv[] = {"extract", "--format", "text", "--url", "https://www.justice.gov/opa/pr/x", "--html",
                    FIXTURES "news-en.html", NULL};
    captured c = run_cmd(NULL, 7, argv);
    ck_assert_int_eq(c.status, BL_EXIT_OK);
    ck_assert_ptr_eq(strstr(c.out, "Title:     County Man Sentenced for Cargo Theft Ring\n"), c.out);
    ck_assert_ptr_nonnull(strstr(c.out, "\nDate:      2021-03-04\n"));
    ck_assert_ptr_nonnull(strstr(c.out, "\nURL:       https://www.justice.gov/opa/pr/x\n"));
    ck_assert_ptr_nonnull(strstr(c.out, "\n\nWASHINGTON – A county man"));
    captured_free(&c);
}
END_TEST

START_TEST(standard_input_is_read_with_a_dash_and_a_charset)
{
    char *argv[] = {"extract", "--charset", "gbk", "-", NULL};
    captured c = run_cmd(FIXTURES "cn-gbk.html", 4, argv);
    ck_assert_int_eq(c.status, BL_EXIT_OK);
    ck_assert_ptr_nonnull(strstr(c.out, "抓获犯罪嫌疑人120名"));
    ck_assert_ptr_nonnull(strstr(c.out, "\"url\": null"));
    captured_free(&c);
}
END_TEST

START_TEST(help_goes_to_stdout_and_succeeds)
{
    char *argv[] = {"extract", "--help", NULL};
    captured c = run_cmd(NULL, 2, argv);
    ck_assert_int_eq(c.status, BL_EXIT_OK);
    ck_assert_ptr_eq(strstr(c.out, "usage: blotter extract"), c.out);
    captured_free(&c);
}
END_TEST

START_TEST(errors_name_the_file_and_exit_2)
{
    char bin_path[256];
    snprintf(bin_path, sizeof bin_path, "%s/image.png", tmpdir);
    FILE *f = fopen(bin_path, "wb");
    fwrite("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 1, 16, f);
    fclose(f);
    struct {
        int argc;
        char *argv[5];
        const char *stderr_start;
    } cases[] = {
        {2, {"extract", "/nonexistent/page.html"}, "blotter extract: /nonexistent/page.html: No such file"},
        {2, {"extract", bin_path}, NULL},
        {4, {"extract", "--format", "xml", FIXTURES "news-en.html"}, "blotter extract: unknown format 'xml'"},
        {1, {"extract"}, "blotter extract: no input file"},
        {3, {"extract", FIXTURES "news-en.html", FIXTURES "cn-gbk.html"}, "blotter extract: one input file only"},
        {3, {"extract", "--bogus", FIXTURES "news-en.html"}, "blotter extract: unknown or incomplete option"},
    };
    char expect_bin[512];
    snprintf(expect_bin, sizeof expect_bin, "blotter extract: %s: not text\n", bin_path);
    cases[1].stderr_start = expect_bin;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        captured c = run_cmd(NULL, cases[i].argc, cases[i].argv);
        ck_assert_int_eq(c.status, BL_EXIT_ERROR);
        ck_assert_str_eq(c.out, "");
        ck_assert_msg(strncmp(c.err, cases[i].stderr_start, strlen(cases[i].stderr_start)) == 0,
                      "case %zu: stderr \"%s\"", i, c.err);
        captured_free(&c);
    }
}
END_TEST

/* The built binary, when the tree has one with this command wired in. */
START_TEST(the_blotter_binary_runs_the_command)
{
    if (access(BL_TEST_BINARY, X_OK) != 0) {
        fprintf(stderr, "note: %s not built; binary check skipped\n", BL_TEST_BINARY);
        return;
    }
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "'%s' extract --format json '%s' 2>&1", BL_TEST_BINARY, FIXTURES "site-text.txt");
    FILE *p = popen(cmd, "r");
    ck_assert_ptr_nonnull(p);
    char *buf = calloc(1, 1 << 16);
    size_t n = fread(buf, 1, (1 << 16) - 1, p);
    buf[n] = '\0';
    int status = pclose(p);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "blotter extract failed: %s", buf);
    json_object *o = json_tokener_parse(buf);
    ck_assert_msg(o != NULL, "not JSON: %s", buf);
    json_object *v;
    ck_assert(json_object_object_get_ex(o, "title", &v));
    ck_assert_str_eq(json_object_get_string(v), "Man Sentenced for Warehouse Burglaries");
    ck_assert(json_object_object_get_ex(o, "agency", &v));
    ck_assert_str_eq(json_object_get_string(v), "Lakeview County District Attorney's Office");
    json_object_put(o);
    free(buf);

    /* and its failure path: status 2 and the file named on stderr */
    snprintf(cmd, sizeof cmd, "'%s' extract /nonexistent/page.html 2>&1", BL_TEST_BINARY);
    p = popen(cmd, "r");
    char line[512] = "";
    ck_assert_ptr_nonnull(fgets(line, sizeof line, p));
    status = pclose(p);
    ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 2);
    ck_assert_str_eq(line, "blotter extract: /nonexistent/page.html: No such file or directory\n");
}
END_TEST

static void setup(void)
{
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void teardown(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmpdir);
    strcpy(tmpdir, "/tmp/bl-extract-cmd-XXXXXX");
}

static Suite *suite(void)
{
    Suite *s = suite_create("extract_cmd");
    TCase *tc = tcase_create("cmd");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, json_output_is_the_record_form);
    tcase_add_test(tc, text_output_reads_as_fields_then_the_text);
    tcase_add_test(tc, standard_input_is_read_with_a_dash_and_a_charset);
    tcase_add_test(tc, help_goes_to_stdout_and_succeeds);
    tcase_add_test(tc, errors_name_the_file_and_exit_2);
    tcase_add_test(tc, the_blotter_binary_runs_the_command);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    bl_cli_set_command("extract");
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
