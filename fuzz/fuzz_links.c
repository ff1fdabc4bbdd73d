/* blotter fuzzing: link discovery (crawler/links.h) in HTML pages, RSS and
 * Atom feeds, sitemaps and gzip data.
 *
 * The first byte picks the parser and the base URL; the rest is the body,
 * passed with its length and no NUL. Every URL handed to the callback must be
 * a non-empty http, https or file URL, as the header promises, and the
 * number of links stays within BL_LINKS_MAX.
 */
#include <stdio.h>

#include "fuzz_util.h"
#include "links.h"

static const char *const bases[] = {
    "https://www.example.gov/news/",
    "http://例子.中国/新闻/index.html?page=2",
    "file:///srv/site/index.html",
    "https://www.justice.gov/opa/pr",
};

typedef struct link_count {
    size_t n;
} link_count;

static int on_link(void *ctx, const char *url, int hint)
{
    link_count *c = ctx;
    if (!url || (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0 &&
                 strncmp(url, "file:", 5) != 0)) {
        fprintf(stderr, "link with a scheme that should have been dropped: %s\n",
                url ? url : "(null)");
        abort();
    }
    if (hint != BL_LINK_PAGE && hint != BL_LINK_SITEMAP)
        abort();
    if (++c->n > BL_LINKS_MAX) {
        fprintf(stderr, "more than BL_LINKS_MAX links\n");
        abort();
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > FUZZ_MAX_INPUT)
        return 0;
    unsigned sel = data[0];
    const char *base = bases[(sel >> 2) % (sizeof bases / sizeof bases[0])];
    size_t len = size - 1;
    char *body = malloc(len ? len : 1);
    if (!body)
        return 0;
    if (len)
        memcpy(body, data + 1, len);
    link_count c = {0};
    bl_error err = {0};
    switch (sel & 3) {
    case 0:
        (void)bl_links_html(body, len, base, on_link, &c, &err);
        break;
    case 1:
        (void)bl_links_feed(body, len, base, on_link, &c, &err);
        break;
    case 2:
        (void)bl_links_sitemap(body, len, base, on_link, &c, &err);
        break;
    default: {
        char *out = NULL;
        size_t out_len = 0;
        if (bl_gunzip(body, len, 4u * 1024u * 1024u, &out, &out_len, &err) == 0) {
            if (out_len > 4u * 1024u * 1024u)
                abort();
            (void)bl_links_sitemap(out, out_len, base, on_link, &c, &err);
        }
        free(out);
        break;
    }
    }
    free(body);
    return 0;
}
