/* blotter: query-time synonyms from a data file users can extend.
 *
 * A query word written ~word becomes (word OR other OR "other phrase") with
 * the other members of its group in the synonyms file (data/synonyms.txt;
 * format at its top). Done on the query text, before parsing, so it works the
 * same on local, sharded and remote indexes (Xapian's own synonym table does
 * not travel through the remote backend).
 */
#ifndef BL_SYNONYMS_H
#define BL_SYNONYMS_H

#include "bl_error.h"

typedef struct bl_synonyms bl_synonyms;

#define BL_SYNONYMS_MAX_BYTES (4u * 1024u * 1024u)

/* Loads the file at path; errors name the file (and line). */
int bl_synonyms_load(const char *path, bl_synonyms **out, bl_error *err);

/* The first of $BLOTTER_SYNONYMS, DATA/synonyms.txt, the installed copy and
 * the source tree's copy that exists; *out is NULL (not an error) when none. */
int bl_synonyms_load_default(const char *data_dir, bl_synonyms **out, bl_error *err);

void bl_synonyms_free(bl_synonyms *syn);

/* The query with each ~word expanded (a new string); a ~word with no group
 * is kept as the plain word. Quoted phrases are left alone. NULL when out of
 * memory. syn may be NULL (then only the ~ marks are dropped). */
char *bl_synonyms_expand(const bl_synonyms *syn, const char *query);

#endif
