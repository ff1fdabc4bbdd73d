/* blotter: the value slot a search collapses duplicate bulletins on.
 *
 * BL_SLOT_DUPKEY when every bulletin with a digest has one (schema 2);
 * BL_SLOT_DIGEST for an index written, wholly or partly, before it existed,
 * so such an index is still searched with each text shown once.
 */
#ifndef BL_DUP_SLOT_H
#define BL_DUP_SLOT_H

#include "bl_xapian.h"

int bl_dup_slot(bl_xdb *db);

#endif
