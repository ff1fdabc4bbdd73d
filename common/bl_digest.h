/* blotter: content digests (SHA-256 through OpenSSL's libcrypto). */
#ifndef BL_DIGEST_H
#define BL_DIGEST_H

#include <stddef.h>

#define BL_SHA256_HEX_SIZE 65 /* 64 hex digits and a NUL */

/* Writes the lowercase hex SHA-256 of data[0..len) into out. */
void bl_sha256_hex(const void *data, size_t len, char out[BL_SHA256_HEX_SIZE]);

#endif
