/* blotter: choosing the collapse slot (see dup_slot.h). */
#include "dup_slot.h"

#include <stdint.h>

#include "bl_schema.h"

int bl_dup_slot(bl_xdb *db)
{
    uint64_t with_key = 0, with_digest = 0;
    /* Two statistics read once per search; on an error the digest, which
     * every index has, is the safe choice (the search itself reports it). */
    if (bl_xdb_value_freq(db, BL_SLOT_DUPKEY, &with_key, NULL) ||
        bl_xdb_value_freq(db, BL_SLOT_DIGEST, &with_digest, NULL))
        return BL_SLOT_DIGEST;
    return with_key > 0 && with_key >= with_digest ? BL_SLOT_DUPKEY : BL_SLOT_DIGEST;
}
