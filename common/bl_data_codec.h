/* blotter: how a bulletin's record is stored as Xapian document data.
 *
 * Records are JSON of a few kilobytes; a search reads ten of them. Stored as
 * they are, Xapian deflates them itself, and inflating them was a quarter of
 * a search's time. So the shim stores a record as one zstd frame (which
 * Xapian then leaves as it is, finding it incompressible) and unpacks it
 * when read: about three times faster to read, and smaller.
 *
 * Data that does not start with the zstd frame magic is read as it is, so
 * indexes written before (schema 1) and short data stay readable. Data
 * written as it is never starts with the magic: such data is always packed.
 */
#ifndef BL_DATA_CODEC_H
#define BL_DATA_CODEC_H

#include <stddef.h>

#include "bl_error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The largest record unpacked; a frame claiming more is damage. */
#define BL_DATA_MAX_UNPACKED (64u << 20)

/* Data below this many bytes is stored as it is (a frame would not pay). */
#define BL_DATA_PACK_MIN 128

/* The bytes to store for data: *out is malloc'd (NUL-terminated). 0, or
 * BL_ENOMEM / BL_ETOOBIG with err set. */
int bl_data_pack(const char *data, size_t len, char **out, size_t *out_len, bl_error *err);

/* The data stored as stored: *out is malloc'd and NUL-terminated. 0, or
 * BL_ECORRUPT (a damaged or oversized frame) / BL_ENOMEM with err set. */
int bl_data_unpack(const char *stored, size_t len, char **out, size_t *out_len, bl_error *err);

#ifdef __cplusplus
}
#endif

#endif
