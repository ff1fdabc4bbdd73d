/* bl_xapian.h compiles on its own in a C11 file: it comes first, before
 * anything else is included (Check and stdlib.h only serve the test), and
 * what it declares links against the shim. */
#include "bl_xapian.h"

#include <check.h>
#include <stdlib.h>

START_TEST(the_shim_header_stands_alone)
{
    bl_xsearch_opts opts;
    bl_xsearch_opts_init(&opts);
    ck_assert_uint_eq(opts.offset, 0);
    ck_assert_uint_eq(opts.limit, 10);
    ck_assert_int_eq(opts.sort_slot, -1);
    ck_assert_int_eq(opts.collapse_slot, -1);
    ck_assert_uint_eq(opts.n_facets, 0);
    ck_assert_int_eq(opts.exact_count, 0);
    ck_assert_int_eq(BL_XFACET_SEP, 0x1f);
    ck_assert_ptr_nonnull(bl_xapian_version());
    /* Every free function takes NULL. */
    bl_xdb_close(NULL);
    bl_xdoc_free(NULL);
    bl_xqp_free(NULL);
    bl_xquery_free(NULL);
    bl_xmset_free(NULL);
    ck_assert_ptr_null(bl_xquery_describe(NULL));
    bl_error err = {0};
    ck_assert_int_eq(bl_error_set(&err, BL_EQUERY, "x"), BL_EQUERY);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("header_alone");
    TCase *tc = tcase_create("header");
    tcase_add_test(tc, the_shim_header_stands_alone);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
