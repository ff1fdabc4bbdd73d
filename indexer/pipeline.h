/* blotter: indexing on every core.
 *
 * The costly work of indexing (reading a file, extracting the record,
 * generating terms) is independent per bulletin; only writing to a shard is
 * serial. The pipeline runs that work on worker threads and hands the
 * prepared bulletins to the writer thread of their shard (one per shard),
 * through bounded queues, so memory stays bounded however large the input:
 * at most about 2 * (workers + 1) * (shards + 1) bulletins are in flight.
 *
 * The caller submits jobs from one thread; messages about bad inputs go to
 * stderr as they happen; bl_pipeline_finish waits for the last bulletin,
 * commits and reports the counts.
 */
#ifndef BL_PIPELINE_H
#define BL_PIPELINE_H

#include "bl_error.h"
#include "bl_extract.h"
#include "bl_indexer.h"

typedef struct bl_index_counts {
    unsigned long added, updated, unchanged, skipped, failed;
} bl_index_counts;

typedef struct bl_pipeline bl_pipeline;

/* n_workers 0 means one per core. The indexer stays the caller's. */
int bl_pipeline_start(bl_indexer *ix, unsigned n_workers, bl_pipeline **out, bl_error *err);

/* A page file to read and extract on a worker: kind is a bl_content_kind;
 * key "file:" + abs_path; label names it in messages. */
int bl_pipeline_submit_file(bl_pipeline *p, const char *path, const char *abs_path, int kind);

/* An in-memory bulletin (a JSON Lines record): everything is copied. */
int bl_pipeline_submit_input(bl_pipeline *p, const bl_extract_input *in, const char *key,
                             const char *label);

/* Counts a skipped or failed input that never reached the pipeline. */
void bl_pipeline_count(bl_pipeline *p, int skipped, int failed);

/* Non-zero once writing failed: stop submitting. */
int bl_pipeline_failed(const bl_pipeline *p);

/* Waits for everything submitted, commits, stops the threads, frees p. On a
 * write failure returns its code with the message in err; counts are filled
 * in either way. */
int bl_pipeline_finish(bl_pipeline *p, bl_index_counts *counts, bl_error *err);

#endif
