/* blotter: per-campaign statistics (see campaign_stats.h). */
#include "campaign_stats.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bl_record.h"
#include "dup_slot.h"

typedef struct term_list {
    char **terms;
    unsigned n, cap;
} term_list;

static int collect_term(void *ctx, const char *term, size_t len, uint64_t freq)
{
    (void)freq;
    term_list *l = ctx;
    if (l->n == l->cap) {
        unsigned cap = l->cap ? l->cap * 2 : 32;
        char **p = realloc(l->terms, cap * sizeof *p);
        if (!p)
            return 1;
        l->terms = p;
        l->cap = cap;
    }
    if (!(l->terms[l->n] = strndup(term, len)))
        return 1;
    l->n++;
    return 0;
}

static void add_fact(bl_fact_sum *sum, double v)
{
    if (sum->bulletins == 0 || v > sum->max)
        sum->max = v;
    sum->total += v;
    sum->bulletins++;
}

static bl_month_stats *month_of(bl_campaign_stats *c, const char *date)
{
    char month[8];
    memcpy(month, date, 7);
    month[7] = '\0';
    unsigned lo = 0, hi = c->n_months;
    while (lo < hi) {
        unsigned mid = (lo + hi) / 2;
        int cmp = strcmp(c->months[mid].month, month);
        if (cmp == 0)
            return &c->months[mid];
        if (cmp < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    bl_month_stats *p = realloc(c->months, (c->n_months + 1) * sizeof *p);
    if (!p)
        return NULL;
    c->months = p;
    memmove(&p[lo + 1], &p[lo], (c->n_months - lo) * sizeof *p);
    memset(&p[lo], 0, sizeof *p);
    memcpy(p[lo].month, month, 8);
    c->n_months++;
    return &p[lo];
}

static int count_agency(bl_campaign_stats *c, const char *agency)
{
    for (unsigned i = 0; i < c->n_agencies; i++)
        if (strcmp(c->agencies[i].name, agency) == 0) {
            c->agencies[i].count++;
            return 0;
        }
    bl_agency_count *p = realloc(c->agencies, (c->n_agencies + 1) * sizeof *p);
    if (!p)
        return -1;
    c->agencies = p;
    if (!(p[c->n_agencies].name = strdup(agency)))
        return -1;
    p[c->n_agencies++].count = 1;
    return 0;
}

static int valid_date(const char *d)
{
    return d && strlen(d) == 10 && isdigit((unsigned char)d[0]) && d[4] == '-' && d[7] == '-';
}

/* Folds one bulletin into campaign c; term is the campaign's lowercase name. */
static int add_bulletin(bl_campaign_stats *c, const bl_record *rec, const char *term)
{
    c->bulletins++;
    if (!c->name) {
        for (size_t i = 0; i < rec->n_campaigns; i++)
            if (strcasecmp(rec->campaigns[i], term) == 0)
                c->name = strdup(rec->campaigns[i]);
        if (!c->name)
            c->name = strdup(term);
        if (!c->name)
            return -1;
    }
    if (rec->agency && *rec->agency && count_agency(c, rec->agency))
        return -1;
    bl_month_stats *m = NULL;
    if (valid_date(rec->date)) {
        if (!c->first[0] || strcmp(rec->date, c->first) < 0)
            memcpy(c->first, rec->date, 11);
        if (!c->last[0] || strcmp(rec->date, c->last) > 0)
            memcpy(c->last, rec->date, 11);
        if (!(m = month_of(c, rec->date)))
            return -1;
        m->bulletins++;
    }
    for (int k = 0; k < BL_FACT_COUNT; k++) {
        int found;
        double v = bl_record_fact_max(rec, bl_fact_categories[k], &found);
        if (!found)
            continue;
        add_fact(&c->facts[k], v);
        if (m)
            add_fact(&m->facts[k], v);
    }
    return 0;
}

static int collect_one(bl_xdb *db, const bl_xquery *filter, const char *term,
                       bl_campaign_stats *c, bl_error *err)
{
    bl_xquery *tq = NULL, *q = NULL;
    bl_xmset *ms = NULL;
    int rc;
    char full[512];
    snprintf(full, sizeof full, "%s%s", BL_PREFIX_CAMPAIGN, term);
    if ((rc = bl_xquery_term(full, &tq, err)))
        goto done;
    if (filter && (rc = bl_xquery_and(filter, tq, 1, &q, err)))
        goto done;
    bl_xsearch_opts opts;
    bl_xsearch_opts_init(&opts);
    opts.limit = BL_CAMPAIGN_MAX_BULLETINS;
    opts.collapse_slot = bl_dup_slot(db); /* a bulletin published twice counts once */
    if ((rc = bl_xsearch(db, q ? q : tq, &opts, &ms, err)))
        goto done;
    for (unsigned i = 0; i < bl_xmset_size(ms); i++) {
        char *data = NULL;
        size_t len = 0;
        bl_record *rec = NULL;
        if ((rc = bl_xmset_data(ms, i, &data, &len, err)) ||
            (rc = bl_record_from_json(data, len, &rec, err))) {
            free(data);
            goto done;
        }
        if (add_bulletin(c, rec, term))
            rc = bl_error_set(err, BL_ENOMEM, "out of memory");
        bl_record_free(rec);
        free(data);
        if (rc)
            goto done;
    }
done:
    bl_xmset_free(ms);
    bl_xquery_free(q);
    bl_xquery_free(tq);
    return rc;
}

static int by_bulletins(const void *a, const void *b)
{
    const bl_campaign_stats *x = a, *y = b;
    if (x->bulletins != y->bulletins)
        return x->bulletins < y->bulletins ? 1 : -1;
    return strcmp(x->name ? x->name : "", y->name ? y->name : "");
}

int bl_campaign_stats_collect(bl_xdb *db, const bl_xquery *filter, const char *only_name,
                              bl_campaign_list *out, bl_error *err)
{
    term_list terms = {NULL, 0, 0};
    memset(out, 0, sizeof *out);
    int rc = bl_xdb_each_term(db, BL_PREFIX_CAMPAIGN, collect_term, &terms, err);
    if (rc == 0 && terms.n && !(out->items = calloc(terms.n, sizeof *out->items)))
        rc = bl_error_set(err, BL_ENOMEM, "out of memory");
    size_t plen = strlen(BL_PREFIX_CAMPAIGN);
    for (unsigned i = 0; rc == 0 && i < terms.n; i++) {
        const char *term = terms.terms[i] + plen;
        if (only_name && strcasecmp(only_name, term) != 0)
            continue;
        bl_campaign_stats *c = &out->items[out->n];
        if ((rc = collect_one(db, filter, term, c, err)))
            break;
        if (c->bulletins)
            out->n++;
        else
            free(c->name);
    }
    for (unsigned i = 0; i < terms.n; i++)
        free(terms.terms[i]);
    free(terms.terms);
    if (rc) {
        bl_campaign_list_free(out);
        return rc;
    }
    qsort(out->items, out->n, sizeof *out->items, by_bulletins);
    return 0;
}

void bl_campaign_list_free(bl_campaign_list *list)
{
    if (!list)
        return;
    for (unsigned i = 0; i < list->n; i++) {
        bl_campaign_stats *c = &list->items[i];
        free(c->name);
        for (unsigned a = 0; a < c->n_agencies; a++)
            free(c->agencies[a].name);
        free(c->agencies);
        free(c->months);
    }
    free(list->items);
    list->items = NULL;
    list->n = 0;
}
