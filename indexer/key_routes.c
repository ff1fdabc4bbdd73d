/* blotter: which scratch shard each bulletin key went to (see key_routes.h).
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * An open-addressing hash table (linear probing) of key hashes, kept at most
 * half full. A stored hash of 0 marks an empty slot, so the hash 0 is stored
 * as 1: such a key shares a shard with the keys of hash 1, which is harmless.
 */
#include "key_routes.h"

#include <stdlib.h>

#define INITIAL_SLOTS 4096u

struct bl_key_routes {
    uint64_t *hashes;
    unsigned char *shards;
    size_t slots, used;
};

bl_key_routes *bl_key_routes_new(void)
{
    bl_key_routes *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->hashes = calloc(INITIAL_SLOTS, sizeof *r->hashes);
    r->shards = calloc(INITIAL_SLOTS, sizeof *r->shards);
    if (!r->hashes || !r->shards) {
        free(r->hashes);
        free(r->shards);
        free(r);
        return NULL;
    }
    r->slots = INITIAL_SLOTS;
    return r;
}

void bl_key_routes_free(bl_key_routes *r)
{
    if (!r)
        return;
    free(r->hashes);
    free(r->shards);
    free(r);
}

/* The slot holding h, or the empty slot where it belongs. */
static size_t find_slot(const uint64_t *hashes, size_t slots, uint64_t h)
{
    size_t i = (size_t)(h ^ (h >> 32)) & (slots - 1);
    while (hashes[i] && hashes[i] != h)
        i = (i + 1) & (slots - 1);
    return i;
}

static int grow(bl_key_routes *r)
{
    size_t slots = r->slots * 2;
    uint64_t *hashes = calloc(slots, sizeof *hashes);
    unsigned char *shards = calloc(slots, sizeof *shards);
    if (!hashes || !shards) {
        free(hashes);
        free(shards);
        return -1;
    }
    for (size_t i = 0; i < r->slots; i++) {
        if (!r->hashes[i])
            continue;
        size_t j = find_slot(hashes, slots, r->hashes[i]);
        hashes[j] = r->hashes[i];
        shards[j] = r->shards[i];
    }
    free(r->hashes);
    free(r->shards);
    r->hashes = hashes;
    r->shards = shards;
    r->slots = slots;
    return 0;
}

/* Hashes are stored non-zero (0 marks an empty slot). */
static uint64_t stored(uint64_t h)
{
    return h ? h : 1;
}

int bl_key_routes_find(const bl_key_routes *r, uint64_t h)
{
    h = stored(h);
    size_t i = find_slot(r->hashes, r->slots, h);
    return r->hashes[i] ? r->shards[i] : -1;
}

int bl_key_routes_add(bl_key_routes *r, uint64_t h, unsigned shard)
{
    h = stored(h);
    if (2 * (r->used + 1) > r->slots && grow(r) != 0)
        return -1;
    size_t i = find_slot(r->hashes, r->slots, h);
    if (!r->hashes[i]) {
        r->hashes[i] = h;
        r->used++;
    }
    r->shards[i] = (unsigned char)shard;
    return 0;
}
