/* blotter: one search, from a request to its printed results (see
 * search_exec.h). */
#include "search_exec.h"

#include <stdlib.h>
#include <string.h>

#include "bl_paths.h"
#include "bl_record.h"
#include "bl_schema.h"
#include "dup_slot.h"
#include "printer.h"
#include "query_build.h"
#include "snippet.h"
#include "suggest.h"
#include "synonyms.h"

typedef struct facet_field {
    const char *name;
    unsigned slot;
    int multi;
} facet_field;

static const facet_field facet_fields[] = {
    {"year", BL_SLOT_YEAR, 0},
    {"lang", BL_SLOT_LANG, 0},
    {"agency", BL_SLOT_AGENCY, 0},
    {"campaign", BL_SLOT_CAMPAIGNS, 1},
};

#define N_FACET_FIELDS (sizeof facet_fields / sizeof facet_fields[0])

void bl_search_request_init(bl_search_request *req)
{
    memset(req, 0, sizeof *req);
    req->limit = 10;
    req->sort_slot = -1;
}

int bl_search_set_sort(bl_search_request *req, const char *s)
{
    int desc = 0;
    if (*s == '-') {
        desc = 1;
        s++;
    }
    if (strcmp(s, "relevance") == 0 && !desc) {
        req->sort_slot = -1;
        req->sort_descending = 0;
        return 0;
    }
    if (strcmp(s, "date") == 0) {
        req->sort_slot = BL_SLOT_DATE;
        req->sort_descending = desc;
        return 0;
    }
    int cat = bl_fact_category_index(s);
    if (cat < 0)
        return BL_EINVAL;
    req->sort_slot = BL_SLOT_FACT0 + cat;
    req->sort_descending = desc;
    return 0;
}

int bl_search_add_facet(bl_search_request *req, const char *name)
{
    for (size_t i = 0; i < N_FACET_FIELDS; i++)
        if (strcmp(facet_fields[i].name, name) == 0) {
            if (req->n_facets >= BL_XSEARCH_MAX_FACETS)
                return BL_ETOOBIG;
            req->facets[req->n_facets++] = (int)i;
            return 0;
        }
    return BL_EINVAL;
}

static void print_facets(bl_printer *pr, const bl_xmset *ms, const bl_search_request *req)
{
    for (unsigned k = 0; k < req->n_facets; k++) {
        unsigned n = bl_xmset_facet_size(ms, k);
        const char **values = calloc(n ? n : 1, sizeof *values);
        uint64_t *counts = calloc(n ? n : 1, sizeof *counts);
        if (values && counts) {
            for (unsigned j = 0; j < n; j++) {
                size_t len;
                values[j] = bl_xmset_facet_name(ms, k, j, &len);
                counts[j] = bl_xmset_facet_count(ms, k, j);
            }
            bl_printer_facet(pr, facet_fields[req->facets[k]].name, n, values, counts);
        }
        free(values);
        free(counts);
    }
}

#define MAX_DUPLICATES 20

/* The other URLs of the bulletins whose text is the same as hit i's (it
 * stands for them all, collapsed on the content digest). */
static unsigned duplicate_urls(bl_xdb *db, const bl_xmset *ms, unsigned i, const char *own_url,
                               char **urls)
{
    uint64_t others = 0;
    char *digest = NULL;
    size_t len = 0;
    unsigned n = 0;
    bl_xquery *q = NULL;
    bl_xmset *dups = NULL;
    if (bl_xmset_collapse_count(ms, i, &others, NULL) || others == 0 ||
        bl_xmset_value(ms, i, BL_SLOT_DIGEST, &digest, &len, NULL) || len == 0)
        goto done;
    char term[128];
    snprintf(term, sizeof term, "%s%.*s", BL_PREFIX_DIGEST, (int)len, digest);
    bl_xsearch_opts opts;
    bl_xsearch_opts_init(&opts);
    opts.limit = MAX_DUPLICATES + 1;
    if (bl_xquery_term(term, &q, NULL) || bl_xsearch(db, q, &opts, &dups, NULL))
        goto done;
    for (unsigned k = 0; k < bl_xmset_size(dups) && n < MAX_DUPLICATES; k++) {
        char *url = NULL;
        size_t ulen = 0;
        if (bl_xmset_value(dups, k, BL_SLOT_URL, &url, &ulen, NULL) == 0 && ulen &&
            !(own_url && strlen(own_url) == ulen && memcmp(own_url, url, ulen) == 0)) {
            urls[n++] = url;
            url = NULL;
        }
        free(url);
    }
done:
    bl_xmset_free(dups);
    bl_xquery_free(q);
    free(digest);
    return n;
}

/* Prints every hit of ms; a hit whose stored record is unreadable is left
 * out and reported in err (the first one), the others still print. */
