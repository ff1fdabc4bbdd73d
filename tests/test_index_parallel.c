/* Building a new index on every core (indexer/bulk_build.h), end to end:
 * scratch shards written in parallel and merged into one database must hold
 * exactly what a one-thread build holds (the same bulletins, each once, with
 * the same records and terms), leave no scratch behind, survive the leftovers
 * of a build that died, and hand over to ordinary updates afterwards. Also
 * the table that keeps a key in one scratch shard (indexer/key_routes.h).
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bl_schema.h"
#include "bl_xapian.h"
#include "blotter_run.h"
#include "key_routes.h"

#define N_BULLETINS 1500 /* several batches in each scratch shard */
#define N_REPEATED 40    /* bulletins whose URL comes back later in the input */

static char work[256], input[300], bulk[300], one[300];

/* Writes N_BULLETINS bulletins, then N_REPEATED of them again under the same
 * URL with other words: a key met twice in one run. Each bulletin has a word
 * of its own (u<number>x) and words shared with others. */
static void write_input(const char *path)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    for (unsigned i = 0; i < N_BULLETINS + N_REPEATED; i++) {
        unsigned n = i < N_BULLETINS ? i : (i - N_BULLETINS) * 37 % N_BULLETINS;
        fprintf(f,
                "{\"url\":\"https://example.gov/press/%05u\",\"title\":\"Release %u\","
                "\"date\":\"2021-%02u-%02u\",\"text\":\"Deputies arrested %u suspects in "
                "case u%05ux after a %s investigation into %s fraud.\"}\n",
                n, n, n % 12 + 1, n % 28 + 1, n % 50 + 2, n, i < N_BULLETINS ? "long" : "renewed",
                n % 3 ? "wire" : "mail");
    }
    ck_assert_int_eq(fclose(f), 0);
}

static void index_ok(const char *const *args)
{
    bl_run_result r = bl_run_blotter(work, args);
    ck_assert_msg(r.status == 0, "blotter %s: exit %d: %s", args[0], r.status, r.err);
    bl_run_free(&r);
}

static void setup(void)
{
    bl_make_work_dir("index-parallel", work);
    snprintf(input, sizeof input, "%s/bulletins.jsonl", work);
    snprintf(bulk, sizeof bulk, "%s/bulk", work);
    snprintf(one, sizeof one, "%s/one", work);
    write_input(input);
    const char *a[] = {"index", "--quiet", "--data", bulk, input, NULL};
    index_ok(a);
    /* --shards 1 is the plain build: one thread writes the index itself. */
    const char *b[] = {"index", "--quiet", "--data", one, "--shards", "1", input, NULL};
    index_ok(b);
}

static void teardown(void)
{
    bl_remove_tree(work);
}

static void path_in(char *out, size_t size, const char *data, const char *name)
{
    snprintf(out, size, "%s/%s", data, name);
}

static bl_xdb *open_index(const char *data)
{
    char path[400];
    bl_xdb *db = NULL;
    bl_error err = {0};
    path_in(path, sizeof path, data, "index");
    ck_assert_msg(bl_xdb_open(path, BL_XDB_READ, &db, &err) == 0, "%s", err.msg);
    return db;
}

static uint64_t doccount(bl_xdb *db)
{
    uint64_t n = 0;
    bl_error err = {0};
    ck_assert_int_eq(bl_xdb_doccount(db, &n, &err), 0);
    return n;
}

/* ---- the merged index --------------------------------------------------- */

START_TEST(a_new_index_is_one_checked_database_and_no_scratch_is_left)
{
    char path[400];
    struct stat st;
    path_in(path, sizeof path, bulk, "index");
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert_msg(S_ISDIR(st.st_mode), "the index is not one database");
    bl_error err = {0};
    ck_assert_msg(bl_xdb_check(path, &err) == 0, "%s", err.msg);
    path_in(path, sizeof path, bulk, "index.build");
    ck_assert_msg(stat(path, &st) != 0, "the scratch shards were left behind");

    bl_xdb *db = open_index(bulk);
    char *schema = NULL;
    ck_assert_int_eq(bl_xdb_get_metadata(db, BL_SCHEMA_METADATA_KEY, &schema, &err), 0);
    ck_assert_str_eq(schema, BL_SCHEMA_VERSION);
    free(schema);
    bl_xdb_close(db);
}
END_TEST

typedef struct id_walk {
    bl_xdb *self;
    bl_xdb *other;   /* the one-thread index */
    unsigned ids;
    const char *problem;
    char where[300];
} id_walk;

/* Every id is held by one document, whose record is the one the one-thread
 * build stored under the same id (for a repeated URL, the later version:
 * its copies lie far apart in the input). */
