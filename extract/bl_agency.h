/* blotter: recognising the publishing agency in a bulletin.
 *
 * Names and patterns come from data/agencies.txt (format at its top), looked
 * up in order: $BLOTTER_AGENCIES; the installed share/blotter/agencies.txt;
 * the copy in the source tree; the copy compiled into the binary. The table
 * is loaded once per process (thread-safe) and is read-only afterwards.
 *
 * Ownership: bl_agency_find() returns a malloc'd name the caller frees.
 */
#ifndef BL_AGENCY_H
#define BL_AGENCY_H

#include <stddef.h>

#include "bl_error.h"

typedef struct bl_agencies bl_agencies;

/* Parses a table from text (the file format); errors name the line. */
int bl_agencies_parse(const char *text, size_t len, bl_agencies **out, bl_error *err);
void bl_agencies_free(bl_agencies *a);

/* The process-wide table (see above); never NULL (the compiled-in copy is
 * the last resort and an empty table if even that fails). */
const bl_agencies *bl_agencies_default(void);

/* The agency whose first mention in s[0..len) starts earliest (longer match
 * first at the same place), as its recorded name; NULL when none (or out of
 * memory). */
char *bl_agency_find(const bl_agencies *a, const char *s, size_t len);

#endif
