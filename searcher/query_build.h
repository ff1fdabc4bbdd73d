/* blotter: the query language, from what a user types to a Xapian query.
 *
 * Words (stemmed), AND OR NOT, -word, "phrases", NEAR, trailing wildcards,
 * Chinese; fields:
 *   title:WORDS                     free-text field (the title)
 *   site: lang: agency: campaign: year: currency:   exact filters (case-insensitive)
 *   date:A..B                       A, B as YYYY, YYYY-MM or YYYY-MM-DD, either open
 *   CATEGORY:A..B                   a numeric fact (suspects, cases, money, ...)
 * A range field with one value (`date:2019-07`, `suspects:1461`) means that
 * value's whole span.
 */
#ifndef BL_QUERY_BUILD_H
#define BL_QUERY_BUILD_H

#include "bl_error.h"
#include "bl_xapian.h"

/* Longest query accepted, in bytes: longer ones are refused, not truncated. */
#define BL_QUERY_MAX 4096

/* Parses text against db (used for wildcard expansion). *out is the caller's. */
int bl_query_parse(bl_xdb *db, const char *text, bl_xquery **out, bl_error *err);

/* Rewrites single-valued range fields into ranges and lowercases filter
 * values, as described above; returns a new string (NULL when out of memory). */
char *bl_query_normalise(const char *text);

/* Sets err to "bad query 'EXCERPT': REASON": the reason comes whole, the query
 * as a short printable excerpt (no control characters, valid UTF-8), so a
 * long or hostile query can neither push the reason out of the message nor
 * write escape sequences to a terminal. Returns code. */
int bl_query_error(bl_error *err, int code, const char *query, const char *reason);

#endif
