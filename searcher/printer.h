/* blotter: one printer for search results, with text, JSON and CSV back-ends,
 * so every command that lists bulletins speaks all three formats alike.
 *
 * JSON is one object per run (format version 1):
 *   {"version":1,"query":"...","total":N,"total_exact":true,"offset":0,
 *    "hits":[{"rank":1,"score":..,"url":..,"title":..,"date":..,"lang":..,
 *             "agency":..,"snippet":"plain","snippet_html":"<b>..</b>",
 *             "facts":{"suspects":1461},"campaigns":[..],"duplicates":[urls]}],
 *    "suggestion":"corrected query" (only when nothing matched and one exists),
 *    "facets":{"year":[{"value":"2019","count":3}]}}
 * CSV is RFC 4180 (CRLF line ends, quoted where needed) with a header row.
 * Text is for people: rank, date, title, URL and snippet, bold on a terminal.
 *
 * Ownership: the printer borrows the stream and everything handed to it
 * for the duration of each call.
 */
#ifndef BL_PRINTER_H
#define BL_PRINTER_H

#include <stdint.h>
#include <stdio.h>

#include "bl_record.h"

enum bl_format { BL_FORMAT_TEXT, BL_FORMAT_JSON, BL_FORMAT_CSV };

/* Writes one RFC 4180 field (quoted when it holds a comma, quote or line
 * break; NULL is empty), then "," or, for the last field of a row, CRLF. */
void bl_csv_field(FILE *out, const char *s, int last);

/* "text", "json", "csv" -> enum, or -1. */
int bl_format_parse(const char *name);

typedef struct bl_results_meta {
    const char *query;
    uint64_t total;
    int total_exact;
    unsigned offset;
    const char *suggestion; /* "did you mean" query, or NULL */
} bl_results_meta;

typedef struct bl_hit {
    unsigned rank;          /* 1-based over all results */
    double score;
    const bl_record *rec;
    const char *snippet;    /* marked, see snippet.h; may be NULL */
    const char *const *duplicates; /* other URLs with the same text */
    unsigned n_duplicates;
} bl_hit;

typedef struct bl_printer bl_printer;

/* ansi: bold highlights in text output (when stdout is a terminal). */
bl_printer *bl_printer_new(int format, FILE *out, int ansi);
void bl_printer_begin(bl_printer *p, const bl_results_meta *meta);
void bl_printer_hit(bl_printer *p, const bl_hit *hit);
/* One facet's counts (after the hits). */
void bl_printer_facet(bl_printer *p, const char *name, unsigned n, const char *const *values,
                      const uint64_t *counts);
/* Finishes the output and frees the printer; returns non-zero when writing
 * to the stream failed (a full disk, a closed pipe). */
int bl_printer_end(bl_printer *p);

#endif
