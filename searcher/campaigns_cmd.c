/* blotter campaigns: every named campaign with its bulletins, dates,
 * agencies and facts, optionally month by month, as text, JSON, CSV or an
 * SVG chart. Exit status: 0 when a campaign was found, 1 when none, 2 on error.
 */
#include "campaigns_cmd.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "bl_cli.h"
#include "campaign_stats.h"
#include "index_open.h"
#include "printer.h"
#include "query_build.h"
#include "svg_chart.h"

#define MAX_INDEXES 64
#define MAX_CHART_MONTHS 600

typedef struct campaigns_args {
    const char *data_opt;
    const char *indexes[MAX_INDEXES];
    unsigned n_indexes;
    int format, timeline;
    const char *plot, *campaign;
    int fact; /* -1: bulletins */
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
    a->fact = -1;
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
        case 'c': a->campaign = optarg; break;
        case 't': a->timeline = 1; break;
        case 'f':
            if ((a->format = bl_format_parse(optarg)) < 0) {
                bl_errorf("--format takes text, json or csv, not '%s'", optarg);
                return BL_EXIT_ERROR;
            }
            break;
        case 'p': a->plot = optarg; break;
        case 'F':
            if ((a->fact = bl_fact_category_index(optarg)) < 0) {
                bl_errorf("--fact takes a fact category (suspects, cases, money, ...), not '%s'", optarg);
                return BL_EXIT_ERROR;
            }
            break;
        case 'h': usage(stdout); return BL_EXIT_OK;
        default: usage(stderr); return BL_EXIT_ERROR;
        }
    }
    size_t len = 1;
    for (int i = optind; i < argc; i++)
        len += strlen(argv[i]) + 1;
    if (optind < argc) {
        a->query = calloc(1, len);
        if (!a->query) {
            bl_errorf("out of memory");
            return BL_EXIT_ERROR;
        }
        for (int i = optind; i < argc; i++) {
            if (i > optind)
                strcat(a->query, " ");
            strcat(a->query, argv[i]);
        }
    }
    return -1;
}

static json_object *facts_json(const bl_fact_sum *facts)
{
    json_object *o = json_object_new_object();
    for (int k = 0; k < BL_FACT_COUNT; k++) {
        if (!facts[k].bulletins)
            continue;
        json_object *f = json_object_new_object();
        json_object_object_add(f, "total", json_object_new_double(facts[k].total));
        json_object_object_add(f, "max", json_object_new_double(facts[k].max));
        json_object_object_add(f, "bulletins", json_object_new_int(facts[k].bulletins));
        json_object_object_add(o, bl_fact_categories[k], f);
    }
    return o;
}

