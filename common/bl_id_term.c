/* blotter: the unique-id term of a bulletin (see bl_schema.h).
 *
 * A file of its own because hashing long keys needs libcrypto: programs that
 * never make an id term (`blotter search`) then do not load it at start-up.
 */
#include "bl_schema.h"

#include <stdio.h>
#include <string.h>

#include "bl_digest.h"

void bl_id_term(const char *key, char out[BL_ID_TERM_SIZE])
{
    size_t len = strlen(key);
    if (len <= BL_ID_MAX_KEY) {
        snprintf(out, BL_ID_TERM_SIZE, "%s%s", BL_PREFIX_ID, key);
        return;
    }
    char hex[BL_SHA256_HEX_SIZE];
    bl_sha256_hex(key, len, hex);
    snprintf(out, BL_ID_TERM_SIZE, "%s#%s", BL_PREFIX_ID, hex);
}
