/* blotter: from raw bytes in some charset to clean UTF-8.
 *
 * The charset is chosen in this order: a byte order mark; bytes that are
 * already valid UTF-8 (whatever the page declares: pages that say gb2312 but
 * are UTF-8 are common); the HTTP Content-Type hint; a <meta charset> or
 * http-equiv declaration in the first 4 KiB (HTML only); bytes that are
 * almost all valid UTF-8; else a guess between GB18030 and windows-1252.
 * gb2312 and gbk are decoded as GB18030, big5 as Big5-HKSCS, latin-1 and
 * ascii as windows-1252 (as browsers do). Conversion uses glibc iconv; bytes
 * that do not decode become U+FFFD. Never fails on content except binary
 * input (BL_EINVAL, "not text").
 *
 * Ownership: *out is malloc'd, NUL-terminated, owned by the caller.
 */
#ifndef BL_CHARSET_H
#define BL_CHARSET_H

#include <stddef.h>

#include "bl_error.h"
#include "bl_utf8.h" /* bl_utf8_decode, bl_utf8_valid */

/* 1 when the bytes look binary: NUL bytes (without a UTF-16 BOM) or a high
 * share of control bytes in the first 8 KiB. */
int bl_looks_binary(const char *s, size_t len);

/* The iconv name blotter uses for a declared charset label ("gb2312" ->
 * "GB18030"), or NULL for labels it does not know. */
const char *bl_charset_canonical(const char *label, size_t len);

/* Converts to UTF-8. is_html enables the <meta> prescan. The name of the
 * charset used is stored in used (may be NULL; at least 16 bytes). */
int bl_to_utf8(const char *bytes, size_t len, const char *hint, int is_html,
               char **out, size_t *out_len, char *used, size_t used_size, bl_error *err);

#endif