static int compare_id(void *ctx, const char *term, size_t len, uint64_t freq)
{
    id_walk *w = ctx;
    char id[300], *mine = NULL, *theirs = NULL;
    size_t mine_len = 0, theirs_len = 0;
    bl_error err = {0};
    snprintf(id, sizeof id, "%.*s", (int)len, term);
    w->ids++;
    if (freq != 1)
        w->problem = "an id held by several documents";
    else if (bl_xdb_get_data_by_term(w->self, id, &mine, &mine_len, &err) != 0)
        w->problem = "an id without its document";
    else if (bl_xdb_get_data_by_term(w->other, id, &theirs, &theirs_len, &err) != 0)
        w->problem = "an id the one-thread build does not have";
    else if (mine_len != theirs_len || memcmp(mine, theirs, mine_len) != 0)
        w->problem = "a record unlike the one-thread build's";
    free(mine);
    free(theirs);
    if (!w->problem)
        return 0;
    snprintf(w->where, sizeof w->where, "%s", id);
    return 1;
}

START_TEST(it_holds_each_bulletin_once_like_the_one_thread_build)
{
    bl_xdb *db = open_index(bulk), *ref = open_index(one);
    ck_assert_uint_eq(doccount(db), N_BULLETINS);
    ck_assert_uint_eq(doccount(ref), N_BULLETINS);
    id_walk w = {db, ref, 0, NULL, ""};
    bl_error err = {0};
    ck_assert_int_eq(bl_xdb_each_term(db, BL_PREFIX_ID, compare_id, &w, &err), 0);
    ck_assert_msg(!w.problem, "%s: %s", w.problem, w.where);
    ck_assert_uint_eq(w.ids, N_BULLETINS);
    bl_xdb_close(db);
    bl_xdb_close(ref);
}
END_TEST

static const char *const terms[] = {
    "u00000x", "u01499x", "deputies", "Zarrest", "fraud", "wire", "mail", "renewed",
    "Srelease", "Y2021", "Len", "Hexample.gov",
};

typedef struct term_walk {
    bl_xdb *other;
    unsigned terms;
    char differs[400];
} term_walk;

static int compare_term(void *ctx, const char *term, size_t len, uint64_t freq)
{
    term_walk *w = ctx;
    char t[300];
    uint64_t theirs = 0;
    snprintf(t, sizeof t, "%.*s", (int)len, term);
    ck_assert_int_eq(bl_xdb_term_freq(w->other, t, &theirs, NULL), 0);
    w->terms++;
    if (theirs != freq) {
        snprintf(w->differs, sizeof w->differs, "%s: %llu here, %llu in one-thread build", t,
                 (unsigned long long)freq, (unsigned long long)theirs);
        return 1;
    }
    return 0;
}

START_TEST(every_term_indexes_as_many_bulletins_as_in_the_one_thread_build)
{
    bl_xdb *db = open_index(bulk), *ref = open_index(one);
    term_walk w = {ref, 0, ""};
    bl_error err = {0};
    ck_assert_int_eq(bl_xdb_each_term(db, "", compare_term, &w, &err), 0);
    ck_assert_msg(!w.differs[0], "%s", w.differs);
    /* The walk saw the words, stems, fields and filters, not only ids. */
    for (size_t i = 0; i < sizeof terms / sizeof terms[0]; i++) {
        uint64_t n = 0;
        ck_assert_int_eq(bl_xdb_term_freq(db, terms[i], &n, &err), 0);
        ck_assert_msg(n > 0, "no bulletin has %s", terms[i]);
    }
    term_walk back = {db, 0, ""};
    ck_assert_int_eq(bl_xdb_each_term(ref, "", compare_term, &back, &err), 0);
    ck_assert_msg(!back.differs[0], "%s", back.differs);
    ck_assert_uint_eq(w.terms, back.terms);
    bl_xdb_close(db);
    bl_xdb_close(ref);
}
END_TEST

START_TEST(the_build_counts_a_repeated_url_as_an_update)
{
    char fresh[320];
    snprintf(fresh, sizeof fresh, "%s/fresh", work);
    const char *args[] = {"index", "--data", fresh, input, NULL};
    bl_run_result r = bl_run_blotter(work, args);
    ck_assert_msg(r.status == 0, "%s", r.err);
    unsigned long added = 0, updated = 0, unchanged = 0;
    ck_assert_int_eq(sscanf(r.out, "%lu added, %lu updated, %lu unchanged", &added, &updated,
                            &unchanged), 3);
    /* A URL's first copy is added unseen; its second is looked up and
     * replaces it, having other words. */
    ck_assert_uint_eq(added, N_BULLETINS);
    ck_assert_uint_eq(updated, N_REPEATED);
    ck_assert_uint_eq(unchanged, 0);
    bl_run_free(&r);
}
END_TEST

