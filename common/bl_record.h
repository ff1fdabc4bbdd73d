/* blotter: the bulletin record, what extraction produces and the index stores.
 *
 * Ownership: a bl_record owns every string and array it points to; set them
 * only through the functions below (they copy). Strings are NUL-terminated
 * UTF-8. bl_record_free(NULL) is a no-op.
 *
 * JSON form (version 1), as printed by `blotter extract` and stored as the
 * document data of the index:
 *   {"version":1,"url":..,"title":..,"date":"YYYY-MM-DD"|null,"agency":..|null,
 *    "lang":"en","text":"..","facts":[{"category":"suspects","value":1461,
 *    "qualifier":"=","text":"1,461 criminal suspects","offset":..,"length":..}],
 *    "campaigns":["Hundred Days Action"]}
 * Money facts also carry "currency" (ISO 4217). Offsets and lengths are bytes
 * of "text".
 */
#ifndef BL_RECORD_H
#define BL_RECORD_H

#include <stddef.h>

#include "bl_error.h"

#define BL_RECORD_VERSION 1

typedef struct bl_fact {
    char category[24];  /* a name from bl_fact_categories[] */
    double value;
    char qualifier[3];  /* "=", ">=" or "<=" */
    char currency[4];   /* ISO 4217 for money, else "" */
    char *text;         /* the matched words, owned */
    size_t offset;      /* bytes into the record's text */
    size_t length;
} bl_fact;

typedef struct bl_record {
    char *url;      /* URL, or "file:" + path for local files; may be NULL */
    char *title;    /* may be NULL */
    char *date;     /* "YYYY-MM-DD" or NULL when unknown */
    char *agency;   /* may be NULL */
    char *lang;     /* "en", "zh", "und"; may be NULL */
    char *text;     /* main text; may be NULL */
    bl_fact *facts;
    size_t n_facts, cap_facts;
    char **campaigns;
    size_t n_campaigns, cap_campaigns;
} bl_record;

/* A new empty record, or NULL when out of memory. */
bl_record *bl_record_new(void);
void bl_record_free(bl_record *rec);

/* Replaces *field (one of rec's string members) with a copy of s[0..len);
 * len may be (size_t)-1 for strlen(s); s == NULL clears the field. */
int bl_record_set(char **field, const char *s, size_t len);

/* Appends a copy of *fact (its text is copied too). */
int bl_record_add_fact(bl_record *rec, const bl_fact *fact);

/* Appends a campaign name unless an equal one (case-insensitive ASCII) is there. */
int bl_record_add_campaign(bl_record *rec, const char *name);

/* The largest value of a category, or 0 with *found = 0 when there is none. */
double bl_record_fact_max(const bl_record *rec, const char *category, int *found);

/* The JSON form above; the caller frees the returned string with free().
 * Returns NULL when out of memory. */
char *bl_record_to_json(const bl_record *rec, int pretty);

/* Parses the JSON form; unknown members are ignored, wrong types are an error
 * (BL_ECORRUPT). On success *out is a new record the caller frees. */
int bl_record_from_json(const char *json, size_t len, bl_record **out, bl_error *err);

#endif
