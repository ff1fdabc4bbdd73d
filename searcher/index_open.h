/* blotter: opening the index (or indexes) a read-only command searches.
 *
 * With no explicit paths, the index in the data directory; otherwise each
 * path (an index directory or a Xapian stub file listing shards, local or
 * remote) is opened and all are searched as one. Errors say which path and
 * why: a missing index suggests `blotter index`.
 */
#ifndef BL_INDEX_OPEN_H
#define BL_INDEX_OPEN_H

#include "bl_error.h"
#include "bl_xapian.h"

int bl_index_open_read(const char *data_opt, const char *const *paths, unsigned n_paths,
                       bl_xdb **out, bl_error *err);

#endif
