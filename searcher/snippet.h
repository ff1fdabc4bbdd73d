/* blotter: snippets as the shell, JSON and CSV want them.
 *
 * Xapian returns snippets HTML-escaped with our highlight markers around the
 * matched words; bl_snippet_make turns that into plain UTF-8 text on one
 * line, keeping the markers BL_HI_START / BL_HI_END (control bytes no
 * bulletin text contains), and bl_snippet_render writes it out for a given
 * audience.
 */
#ifndef BL_SNIPPET_H
#define BL_SNIPPET_H

#include <stddef.h>
#include <stdio.h>

#include "bl_error.h"
#include "bl_xapian.h"

#define BL_HI_START "\x02"
#define BL_HI_END "\x03"
#define BL_SNIPPET_BYTES 300

/* The marked, unescaped, single-line snippet of text for result i; the caller
 * frees *out. */
int bl_snippet_make(const bl_xmset *ms, const char *text, char **out, bl_error *err);

enum bl_snippet_style {
    BL_SNIPPET_PLAIN,   /* markers dropped */
    BL_SNIPPET_ANSI,    /* bold on a terminal */
    BL_SNIPPET_HTML     /* escaped, matches in <b> */
};

/* A new string: the marked snippet rendered in style (NULL when out of memory). */
char *bl_snippet_render(const char *marked, int style);

#endif
