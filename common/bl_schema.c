/* blotter: the names behind bl_schema.h's enums. */
#include "bl_schema.h"

#include <stdio.h>
#include <string.h>

#include "bl_digest.h"

const char *const bl_fact_categories[BL_FACT_COUNT] = {
#define BL_FACT_NAME(name) #name,
    BL_FACT_CATEGORIES(BL_FACT_NAME)
#undef BL_FACT_NAME
};

int bl_fact_category_index(const char *name)
{
    for (int i = 0; i < BL_FACT_COUNT; i++)
        if (name && strcmp(name, bl_fact_categories[i]) == 0)
            return i;
    return -1;
}

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
