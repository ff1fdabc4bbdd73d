/* Records stored as zstd frames (bl_data_codec.h): what is stored packs and
 * unpacks to the same bytes, through a real Xapian index too; data written
 * before packing existed reads as it is; damaged frames are errors, never
 * crashes or huge allocations; every thread packs with its own context. */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bl_data_codec.h"
#include "bl_xapian.h"
#include "blotter_run.h"

/* A record-like JSON text of about len bytes. */
static char *record_text(size_t len, unsigned seed)
{
    char *s = malloc(len + 1);
    size_t n = (size_t)snprintf(s, len + 1, "{\"version\":1,\"title\":\"Bulletin %u\",\"text\":\"", seed);
    static const char *const words[] = {"suspects", "arrested", "fraud", "gang", "1,461",
                                        "campaign", "police", "抓获", "犯罪嫌疑人", "cases"};
    for (;;) {
        seed = seed * 1103515245u + 12345u;
        const char *w = words[(seed >> 16) % 10];
        size_t wlen = strlen(w);
        if (n + wlen + 1 + 2 > len) /* the word, a space, the closing "} */
            break;
        memcpy(s + n, w, wlen);
        s[n + wlen] = ' ';
        n += wlen + 1;
    }
    memcpy(s + n, "\"}", 3);
    return s;
}

static void assert_round_trip(const char *data, size_t len)
{
    bl_error err = {0};
    char *packed = NULL, *back = NULL;
    size_t packed_len = 0, back_len = 0;
    ck_assert_msg(bl_data_pack(data, len, &packed, &packed_len, &err) == 0, "%s", err.msg);
    ck_assert_msg(bl_data_unpack(packed, packed_len, &back, &back_len, &err) == 0, "%s", err.msg);
    ck_assert_uint_eq(back_len, len);
    ck_assert(memcmp(back, data, len) == 0);
    ck_assert_int_eq(back[len], '\0');
    free(packed);
    free(back);
}

START_TEST(a_record_packs_smaller_and_unpacks_to_the_same_bytes)
{
    char *text = record_text(6000, 7);
    size_t len = strlen(text);
    bl_error err = {0};
    char *packed = NULL;
    size_t packed_len = 0;
    ck_assert_int_eq(bl_data_pack(text, len, &packed, &packed_len, &err), 0);
    ck_assert_msg(packed_len < len / 2, "%zu bytes packed to %zu", len, packed_len);
    ck_assert(memcmp(packed, "\x28\xb5\x2f\xfd", 4) == 0);
    free(packed);
    assert_round_trip(text, len);
    free(text);
}
END_TEST

START_TEST(short_data_and_empty_data_are_stored_as_they_are)
{
    bl_error err = {0};
    char *packed = NULL;
    size_t packed_len = 0;
    ck_assert_int_eq(bl_data_pack("{\"version\":1}", 13, &packed, &packed_len, &err), 0);
    ck_assert_uint_eq(packed_len, 13);
    ck_assert_str_eq(packed, "{\"version\":1}");
    free(packed);
    assert_round_trip("", 0);
}
END_TEST

/* Short data that happens to start like a frame must not be taken for one. */
START_TEST(short_data_that_looks_like_a_frame_is_packed_all_the_same)
{
    const char data[] = "\x28\xb5\x2f\xfd not a frame";
    assert_round_trip(data, sizeof data - 1);
}
END_TEST

START_TEST(data_written_before_packing_reads_as_it_is)
{
    char *text = record_text(3000, 3);
    bl_error err = {0};
    char *back = NULL;
    size_t back_len = 0;
    ck_assert_int_eq(bl_data_unpack(text, strlen(text), &back, &back_len, &err), 0);
    ck_assert_str_eq(back, text);
    ck_assert_uint_eq(back_len, strlen(text));
    free(back);
    free(text);
}
END_TEST

