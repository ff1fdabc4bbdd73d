/* blotter: bulletins from JSON Lines files, one JSON object a line, plain or
 * gzip-compressed. Members used: url, title, date (YYYY-MM-DD), text or html,
 * and optionally agency, lang and id; others are ignored. An "id" tells
 * apart several bulletins published at one URL (stories of one news page).
 *
 * Each good line is handed to fn as an extraction input (valid only during the
 * call) with its line number; a line that is not such an object is reported
 * through on_bad (file:line: reason) and the file goes on. Lines longer than
 * BL_JSONL_MAX_LINE are bad lines, read past without holding them in memory.
 */
#ifndef BL_JSONL_READER_H
#define BL_JSONL_READER_H

#include "bl_error.h"
#include "bl_extract.h"

#define BL_JSONL_MAX_LINE (64u * 1024u * 1024u)

/* id is the line's "id" member (a string or a number), or NULL. */
typedef int (*bl_jsonl_fn)(void *ctx, const bl_extract_input *in, const char *id,
                           unsigned long line);
typedef void (*bl_jsonl_bad_fn)(void *ctx, unsigned long line, const char *reason);

/* Returns 0 when the file was read to its end (bad lines included), the
 * callback's non-zero value when it stopped the read, or an error code when
 * the file cannot be opened or read. */
int bl_jsonl_read(const char *path, bl_jsonl_fn fn, bl_jsonl_bad_fn on_bad, void *ctx,
                  bl_error *err);

#endif
