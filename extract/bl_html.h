/* blotter: an HTML page (already UTF-8) to text blocks and page metadata.
 *
 * Parsing is libxml2's HTML parser in recovery mode, with its error output
 * silenced and the network off, so any byte soup gives some tree. The walk
 * is iterative (deeply nested markup cannot exhaust the stack). Elements that
 * are never content are skipped (script, style, nav, header, footer, aside,
 * noscript, iframe, template, svg, form fields, ...), and so are elements
 * whose class or id names site furniture (nav, menu, sidebar, footer,
 * breadcrumb, share, social, related, comment, widget, banner, cookie, ...)
 * unless they also say they are the article (content, article, main, body).
 * When that leaves almost no text, the page is walked again skipping only
 * what is never visible, and the richer result is kept. One <br> breaks a
 * line, two end a paragraph.
 *
 * Ownership: bl_html_meta owns its strings; free with bl_html_meta_free().
 */
#ifndef BL_HTML_H
#define BL_HTML_H

#include <stddef.h>

#include "bl_blocks.h"
#include "bl_error.h"

#define BL_HTML_MAX_H1 8

typedef struct bl_html_meta {
    char *title;        /* <title> */
    char *og_title;     /* og:title or twitter:title */
    char *site_name;    /* og:site_name */
    char *meta_date;    /* the most specific published-date meta content */
    char *time_date;    /* first <time datetime=...> (or its text) */
    char *date_texts;   /* texts of small elements whose class/id names a date, "\n"-joined */
    char *canonical;    /* <link rel=canonical> or og:url */
    char *h1[BL_HTML_MAX_H1];       /* <h1> texts in document order */
    char *after_h1[BL_HTML_MAX_H1]; /* the text following each <h1> (up to 400 bytes) */
    size_t n_h1;
} bl_html_meta;

/* Parses utf8[0..len) and appends its content blocks to *blocks. Fails only
 * on allocation failure. */
int bl_html_parse(const char *utf8, size_t len, bl_blocks *blocks, bl_html_meta *meta, bl_error *err);

void bl_html_meta_free(bl_html_meta *meta);

/* 1 when the bytes look like markup: a tag among the first non-blank bytes,
 * or several recognisable tags early on. */
int bl_html_sniff(const char *s, size_t len);

#endif