static void print_json(const bl_campaign_list *l, const campaigns_args *a)
{
    json_object *root = json_object_new_object();
    json_object_object_add(root, "version", json_object_new_int(1));
    json_object_object_add(root, "query", a->query ? json_object_new_string(a->query) : NULL);
    json_object *arr = json_object_new_array();
    for (unsigned i = 0; i < l->n; i++) {
        const bl_campaign_stats *c = &l->items[i];
        json_object *o = json_object_new_object();
        json_object_object_add(o, "name", json_object_new_string(c->name));
        json_object_object_add(o, "bulletins", json_object_new_int(c->bulletins));
        json_object_object_add(o, "first", c->first[0] ? json_object_new_string(c->first) : NULL);
        json_object_object_add(o, "last", c->last[0] ? json_object_new_string(c->last) : NULL);
        json_object *ag = json_object_new_array();
        for (unsigned k = 0; k < c->n_agencies; k++) {
            json_object *x = json_object_new_object();
            json_object_object_add(x, "name", json_object_new_string(c->agencies[k].name));
            json_object_object_add(x, "bulletins", json_object_new_int(c->agencies[k].count));
            json_object_array_add(ag, x);
        }
        json_object_object_add(o, "agencies", ag);
        json_object_object_add(o, "facts", facts_json(c->facts));
        if (a->timeline) {
            json_object *tl = json_object_new_array();
            for (unsigned m = 0; m < c->n_months; m++) {
                json_object *x = json_object_new_object();
                json_object_object_add(x, "month", json_object_new_string(c->months[m].month));
                json_object_object_add(x, "bulletins", json_object_new_int(c->months[m].bulletins));
                json_object_object_add(x, "facts", facts_json(c->months[m].facts));
                json_object_array_add(tl, x);
            }
            json_object_object_add(o, "timeline", tl);
        }
        json_object_array_add(arr, o);
    }
    json_object_object_add(root, "campaigns", arr);
    puts(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(root);
}

static void csv_cell(const char *s, int last)
{
    s = s ? s : "";
    if (strpbrk(s, ",\"\r\n")) {
        putchar('"');
        for (; *s; s++) {
            if (*s == '"')
                putchar('"');
            putchar(*s);
        }
        putchar('"');
    } else {
        fputs(s, stdout);
    }
    fputs(last ? "\r\n" : ",", stdout);
}

static void csv_number_cells(const bl_fact_sum *facts)
{
    char buf[64];
    for (int k = 0; k < BL_FACT_COUNT; k++) {
        if (facts[k].bulletins) {
            snprintf(buf, sizeof buf, "%.15g", facts[k].total);
            csv_cell(buf, 0);
            snprintf(buf, sizeof buf, "%.15g", facts[k].max);
        } else {
            csv_cell("", 0);
            buf[0] = '\0';
        }
        csv_cell(buf, k == BL_FACT_COUNT - 1);
    }
}

static void print_csv(const bl_campaign_list *l, const campaigns_args *a)
{
    char buf[64];
    csv_cell("campaign", 0);
    if (a->timeline)
        csv_cell("month", 0);
    csv_cell("bulletins", 0);
    if (!a->timeline) {
        csv_cell("first", 0);
        csv_cell("last", 0);
        csv_cell("agencies", 0);
    }
    for (int k = 0; k < BL_FACT_COUNT; k++) {
        snprintf(buf, sizeof buf, "%s_total", bl_fact_categories[k]);
        csv_cell(buf, 0);
        snprintf(buf, sizeof buf, "%s_max", bl_fact_categories[k]);
        csv_cell(buf, k == BL_FACT_COUNT - 1);
    }
    for (unsigned i = 0; i < l->n; i++) {
        const bl_campaign_stats *c = &l->items[i];
        if (a->timeline) {
            for (unsigned m = 0; m < c->n_months; m++) {
                csv_cell(c->name, 0);
                csv_cell(c->months[m].month, 0);
                snprintf(buf, sizeof buf, "%u", c->months[m].bulletins);
                csv_cell(buf, 0);
                csv_number_cells(c->months[m].facts);
            }
            continue;
        }
        csv_cell(c->name, 0);
        snprintf(buf, sizeof buf, "%u", c->bulletins);
        csv_cell(buf, 0);
        csv_cell(c->first, 0);
        csv_cell(c->last, 0);
        size_t len = 1;
        for (unsigned k = 0; k < c->n_agencies; k++)
            len += strlen(c->agencies[k].name) + 2;
        char *ag = calloc(1, len);
        for (unsigned k = 0; ag && k < c->n_agencies; k++) {
            if (k)
                strcat(ag, "; ");
            strcat(ag, c->agencies[k].name);
        }
        csv_cell(ag, 0);
        free(ag);
        csv_number_cells(c->facts);
    }
}

static void print_text(const bl_campaign_list *l, const campaigns_args *a)
{
    for (unsigned i = 0; i < l->n; i++) {
        const bl_campaign_stats *c = &l->items[i];
        printf("%s\n  %u bulletin%s", c->name, c->bulletins, c->bulletins == 1 ? "" : "s");
        if (c->first[0])
            printf(", %s .. %s", c->first, c->last);
        putchar('\n');
        if (c->n_agencies) {
            fputs("  agencies:", stdout);
            for (unsigned k = 0; k < c->n_agencies; k++)
                printf("%s %s (%u)", k ? ";" : "", c->agencies[k].name, c->agencies[k].count);
            putchar('\n');
        }
        for (int k = 0; k < BL_FACT_COUNT; k++)
            if (c->facts[k].bulletins)
                printf("  %-14s total %.15g, max %.15g (in %u bulletin%s)\n", bl_fact_categories[k],
                       c->facts[k].total, c->facts[k].max, c->facts[k].bulletins,
                       c->facts[k].bulletins == 1 ? "" : "s");
        if (a->timeline)
            for (unsigned m = 0; m < c->n_months; m++)
                printf("  %s  %u bulletin%s\n", c->months[m].month, c->months[m].bulletins,
                       c->months[m].bulletins == 1 ? "" : "s");
        putchar('\n');
    }
}

static double month_value(const bl_campaign_stats *c, const char *month, int fact)
{
    for (unsigned m = 0; m < c->n_months; m++)
        if (strcmp(c->months[m].month, month) == 0)
            return fact < 0 ? c->months[m].bulletins : c->months[m].facts[fact].total;
    return 0;
}

static int write_plot(const bl_campaign_list *l, const campaigns_args *a)
{
    /* The top campaigns that have dated bulletins: an undated one has no line. */
    const bl_campaign_stats *chosen[BL_CHART_MAX_SERIES];
    unsigned n_series = 0;
    char first[8] = "", last[8] = "";
    for (unsigned i = 0; i < l->n && n_series < BL_CHART_MAX_SERIES; i++) {
        const bl_campaign_stats *c = &l->items[i];
        if (!c->n_months)
            continue;
        chosen[n_series++] = c;
        if (!first[0] || strcmp(c->months[0].month, first) < 0)
            memcpy(first, c->months[0].month, 8);
        if (!last[0] || strcmp(c->months[c->n_months - 1].month, last) > 0)
            memcpy(last, c->months[c->n_months - 1].month, 8);
    }
    if (!n_series) {
        bl_errorf("no dated bulletin to plot");
        return BL_EXIT_PARTIAL;
    }
    static char months[MAX_CHART_MONTHS][8];
    unsigned n_months = bl_month_range(first, last, months, MAX_CHART_MONTHS);
    const char *labels[MAX_CHART_MONTHS];
    double *values = calloc((size_t)n_series * n_months + 1, sizeof *values);
    bl_chart_series series[BL_CHART_MAX_SERIES];
    if (!values) {
        bl_errorf("out of memory");
        return BL_EXIT_ERROR;
    }
    for (unsigned m = 0; m < n_months; m++)
        labels[m] = months[m];
    for (unsigned s = 0; s < n_series; s++) {
        series[s].name = chosen[s]->name;
        series[s].values = values + (size_t)s * n_months;
        for (unsigned m = 0; m < n_months; m++)
            values[(size_t)s * n_months + m] = month_value(chosen[s], months[m], a->fact);
    }
    char title[512], ylabel[64];
    if (a->fact < 0)
        snprintf(ylabel, sizeof ylabel, "bulletins per month");
    else
        snprintf(ylabel, sizeof ylabel, "%s per month (total)", bl_fact_categories[a->fact]);
    snprintf(title, sizeof title, "%s%s%s", a->campaign ? a->campaign : "Campaigns",
             a->query ? ": " : "", a->query ? a->query : "");
    FILE *f = fopen(a->plot, "w");
    int rc = f ? bl_svg_timeline(f, title, ylabel, labels, n_months, series, n_series) : -1;
    if (f && fclose(f) != 0)
        rc = -1;
    free(values);
    if (rc) {
        bl_errorf("cannot write %s", a->plot);
        return BL_EXIT_ERROR;
    }
    return BL_EXIT_OK;
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
        bl_errorf("bad query '%s': %s", a.query, err.msg);
        goto done;
    }
    if (bl_campaign_stats_collect(db, filter, a.campaign, &list, &err)) {
        bl_errorf("%s", err.msg);
        goto done;
    }
    if (a.format == BL_FORMAT_JSON)
        print_json(&list, &a);
    else if (a.format == BL_FORMAT_CSV)
        print_csv(&list, &a);
    else
        print_text(&list, &a);
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
