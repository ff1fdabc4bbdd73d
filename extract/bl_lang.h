/* blotter: the language of a text by its script.
 *
 * "zh" when CJK ideographs make up at least 30% of the letters, "en" when
 * Latin letters dominate, "und" otherwise (empty text, digits only, other
 * scripts). Only the first 64 KiB are looked at. Returns a static string.
 */
#ifndef BL_LANG_H
#define BL_LANG_H

#include <stddef.h>

const char *bl_lang_detect(const char *utf8, size_t len);

#endif
