/* blotter: URL resolution and normalisation through libcurl's URL API.
 *
 * A normalised URL is absolute, http, https or file, with the scheme and
 * host in lower case, no default port, no fragment, "." and ".." segments
 * removed, and spaces percent-encoded: two links to the same page give the
 * same string, which is the page's key in the crawl state and the index.
 *
 * Ownership: returned strings are malloc'd; the caller frees them.
 */
#ifndef BL_URL_NORM_H
#define BL_URL_NORM_H

#include "bl_error.h"

#define BL_URL_MAX 4096

/* Resolves href against base (base may be NULL when href is absolute) and
 * normalises. BL_EINVAL for a malformed URL, an unsupported scheme
 * (mailto:, javascript:, ftp:, ...) or one longer than BL_URL_MAX. */
int bl_url_resolve(const char *base, const char *href, char **out, bl_error *err);

/* "scheme://host:port" of an http(s) URL: the unit of politeness and of
 * robots.txt. NULL for file URLs, bad URLs, or when out of memory. */
char *bl_url_origin(const char *url);

/* The path and query of a URL ("/a/b?x=1"), as robots.txt rules see it;
 * NULL on error. */
char *bl_url_path_query(const char *url);

/* 1 for file:// URLs. */
int bl_url_is_file(const char *url);

#endif
