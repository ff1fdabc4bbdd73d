/* blotter search: the query language over the index, printed for people
 * (text), programs (JSON) and spreadsheets (CSV).
 *
 * Exit status as grep: 0 when something matched, 1 when nothing did, 2 on
 * any error (a bad query, a missing or corrupt index, a write error).
 */
#include "search_cmd.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bl_cli.h"
#include "bl_paths.h"
#include "bl_record.h"
#include "bl_schema.h"
#include "bl_xapian.h"
#include "index_open.h"
#include "printer.h"
#include "query_build.h"
#include "snippet.h"
#include "suggest.h"
#include "synonyms.h"

#define MAX_LIMIT 10000
#define MAX_INDEXES 64

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

typedef struct search_args {
    const char *data_opt;
    const char *indexes[MAX_INDEXES];
    unsigned n_indexes;
    unsigned long limit, offset;
    int sort_slot, sort_descending;
    int format;
    const facet_field *facets[BL_XSEARCH_MAX_FACETS];
    unsigned n_facets;
    char *query;
} search_args;

static void usage(FILE *out)
{
    fputs("usage: blotter search [OPTIONS] QUERY...\n\n"
          "Searches the index. The query language:\n"
          "  smuggling                 a word (also finds smuggled, smuggler)\n"
          "  fraud AND (wire OR mail)  AND, OR, NOT and parentheses; -word excludes\n"
          "  \"criminal gangs\"          a phrase;  fugitive NEAR arrested\n"
          "  smuggl*                   a trailing wildcard\n"
          "  title:fugitive            a word in the title\n"
          "  site:justice.gov lang:zh agency:\"...\" campaign:\"...\" year:2019\n"
          "  date:2019-06-01..2019-07-31   date:2019-07..   date:..2019\n"
          "  suspects:1000..  cases:..100  money:1m.. currency:usd   (numeric facts)\n"
          "  ~snakehead                also its synonyms (data/synonyms.txt)\n"
          "  抓获犯罪嫌疑人              Chinese words and phrases\n\n"
          "Options:\n"
          "  --data DIR        data directory (default $BLOTTER_DATA, else\n"
          "                    $XDG_DATA_HOME/blotter, else ~/.local/share/blotter)\n"
          "  --index PATH      search this index or stub file instead (repeatable)\n"
          "  -n, --limit N     results to show (default 10, at most 10000)\n"
          "  --offset N        skip the first N results\n"
          "  --sort ORDER      relevance (default), date, -date (newest first),\n"
          "                    or a fact: suspects, -suspects, money, ...\n"
          "  --format FMT      text (default), json or csv\n"
          "  --facet FIELD     count matches by year, lang, agency or campaign\n"
          "                    (repeatable; counts cover all matches)\n"
          "  -h, --help        this help\n\n"
          "Exit status: 0 matches found, 1 no match, 2 error.\n", out);
}

static int parse_sort(const char *s, search_args *a)
{
    int desc = 0;
    if (*s == '-') {
        desc = 1;
        s++;
    }
    if (strcmp(s, "relevance") == 0 && !desc) {
        a->sort_slot = -1;
        return 0;
    }
    if (strcmp(s, "date") == 0) {
        a->sort_slot = BL_SLOT_DATE;
        a->sort_descending = desc;
        return 0;
    }
    int cat = bl_fact_category_index(s);
    if (cat < 0)
        return -1;
    a->sort_slot = BL_SLOT_FACT0 + cat;
    a->sort_descending = desc;
    return 0;
}

static int add_facet(const char *name, search_args *a)
{
    for (size_t i = 0; i < N_FACET_FIELDS; i++)
        if (strcmp(facet_fields[i].name, name) == 0) {
            if (a->n_facets >= BL_XSEARCH_MAX_FACETS)
                return -1;
            a->facets[a->n_facets++] = &facet_fields[i];
            return 0;
        }
    return -1;
}

/* The words after the options, joined by spaces, as one query string. */
static char *join_query(int argc, char **argv, int from)
{
    size_t len = 1;
    for (int i = from; i < argc; i++)
        len += strlen(argv[i]) + 1;
    char *q = malloc(len);
    if (!q)
        return NULL;
    q[0] = '\0';
    for (int i = from; i < argc; i++) {
        if (i > from)
            strcat(q, " ");
        strcat(q, argv[i]);
    }
    return q;
}

