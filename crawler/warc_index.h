/* blotter: rebuilding the index from crawl archives, with no network.
 *
 * bl_warc_index_file indexes the bulletins of one WARC file (the selection
 * of warc_bulletins.h) under their URLs with bl_indexer_add, so reading the
 * same archive twice changes nothing. Returns what bl_warc_each_bulletin
 * returns, except that the index's own errors (BL_EIO, BL_ELOCKED, ...) stop
 * at once with that code. A bulletin the extractor refuses (too large,
 * corrupt) is counted in stats->failed, the first one named in
 * stats->first_failure, and the file goes on. The caller commits
 * (bl_indexer_commit or bl_indexer_close).
 */
#ifndef BL_WARC_INDEX_H
#define BL_WARC_INDEX_H

#include "bl_error.h"
#include "bl_indexer.h"
#include "warc_bulletins.h"

int bl_warc_index_file(const char *path, bl_indexer *ix, bl_warc_index_stats *stats,
                       bl_error *err);

#endif
