/* blotter similar: bulletins about the same thing as a given one ("more
 * like this"). The given bulletin's most telling words (Xapian's expand set
 * over that one document) become an OR query; the bulletin itself is left
 * out of the answer. Exit status as `blotter search`.
 */
#include "similar_cmd.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bl_cli.h"
#include "bl_record.h"
#include "bl_schema.h"
#include "bl_xapian.h"
#include "dup_slot.h"
#include "index_open.h"
#include "printer.h"
#include "snippet.h"

#define MAX_INDEXES 64
#define EXPAND_TERMS 25

static void usage(FILE *out)
{
    fputs("usage: blotter similar [OPTIONS] URL|FILE\n\n"
          "Lists bulletins about the same thing as the bulletin at URL (or the\n"
          "local FILE it was indexed from).\n\n"
          "Options:\n"
          "  --data DIR     data directory\n"
          "  --index PATH   an index or stub file instead (repeatable)\n"
          "  -n, --limit N  results to show (default 10)\n"
          "  --format FMT   text (default), json or csv\n"
          "  -h, --help     this help\n", out);
}

int bl_cmd_similar(int argc, char **argv)
{
    static const struct option options[] = {
        {"data", required_argument, NULL, 'd'},  {"index", required_argument, NULL, 'i'},
        {"limit", required_argument, NULL, 'n'}, {"format", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},        {NULL, 0, NULL, 0},
    };
    const char *data_opt = NULL, *indexes[MAX_INDEXES];
    unsigned n_indexes = 0;
    unsigned long limit = 10;
    int format = BL_FORMAT_TEXT, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "n:h", options, NULL)) != -1) {
        switch (c) {
        case 'd': data_opt = optarg; break;
        case 'i':
            if (n_indexes >= MAX_INDEXES) {
                bl_errorf("at most %d --index options", MAX_INDEXES);
                return BL_EXIT_ERROR;
            }
            indexes[n_indexes++] = optarg;
            break;
        case 'n':
            if (bl_parse_uint(optarg, 10000, &limit)) {
                bl_errorf("--limit takes a number from 0 to 10000, not '%s'", optarg);
                return BL_EXIT_ERROR;
            }
            break;
        case 'f':
            if ((format = bl_format_parse(optarg)) < 0) {
                bl_errorf("--format takes text, json or csv, not '%s'", optarg);
                return BL_EXIT_ERROR;
            }
            break;
        case 'h': usage(stdout); return BL_EXIT_OK;
        default: usage(stderr); return BL_EXIT_ERROR;
        }
    }
    if (optind + 1 != argc) {
        bl_errorf("give one URL or file (see 'blotter similar --help')");
        return BL_EXIT_ERROR;
    }
    const char *target = argv[optind];

    int status = BL_EXIT_ERROR;
    bl_error err = {0};
    bl_xdb *db = NULL;
    bl_xquery *q = NULL;
    bl_xmset *ms = NULL;
    bl_printer *pr = NULL;
    char idterm[BL_ID_TERM_SIZE];
    uint64_t freq = 0;

    if (bl_index_open_read(data_opt, indexes, n_indexes, &db, &err)) {
        bl_errorf("%s", err.msg);
        goto done;
    }
    /* A URL as given; a local file by the key `blotter index` gave it. */
    bl_id_term(target, idterm);
    if (bl_xdb_term_freq(db, idterm, &freq, &err) == 0 && freq == 0 && !strstr(target, "://")) {
        char abs[PATH_MAX], key[PATH_MAX + 8];
        if (realpath(target, abs)) {
            snprintf(key, sizeof key, "file:%s", abs);
            bl_id_term(key, idterm);
        }
    }
    int rc = bl_xdb_similar_query(db, idterm, EXPAND_TERMS, &q, &err);
    if (rc == BL_ENOTFOUND) {
        bl_errorf("%s is not in the index", target);
        goto done;
    }
    if (rc) {
        bl_errorf("%s", err.msg);
        goto done;
    }
    bl_xsearch_opts opts;
    bl_xsearch_opts_init(&opts);
    opts.limit = (unsigned)limit;
    opts.collapse_slot = bl_dup_slot(db); /* the same text elsewhere is not "similar" news */
    if (bl_xsearch(db, q, &opts, &ms, &err)) {
        bl_errorf("search failed: %s", err.msg);
        goto done;
    }
    uint64_t lower, est, upper;
    bl_xmset_total(ms, &lower, &est, &upper);
    pr = bl_printer_new(format, stdout, format == BL_FORMAT_TEXT && isatty(STDOUT_FILENO) && !getenv("NO_COLOR"));
    bl_results_meta meta = {target, est, lower == upper, 0, NULL};
    bl_printer_begin(pr, &meta);
    status = bl_xmset_size(ms) ? BL_EXIT_OK : BL_EXIT_PARTIAL;
    for (unsigned i = 0; i < bl_xmset_size(ms); i++) {
        char *data = NULL, *snippet = NULL;
        size_t len = 0;
        double weight = 0;
        bl_record *rec = NULL;
        if (bl_xmset_data(ms, i, &data, &len, &err) || bl_xmset_weight(ms, i, &weight, &err) ||
            bl_record_from_json(data, len, &rec, &err)) {
            bl_errorf("result %u: %s", i + 1, err.msg);
            status = BL_EXIT_ERROR;
        } else {
            bl_snippet_make(ms, rec->text ? rec->text : "", &snippet, &err);
            bl_hit hit = {i + 1, weight, rec, snippet, NULL, 0};
            bl_printer_hit(pr, &hit);
        }
        free(snippet);
        free(data);
        bl_record_free(rec);
    }
    if (bl_printer_end(pr)) {
        bl_errorf("cannot write the results to standard output");
        status = BL_EXIT_ERROR;
    }
    pr = NULL;
done:
    bl_printer_end(pr);
    bl_xmset_free(ms);
    bl_xquery_free(q);
    bl_xdb_close(db);
    return status;
}
