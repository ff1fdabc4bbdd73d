/* blotter: which scratch shard each bulletin key went to.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A bulk build (bulk_build.h) may put a bulletin in any of its scratch
 * shards, so the pipeline hands each one to the least busy writer instead of
 * the shard its key hashes to: a writer never waits for work while another
 * has a queue. A key met again in the same run must go where it went the
 * first time, so that the later version replaces the earlier one rather than
 * both reaching the merged index. Keys are remembered by their 64-bit hash
 * (bl_key_hash): two keys with one hash merely share a shard.
 *
 * Not thread-safe: the caller serialises. Memory grows with the number of
 * distinct keys (about 20 bytes each).
 */
#ifndef BL_KEY_ROUTES_H
#define BL_KEY_ROUTES_H

#include <stdint.h>

typedef struct bl_key_routes bl_key_routes;

/* A new empty map, or NULL when out of memory. */
bl_key_routes *bl_key_routes_new(void);
void bl_key_routes_free(bl_key_routes *r);

/* The shard recorded for the key with hash h, or -1 when there is none. */
int bl_key_routes_find(const bl_key_routes *r, uint64_t h);

/* Records that the key with hash h (not recorded yet) went to shard (at most
 * 255). 0, or -1 when out of memory (nothing recorded). */
int bl_key_routes_add(bl_key_routes *r, uint64_t h, unsigned shard);

#endif