START_TEST(a_damaged_frame_is_an_error_that_says_so)
{
    char *text = record_text(4000, 11);
    bl_error err = {0};
    char *packed = NULL, *back = NULL;
    size_t packed_len = 0, back_len = 0;
    ck_assert_int_eq(bl_data_pack(text, strlen(text), &packed, &packed_len, &err), 0);

    /* Cut short. */
    ck_assert_int_eq(bl_data_unpack(packed, packed_len / 2, &back, &back_len, &err), BL_ECORRUPT);
    ck_assert_ptr_null(back);
    ck_assert_msg(strstr(err.msg, "stored record is damaged"), "%s", err.msg);

    /* Bytes flipped in the middle of the compressed blocks. */
    bl_error_clear(&err);
    for (size_t i = packed_len / 3; i < packed_len / 3 + 16; i++)
        packed[i] ^= 0x5a;
    int rc = bl_data_unpack(packed, packed_len, &back, &back_len, &err);
    ck_assert_int_eq(rc, BL_ECORRUPT);
    ck_assert_ptr_null(back);

    /* A header that claims 4 GiB is refused before anything is allocated. */
    bl_error_clear(&err);
    const unsigned char huge[] = {0x28, 0xb5, 0x2f, 0xfd, 0xe0, 0, 0, 0, 0, 1, 0, 0, 0};
    ck_assert_int_eq(bl_data_unpack((const char *)huge, sizeof huge, &back, &back_len, &err),
                     BL_ECORRUPT);
    ck_assert_ptr_null(back);
    ck_assert_msg(strstr(err.msg, "bad frame header"), "%s", err.msg);
    free(packed);
    free(text);
}
END_TEST

static void *pack_many(void *arg)
{
    unsigned seed = (unsigned)(size_t)arg;
    for (unsigned i = 0; i < 200; i++) {
        char *text = record_text(500 + (seed * 131 + i * 17) % 5000, seed + i);
        assert_round_trip(text, strlen(text));
        free(text);
    }
    return NULL;
}

/* Each thread's contexts are its own (and freed when it ends: the sanitizer
 * and valgrind builds would report them otherwise). */
START_TEST(threads_pack_and_unpack_side_by_side)
{
    pthread_t t[4];
    for (size_t i = 0; i < 4; i++)
        ck_assert_int_eq(pthread_create(&t[i], NULL, pack_many, (void *)(i + 1)), 0);
    for (size_t i = 0; i < 4; i++)
        ck_assert_int_eq(pthread_join(t[i], NULL), 0);
}
END_TEST

/* Through the shim into a real index and back, by id term and as a hit. */
START_TEST(a_record_stored_in_an_index_reads_back_the_same)
{
    char work[256], path[300];
    bl_make_work_dir("data-codec", work);
    snprintf(path, sizeof path, "%s/index", work);
    char *text = record_text(8000, 5);
    bl_error err = {0};
    bl_xdb *db = NULL;
    bl_xdoc *doc = NULL;
    ck_assert_int_eq(bl_xdb_open(path, BL_XDB_WRITE_CREATE, &db, &err), 0);
    ck_assert_int_eq(bl_xdoc_new(&doc, &err), 0);
    ck_assert_int_eq(bl_xdoc_index_text(doc, "fraud", 5, 1, NULL, &err), 0);
    ck_assert_int_eq(bl_xdoc_set_data(doc, text, strlen(text), &err), 0);
    ck_assert_int_eq(bl_xdb_replace(db, "Qone", doc, &err), 0);
    bl_xdoc_free(doc);
    ck_assert_int_eq(bl_xdb_commit(db, &err), 0);

    char *back = NULL;
    size_t back_len = 0;
    ck_assert_int_eq(bl_xdb_get_data_by_term(db, "Qone", &back, &back_len, &err), 0);
    ck_assert_uint_eq(back_len, strlen(text));
    ck_assert_str_eq(back, text);
    free(back);

    bl_xquery *q = NULL;
    bl_xmset *ms = NULL;
    bl_xsearch_opts opts;
    bl_xsearch_opts_init(&opts);
    ck_assert_int_eq(bl_xquery_term("fraud", &q, &err), 0);
    ck_assert_int_eq(bl_xsearch(db, q, &opts, &ms, &err), 0);
    ck_assert_uint_eq(bl_xmset_size(ms), 1);
    ck_assert_int_eq(bl_xmset_data(ms, 0, &back, &back_len, &err), 0);
    ck_assert_str_eq(back, text);
    free(back);
    bl_xmset_free(ms);
    bl_xquery_free(q);
    bl_xdb_close(db);
    free(text);
    bl_remove_tree(work);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("data_codec");
    TCase *tc = tcase_create("codec");
    tcase_add_test(tc, a_record_packs_smaller_and_unpacks_to_the_same_bytes);
    tcase_add_test(tc, short_data_and_empty_data_are_stored_as_they_are);
    tcase_add_test(tc, short_data_that_looks_like_a_frame_is_packed_all_the_same);
    tcase_add_test(tc, data_written_before_packing_reads_as_it_is);
    tcase_add_test(tc, a_damaged_frame_is_an_error_that_says_so);
    tcase_add_test(tc, threads_pack_and_unpack_side_by_side);
    tcase_add_test(tc, a_record_stored_in_an_index_reads_back_the_same);
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
