/* Shards and Xapian's remote backend, end to end: the same bulletins indexed
 * once into one index and once into two shards give the same answers, locally
 * through the stub file, remotely through two xapian-tcpsrv processes on
 * 127.0.0.1, and after `blotter compact` merges the shards. */
#include <arpa/inet.h>
#include <check.h>
#include <fcntl.h>
#include <ftw.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "blotter_run.h"

#define FIXTURES BL_TEST_SOURCE_DIR "/tests/fixtures/cli"
#define TCPSRV "/usr/bin/xapian-tcpsrv"

static char work[256], single[300], sharded[300], stub[300];

typedef bl_run_result run_result;

static run_result blotter(const char *const *args)
{
    return bl_run_blotter(work, args);
}

#define run_free bl_run_free

static void setup(void)
{
    bl_make_work_dir("shards", work);
    snprintf(single, sizeof single, "%s/single", work);
    snprintf(sharded, sizeof sharded, "%s/sharded", work);
    snprintf(stub, sizeof stub, "%s/remote.stub", work);
    const char *a[] = {"index", "--data", single, FIXTURES, NULL};
    run_result r = blotter(a);
    ck_assert_msg(r.status == 0, "%s", r.err);
    run_free(&r);
    const char *b[] = {"index", "--data", sharded, "--shards", "2", FIXTURES, NULL};
    r = blotter(b);
    ck_assert_msg(r.status == 0, "%s", r.err);
    run_free(&r);
}

static void teardown(void)
{
    bl_remove_tree(work);
}

/* The JSON answer to query on the index given by opt ("--data" or "--index"). */
static char *answer(const char *opt, const char *where, const char *query, const char *sort)
{
    const char *args[] = {"search", opt, where, "--format", "json", "--limit", "20", "--sort", sort,
                          "--facet", "year", "--facet", "lang", query, NULL};
    run_result r = blotter(args);
    ck_assert_msg(r.status == 0 || r.status == 1, "%s: exit %d: %s", query, r.status, r.err);
    free(r.err);
    /* Scores differ in the last digits between one database and several;
     * blank them out, everything else must be identical. */
    char *q = r.out;
    for (char *p = r.out; *p;) {
        if (strncmp(p, "\"score\":", 8) == 0) {
            memcpy(q, "\"score\":0", 9);
            q += 9;
            p += 8;
            while (*p && *p != ',')
                p++;
        } else {
            *q++ = *p++;
        }
    }
    *q = '\0';
    return r.out;
}

static const char *const queries[][2] = {
    {"smuggling", "relevance"},
    {"\"criminal gangs\"", "relevance"},
    {"date:2013..2014", "-date"},
    {"suspects:1000..", "date"}, /* equal scores: ties would be in docid order */
    {"smuggl* OR fraud", "date"},
    {"抓获犯罪嫌疑人", "relevance"},
    {"title:fugitive", "relevance"},
};

START_TEST(two_shards_answer_exactly_as_one_index)
{
    char *one = answer("--data", single, queries[_i][0], queries[_i][1]);
    char *two = answer("--data", sharded, queries[_i][0], queries[_i][1]);
    ck_assert_msg(strcmp(two, one) == 0, "%s: two shards answer differently", queries[_i][0]);
    free(one);
    free(two);
}
END_TEST

/* A free TCP port on 127.0.0.1 (bound, read, closed: a server takes it next). */
static unsigned free_port(void)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ck_assert_int_eq(bind(s, (struct sockaddr *)&a, sizeof a), 0);
    socklen_t len = sizeof a;
    getsockname(s, (struct sockaddr *)&a, &len);
    close(s);
    return ntohs(a.sin_port);
}

static int accepts(unsigned port)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int ok = connect(s, (struct sockaddr *)&a, sizeof a) == 0;
    close(s);
    return ok;
}

static pid_t serve(const char *dir, unsigned port)
{
    char p[16], out[300];
    snprintf(p, sizeof p, "%u", port);
    snprintf(out, sizeof out, "%s/tcpsrv-%u.log", work, port);
    const char *argv[] = {TCPSRV, "--port", p, "--interface", "127.0.0.1", "--quiet", dir, NULL};
    pid_t pid = bl_spawn(argv, out, out);
    for (int i = 0; i < 100 && !accepts(port); i++)
        usleep(50 * 1000);
    ck_assert_msg(accepts(port), "xapian-tcpsrv did not start on 127.0.0.1:%u", port);
    return pid;
}