static int print_results(bl_xdb *db, const bl_xmset *ms, const bl_search_request *req,
                         int format, FILE *out, int ansi, const char *suggestion,
                         bl_error *err)
{
    uint64_t lower, est, upper;
    bl_xmset_total(ms, &lower, &est, &upper);
    bl_printer *pr = bl_printer_new(format, out, ansi);
    if (!pr)
        return bl_error_set(err, BL_ENOMEM, "out of memory");
    bl_results_meta meta = {req->query, est, lower == upper, (unsigned)req->offset, suggestion};
    bl_printer_begin(pr, &meta);
    int rc = 0;
    for (unsigned i = 0; i < bl_xmset_size(ms); i++) {
        bl_error e = {0};
        char *data = NULL, *snippet = NULL;
        size_t len = 0;
        bl_record *rec = NULL;
        double weight = 0;
        if (bl_xmset_data(ms, i, &data, &len, &e) || bl_xmset_weight(ms, i, &weight, &e) ||
            bl_record_from_json(data, len, &rec, &e)) {
            rc = bl_error_set(err, e.code ? e.code : BL_ERR, "result %lu: %s",
                              req->offset + i + 1, e.msg);
        } else {
            bl_snippet_make(ms, rec->text ? rec->text : "", &snippet, &e);
            char *dups[MAX_DUPLICATES];
            unsigned n_dups = duplicate_urls(db, ms, i, rec->url, dups);
            bl_hit hit = {(unsigned)req->offset + i + 1, weight, rec, snippet,
                          (const char *const *)dups, n_dups};
            bl_printer_hit(pr, &hit);
            for (unsigned k = 0; k < n_dups; k++)
                free(dups[k]);
        }
        free(snippet);
        free(data);
        bl_record_free(rec);
    }
    print_facets(pr, ms, req);
    if (bl_printer_end(pr))
        return bl_error_set(err, BL_EIO, "cannot write the results");
    return rc;
}

/* The query as the parser should see it: with ~word synonyms expanded. */
static int expand_query(const bl_search_request *req, char **expanded, bl_error *err)
{
    *expanded = NULL;
    if (!strchr(req->query, '~'))
        return 0;
    char *data_dir = NULL;
    bl_synonyms *syn = NULL;
    /* Synonyms come from the data directory when it has its own file. */
    bl_data_dir(req->data_opt, &data_dir, NULL);
    int rc = bl_synonyms_load_default(data_dir, &syn, err);
    if (rc == 0 && !(*expanded = bl_synonyms_expand(syn, req->query)))
        rc = bl_error_set(err, BL_ENOMEM, "out of memory");
    bl_synonyms_free(syn);
    free(data_dir);
    return rc;
}

int bl_search_exec(bl_xdb *db, const bl_search_request *req, int format, FILE *out, int ansi,
                   bl_search_outcome *outcome, bl_error *warning, bl_error *err)
{
    bl_xquery *q = NULL;
    bl_xmset *ms = NULL;
    char *expanded = NULL, *suggestion = NULL;
    bl_error e = {0};
    int rc = expand_query(req, &expanded, err);
    if (rc)
        goto done;
    if ((rc = bl_query_parse(db, expanded ? expanded : req->query, &q, &e))) {
        if (e.code == BL_EQUERY)
            bl_query_error(err, rc, req->query, e.msg);
        else
            bl_error_set(err, rc, "%s", e.msg);
        goto done;
    }
    bl_xsearch_opts opts;
    bl_xsearch_opts_init(&opts);
    opts.offset = (unsigned)req->offset;
    opts.limit = (unsigned)req->limit;
    opts.sort_slot = req->sort_slot;
    opts.sort_descending = req->sort_descending;
    /* The same text published twice shows once, with the other URLs. */
    opts.collapse_slot = bl_dup_slot(db);
    opts.n_facets = req->n_facets;
    for (unsigned k = 0; k < req->n_facets; k++) {
        opts.facet_slots[k] = facet_fields[req->facets[k]].slot;
        opts.facet_multi[k] = facet_fields[req->facets[k]].multi;
    }
    rc = bl_xsearch(db, q, &opts, &ms, &e);
    if (rc == BL_EMODIFIED) {
        /* The index was rewritten under us; one reopen gets a stable view. */
        bl_error_clear(&e);
        rc = bl_xdb_reopen(db, &e);
        if (rc == 0)
            rc = bl_xsearch(db, q, &opts, &ms, &e);
    }
    if (rc) {
        bl_error_set(err, rc, "search failed: %s", e.msg);
        goto done;
    }
    uint64_t lower, est, upper;
    bl_xmset_total(ms, &lower, &est, &upper);
    bl_error_clear(&e);
    /* A failed suggestion is a warning: the search itself went fine. */
    if (upper == 0 && bl_suggest(db, req->query, &suggestion, &e) != 0)
        bl_error_set(warning, e.code ? e.code : BL_ERR, "no suggestion: %s", e.msg);
    if (outcome) {
        outcome->total_upper = upper;
        outcome->shown = bl_xmset_size(ms);
    }
    rc = print_results(db, ms, req, format, out, ansi, suggestion, err);
done:
    free(suggestion);
    free(expanded);
    bl_xmset_free(ms);
    bl_xquery_free(q);
    return rc;
}

int bl_search_json(bl_xdb *db, const bl_search_request *req, FILE *out,
                   bl_search_outcome *outcome, bl_error *err)
{
    return bl_search_exec(db, req, BL_FORMAT_JSON, out, 0, outcome, NULL, err);
}
