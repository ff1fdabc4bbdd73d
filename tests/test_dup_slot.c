/* The collapse slot of duplicate bulletins: the indexer writes the digest's
 * first 8 bytes to BL_SLOT_DUPKEY, a search collapses on it, and an index
 * written before that slot existed (wholly or in part) is collapsed on the
 * hex digest instead, so a text published twice still shows once. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bl_schema.h"
#include "bl_xapian.h"
#include "blotter_run.h"
#include "dup_slot.h"

#define FIXTURES BL_TEST_SOURCE_DIR "/tests/fixtures/research"

static char work[256];

static void setup(void)
{
    bl_make_work_dir("dup-slot", work);
}

static void teardown(void)
{
    bl_remove_tree(work);
}

/* A bulletin as an index of either schema holds it: a digest (64 hex
 * characters, d repeated), and the 8-byte key only when with_key is set. */
static void add_doc(bl_xdb *db, const char *id, char d, int with_key)
{
    bl_error err = {0};
    bl_xdoc *doc = NULL;
    char digest[64], key[8];
    memset(digest, d, sizeof digest);
    memset(key, d, sizeof key);
    ck_assert_int_eq(bl_xdoc_new(&doc, &err), 0);
    ck_assert_int_eq(bl_xdoc_index_text(doc, "fraud", 5, 1, NULL, &err), 0);
    ck_assert_int_eq(bl_xdoc_set_value(doc, BL_SLOT_DIGEST, digest, sizeof digest, &err), 0);
    if (with_key)
        ck_assert_int_eq(bl_xdoc_set_value(doc, BL_SLOT_DUPKEY, key, sizeof key, &err), 0);
    ck_assert_int_eq(bl_xdb_replace(db, id, doc, &err), 0);
    bl_xdoc_free(doc);
}

/* How many hits a search for everything shows, collapsed on bl_dup_slot. */
static unsigned collapsed_hits(bl_xdb *db)
{
    bl_error err = {0};
    bl_xquery *q = NULL;
    bl_xmset *ms = NULL;
    bl_xsearch_opts opts;
    bl_xsearch_opts_init(&opts);
    opts.collapse_slot = bl_dup_slot(db);
    ck_assert_int_eq(bl_xquery_all(&q, &err), 0);
    ck_assert_msg(bl_xsearch(db, q, &opts, &ms, &err) == 0, "%s", err.msg);
    unsigned n = bl_xmset_size(ms);
    bl_xmset_free(ms);
    bl_xquery_free(q);
    return n;
}

/* An index with three bulletins, two of them the same text (digest 'a'). */
static bl_xdb *three_bulletins(const char *name, int first_has_key, int others_have_key)
{
    char path[400];
    snprintf(path, sizeof path, "%s/%s", work, name);
    bl_error err = {0};
    bl_xdb *db = NULL;
    ck_assert_int_eq(bl_xdb_open(path, BL_XDB_WRITE_CREATE, &db, &err), 0);
    add_doc(db, "Q1", 'a', first_has_key);
    add_doc(db, "Q2", 'a', others_have_key);
    add_doc(db, "Q3", 'b', others_have_key);
    ck_assert_int_eq(bl_xdb_commit(db, &err), 0);
    return db;
}

START_TEST(an_index_with_every_key_collapses_on_the_key)
{
    bl_xdb *db = three_bulletins("new", 1, 1);
    ck_assert_int_eq(bl_dup_slot(db), BL_SLOT_DUPKEY);
    ck_assert_uint_eq(collapsed_hits(db), 2);
    bl_xdb_close(db);
}
END_TEST

START_TEST(an_index_from_before_the_key_collapses_on_the_digest)
{
    bl_xdb *db = three_bulletins("old", 0, 0);
    ck_assert_int_eq(bl_dup_slot(db), BL_SLOT_DIGEST);
    ck_assert_uint_eq(collapsed_hits(db), 2);
    bl_xdb_close(db);
}
END_TEST

/* An old index that a newer blotter has added to: collapsing on the key
 * would show the keyless copy beside its twin. */
START_TEST(a_partly_rewritten_index_still_shows_each_text_once)
{
    bl_xdb *db = three_bulletins("mixed", 0, 1);
    ck_assert_int_eq(bl_dup_slot(db), BL_SLOT_DIGEST);
    ck_assert_uint_eq(collapsed_hits(db), 2);
    bl_xdb_close(db);
}
END_TEST

static int hex_value(char c)
{
    return c <= '9' ? c - '0' : c - 'a' + 10;
}

/* `blotter index` writes the key, and it is the digest's first 8 bytes. */
START_TEST(the_indexer_writes_the_first_8_bytes_of_the_digest)
{
    char data[300];
    snprintf(data, sizeof data, "%s/data", work);
    const char *a[] = {"index", "--data", data, FIXTURES, NULL};
    bl_run_result r = bl_run_blotter(work, a);
    ck_assert_msg(r.status == 0, "%s", r.err);
    bl_run_free(&r);

    char index_path[400];
    snprintf(index_path, sizeof index_path, "%s/index", data);
    bl_error err = {0};
    bl_xdb *db = NULL;
    ck_assert_msg(bl_xdb_open(index_path, BL_XDB_READ, &db, &err) == 0, "%s", err.msg);
    ck_assert_int_eq(bl_dup_slot(db), BL_SLOT_DUPKEY);
    bl_xquery *q = NULL;
    bl_xmset *ms = NULL;
    bl_xsearch_opts opts;
    bl_xsearch_opts_init(&opts);
    opts.limit = 100;
    ck_assert_int_eq(bl_xquery_all(&q, &err), 0);
    ck_assert_int_eq(bl_xsearch(db, q, &opts, &ms, &err), 0);
    ck_assert_uint_gt(bl_xmset_size(ms), 5);
    for (unsigned i = 0; i < bl_xmset_size(ms); i++) {
        char *digest = NULL, *key = NULL;
        size_t digest_len = 0, key_len = 0;
        ck_assert_int_eq(bl_xmset_value(ms, i, BL_SLOT_DIGEST, &digest, &digest_len, &err), 0);
        ck_assert_int_eq(bl_xmset_value(ms, i, BL_SLOT_DUPKEY, &key, &key_len, &err), 0);
        ck_assert_uint_eq(digest_len, 64);
        ck_assert_uint_eq(key_len, 8);
        for (int b = 0; b < 8; b++)
            ck_assert_int_eq((unsigned char)key[b],
                             hex_value(digest[2 * b]) * 16 + hex_value(digest[2 * b + 1]));
        free(digest);
        free(key);
    }
    bl_xmset_free(ms);
    bl_xquery_free(q);
    bl_xdb_close(db);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("dup_slot");
    TCase *tc = tcase_create("collapse");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, an_index_with_every_key_collapses_on_the_key);
    tcase_add_test(tc, an_index_from_before_the_key_collapses_on_the_digest);
    tcase_add_test(tc, a_partly_rewritten_index_still_shows_each_text_once);
    tcase_add_test(tc, the_indexer_writes_the_first_8_bytes_of_the_digest);
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
