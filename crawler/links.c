/* blotter: link discovery (see links.h). */
#include "links.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <zlib.h>

#include "url_norm.h"

typedef struct walker {
    const char *base;
    bl_link_fn fn;
    void *ctx;
    unsigned long count;
    int stop;   /* fn's non-zero return */
} walker;

static void emit(walker *w, const char *href, int hint)
{
    if (w->stop || !href || w->count >= BL_LINKS_MAX)
        return;
    char *url = NULL;
    if (bl_url_resolve(w->base, href, &url, NULL) == 0) {
        w->count++;
        w->stop = w->fn(w->ctx, url, hint);
    }
    free(url);
}

static int name_is(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && n->name && !strcasecmp((const char *)n->name, name);
}

static char *attr(const xmlNode *n, const char *name)
{
    return (char *)xmlGetProp(n, (const xmlChar *)name);
}

/* Iterative pre-order walk: deep documents cannot overflow the stack. */
#define WALK(root, node) \
    for (xmlNode *node = (root); node; node = next_node(node, (root)))

static xmlNode *next_node(xmlNode *n, xmlNode *root)
{
    if (n->children && n->type == XML_ELEMENT_NODE)
        return n->children;
    while (n && n != root) {
        if (n->next)
            return n->next;
        n = n->parent;
    }
    return NULL;
}

static int rel_has(const char *rel, const char *word)
{
    if (!rel)
        return 0;
    size_t wl = strlen(word);
    for (const char *p = rel; *p;) {
        while (*p == ' ' || *p == '\t')
            p++;
        size_t n = strcspn(p, " \t");
        if (n == wl && !strncasecmp(p, word, n))
            return 1;
        p += n;
    }
    return 0;
}

int bl_links_html(const char *body, size_t len, const char *base_url, bl_link_fn fn, void *ctx,
                  bl_error *err)
{
    if (len > (size_t)INT32_MAX)
        return bl_error_set(err, BL_ETOOBIG, "page too large to parse");
    htmlDocPtr doc = htmlReadMemory(body, (int)len, base_url, NULL,
                                    HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                        HTML_PARSE_NONET | HTML_PARSE_COMPACT);
    if (!doc)
        return 0; /* nothing parseable: no links */
    xmlNode *root = xmlDocGetRootElement(doc);
    char *base = NULL;
    walker w = {base_url, fn, ctx, 0, 0};
    if (root) {
        WALK(root, n) {
            if (name_is(n, "base") && !base) {
                char *href = attr(n, "href");
                if (href && bl_url_resolve(base_url, href, &base, NULL) == 0)
                    w.base = base;
                xmlFree(href);
            }
        }
        WALK(root, n) {
            if (w.stop)
                break;
            if (name_is(n, "a") || name_is(n, "area")) {
                char *href = attr(n, "href");
                emit(&w, href, BL_LINK_PAGE);
                xmlFree(href);
            } else if (name_is(n, "link")) {
                char *rel = attr(n, "rel");
                if (rel_has(rel, "next")) {
                    char *href = attr(n, "href");
                    emit(&w, href, BL_LINK_PAGE);
                    xmlFree(href);
                }
                xmlFree(rel);
            }
        }
    }
    free(base);
    xmlFreeDoc(doc);
    return w.stop;
}

static xmlDocPtr read_xml(const char *body, size_t len, const char *base_url)
{
    if (len > (size_t)INT32_MAX)
        return NULL;
    return xmlReadMemory(body, (int)len, base_url, NULL,
                         XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                             XML_PARSE_RECOVER | XML_PARSE_NOCDATA);
}

static int local_name_is(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && n->name && !strcmp((const char *)n->name, name);
}

int bl_links_feed(const char *body, size_t len, const char *base_url, bl_link_fn fn, void *ctx,
                  bl_error *err)
{
    xmlDocPtr doc = read_xml(body, len, base_url);
    if (!doc)
        return bl_error_set(err, BL_ECORRUPT, "%s: not an RSS or Atom feed", base_url);
    walker w = {base_url, fn, ctx, 0, 0};
    xmlNode *root = xmlDocGetRootElement(doc);
    if (root) {
        WALK(root, n) {
            if (w.stop)
                break;
            if (!local_name_is(n, "link"))
                continue;
            char *href = attr(n, "href");
            if (href) {
                char *rel = attr(n, "rel");
                if (!rel || !strcmp(rel, "alternate"))
                    emit(&w, href, BL_LINK_PAGE);
                xmlFree(rel);
            } else {
                char *text = (char *)xmlNodeGetContent(n);
                emit(&w, text, BL_LINK_PAGE);
                xmlFree(text);
            }
            xmlFree(href);
        }
    }
    xmlFreeDoc(doc);
    return w.stop;
}

