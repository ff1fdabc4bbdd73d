/* The server's time limit on answers (server/deadline.h): work done in time
 * is the caller's; work that is not is answered "too late" while it goes on,
 * and is handed back for cleaning when it ends. The late work below blocks
 * until the test lets it go, so no result depends on how fast the machine is. */
#include <check.h>
#include <semaphore.h>
#include <stdlib.h>

#include "deadline.h"

typedef struct work {
    sem_t may_finish; /* posted by the test when a blocking work may end */
    sem_t abandoned;  /* posted by abandon() */
    int blocks;
    int result;
} work;

static void run(void *arg)
{
    work *w = arg;
    if (w->blocks)
        sem_wait(&w->may_finish);
    w->result = 42;
}

static void abandon(void *arg)
{
    work *w = arg;
    sem_post(&w->abandoned);
}

static void work_init(work *w, int blocks)
{
    sem_init(&w->may_finish, 0, 0);
    sem_init(&w->abandoned, 0, 0);
    w->blocks = blocks;
    w->result = 0;
}

START_TEST(work_done_in_time_is_returned_to_the_caller)
{
    work w;
    work_init(&w, 0);
    ck_assert_int_eq(bl_deadline_run(run, &w, abandon, 60000), 0);
    ck_assert_int_eq(w.result, 42);
    ck_assert_int_eq(sem_trywait(&w.abandoned), -1); /* never abandoned */
}
END_TEST

START_TEST(late_work_is_answered_as_timed_out_and_cleaned_up_when_it_ends)
{
    work *w = malloc(sizeof *w);
    work_init(w, 1);
    ck_assert_int_eq(bl_deadline_run(run, w, abandon, 20), BL_ETIMEOUT);
    ck_assert_uint_ge(bl_deadline_running(), 1);
    sem_post(&w->may_finish);
    sem_wait(&w->abandoned); /* the worker hands the finished work back */
    ck_assert_int_eq(w->result, 42);
    free(w);
}
END_TEST

START_TEST(no_worker_is_left_running_after_the_work_ends)
{
    work w;
    work_init(&w, 0);
    for (int i = 0; i < 20; i++)
        ck_assert_int_eq(bl_deadline_run(run, &w, abandon, 60000), 0);
    ck_assert_uint_eq(bl_deadline_running(), 0);
}
END_TEST

static Suite *deadline_suite(void)
{
    Suite *s = suite_create("deadline");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, work_done_in_time_is_returned_to_the_caller);
    tcase_add_test(tc, late_work_is_answered_as_timed_out_and_cleaned_up_when_it_ends);
    tcase_add_test(tc, no_worker_is_left_running_after_the_work_ends);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(deadline_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