START_TEST(remote_shards_answer_exactly_as_one_index_and_a_dead_one_is_named)
{
    if (access(TCPSRV, X_OK) != 0) {
        fprintf(stderr, "skipped: %s not installed (apt-get install xapian-tools)\n", TCPSRV);
        return;
    }
    char dir0[350], dir1[350];
    snprintf(dir0, sizeof dir0, "%s/shards/00", sharded);
    snprintf(dir1, sizeof dir1, "%s/shards/01", sharded);
    unsigned port0 = free_port();
    pid_t srv0 = serve(dir0, port0);
    unsigned port1 = free_port();
    pid_t srv1 = serve(dir1, port1);
    FILE *f = fopen(stub, "w");
    fprintf(f, "remote 127.0.0.1:%u\nremote 127.0.0.1:%u\n", port0, port1);
    fclose(f);

    for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++) {
        char *one = answer("--data", single, queries[i][0], queries[i][1]);
        char *remote = answer("--index", stub, queries[i][0], queries[i][1]);
        ck_assert_msg(strcmp(remote, one) == 0, "%s: remote shards answer differently", queries[i][0]);
        free(one);
        free(remote);
    }

    kill(srv1, SIGKILL);
    waitpid(srv1, NULL, 0);
    time_t t0 = time(NULL);
    const char *args[] = {"search", "--index", stub, "smuggling", NULL};
    run_result r = blotter(args);
    ck_assert_int_eq(r.status, 2);
    char where[64];
    snprintf(where, sizeof where, "%u", port1);
    ck_assert_msg(strstr(r.err, where) || strstr(r.err, "remote.stub"), "%s", r.err);
    ck_assert_msg(time(NULL) - t0 < 30, "a dead shard took %ld s", (long)(time(NULL) - t0));
    run_free(&r);
    kill(srv0, SIGKILL);
    waitpid(srv0, NULL, 0);
}
END_TEST

START_TEST(compacting_merges_the_shards_and_changes_no_answer)
{
    char *before[sizeof queries / sizeof queries[0]];
    for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++)
        before[i] = answer("--data", sharded, queries[i][0], queries[i][1]);
    const char *args[] = {"compact", "--data", sharded, NULL};
    run_result r = blotter(args);
    ck_assert_msg(r.status == 0, "%s", r.err);
    run_free(&r);
    char index[350];
    snprintf(index, sizeof index, "%s/index", sharded);
    struct stat st;
    ck_assert_int_eq(stat(index, &st), 0);
    ck_assert(S_ISDIR(st.st_mode)); /* one database now, not a stub */
    for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++) {
        char *after = answer("--data", sharded, queries[i][0], queries[i][1]);
        ck_assert_msg(strcmp(after, before[i]) == 0, "%s: compacted index answers differently", queries[i][0]);
        free(after);
        free(before[i]);
    }
}
END_TEST

START_TEST(compacting_a_single_index_keeps_it_whole_and_searchable)
{
    char *before = answer("--data", single, "smuggling", "date");
    const char *args[] = {"compact", "--data", single, NULL};
    run_result r = blotter(args);
    ck_assert_msg(r.status == 0, "%s", r.err);
    run_free(&r);
    char *after = answer("--data", single, "smuggling", "date");
    ck_assert_msg(strcmp(after, before) == 0, "the compacted index answers differently");
    free(before);
    free(after);
    /* and it is still a sound database that takes new bulletins */
    const char *again[] = {"index", "--data", single, FIXTURES, NULL};
    r = blotter(again);
    ck_assert_msg(r.status == 0, "%s", r.err);
    ck_assert_msg(strstr(r.out, "0 added, 0 updated, 7 unchanged"), "%s", r.out);
    run_free(&r);
}
END_TEST

START_TEST(reindexing_into_shards_replaces_and_never_duplicates)
{
    const char *args[] = {"index", "--data", sharded, FIXTURES, NULL};
    run_result r = blotter(args);
    ck_assert_int_eq(r.status, 0);
    ck_assert_msg(strstr(r.out, "0 added, 0 updated, 7 unchanged"), "%s", r.out);
    run_free(&r);
    const char *wrong[] = {"index", "--data", sharded, "--shards", "3", FIXTURES, NULL};
    r = blotter(wrong);
    ck_assert_int_eq(r.status, 2);
    ck_assert_ptr_nonnull(strstr(r.err, "has 2 shards, not 3"));
    run_free(&r);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("shards");
    TCase *tc = tcase_create("two shards");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 180);
    tcase_add_loop_test(tc, two_shards_answer_exactly_as_one_index, 0, sizeof queries / sizeof queries[0]);
    tcase_add_test(tc, remote_shards_answer_exactly_as_one_index_and_a_dead_one_is_named);
    tcase_add_test(tc, compacting_merges_the_shards_and_changes_no_answer);
    tcase_add_test(tc, reindexing_into_shards_replaces_and_never_duplicates);
    tcase_add_test(tc, compacting_a_single_index_keeps_it_whole_and_searchable);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
