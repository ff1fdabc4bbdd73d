/* blotter: finding the links a fetched page leads to.
 *
 * HTML (libxml2's HTML parser): <a href>, <area href>, <link rel=next href>,
 * resolved against <base href> when there is one, else the page URL.
 * RSS 2.0 and Atom (libxml2's XML parser, no network, no entity
 * substitution): <link>text</link> and <link href> (rel absent or
 * "alternate"). Sitemaps: <urlset><url><loc> are pages, <sitemapindex>
 * <sitemap><loc> are further sitemaps; a gzip-compressed sitemap is inflated
 * up to BL_SITEMAP_MAX_SIZE (the sitemaps protocol's 50 MB).
 *
 * Every URL reaches fn resolved and normalised (url_norm.h); links that do
 * not resolve to http, https or file URLs are dropped. At most
 * BL_LINKS_MAX links are reported per document.
 */
#ifndef BL_LINKS_H
#define BL_LINKS_H

#include <stddef.h>

#include "bl_error.h"

#define BL_SITEMAP_MAX_SIZE (50u * 1024u * 1024u)
#define BL_LINKS_MAX 100000

enum bl_link_hint {
    BL_LINK_PAGE = 0,     /* a page (listing or bulletin: scope decides) */
    BL_LINK_SITEMAP = 1   /* a sitemap listed in a sitemap index */
};

/* fn returns non-zero to stop early (that value is returned). */
typedef int (*bl_link_fn)(void *ctx, const char *url, int hint);

int bl_links_html(const char *body, size_t len, const char *base_url, bl_link_fn fn, void *ctx,
                  bl_error *err);
int bl_links_feed(const char *body, size_t len, const char *base_url, bl_link_fn fn, void *ctx,
                  bl_error *err);
int bl_links_sitemap(const char *body, size_t len, const char *base_url, bl_link_fn fn, void *ctx,
                     bl_error *err);

/* Inflates gzip data into a new buffer of at most max bytes (BL_ETOOBIG over
 * it, BL_ECORRUPT for bad data). Concatenated members are read in turn. */
int bl_gunzip(const char *in, size_t len, size_t max, char **out, size_t *out_len, bl_error *err);

#endif
