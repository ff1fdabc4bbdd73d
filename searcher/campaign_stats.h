/* blotter: what the index knows of each named campaign.
 *
 * For every campaign (the "K" terms of bl_schema.h), optionally only among
 * the bulletins a query matches: how many bulletins, the first and last
 * publication date, the agencies with their counts, and per fact category the
 * total and the maximum of the bulletins' values (each bulletin counts with
 * its largest value, as in range queries), and per month the same. Every
 * matching bulletin is read once; memory grows with campaigns x months.
 */
#ifndef BL_CAMPAIGN_STATS_H
#define BL_CAMPAIGN_STATS_H

#include <stdint.h>

#include "bl_error.h"
#include "bl_schema.h"
#include "bl_xapian.h"

typedef struct bl_fact_sum {
    double total, max;
    unsigned bulletins; /* bulletins stating this fact */
} bl_fact_sum;

typedef struct bl_month_stats {
    char month[8];      /* "YYYY-MM" */
    unsigned bulletins;
    bl_fact_sum facts[BL_FACT_COUNT];
} bl_month_stats;

typedef struct bl_agency_count {
    char *name;
    unsigned count;
} bl_agency_count;

typedef struct bl_campaign_stats {
    char *name;         /* as written in the bulletins */
    unsigned bulletins;
    char first[11], last[11]; /* "YYYY-MM-DD", "" when no bulletin is dated */
    bl_agency_count *agencies;
    unsigned n_agencies;
    bl_fact_sum facts[BL_FACT_COUNT];
    bl_month_stats *months; /* sorted by month */
    unsigned n_months;
} bl_campaign_stats;

typedef struct bl_campaign_list {
    bl_campaign_stats *items; /* most bulletins first, then by name */
    unsigned n;
} bl_campaign_list;

/* Most bulletins read for one campaign; a campaign with more is reported on
 * its first BL_CAMPAIGN_MAX_BULLETINS by relevance and flagged by count. */
#define BL_CAMPAIGN_MAX_BULLETINS 100000

/* filter may be NULL (all bulletins); only_name, when not NULL, keeps the one
 * campaign of that name (case-insensitive). */
int bl_campaign_stats_collect(bl_xdb *db, const bl_xquery *filter, const char *only_name,
                              bl_campaign_list *out, bl_error *err);
void bl_campaign_list_free(bl_campaign_list *list);

#endif
