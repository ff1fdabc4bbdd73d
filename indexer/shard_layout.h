/* blotter: how a sharded index lies on disk.
 *
 * A single index is a directory (DATA/index). A sharded one is a Xapian stub
 * file in its place, one line per shard, "auto shards/NN", paths relative to
 * the stub's directory, so readers open it as one database with Xapian's own
 * machinery (and a stub may also name "remote HOST:PORT" shards, which only
 * readers can use). Bulletins go to shard fnv1a64(key) % N: stable across
 * runs and machines, so re-indexing replaces a bulletin in its own shard.
 */
#ifndef BL_SHARD_LAYOUT_H
#define BL_SHARD_LAYOUT_H

#include <stdint.h>

#include "bl_error.h"

#define BL_STUB_MAX_BYTES (64 * 1024)

/* A stable 64-bit hash of a bulletin key (FNV-1a). */
uint64_t bl_key_hash(const char *key);

/* The shard a key belongs to: bl_key_hash(key) % n_shards. */
unsigned bl_shard_of(const char *key, unsigned n_shards);

/* Reads a stub file: *paths is a new array of n new strings (absolute or
 * relative to the current directory), the caller frees each and the array.
 * Remote lines are refused when writable is set. */
int bl_stub_read(const char *stub_path, int writable, char ***paths, unsigned *n,
                 bl_error *err);

/* Creates n shard directories beside stub_path and writes the stub
 * atomically (a temporary file renamed into place). */
int bl_stub_create(const char *stub_path, unsigned n, bl_error *err);

#endif