START_TEST(a_later_run_updates_the_merged_index_in_place)
{
    const char *args[] = {"index", "--data", bulk, input, NULL};
    bl_run_result r = bl_run_blotter(work, args);
    ck_assert_msg(r.status == 0, "%s", r.err);
    unsigned long added = 9, updated = 9, unchanged = 0;
    ck_assert_int_eq(sscanf(r.out, "%lu added, %lu updated, %lu unchanged", &added, &updated,
                            &unchanged), 3);
    /* The repeated URLs are the only changes: the second copy in the input
     * replaces the first each time. */
    ck_assert_uint_eq(added, 0);
    ck_assert_uint_eq(updated + unchanged, N_BULLETINS + N_REPEATED);
    bl_run_free(&r);
    bl_xdb *db = open_index(bulk);
    ck_assert_uint_eq(doccount(db), N_BULLETINS);
    bl_xdb_close(db);
}
END_TEST

START_TEST(the_leftovers_of_a_build_that_died_are_cleared_by_the_next)
{
    char data[300], path[400], junk[450];
    snprintf(data, sizeof data, "%s/died", work);
    path_in(path, sizeof path, data, "index.build/shards/00");
    char cmd[600];
    snprintf(cmd, sizeof cmd, "mkdir -p %s", path);
    ck_assert_int_eq(system(cmd), 0);
    snprintf(junk, sizeof junk, "%s/postlist.glass", path);
    FILE *f = fopen(junk, "w");
    ck_assert_ptr_nonnull(f);
    fputs("not a table", f);
    ck_assert_int_eq(fclose(f), 0);

    const char *args[] = {"index", "--quiet", "--data", data, input, NULL};
    index_ok(args);
    struct stat st;
    path_in(path, sizeof path, data, "index.build");
    ck_assert_msg(stat(path, &st) != 0, "the leftovers are still there");
    bl_xdb *db = open_index(data);
    ck_assert_uint_eq(doccount(db), N_BULLETINS);
    bl_xdb_close(db);
}
END_TEST

START_TEST(asking_for_shards_keeps_them_apart)
{
    char data[300], path[400];
    snprintf(data, sizeof data, "%s/sharded", work);
    const char *args[] = {"index", "--quiet", "--data", data, "--shards", "2", input, NULL};
    index_ok(args);
    struct stat st;
    path_in(path, sizeof path, data, "index");
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert_msg(S_ISREG(st.st_mode), "not a stub file of shards");
    bl_xdb *db = open_index(data);
    ck_assert_uint_eq(doccount(db), N_BULLETINS);
    bl_xdb_close(db);
}
END_TEST

/* ---- keeping a key in one shard ------------------------------------------- */

START_TEST(a_key_stays_in_the_shard_it_first_went_to)
{
    bl_key_routes *r = bl_key_routes_new();
    ck_assert_ptr_nonnull(r);
    ck_assert_int_eq(bl_key_routes_find(r, 42), -1);
    ck_assert_int_eq(bl_key_routes_add(r, 42, 3), 0);
    ck_assert_int_eq(bl_key_routes_find(r, 42), 3);
    /* The hash 0 is a key like any other. */
    ck_assert_int_eq(bl_key_routes_find(r, 0), -1);
    ck_assert_int_eq(bl_key_routes_add(r, 0, 1), 0);
    ck_assert_int_eq(bl_key_routes_find(r, 0), 1);
    /* Enough keys to grow the table several times; each keeps its shard. */
    for (uint64_t k = 1; k <= 50000; k++)
        ck_assert_int_eq(bl_key_routes_add(r, k * 0x9E3779B97F4A7C15ULL, (unsigned)(k % 7)), 0);
    for (uint64_t k = 1; k <= 50000; k++)
        ck_assert_int_eq(bl_key_routes_find(r, k * 0x9E3779B97F4A7C15ULL), (int)(k % 7));
    ck_assert_int_eq(bl_key_routes_find(r, 42), 3);
    ck_assert_int_eq(bl_key_routes_find(r, 7), -1);
    bl_key_routes_free(r);
    bl_key_routes_free(NULL);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("index_parallel");
    TCase *tc = tcase_create("bulk build");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, a_new_index_is_one_checked_database_and_no_scratch_is_left);
    tcase_add_test(tc, it_holds_each_bulletin_once_like_the_one_thread_build);
    tcase_add_test(tc, every_term_indexes_as_many_bulletins_as_in_the_one_thread_build);
    tcase_add_test(tc, the_build_counts_a_repeated_url_as_an_update);
    tcase_add_test(tc, a_later_run_updates_the_merged_index_in_place);
    tcase_add_test(tc, the_leftovers_of_a_build_that_died_are_cleared_by_the_next);
    tcase_add_test(tc, asking_for_shards_keeps_them_apart);
    suite_add_tcase(s, tc);
    TCase *routes = tcase_create("key routes");
    tcase_add_test(routes, a_key_stays_in_the_shard_it_first_went_to);
    suite_add_tcase(s, routes);
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
