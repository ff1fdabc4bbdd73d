/* blotter: the bulletins in a crawl archive, for re-indexing with no network.
 *
 * bl_warc_each_bulletin reads one WARC file (.warc or .warc.gz) and hands
 * each bulletin to fn as an extraction input keyed by its WARC-Target-URI,
 * exactly as the crawl indexed it: records blotter wrote carry Blotter-Kind,
 * and only "article" records count, with the source's agency and language as
 * hints; records from other tools (no Blotter-Kind) count when they are
 * successful (2xx) HTML or text responses or resources. Revisit, request,
 * warcinfo and metadata records are skipped (the content they point at is in
 * an earlier record or file).
 *
 * in->bytes and key point into the record and are valid only during the
 * call. Only stats->records and stats->skipped are counted here. fn returning
 * non-zero stops the walk, and that value is returned. Otherwise returns 0
 * when the whole file was read; BL_ECORRUPT when it ends inside a record (a
 * killed crawl) or holds bytes that are not WARC, after handing over every
 * complete record before that point (err says which); BL_ETOOBIG for a
 * record over the reader's limits.
 *
 * This part needs no index, so `blotter index` can link it from
 * bl_crawl_core; bl_warc_index_file (warc_index.h) drives an indexer with it.
 */
#ifndef BL_WARC_BULLETINS_H
#define BL_WARC_BULLETINS_H

#include "bl_error.h"
#include "bl_extract.h"
#include "warc_reader.h"

typedef int (*bl_warc_bulletin_fn)(void *ctx, const bl_extract_input *in, const char *key);
int bl_warc_each_bulletin(const char *path, bl_warc_bulletin_fn fn, void *ctx,
                          bl_warc_index_stats *stats, bl_error *err);

#endif
