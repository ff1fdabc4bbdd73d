/* blotter: building a new index on every core.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Xapian lets one thread write a database, and most of what indexing costs is
 * Xapian's own work on that thread (inverting, B-tree updates, compression).
 * An index that holds no documents yet is therefore built as scratch shards,
 * one writer thread each (pipeline.h), which are then merged by compaction
 * into one database that takes the empty index's place. The result is the
 * single compact database a one-thread build would have made: the same
 * documents, terms, values and data (document ids follow the shards, not the
 * input order). Later runs update that database as usual.
 *
 * Safety: the real index stays open for writing during the whole build, so
 * other writers are told it is busy, as during any indexing run. The scratch
 * shards live in INDEX.build beside the index and are removed on every exit
 * (and at the start of the next build when a process died in the middle).
 * The merged database is swapped in with one rename, so readers see the empty
 * index or the whole new one, never a part; only in the instant between
 * letting go of the write lock and the rename could another writer slip in,
 * as with `blotter compact`.
 *
 * Ownership: bl_bulk_begin takes the index's indexer; bl_bulk_finish and
 * bl_bulk_abandon close everything and free the build.
 */
#ifndef BL_BULK_BUILD_H
#define BL_BULK_BUILD_H

#include "bl_error.h"
#include "bl_indexer.h"

typedef struct bl_bulk bl_bulk;

/* 1 when ix, open on an index, is a single database without documents (a new
 * or empty index, which a bulk build may replace), 0 when not, or a negative
 * code with err set. */
int bl_bulk_suits(bl_indexer *ix, bl_error *err);

/* Starts building n_shards scratch shards for the index at index_path, which
 * `index` holds open (bl_bulk_suits said 1). On success *out owns `index`;
 * on failure `index` stays the caller's. */
int bl_bulk_begin(bl_indexer *index, const char *index_path, unsigned n_shards, bl_bulk **out,
                  bl_error *err);

/* The scratch index to write the bulletins into (bl_pipeline_start). It
 * belongs to the build. */
bl_indexer *bl_bulk_indexer(bl_bulk *b);

/* Commits the scratch shards, merges them into one database and puts it in
 * the index's place, then removes the scratch. On failure the index is left
 * as it was (empty). Frees b either way. */
int bl_bulk_finish(bl_bulk *b, bl_error *err);

/* Drops the build (after a write failure): closes the index untouched and
 * removes the scratch. Frees b; NULL is a no-op. */
void bl_bulk_abandon(bl_bulk *b);

#endif
