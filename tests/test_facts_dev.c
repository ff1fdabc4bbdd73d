/* The labelled development set in tests/fixtures/facts/dev-public.jsonl
 * (public-domain DOJ paragraphs and sentences written for it): precision and
 * recall of facts and campaigns stay above their floors, per language.
 * blotter-eval-facts prints the full table for the same file. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "bl_facts.h"

#define PRECISION_FLOOR 0.90
#define RECALL_FLOOR 0.80

typedef struct score {
    long tp, fp, fn;
} score;

static double precision(const score *s)
{
    return s->tp + s->fp ? (double)s->tp / (double)(s->tp + s->fp) : 1;
}

static double recall(const score *s)
{
    return s->tp + s->fn ? (double)s->tp / (double)(s->tp + s->fn) : 1;
}

/* Scores one labelled line into facts and campaigns. */
static void score_line(const bl_lexicon *lex, json_object *o, score *facts, score *camps)
{
    json_object *jt, *jl, *jf, *jc;
    ck_assert(json_object_object_get_ex(o, "text", &jt));
    ck_assert(json_object_object_get_ex(o, "lang", &jl));
    ck_assert(json_object_object_get_ex(o, "facts", &jf));
    const char *text = json_object_get_string(jt);
    bl_record *rec = bl_record_new();
    ck_assert_int_eq(bl_facts_find(lex, text, strlen(text), json_object_get_string(jl), rec, NULL), 0);
    ck_assert_int_eq(bl_campaigns_find(lex, text, strlen(text), json_object_get_string(jl), rec, NULL), 0);
    size_t n = json_object_array_length(jf);
    char used[256] = {0};
    ck_assert_uint_lt(n, sizeof used);
    for (size_t i = 0; i < rec->n_facts; i++) {
        int hit = 0;
        for (size_t k = 0; k < n && !hit; k++) {
            json_object *e = json_object_array_get_idx(jf, k), *c, *v;
            json_object_object_get_ex(e, "category", &c);
            json_object_object_get_ex(e, "value", &v);
            double want = json_object_get_double(v), got = rec->facts[i].value;
            if (!used[k] && strcmp(json_object_get_string(c), rec->facts[i].category) == 0 &&
                fabs(want - got) <= 1e-3 * fmax(1, fabs(want))) {
                used[k] = 1;
                hit = 1;
            }
        }
        if (hit)
            facts->tp++;
        else
            facts->fp++;
    }
    for (size_t k = 0; k < n; k++)
        if (!used[k])
            facts->fn++;
    if (json_object_object_get_ex(o, "campaigns", &jc)) {
        size_t m = json_object_array_length(jc);
        for (size_t i = 0; i < rec->n_campaigns; i++) {
            int hit = 0;
            for (size_t k = 0; k < m; k++)
                hit |= strcasecmp(rec->campaigns[i],
                                  json_object_get_string(json_object_array_get_idx(jc, k))) == 0;
            if (hit)
                camps->tp++;
            else
                camps->fp++;
        }
        camps->fn += (long)m - (long)(rec->n_campaigns < m ? rec->n_campaigns : m);
    }
    bl_record_free(rec);
}

START_TEST(the_development_set_stays_above_its_floors)
{
    bl_lexicon *lex = NULL;
    bl_error err = {0};
    ck_assert_msg(bl_lexicon_load(BL_TEST_SOURCE_DIR "/data/lexicon.txt", &lex, &err) == 0,
                  "%s", err.msg);
    FILE *f = fopen(BL_TEST_SOURCE_DIR "/tests/fixtures/facts/dev-public.jsonl", "rb");
    ck_assert_ptr_nonnull(f);
    score facts[2] = {{0, 0, 0}, {0, 0, 0}}, camps = {0, 0, 0};
    long lines[2] = {0, 0};
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, f) > 0) {
        json_object *o = json_tokener_parse(line), *jl;
        ck_assert_ptr_nonnull(o);
        ck_assert(json_object_object_get_ex(o, "lang", &jl));
        int zh = strcmp(json_object_get_string(jl), "zh") == 0;
        score_line(lex, o, &facts[zh], &camps);
        lines[zh]++;
        json_object_put(o);
    }
    free(line);
    fclose(f);
    bl_lexicon_free(lex);
    ck_assert_int_ge(lines[0], 60);
    ck_assert_int_ge(lines[1], 60);
    for (int l = 0; l < 2; l++) {
        printf("%s: tp %ld fp %ld fn %ld precision %.3f recall %.3f\n", l ? "zh" : "en",
               facts[l].tp, facts[l].fp, facts[l].fn, precision(&facts[l]), recall(&facts[l]));
        ck_assert_msg(precision(&facts[l]) >= PRECISION_FLOOR, "%s precision %.3f",
                      l ? "zh" : "en", precision(&facts[l]));
        ck_assert_msg(recall(&facts[l]) >= RECALL_FLOOR, "%s recall %.3f", l ? "zh" : "en",
                      recall(&facts[l]));
    }
    ck_assert_msg(precision(&camps) >= PRECISION_FLOOR, "campaign precision %.3f", precision(&camps));
    ck_assert_msg(recall(&camps) >= RECALL_FLOOR, "campaign recall %.3f", recall(&camps));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("facts_dev");
    TCase *tc = tcase_create("dev set");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, the_development_set_stays_above_its_floors);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