int bl_gunzip(const char *in, size_t len, size_t max, char **out, size_t *out_len, bl_error *err)
{
    *out = NULL;
    *out_len = 0;
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, 15 + 16) != Z_OK)
        return bl_error_set(err, BL_ENOMEM, "out of memory");
    size_t cap = len * 4 + 1024 < max ? len * 4 + 1024 : max + 1;
    char *buf = malloc(cap + 1);
    int rc = 0;
    if (!buf) {
        rc = bl_error_set(err, BL_ENOMEM, "out of memory");
        goto done;
    }
    z.next_in = (unsigned char *)in;
    size_t in_left = len, used = 0;
    for (;;) {
        if (used == cap) {
            if (cap > max) {
                rc = bl_error_set(err, BL_ETOOBIG, "decompressed data over %zu bytes", max);
                goto done;
            }
            size_t ncap = cap * 2 > max + 1 ? max + 1 : cap * 2;
            char *nb = realloc(buf, ncap + 1);
            if (!nb) {
                rc = bl_error_set(err, BL_ENOMEM, "out of memory");
                goto done;
            }
            buf = nb;
            cap = ncap;
        }
        uInt take = in_left > (1u << 30) ? (1u << 30) : (uInt)in_left;
        z.avail_in += take;
        in_left -= take;
        z.next_out = (unsigned char *)buf + used;
        z.avail_out = (uInt)(cap - used);
        int zr = inflate(&z, Z_NO_FLUSH);
        used = cap - z.avail_out;
        if (used > max) {
            rc = bl_error_set(err, BL_ETOOBIG, "decompressed data over %zu bytes", max);
            goto done;
        }
        if (zr == Z_STREAM_END) {
            if (z.avail_in == 0 && in_left == 0)
                break;
            inflateReset(&z); /* another gzip member follows */
            continue;
        }
        if (zr == Z_BUF_ERROR && z.avail_in == 0 && in_left == 0) {
            rc = bl_error_set(err, BL_ECORRUPT, "compressed data ends early");
            goto done;
        }
        if (zr != Z_OK && zr != Z_BUF_ERROR) {
            rc = bl_error_set(err, BL_ECORRUPT, "bad compressed data");
            goto done;
        }
    }
    buf[used] = '\0';
    *out = buf;
    *out_len = used;
    buf = NULL;
done:
    free(buf);
    inflateEnd(&z);
    return rc;
}

int bl_links_sitemap(const char *body, size_t len, const char *base_url, bl_link_fn fn, void *ctx,
                     bl_error *err)
{
    char *plain = NULL;
    size_t plain_len = 0;
    int rc = 0;
    if (len >= 2 && (unsigned char)body[0] == 0x1f && (unsigned char)body[1] == 0x8b) {
        if ((rc = bl_gunzip(body, len, BL_SITEMAP_MAX_SIZE, &plain, &plain_len, err)))
            return rc;
        body = plain;
        len = plain_len;
    } else if (len > BL_SITEMAP_MAX_SIZE) {
        return bl_error_set(err, BL_ETOOBIG, "%s: sitemap over %u bytes", base_url,
                            BL_SITEMAP_MAX_SIZE);
    }
    xmlDocPtr doc = read_xml(body, len, base_url);
    xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
    int index = root && local_name_is(root, "sitemapindex");
    if (!root || (!index && !local_name_is(root, "urlset"))) {
        rc = bl_error_set(err, BL_ECORRUPT, "%s: not a sitemap (urlset or sitemapindex)", base_url);
        goto done;
    }
    walker w = {base_url, fn, ctx, 0, 0};
    WALK(root, n) {
        if (w.stop)
            break;
        if (!local_name_is(n, "loc") || !n->parent ||
            !local_name_is(n->parent, index ? "sitemap" : "url"))
            continue;
        char *text = (char *)xmlNodeGetContent(n);
        emit(&w, text, index ? BL_LINK_SITEMAP : BL_LINK_PAGE);
        xmlFree(text);
    }
    rc = w.stop;
done:
    xmlFreeDoc(doc);
    free(plain);
    return rc;
}
