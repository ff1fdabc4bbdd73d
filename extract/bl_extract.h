/* blotter: from raw bytes (an HTML page or plain text) to a bulletin record.
 *
 * This is the one entry point the indexer, `blotter extract` and the crawler
 * call. It never fails on bad content: malformed HTML, bad UTF-8 or an unknown
 * charset still give a record (bad bytes become U+FFFD); it fails only on
 * resource limits (BL_ETOOBIG for input over BL_EXTRACT_MAX_INPUT, BL_ENOMEM)
 * or binary input that is not text at all (BL_EINVAL, "not text").
 *
 * Ownership: the input is borrowed; *out is a new record the caller frees.
 */
#ifndef BL_EXTRACT_H
#define BL_EXTRACT_H

#include <stddef.h>

#include "bl_error.h"
#include "bl_record.h"

#define BL_EXTRACT_MAX_INPUT (64u * 1024u * 1024u)

enum bl_content_kind {
    BL_CONTENT_AUTO = 0,   /* sniff: markup-looking bytes are HTML, else text */
    BL_CONTENT_HTML = 1,
    BL_CONTENT_TEXT = 2
};

typedef struct bl_extract_input {
    const char *bytes;
    size_t len;
    int kind;                  /* enum bl_content_kind */
    const char *url;           /* may be NULL; copied into the record, and a date
                                  in it counts as evidence */
    const char *charset_hint;  /* from an HTTP Content-Type header; may be NULL */
    const char *agency_hint;   /* from a crawl source's configuration; may be NULL */
    const char *lang_hint;     /* from a crawl source's configuration; may be NULL */
    const char *title_hint;    /* from JSON Lines input; may be NULL */
    const char *date_hint;     /* "YYYY-MM-DD" from JSON Lines input; may be NULL */
} bl_extract_input;

int bl_extract(const bl_extract_input *in, bl_record **out, bl_error *err);

#endif
