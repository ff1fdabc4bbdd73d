/* blotter: one search, from a request to its printed results.
 *
 * `blotter search` and the HTTP API (`blotter serve`) run the same code: a
 * bl_search_request says what to look for and how to page, sort and count
 * it; bl_search_exec runs it on an open index and prints the results in one
 * of the printer's formats (printer.h) into any stream, so the API answers
 * with exactly the object `blotter search --format json` prints.
 *
 * Ownership: the request borrows its strings (query, data_opt); the caller
 * keeps them alive during the call. The stream is the caller's.
 * Threads: one call uses only its own database handle and heap state, so
 * calls on different handles may run in parallel.
 */
#ifndef BL_SEARCH_EXEC_H
#define BL_SEARCH_EXEC_H

#include <stdint.h>
#include <stdio.h>

#include "bl_error.h"
#include "bl_xapian.h"

typedef struct bl_search_request {
    const char *query;        /* the query language, see query_build.h */
    const char *data_opt;     /* --data value (for data/synonyms.txt), may be NULL */
    unsigned long limit, offset;
    int sort_slot;            /* -1: by relevance */
    int sort_descending;
    unsigned n_facets;
    int facets[BL_XSEARCH_MAX_FACETS]; /* indexes into the facet table below */
} bl_search_request;

/* What a search found, for exit statuses and HTTP statuses. */
typedef struct bl_search_outcome {
    uint64_t total_upper;     /* 0 when nothing can match */
    unsigned shown;           /* hits printed */
} bl_search_outcome;

/* Defaults: limit 10, offset 0, by relevance, no facets. */
void bl_search_request_init(bl_search_request *req);

/* "relevance", "date", "-date", a fact category or "-category" (largest
 * first) -> the request's sort; BL_EINVAL for anything else. */
int bl_search_set_sort(bl_search_request *req, const char *order);

/* Adds a facet by name ("year", "lang", "agency", "campaign"); BL_EINVAL for
 * an unknown name, BL_ETOOBIG past BL_XSEARCH_MAX_FACETS. */
int bl_search_add_facet(bl_search_request *req, const char *name);

/* Runs req on db and prints the results in `format` (enum bl_format) to out;
 * ansi as for bl_printer_new. When the index was rewritten under the reader
 * it is reopened once and the search retried.
 * Errors: BL_EQUERY (message "bad query '...': why"), BL_ETOOBIG for a
 * query over BL_QUERY_MAX bytes, index errors as the shim reports them, BL_EIO
 * when writing to out failed. Nothing is written to out on a query error.
 * A failure to compute the "did you mean" suggestion does not fail the
 * search; it is reported in *warning when warning is not NULL.
 * outcome may be NULL. */
int bl_search_exec(bl_xdb *db, const bl_search_request *req, int format, FILE *out, int ansi,
                   bl_search_outcome *outcome, bl_error *warning, bl_error *err);

/* The JSON object of `blotter search --format json` for req. */
int bl_search_json(bl_xdb *db, const bl_search_request *req, FILE *out,
                   bl_search_outcome *outcome, bl_error *err);

#endif
