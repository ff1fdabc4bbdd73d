/* blotter: the campaigns report, from a request to its printed form.
 *
 * `blotter campaigns` and the HTTP API (`blotter serve`) share this code:
 * a bl_campaigns_request says which bulletins and campaigns to report on;
 * bl_campaigns_exec prints the report (text, JSON or CSV, enum bl_format of
 * printer.h) into any stream, and bl_campaigns_chart draws the month-by-month
 * SVG chart of the top campaigns into any stream.
 *
 * JSON (version 1): {"version":1,"query":".."|null,"campaigns":[{"name":..,
 *   "bulletins":N,"first":"YYYY-MM-DD"|null,"last":..,"agencies":[{"name":..,
 *   "bulletins":N}],"facts":{"suspects":{"total":..,"max":..,"bulletins":N}},
 *   "timeline":[{"month":"YYYY-MM","bulletins":N,"facts":{..}}] (with timeline)}]}
 *
 * Ownership: the request borrows its strings; the stream is the caller's.
 * Threads: calls on different database handles may run in parallel.
 */
#ifndef BL_CAMPAIGNS_EXEC_H
#define BL_CAMPAIGNS_EXEC_H

#include <stdio.h>

#include "bl_error.h"
#include "bl_xapian.h"
#include "campaign_stats.h"

typedef struct bl_campaigns_request {
    const char *query;    /* only among the bulletins it matches; NULL: all */
    const char *campaign; /* only this campaign (case-insensitive); NULL: all */
    int timeline;         /* also month by month */
    int fact;             /* the chart's values: -1 bulletins, else a fact category index */
} bl_campaigns_request;

void bl_campaigns_request_init(bl_campaigns_request *req);

/* Prints the report in format to out; *n_found (may be NULL) is the number
 * of campaigns reported. Errors: BL_EQUERY ("bad query '...': why"), index
 * errors, BL_EIO when writing to out failed. */
int bl_campaigns_exec(bl_xdb *db, const bl_campaigns_request *req, int format, FILE *out,
                      unsigned *n_found, bl_error *err);

/* Writes the SVG chart of bulletins (or req->fact's monthly total) per month
 * for the top campaigns with dated bulletins. BL_ENOTFOUND when no campaign
 * has a dated bulletin (nothing is written then); BL_EIO on a write error. */
int bl_campaigns_chart(bl_xdb *db, const bl_campaigns_request *req, FILE *out, bl_error *err);

/* The same from a list collected by bl_campaign_stats_collect (the
 * request's query and campaign are used for the chart's title only). */
int bl_campaigns_write(const bl_campaign_list *list, const bl_campaigns_request *req,
                       int format, FILE *out, bl_error *err);
int bl_campaigns_write_chart(const bl_campaign_list *list, const bl_campaigns_request *req,
                             FILE *out, bl_error *err);

#endif