static int parse_args(int argc, char **argv, search_args *a)
{
    static const struct option options[] = {
        {"data", required_argument, NULL, 'd'},   {"index", required_argument, NULL, 'i'},
        {"limit", required_argument, NULL, 'n'},  {"offset", required_argument, NULL, 'o'},
        {"sort", required_argument, NULL, 's'},   {"format", required_argument, NULL, 'f'},
        {"facet", required_argument, NULL, 'F'},  {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    memset(a, 0, sizeof *a);
    a->limit = 10;
    a->sort_slot = -1;
    a->format = BL_FORMAT_TEXT;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "n:h", options, NULL)) != -1) {
        switch (c) {
        case 'd': a->data_opt = optarg; break;
        case 'i':
            if (a->n_indexes >= MAX_INDEXES) {
                bl_errorf("at most %d --index options", MAX_INDEXES);
                return BL_EXIT_ERROR;
            }
            a->indexes[a->n_indexes++] = optarg;
            break;
        case 'n':
            if (bl_parse_uint(optarg, MAX_LIMIT, &a->limit)) {
                bl_errorf("--limit takes a number from 0 to %d, not '%s'", MAX_LIMIT, optarg);
                return BL_EXIT_ERROR;
            }
            break;
        case 'o':
            if (bl_parse_uint(optarg, 1000000000UL, &a->offset)) {
                bl_errorf("--offset takes a whole number, not '%s'", optarg);
                return BL_EXIT_ERROR;
            }
            break;
        case 's':
            if (parse_sort(optarg, a)) {
                bl_errorf("--sort takes relevance, date, -date or a fact such as -suspects, not '%s'", optarg);
                return BL_EXIT_ERROR;
            }
            break;
        case 'f':
            if ((a->format = bl_format_parse(optarg)) < 0) {
                bl_errorf("--format takes text, json or csv, not '%s'", optarg);
                return BL_EXIT_ERROR;
            }
            break;
        case 'F':
            if (add_facet(optarg, a)) {
                bl_errorf("--facet takes year, lang, agency or campaign, not '%s'", optarg);
                return BL_EXIT_ERROR;
            }
            break;
        case 'h': usage(stdout); return BL_EXIT_OK;
        default: usage(stderr); return BL_EXIT_ERROR;
        }
    }
    if (optind >= argc) {
        bl_errorf("no query (see 'blotter search --help')");
        return BL_EXIT_ERROR;
    }
    if (!(a->query = join_query(argc, argv, optind))) {
        bl_errorf("out of memory");
        return BL_EXIT_ERROR;
    }
    return -1; /* go on */
}

