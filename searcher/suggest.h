/* blotter: "did you mean", from the index's own vocabulary.
 *
 * Each plain Latin word of the query that no bulletin contains is replaced by
 * the indexed word nearest to it (edit distance 1, or 2 for words of six
 * letters or more; the more frequent word wins a tie), found by walking the
 * index's terms that share its first letter. The rest of the query is kept
 * as typed. Works on local, sharded and remote indexes alike, needing no
 * spelling table.
 */
#ifndef BL_SUGGEST_H
#define BL_SUGGEST_H

#include "bl_error.h"
#include "bl_xapian.h"

/* *out is the corrected query (caller frees), or NULL when no word could be
 * corrected. */
int bl_suggest(bl_xdb *db, const char *query, char **out, bl_error *err);

/* Edit distance between a and b (bytes), or limit + 1 once it exceeds limit. */
unsigned bl_edit_distance(const char *a, size_t alen, const char *b, size_t blen, unsigned limit);

#endif
