/* blotter: the campaigns report as text, JSON, CSV and an SVG chart (see
 * campaigns_exec.h). */
#include "campaigns_exec.h"

#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "printer.h"
#include "query_build.h"
#include "svg_chart.h"

#define MAX_CHART_MONTHS 600

void bl_campaigns_request_init(bl_campaigns_request *req)
{
    memset(req, 0, sizeof *req);
    req->fact = -1;
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

static void print_json(const bl_campaign_list *l, const bl_campaigns_request *req, FILE *out)
{
    json_object *root = json_object_new_object();
    json_object_object_add(root, "version", json_object_new_int(1));
    json_object_object_add(root, "query", req->query ? json_object_new_string(req->query) : NULL);
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
        if (req->timeline) {
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
    fputs(json_object_to_json_string_ext(root,
                                         JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE),
          out);
    fputc('\n', out);
    json_object_put(root);
}

static void csv_number_cells(FILE *out, const bl_fact_sum *facts)
{
    char buf[64];
    for (int k = 0; k < BL_FACT_COUNT; k++) {
        if (facts[k].bulletins) {
            snprintf(buf, sizeof buf, "%.15g", facts[k].total);
            bl_csv_field(out, buf, 0);
            snprintf(buf, sizeof buf, "%.15g", facts[k].max);
        } else {
            bl_csv_field(out, "", 0);
            buf[0] = '\0';
        }
        bl_csv_field(out, buf, k == BL_FACT_COUNT - 1);
    }
}

static void print_csv(const bl_campaign_list *l, const bl_campaigns_request *req, FILE *out)
{
    char buf[64];
    bl_csv_field(out, "campaign", 0);
    if (req->timeline)
        bl_csv_field(out, "month", 0);
    bl_csv_field(out, "bulletins", 0);
    if (!req->timeline) {
        bl_csv_field(out, "first", 0);
        bl_csv_field(out, "last", 0);
        bl_csv_field(out, "agencies", 0);
    }
    for (int k = 0; k < BL_FACT_COUNT; k++) {
        snprintf(buf, sizeof buf, "%s_total", bl_fact_categories[k]);
        bl_csv_field(out, buf, 0);
        snprintf(buf, sizeof buf, "%s_max", bl_fact_categories[k]);
        bl_csv_field(out, buf, k == BL_FACT_COUNT - 1);
    }
    for (unsigned i = 0; i < l->n; i++) {
        const bl_campaign_stats *c = &l->items[i];
        if (req->timeline) {
            for (unsigned m = 0; m < c->n_months; m++) {
                bl_csv_field(out, c->name, 0);
                bl_csv_field(out, c->months[m].month, 0);
                snprintf(buf, sizeof buf, "%u", c->months[m].bulletins);
                bl_csv_field(out, buf, 0);
                csv_number_cells(out, c->months[m].facts);
            }
            continue;
        }
        bl_csv_field(out, c->name, 0);
        snprintf(buf, sizeof buf, "%u", c->bulletins);
        bl_csv_field(out, buf, 0);
        bl_csv_field(out, c->first, 0);
        bl_csv_field(out, c->last, 0);
        size_t len = 1;
        for (unsigned k = 0; k < c->n_agencies; k++)
            len += strlen(c->agencies[k].name) + 2;
        char *ag = calloc(1, len);
        for (unsigned k = 0; ag && k < c->n_agencies; k++) {
            if (k)
                strcat(ag, "; ");
            strcat(ag, c->agencies[k].name);
        }
        bl_csv_field(out, ag, 0);
        free(ag);
        csv_number_cells(out, c->facts);
    }
}

static void print_text(const bl_campaign_list *l, const bl_campaigns_request *req, FILE *out)
{
    for (unsigned i = 0; i < l->n; i++) {
        const bl_campaign_stats *c = &l->items[i];
        fprintf(out, "%s\n  %u bulletin%s", c->name, c->bulletins, c->bulletins == 1 ? "" : "s");
        if (c->first[0])
            fprintf(out, ", %s .. %s", c->first, c->last);
        fputc('\n', out);
        if (c->n_agencies) {
            fputs("  agencies:", out);
            for (unsigned k = 0; k < c->n_agencies; k++)
                fprintf(out, "%s %s (%u)", k ? ";" : "", c->agencies[k].name, c->agencies[k].count);
            fputc('\n', out);
        }
        for (int k = 0; k < BL_FACT_COUNT; k++)
            if (c->facts[k].bulletins)
                fprintf(out, "  %-14s total %.15g, max %.15g (in %u bulletin%s)\n",
                        bl_fact_categories[k], c->facts[k].total, c->facts[k].max,
                        c->facts[k].bulletins, c->facts[k].bulletins == 1 ? "" : "s");
        if (req->timeline)
            for (unsigned m = 0; m < c->n_months; m++)
                fprintf(out, "  %s  %u bulletin%s\n", c->months[m].month, c->months[m].bulletins,
                        c->months[m].bulletins == 1 ? "" : "s");
        fputc('\n', out);
    }
}

int bl_campaigns_write(const bl_campaign_list *list, const bl_campaigns_request *req,
                       int format, FILE *out, bl_error *err)
{
    if (format == BL_FORMAT_JSON)
        print_json(list, req, out);
    else if (format == BL_FORMAT_CSV)
        print_csv(list, req, out);
    else
        print_text(list, req, out);
    if (fflush(out) != 0 || ferror(out))
        return bl_error_set(err, BL_EIO, "cannot write the campaigns");
    return 0;
}

static double month_value(const bl_campaign_stats *c, const char *month, int fact)
{
    for (unsigned m = 0; m < c->n_months; m++)
        if (strcmp(c->months[m].month, month) == 0)
            return fact < 0 ? c->months[m].bulletins : c->months[m].facts[fact].total;
    return 0;
}

int bl_campaigns_write_chart(const bl_campaign_list *l, const bl_campaigns_request *req,
                             FILE *out, bl_error *err)
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
    if (!n_series)
        return bl_error_set(err, BL_ENOTFOUND, "no dated bulletin to plot");
    char (*months)[8] = calloc(MAX_CHART_MONTHS, sizeof *months);
    const char **labels = calloc(MAX_CHART_MONTHS, sizeof *labels);
    double *values = calloc((size_t)n_series * MAX_CHART_MONTHS + 1, sizeof *values);
    bl_chart_series series[BL_CHART_MAX_SERIES];
    int rc = 0;
    if (!months || !labels || !values) {
        rc = bl_error_set(err, BL_ENOMEM, "out of memory");
        goto done;
    }
    unsigned n_months = bl_month_range(first, last, months, MAX_CHART_MONTHS);
    for (unsigned m = 0; m < n_months; m++)
        labels[m] = months[m];
    for (unsigned s = 0; s < n_series; s++) {
        series[s].name = chosen[s]->name;
        series[s].values = values + (size_t)s * n_months;
        for (unsigned m = 0; m < n_months; m++)
            values[(size_t)s * n_months + m] = month_value(chosen[s], months[m], req->fact);
    }
    char title[512], ylabel[64];
    if (req->fact < 0)
        snprintf(ylabel, sizeof ylabel, "bulletins per month");
    else
        snprintf(ylabel, sizeof ylabel, "%s per month (total)", bl_fact_categories[req->fact]);
    snprintf(title, sizeof title, "%s%s%s", req->campaign ? req->campaign : "Campaigns",
             req->query ? ": " : "", req->query ? req->query : "");
    if (bl_svg_timeline(out, title, ylabel, labels, n_months, series, n_series) ||
        fflush(out) != 0 || ferror(out))
        rc = bl_error_set(err, BL_EIO, "cannot write the chart");
done:
    free(values);
    free(labels);
    free(months);
    return rc;
}

/* The campaigns req asks for, collected from db. */
static int collect(bl_xdb *db, const bl_campaigns_request *req, bl_campaign_list *list,
                   bl_error *err)
{
    bl_xquery *filter = NULL;
    bl_error e = {0};
    int rc = 0;
    if (req->query && (rc = bl_query_parse(db, req->query, &filter, &e))) {
        bl_query_error(err, rc, req->query, e.msg);
        return rc;
    }
    rc = bl_campaign_stats_collect(db, filter, req->campaign, list, &e);
    if (rc == BL_EMODIFIED) {
        /* The index was rewritten under us; one reopen gets a stable view. */
        bl_campaign_list_free(list);
        bl_error_clear(&e);
        rc = bl_xdb_reopen(db, &e);
        if (rc == 0)
            rc = bl_campaign_stats_collect(db, filter, req->campaign, list, &e);
    }
    if (rc)
        bl_error_set(err, rc, "%s", e.msg);
    bl_xquery_free(filter);
    return rc;
}

int bl_campaigns_exec(bl_xdb *db, const bl_campaigns_request *req, int format, FILE *out,
                      unsigned *n_found, bl_error *err)
{
    bl_campaign_list list = {NULL, 0};
    int rc = collect(db, req, &list, err);
    if (rc == 0)
        rc = bl_campaigns_write(&list, req, format, out, err);
    if (n_found)
        *n_found = list.n;
    bl_campaign_list_free(&list);
    return rc;
}

int bl_campaigns_chart(bl_xdb *db, const bl_campaigns_request *req, FILE *out, bl_error *err)
{
    bl_campaign_list list = {NULL, 0};
    int rc = collect(db, req, &list, err);
    if (rc == 0)
        rc = bl_campaigns_write_chart(&list, req, out, err);
    bl_campaign_list_free(&list);
    return rc;
}