static void print_facets(bl_printer *pr, const bl_xmset *ms, const search_args *a)
{
    for (unsigned k = 0; k < a->n_facets; k++) {
        unsigned n = bl_xmset_facet_size(ms, k);
        const char **values = calloc(n ? n : 1, sizeof *values);
        uint64_t *counts = calloc(n ? n : 1, sizeof *counts);
        if (values && counts) {
            for (unsigned j = 0; j < n; j++) {
                size_t len;
                values[j] = bl_xmset_facet_name(ms, k, j, &len);
                counts[j] = bl_xmset_facet_count(ms, k, j);
            }
            bl_printer_facet(pr, a->facets[k]->name, n, values, counts);
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

static int print_results(bl_xdb *db, const bl_xmset *ms, const search_args *a,
                         const char *suggestion)
{
    uint64_t lower, est, upper;
    bl_xmset_total(ms, &lower, &est, &upper);
    int ansi = a->format == BL_FORMAT_TEXT && isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
    bl_printer *pr = bl_printer_new(a->format, stdout, ansi);
    if (!pr) {
        bl_errorf("out of memory");
        return BL_EXIT_ERROR;
    }
    bl_results_meta meta = {a->query, est, lower == upper, (unsigned)a->offset, suggestion};
    bl_printer_begin(pr, &meta);
    int status = BL_EXIT_OK;
    for (unsigned i = 0; i < bl_xmset_size(ms); i++) {
        bl_error err = {0};
        char *data = NULL, *snippet = NULL;
        size_t len = 0;
        bl_record *rec = NULL;
        double weight = 0;
        if (bl_xmset_data(ms, i, &data, &len, &err) || bl_xmset_weight(ms, i, &weight, &err) ||
            bl_record_from_json(data, len, &rec, &err)) {
            bl_errorf("result %lu: %s", a->offset + i + 1, err.msg);
            status = BL_EXIT_ERROR;
        } else {
            bl_snippet_make(ms, rec->text ? rec->text : "", &snippet, &err);
            char *dups[MAX_DUPLICATES];
            unsigned n_dups = duplicate_urls(db, ms, i, rec->url, dups);
            bl_hit hit = {(unsigned)a->offset + i + 1, weight, rec, snippet,
                          (const char *const *)dups, n_dups};
            bl_printer_hit(pr, &hit);
            for (unsigned k = 0; k < n_dups; k++)
                free(dups[k]);
        }
        free(snippet);
        free(data);
        bl_record_free(rec);
    }
    print_facets(pr, ms, a);
    if (bl_printer_end(pr)) {
        bl_errorf("cannot write the results to standard output");
        return BL_EXIT_ERROR;
    }
    if (status == BL_EXIT_OK && bl_xmset_size(ms) == 0 && upper == 0)
        status = BL_EXIT_PARTIAL; /* grep's "nothing matched" */
    return status;
}

int bl_cmd_search(int argc, char **argv)
{
    search_args a;
    int status = parse_args(argc, argv, &a);
    if (status >= 0) {
        free(a.query);
        return status;
    }
    status = BL_EXIT_ERROR;
    bl_error err = {0};
    bl_xdb *db = NULL;
    bl_xquery *q = NULL;
    bl_xmset *ms = NULL;
    bl_xsearch_opts opts;
    char *expanded = NULL, *suggestion = NULL, *data_dir = NULL;
    bl_synonyms *syn = NULL;

    if (bl_index_open_read(a.data_opt, a.indexes, a.n_indexes, &db, &err)) {
        bl_errorf("%s", err.msg);
        goto done;
    }
    if (strchr(a.query, '~')) {
        /* Synonyms come from the data directory when it has its own file. */
        bl_data_dir(a.data_opt, &data_dir, NULL);
        if (bl_synonyms_load_default(data_dir, &syn, &err)) {
            bl_errorf("%s", err.msg);
            goto done;
        }
        expanded = bl_synonyms_expand(syn, a.query);
        if (!expanded) {
            bl_errorf("out of memory");
            goto done;
        }
    }
    if (bl_query_parse(db, expanded ? expanded : a.query, &q, &err)) {
        if (err.code == BL_EQUERY)
            bl_errorf("bad query '%s': %s", a.query, err.msg);
        else
            bl_errorf("%s", err.msg);
        goto done;
    }
    bl_xsearch_opts_init(&opts);
    opts.offset = (unsigned)a.offset;
    opts.limit = (unsigned)a.limit;
    opts.sort_slot = a.sort_slot;
    opts.sort_descending = a.sort_descending;
    /* The same text published twice shows once, with the other URLs. */
    opts.collapse_slot = BL_SLOT_DIGEST;
    opts.n_facets = a.n_facets;
    for (unsigned k = 0; k < a.n_facets; k++) {
        opts.facet_slots[k] = a.facets[k]->slot;
        opts.facet_multi[k] = a.facets[k]->multi;
    }
    int rc = bl_xsearch(db, q, &opts, &ms, &err);
    if (rc == BL_EMODIFIED) {
        /* The index was rewritten under us; one reopen gets a stable view. */
        bl_error_clear(&err);
        rc = bl_xdb_reopen(db, &err);
        if (rc == 0)
            rc = bl_xsearch(db, q, &opts, &ms, &err);
    }
    if (rc) {
        bl_errorf("search failed: %s", err.msg);
        goto done;
    }
    uint64_t lower, est, upper;
    bl_xmset_total(ms, &lower, &est, &upper);
    if (upper == 0 && bl_suggest(db, a.query, &suggestion, &err) != 0) {
        bl_warnf("no suggestion: %s", err.msg); /* the search itself went fine */
        bl_error_clear(&err);
    }
    status = print_results(db, ms, &a, suggestion);
done:
    free(suggestion);
    free(expanded);
    free(data_dir);
    bl_synonyms_free(syn);
    bl_xmset_free(ms);
    bl_xquery_free(q);
    bl_xdb_close(db);
    free(a.query);
    return status;
}
