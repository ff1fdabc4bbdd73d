/* blotter and the programs it runs (cli/command_exec.h), end to end: the
 * blotter binary loads none of the indexing, crawling or HTTP libraries,
 * every command that is a program of its own answers as when it was built
 * in, and a program that is missing is named, not crashed on. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "blotter_run.h"

static char work[256];

static void setup(void)
{
    bl_make_work_dir("programs", work);
}

static void teardown(void)
{
    bl_remove_tree(work);
}

/* Runs argv (argv[0] a path) with stdout and stderr into work/; the caller
 * frees both. Returns the exit status. */
static int run_program(const char *const *argv, char **out, char **err)
{
    char o[300], e[300];
    snprintf(o, sizeof o, "%s/out", work);
    snprintf(e, sizeof e, "%s/err", work);
    pid_t pid = bl_spawn(argv, o, e);
    int ws;
    ck_assert_int_eq(waitpid(pid, &ws, 0), pid);
    ck_assert_msg(WIFEXITED(ws), "%s was killed by a signal", argv[0]);
    *out = bl_slurp(o);
    *err = bl_slurp(e);
    return WEXITSTATUS(ws);
}

/* The libraries that only the commands in programs of their own need. */
static const char *const heavy_libraries[] = {
    "libxml2.so", "libicuuc.so", "libcurl.so", "libsqlite3.so", "libmicrohttpd.so",
    "libcrypto.so",
};

START_TEST(the_blotter_binary_loads_none_of_the_heavy_libraries)
{
    /* The dynamic loader lists what it would load, then exits. */
    setenv("LD_TRACE_LOADED_OBJECTS", "1", 1);
    const char *argv[] = {BL_TEST_BINARY, "--version", NULL};
    char *out, *err;
    int status = run_program(argv, &out, &err);
    unsetenv("LD_TRACE_LOADED_OBJECTS");
    ck_assert_int_eq(status, 0);
    ck_assert_msg(strstr(out, "libxapian.so"), "not the loader's list: %s", out);
    for (size_t i = 0; i < sizeof heavy_libraries / sizeof heavy_libraries[0]; i++)
        ck_assert_msg(!strstr(out, heavy_libraries[i]), "blotter loads %s:\n%s",
                      heavy_libraries[i], out);
    free(out);
    free(err);
}
END_TEST

static const char *const program_commands[] = {"index", "crawl", "extract", "compact", "serve",
                                               "similar"};

START_TEST(each_command_in_a_program_of_its_own_answers_as_a_built_in_one)
{
    const char *name = program_commands[_i];
    char usage[64];
    snprintf(usage, sizeof usage, "usage: blotter %s", name);
    const char *help[] = {"help", name, NULL};
    bl_run_result r = bl_run_blotter(work, help);
    ck_assert_int_eq(r.status, 0);
    ck_assert_msg(strstr(r.out, usage), "blotter help %s: %s", name, r.out);
    bl_run_free(&r);
    const char *bad[] = {name, "--no-such-option", NULL};
    r = bl_run_blotter(work, bad);
    ck_assert_int_eq(r.status, 2);
    ck_assert_msg(strstr(r.err, name), "blotter %s --no-such-option: %s", name, r.err);
    bl_run_free(&r);
}
END_TEST

/* blotter copied alone into dir/bin (mode 0755). */
static void copy_blotter(const char *bin_dir, char *path, size_t size)
{
    ck_assert_int_eq(mkdir(bin_dir, 0755), 0);
    snprintf(path, size, "%s/blotter", bin_dir);
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "cp '%s' '%s'", BL_TEST_BINARY, path);
    ck_assert_int_eq(system(cmd), 0);
}

START_TEST(a_missing_program_is_named_and_exits_2)
{
    char bin[300], blotter[320];
    snprintf(bin, sizeof bin, "%s/bin", work);
    copy_blotter(bin, blotter, sizeof blotter);
    const char *argv[] = {blotter, "index", "--data", work, NULL};
    char *out, *err;
    ck_assert_int_eq(run_program(argv, &out, &err), 2);
    ck_assert_msg(strstr(err, "blotter-index"), "%s", err);
    free(out);
    free(err);
    /* The commands built in still work. */
    const char *version[] = {blotter, "--version", NULL};
    ck_assert_int_eq(run_program(version, &out, &err), 0);
    free(out);
    free(err);
}
END_TEST

START_TEST(an_installed_blotter_finds_its_programs_in_libexec)
{
    char bin[300], blotter[320], libexec[300], link[340], target[300], cmd[1200];
    snprintf(bin, sizeof bin, "%s/bin", work);
    copy_blotter(bin, blotter, sizeof blotter);
    snprintf(libexec, sizeof libexec, "%s/libexec/blotter", work);
    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", libexec);
    ck_assert_int_eq(system(cmd), 0);
    snprintf(target, sizeof target, "%.*s-extract", (int)(sizeof target - 16), BL_TEST_BINARY);
    snprintf(link, sizeof link, "%s/blotter-extract", libexec);
    ck_assert_int_eq(symlink(target, link), 0);
    const char *argv[] = {blotter, "help", "extract", NULL};
    char *out, *err;
    ck_assert_int_eq(run_program(argv, &out, &err), 0);
    ck_assert_msg(strstr(out, "usage: blotter extract"), "%s%s", out, err);
    free(out);
    free(err);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("blotter and its programs");
    TCase *tc = tcase_create("programs");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, the_blotter_binary_loads_none_of_the_heavy_libraries);
    tcase_add_loop_test(tc, each_command_in_a_program_of_its_own_answers_as_a_built_in_one, 0,
                        sizeof program_commands / sizeof program_commands[0]);
    tcase_add_test(tc, a_missing_program_is_named_and_exits_2);
    tcase_add_test(tc, an_installed_blotter_finds_its_programs_in_libexec);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
