/* blotter: the names behind bl_schema.h's enums. */
#include "bl_schema.h"

#include <string.h>

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
