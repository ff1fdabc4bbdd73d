/* blotter campaigns: every named campaign with its bulletins, dates,
 * agencies and facts, optionally month by month, as text, JSON, CSV or an
 * SVG chart. Exit status: 0 when a campaign was found, 1 when none, 2 on error.
 */
#include "campaigns_cmd.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bl_cli.h"
#include "campaign_stats.h"
#include "campaigns_exec.h"
#include "index_open.h"
#include "printer.h"
#include "query_build.h"

#define MAX_INDEXES 64

typedef struct campaigns_args {
    const char *data_opt;
    const char *indexes[MAX_INDEXES];
    unsigned n_indexes;
    int format;
    const char *plot;
    bl_campaigns_request req;
    char *query;
} campaigns_args;

static void usage(FILE *out)
{
    fputs("usage: blotter campaigns [OPTIONS] [QUERY...]\n\n"
          "Lists every named campaign (\"Hundred Days Action\", 猎狐行动, ...) with its\n"
          "number of bulletins, first and last date, agencies, and the totals and\n"
          "maxima of its facts; with a QUERY, only among the bulletins it matches.\n\n"
          "Options:\n"
          "  --data DIR        data directory\n"
          "  --index PATH      an index or stub file instead (repeatable)\n"
          "  --campaign NAME   only this campaign\n"
          "  --timeline        also month by month\n"
          "  --format FMT      text (default), json or csv\n"
          "  --plot FILE.svg   draw bulletins per month (the top 8 campaigns) as a chart\n"
          "  --fact CATEGORY   chart this fact's monthly total instead (suspects, ...)\n"
          "  -h, --help        this help\n", out);
}

static int parse_args(int argc, char **argv, campaigns_args *a)
{
    static const struct option options[] = {
        {"data", required_argument, NULL, 'd'},     {"index", required_argument, NULL, 'i'},
        {"campaign", required_argument, NULL, 'c'}, {"timeline", no_argument, NULL, 't'},
        {"format", required_argument, NULL, 'f'},   {"plot", required_argument, NULL, 'p'},
        {"fact", required_argument, NULL, 'F'},     {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    memset(a, 0, sizeof *a);
    bl_campaigns_request_init(&a->req);
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        switch (c) {
        case 'd': a->data_opt = optarg; break;
        case 'i':
            if (a->n_indexes >= MAX_INDEXES) {
                bl_errorf("at most %d --index options", MAX_INDEXES);
                return BL_EXIT_ERROR;
            }
            a->indexes[a->n_indexes++] = optarg;
            break;
        case 'c': a->req.campaign = optarg; break;
        case 't': a->req.timeline = 1; break;
        case 'f':
            if ((a->format = bl_format_parse(optarg)) < 0) {
                bl_errorf("--format takes text, json or csv, not '%s'", optarg);
                return BL_EXIT_ERROR;
            }
            break;
        case 'p': a->plot = optarg; break;
        case 'F':
            if ((a->req.fact = bl_fact_category_index(optarg)) < 0) {
                bl_errorf("--fact takes a fact category (suspects, cases, money, ...), not '%s'", optarg);
                return BL_EXIT_ERROR;
            }
            break;
        case 'h': usage(stdout); return BL_EXIT_OK;
        default: usage(stderr); return BL_EXIT_ERROR;
        }
    }
    if (optind < argc && !(a->query = bl_join_args(argc, argv, optind))) {
        bl_errorf("out of memory");
        return BL_EXIT_ERROR;
    }
    a->req.query = a->query;
    return -1;
}

/* The chart goes to memory first, so that no file is left behind when there
 * is nothing to plot. */
static int write_plot(const bl_campaign_list *l, const campaigns_args *a)
{
    char *svg = NULL;
    size_t len = 0;
    bl_error err = {0};
    FILE *mem = open_memstream(&svg, &len);
    if (!mem) {
        bl_errorf("out of memory");
        return BL_EXIT_ERROR;
    }
    int rc = bl_campaigns_write_chart(l, &a->req, mem, &err);
    if (fclose(mem) != 0 && rc == 0)
        rc = bl_error_set(&err, BL_ENOMEM, "out of memory");
    int status = BL_EXIT_OK;
    if (rc == BL_ENOTFOUND) {
        bl_errorf("%s", err.msg);
        status = BL_EXIT_PARTIAL;
    } else if (rc) {
        bl_errorf("cannot write %s", a->plot);
        status = BL_EXIT_ERROR;
    } else {
        FILE *f = fopen(a->plot, "w");
        int bad = !f || fwrite(svg, 1, len, f) != len;
        if (f && fclose(f) != 0)
            bad = 1;
        if (bad) {
            bl_errorf("cannot write %s", a->plot);
            status = BL_EXIT_ERROR;
        }
    }
    free(svg);
    return status;
}

int bl_cmd_campaigns(int argc, char **argv)
{
    campaigns_args a;
    int status = parse_args(argc, argv, &a);
    if (status >= 0)
        return status;
    status = BL_EXIT_ERROR;
    bl_error err = {0};
    bl_xdb *db = NULL;
    bl_xquery *filter = NULL;
    bl_campaign_list list = {NULL, 0};
    if (bl_index_open_read(a.data_opt, a.indexes, a.n_indexes, &db, &err)) {
        bl_errorf("%s", err.msg);
        goto done;
    }
    if (a.query && bl_query_parse(db, a.query, &filter, &err)) {
        bl_error why = {0};
        bl_query_error(&why, err.code, a.query, err.msg);
        bl_errorf("%s", why.msg);
        goto done;
    }
    if (bl_campaign_stats_collect(db, filter, a.req.campaign, &list, &err)) {
        bl_errorf("%s", err.msg);
        goto done;
    }
    bl_campaigns_write(&list, &a.req, a.format, stdout, &err);
    status = list.n ? BL_EXIT_OK : BL_EXIT_PARTIAL;
    if (list.n && a.plot) {
        int plot = write_plot(&list, &a);
        if (plot != BL_EXIT_OK)
            status = plot;
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        bl_errorf("cannot write to standard output");
        status = BL_EXIT_ERROR;
    }
done:
    bl_campaign_list_free(&list);
    bl_xquery_free(filter);
    bl_xdb_close(db);
    free(a.query);
    return status;
}
