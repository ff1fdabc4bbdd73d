/* blotter: putting bulletins into the index.
 *
 * One bl_indexer holds the index open for writing (Xapian allows one writer:
 * a second gets BL_ELOCKED). Each bulletin is keyed by its unique key (its
 * URL, or "file:" + absolute path for local files): adding a key that is
 * already indexed replaces that document, and adding the same content again
 * under the same key is reported as unchanged and costs no write.
 * Each shard commits its changes every BL_INDEXER_BATCH bulletins and on
 * close, so an interrupted run leaves the last committed batch of every shard
 * intact and searchable. A scratch index commits every BL_SCRATCH_BATCH.
 *
 * Threads: an indexer is used by one thread at a time, except that
 * bl_indexer_apply, bl_indexer_apply_in and bl_indexer_commit_shard may run
 * on several threads at once as long as no two of them touch the same shard
 * (bl_prepared_shard tells which shard a bulletin goes to): the shards are
 * separate databases.
 *
 * Ownership: inputs and records are borrowed; the indexer owns its database.
 */
#ifndef BL_INDEXER_H
#define BL_INDEXER_H

#include <stdint.h>

#include "bl_error.h"
#include "bl_extract.h"
#include "bl_record.h"

#define BL_INDEXER_BATCH 500

/* Xapian holds a shard's uncommitted postings in sorted maps that grow with
 * the batch. On a scratch index (no fsync, no reader) a smaller batch keeps
 * them in cache: at 100, a bulk build of 10,000 bulletins took 7% less time
 * and half the memory than at 500 (bench/README.md). */
#define BL_SCRATCH_BATCH 100

typedef struct bl_indexer bl_indexer;

enum bl_index_outcome {
    BL_INDEX_ADDED = 0,
    BL_INDEX_UPDATED = 1,
    BL_INDEX_UNCHANGED = 2
};

/* Opens (creating when missing) the index at index_path for writing. An
 * index_path that is a Xapian stub file is a sharded index: its shards are
 * opened and each bulletin goes to one of them by a stable hash of its key. */
int bl_indexer_open(const char *index_path, bl_indexer **out, bl_error *err);

/* Like bl_indexer_open, creating an index of n_shards shards when none
 * exists: index_path becomes a stub file listing shards/00, shards/01, ...
 * beside it. An existing index must have exactly n_shards shards. */
int bl_indexer_open_sharded(const char *index_path, unsigned n_shards, bl_indexer **out,
                            bl_error *err);

#define BL_INDEXER_MAX_SHARDS 64

/* A new index of n_shards shards at index_path (which must not exist: else
 * BL_EEXISTS) for building a copy that is merged into the real index and then
 * removed (see bulk_build.h): its commits skip fsync, and a crash leaves it
 * unreadable. */
int bl_indexer_open_scratch(const char *index_path, unsigned n_shards, bl_indexer **out,
                            bl_error *err);

/* Documents in the index, over all its shards. */
int bl_indexer_doccount(bl_indexer *ix, uint64_t *out, bl_error *err);

/* Extracts `in` and indexes the record under key; *outcome tells what happened. */
int bl_indexer_add(bl_indexer *ix, const bl_extract_input *in, const char *key,
                   int *outcome, bl_error *err);

/* Indexes an already extracted record under key. */
int bl_indexer_add_record(bl_indexer *ix, const bl_record *rec, const char *key,
                          int *outcome, bl_error *err);

/* The two halves of bl_indexer_add_record, for parallel indexing: preparing
 * (building the Xapian document: the costly part) touches no database and may
 * run on any thread; applying writes it into its shard, on the thread that
 * writes that shard (see Threads above). bl_indexer_apply takes the prepared
 * bulletin whatever it returns. */
typedef struct bl_prepared bl_prepared;
int bl_prepare(const bl_record *rec, const char *key, bl_prepared **out, bl_error *err);
void bl_prepared_free(bl_prepared *p);
int bl_indexer_apply(bl_indexer *ix, bl_prepared *p, int *outcome, bl_error *err);

/* How many shards the index has (1 for a single database), and which one a
 * key or a prepared bulletin belongs to (0 .. shards - 1). */
unsigned bl_indexer_shards(const bl_indexer *ix);
unsigned bl_indexer_shard_of(const bl_indexer *ix, const char *key);
unsigned bl_prepared_shard(const bl_indexer *ix, const bl_prepared *p);
/* The bulletin's key; it belongs to p. */
const char *bl_prepared_key(const bl_prepared *p);

/* Non-zero for a scratch index, whose bulletins may go to any shard as long
 * as each key always goes to the same one (key_routes.h). */
int bl_indexer_routes_freely(const bl_indexer *ix);

/* bl_indexer_apply into a given shard: the key's own (bl_prepared_shard), or
 * any shard of an index that routes freely; else BL_EINVAL. Takes p. */
int bl_indexer_apply_in(bl_indexer *ix, unsigned shard, bl_prepared *p, int *outcome,
                        bl_error *err);

/* bl_indexer_apply_in for a key met for the first time in a scratch index
 * that started empty (key_routes.h knows): no shard can hold it, so it is
 * added without the look-up. BL_EINVAL on any other index. Takes p. */
int bl_indexer_add_new_in(bl_indexer *ix, unsigned shard, bl_prepared *p, bl_error *err);

/* Removes the bulletin with this key (BL_ENOTFOUND when it is not indexed). */
int bl_indexer_remove(bl_indexer *ix, const char *key, bl_error *err);

/* Commits what is pending in every shard, or in one. */
int bl_indexer_commit(bl_indexer *ix, bl_error *err);
int bl_indexer_commit_shard(bl_indexer *ix, unsigned shard, bl_error *err);

/* Commits what is pending and closes; returns the commit's status. */
int bl_indexer_close(bl_indexer *ix, bl_error *err);

#endif
