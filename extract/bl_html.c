/* blotter: HTML to blocks and metadata (see bl_html.h).
 *
 * Two walks over the libxml2 tree. The first reads metadata from the whole
 * page, furniture included, because the date and title often sit in a page
 * header the second walk drops. The second turns the remaining elements into
 * blocks: every block-level element (and <br>) closes the text gathered so
 * far, and text inside <a> is counted as link text, which is what tells a
 * list of links from a paragraph.
 */
#include "bl_html.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#include "bl_buf.h"

static const char *const skipped_tags[] = {
    "script", "style", "noscript", "iframe", "template", "svg", "math", "nav", "header", "footer",
    "aside", "select", "textarea", "input", "object", "embed", "canvas", "map", "audio", "video",
    "head", "title", "link", "meta", "frameset", "frame", "dialog", "menu", NULL};
/* Not skipped although never content: <form> (ASP.NET pages wrap the whole
 * body in one) and <button>/<label> (an unclosed "<button />" swallows the
 * rest of the page in the parser's tree). */

static const char *const block_tags[] = {
    "address", "article", "blockquote", "body", "center", "dd", "details", "dir", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hgroup", "hr", "html",
    "li", "main", "ol", "p", "pre", "section", "table", "tbody", "thead", "tfoot", "tr", "td", "th",
    "ul", "caption", "summary", "img", NULL};

/* Class/id words of site furniture (matched as substrings, lower case). */
static const char *const furniture_words[] = {
    "sidebar", "footer", "breadcrumb", "navbar", "navigation", "menu", "share", "social", "related",
    "comment", "widget", "banner", "cookie", "advert", "sponsor", "promo", "popup", "modal",
    "subscribe", "newsletter", "copyright", "masthead", "toolbar", "pagination", "pager", "skip",
    "disqus", "gdpr", "recommend", "tuijian", "hotnews", "hot-news", "hot_news", "rank", "login",
    "topbar", "top-bar", "search", "header", "shoutbox", "sitemap", "qrcode", "ewm", NULL};

/* Whole class/id tokens of furniture too short to match as substrings. */
static const char *const furniture_tokens[] = {"nav", "ad", "ads", "tags", "tag", "share", "hot", "top",
                                               "foot", "head", "crumbs", "more", NULL};

/* Words that mark the article container itself. */
static const char *const content_words[] = {"article", "content", "main", "body", "entry", "post-",
                                            "story", "text", "detail", "zhengwen", NULL};

static int in_list(const char *name, const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        if (strcmp(name, list[i]) == 0)
            return 1;
    return 0;
}

static int has_word(const char *lower, const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        if (strstr(lower, list[i]))
            return 1;
    return 0;
}

static int has_token(const char *lower, const char *const *list)
{
    const char *p = lower;
    while (*p) {
        while (*p && !((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')))
            p++;
        const char *q = p;
        while (*q && ((*q >= 'a' && *q <= 'z') || (*q >= '0' && *q <= '9')))
            q++;
        if (q > p)
            for (size_t i = 0; list[i]; i++)
                if (strlen(list[i]) == (size_t)(q - p) && strncmp(p, list[i], (size_t)(q - p)) == 0)
                    return 1;
        p = q;
    }
    return 0;
}

/* class + " " + id, lower-cased, at most 255 bytes. */
static void class_and_id(xmlNode *n, char *out, size_t size)
{
    size_t len = 0;
    out[0] = '\0';
    const char *attrs[] = {"class", "id"};
    for (int a = 0; a < 2; a++) {
        xmlChar *v = xmlGetProp(n, (const xmlChar *)attrs[a]);
        if (!v)
            continue;
        for (const xmlChar *p = v; *p && len + 2 < size; p++)
            out[len++] = (char)((*p >= 'A' && *p <= 'Z') ? *p + 32 : *p);
        if (len + 2 < size)
            out[len++] = ' ';
        out[len] = '\0';
        xmlFree(v);
    }
}

static int attr_equals(xmlNode *n, const char *attr, const char *value)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)attr);
    int eq = v && strcasecmp((const char *)v, value) == 0;
    xmlFree(v);
    return eq;
}

static int is_hidden(xmlNode *n)
{
    if (xmlHasProp(n, (const xmlChar *)"hidden"))
        return 1;
    xmlChar *style = xmlGetProp(n, (const xmlChar *)"style");
    int hidden = 0;
    if (style) {
        char buf[256];
        size_t k = 0;
        for (const xmlChar *p = style; *p && k + 1 < sizeof buf; p++)
            if (*p != ' ')
                buf[k++] = (char)((*p >= 'A' && *p <= 'Z') ? *p + 32 : *p);
        buf[k] = '\0';
        hidden = strstr(buf, "display:none") || strstr(buf, "visibility:hidden");
        xmlFree(style);
    }
    return hidden;
}

static const char *tag(xmlNode *n)
{
    return n->name ? (const char *)n->name : "";
}

/* Tags whose text is never shown: skipped even by the lenient walk. */
static const char *const invisible_tags[] = {"script", "style", "noscript", "template", "svg", "math", "head",
                                             "title", "link", "meta", "iframe", "object", "embed", "canvas",
                                             "select", "textarea", "input", NULL};

/* Elements the content walk does not enter. lenient: only what is never
 * visible (used when the strict walk left almost nothing). */
static int is_furniture(xmlNode *n, int lenient)
{
    const char *t = tag(n);
    if (lenient)
        return in_list(t, invisible_tags);
    if (in_list(t, skipped_tags) || is_hidden(n))
        return 1;
    if (strcmp(t, "body") == 0 || strcmp(t, "html") == 0 || strcmp(t, "article") == 0 ||
        strcmp(t, "main") == 0 || strcmp(t, "p") == 0)
        return 0;
    if (attr_equals(n, "role", "navigation") || attr_equals(n, "role", "banner") ||
        attr_equals(n, "role", "contentinfo") || attr_equals(n, "role", "complementary"))
        return 1;
    char ci[256];
    class_and_id(n, ci, sizeof ci);
    if (!ci[0])
        return 0;
    if (!has_word(ci, furniture_words) && !has_token(ci, furniture_tokens))
        return 0;
    return !has_word(ci, content_words);
}

/* Appends the text of n's subtree (scripts and styles excluded) to b, up to
 * limit bytes; returns 0 when the text was longer than limit. */
static int subtree_text(xmlNode *root, bl_buf *b, size_t limit)
{
    xmlNode *n = root->children;
    while (n) {
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            size_t l = n->content ? strlen((const char *)n->content) : 0;
            if (b->len + l > limit) {
                bl_buf_add(b, (const char *)n->content, limit - b->len);
                return 0;
            }
            bl_buf_add(b, (const char *)n->content, l);
        }
        int enter = n->type == XML_ELEMENT_NODE && n->children && strcmp(tag(n), "script") != 0 &&
                    strcmp(tag(n), "style") != 0;
        if (n->type == XML_ELEMENT_NODE && (in_list(tag(n), block_tags) || strcmp(tag(n), "br") == 0))
            bl_buf_addc(b, ' ');
        if (enter) {
            n = n->children;
            continue;
        }
        while (n && n != root && !n->next)
            n = n->parent;
        if (!n || n == root)
            break;
        n = n->next;
    }
    return 1;
}

/* A malloc'd, whitespace-collapsed copy of n's text, or NULL. */
static char *text_of(xmlNode *n, size_t limit, int *too_long)
{
    bl_buf b = {0};
    int ok = subtree_text(n, &b, limit);
    if (too_long)
        *too_long = !ok;
    bl_blocks tmp = {0};
    if (b.p)
        bl_blocks_push(&tmp, b.p, b.len, 0, 0, 0, 0);
    bl_buf_free(&b);
    char *out = NULL;
    if (tmp.n)
        out = strdup(bl_block_text(&tmp, 0));
    bl_blocks_free(&tmp);
    return out;
}

static void set_once(char **field, const xmlChar *value)
{
    if (*field || !value || !*value)
        return;
    *field = strdup((const char *)value);
}

/* Meta names that carry the publication date, most specific first. */
static const char *const date_metas[] = {
    "article:published_time", "og:published_time", "og:article:published_time", "datepublished",
    "article.published", "publishdate", "publish-date", "publish_date", "pubdate", "publication_date",
    "citation_publication_date", "dc.date.issued", "dcterms.issued", "dc.date", "dcterms.date",
    "dcterms.created", "dc.date.created", "sailthru.date", "parsely-pub-date", "original-publish-date",
    "date", "firstpublishedtime", "weibo:article:create_at", "article:modified_time", NULL};

static void read_meta(xmlNode *n, bl_html_meta *m, int *date_rank)
{
    xmlChar *key = xmlGetProp(n, (const xmlChar *)"property");
    if (!key)
        key = xmlGetProp(n, (const xmlChar *)"name");
    if (!key)
        key = xmlGetProp(n, (const xmlChar *)"itemprop");
    if (!key)
        key = xmlGetProp(n, (const xmlChar *)"http-equiv");
    xmlChar *content = xmlGetProp(n, (const xmlChar *)"content");
    if (!content)
        content = xmlGetProp(n, (const xmlChar *)"datetime");
    if (key && content) {
        const char *k = (const char *)key;
        if (strcasecmp(k, "og:title") == 0 || strcasecmp(k, "twitter:title") == 0)
            set_once(&m->og_title, content);
        else if (strcasecmp(k, "og:site_name") == 0)
            set_once(&m->site_name, content);
        else if (strcasecmp(k, "og:url") == 0)
            set_once(&m->canonical, content);
        for (int r = 0; date_metas[r]; r++) {
            if (strcasecmp(k, date_metas[r]) == 0 && r < *date_rank) {
                free(m->meta_date);
                m->meta_date = strdup((const char *)content);
                *date_rank = r;
            }
        }
    }
    xmlFree(key);
    xmlFree(content);
}

static void add_date_text(bl_html_meta *m, xmlNode *n, int *count)
{
    if (*count >= 8)
        return;
    int too_long = 0;
    char *t = text_of(n, 200, &too_long);
    if (t && !too_long && t[0]) {
        size_t old = m->date_texts ? strlen(m->date_texts) : 0;
        char *nt = realloc(m->date_texts, old + strlen(t) + 2);
        if (nt) {
            if (old)
                nt[old++] = '\n';
            strcpy(nt + old, t);
            m->date_texts = nt;
            (*count)++;
        }
    }
    free(t);
}

static int names_a_date(xmlNode *n)
{
    char ci[256];
    class_and_id(n, ci, sizeof ci);
    return ci[0] && (strstr(ci, "date") || strstr(ci, "time") || strstr(ci, "publish") ||
                     strstr(ci, "posted") || strstr(ci, "byline") || strstr(ci, "info") ||
                     strstr(ci, "source") || strstr(ci, "meta"));
}

#define AFTER_H1_MAX 400

static void meta_walk(xmlNode *root, bl_html_meta *m)
{
    int date_rank = 1000, date_count = 0;
    bl_buf after = {0};
    int collecting = 0;
    xmlNode *n = root;
    while (n) {
        int enter = 0;
        if (n->type == XML_ELEMENT_NODE) {
            const char *t = tag(n);
            enter = strcmp(t, "script") != 0 && strcmp(t, "style") != 0;
            if (strcmp(t, "title") == 0 && !m->title) {
                m->title = text_of(n, 2000, NULL);
                enter = 0;
            } else if (strcmp(t, "meta") == 0) {
                read_meta(n, m, &date_rank);
            } else if (strcmp(t, "link") == 0 && attr_equals(n, "rel", "canonical")) {
                xmlChar *href = xmlGetProp(n, (const xmlChar *)"href");
                set_once(&m->canonical, href);
                xmlFree(href);
            } else if (strcmp(t, "time") == 0 && !m->time_date) {
                xmlChar *dt = xmlGetProp(n, (const xmlChar *)"datetime");
                if (dt)
                    set_once(&m->time_date, dt);
                else
                    m->time_date = text_of(n, 200, NULL);
                xmlFree(dt);
            } else if (strcmp(t, "h1") == 0 && m->n_h1 < BL_HTML_MAX_H1) {
                char *h = text_of(n, 2000, NULL);
                if (h) {
                    if (collecting) {
                        m->after_h1[m->n_h1 - 1] = bl_buf_take(&after, NULL);
                    }
                    m->h1[m->n_h1++] = h;
                    collecting = 1;
                }
                enter = 0;
            }
            if (enter && strcmp(t, "h1") != 0 && names_a_date(n)) {
                add_date_text(m, n, &date_count);
            }
        } else if (collecting && (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) &&
                   n->content) {
            size_t l = strlen((const char *)n->content);
            size_t room = AFTER_H1_MAX > after.len ? AFTER_H1_MAX - after.len : 0;
            bl_buf_add(&after, (const char *)n->content, l < room ? l : room);
            bl_buf_addc(&after, ' ');
            if (after.len >= AFTER_H1_MAX) {
                m->after_h1[m->n_h1 - 1] = bl_buf_take(&after, NULL);
                collecting = 0;
            }
        }
        if (enter && n->children) {
            n = n->children;
            continue;
        }
        while (n && n != root && !n->next)
            n = n->parent;
        if (!n || n == root)
            break;
        n = n->next;
    }
    if (collecting)
        m->after_h1[m->n_h1 - 1] = bl_buf_take(&after, NULL);
    bl_buf_free(&after);
}

/* The content walk's state: text gathered since the last block boundary. */
typedef struct walk {
    bl_blocks *blocks;
    bl_buf cur;
    size_t cur_links;
    int in_link;
    int heading;   /* level of the enclosing heading, 0 if none */
    int in_item;
    int after_br;  /* a <br> and nothing but blanks since */
} walk;

/* Only spaces, NBSP or ideographic spaces: what pages put between two <br>. */
static int blank(const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
            i++;
        } else if (i + 1 < len && (unsigned char)s[i] == 0xC2 && (unsigned char)s[i + 1] == 0xA0) {
            i += 2;
        } else if (i + 2 < len && memcmp(s + i, "\xe3\x80\x80", 3) == 0) {
            i += 3;
        } else {
            return 0;
        }
    }
    return 1;
}

static void flush(walk *w)
{
    if (w->cur.len) {
        int kind = w->heading ? BL_BLOCK_HEADING : w->in_item ? BL_BLOCK_ITEM : BL_BLOCK_PARA;
        bl_blocks_push(w->blocks, w->cur.p, w->cur.len, w->cur_links, kind, w->heading, 0);
    }
    if (w->cur.failed)
        w->blocks->failed = 1;
    w->cur.len = 0;
    if (w->cur.p)
        w->cur.p[0] = '\0';
    w->cur_links = 0;
}

static int heading_level(const char *t)
{
    return t[0] == 'h' && t[1] >= '1' && t[1] <= '6' && t[2] == '\0' ? t[1] - '0' : 0;
}

/* One <br> breaks a line inside a paragraph (a title wrapped in two); two
 * in a row, with only blanks between, end the paragraph. */
static void line_break(walk *w)
{
    if (w->after_br) {
        flush(w);
        w->after_br = 0;
        return;
    }
    bl_buf_addc(&w->cur, '\n');
    w->after_br = 1;
}

static void enter_element(walk *w, xmlNode *n)
{
    const char *t = tag(n);
    if (strcmp(t, "br") == 0) {
        line_break(w);
        return;
    }
    w->after_br = 0;
    if (in_list(t, block_tags))
        flush(w);
    if (strcmp(t, "a") == 0)
        w->in_link++;
    int h = heading_level(t);
    if (h)
        w->heading = h;
    if (strcmp(t, "li") == 0)
        w->in_item++;
}

static void leave_element(walk *w, xmlNode *n)
{
    const char *t = tag(n);
    if (in_list(t, block_tags))
        flush(w);
    if (strcmp(t, "a") == 0 && w->in_link)
        w->in_link--;
    if (heading_level(t))
        w->heading = 0;
    if (strcmp(t, "li") == 0 && w->in_item)
        w->in_item--;
}

static void content_walk(xmlNode *root, bl_blocks *blocks, int lenient)
{
    walk w = {.blocks = blocks};
    xmlNode *n = root;
    while (n && !blocks->failed) {
        int enter = 0;
        if (n->type == XML_ELEMENT_NODE) {
            if (!is_furniture(n, lenient)) {
                enter_element(&w, n);
                enter = 1;
            }
        } else if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) && n->content) {
            size_t l = strlen((const char *)n->content);
            bl_buf_add(&w.cur, (const char *)n->content, l);
            if (w.in_link)
                w.cur_links += l;
            if (w.after_br && !blank((const char *)n->content, l))
                w.after_br = 0;
        }
        if (enter && n->children) {
            n = n->children;
            continue;
        }
        if (enter)
            leave_element(&w, n);
        while (n && n != root && !n->next) {
            n = n->parent;
            if (n)
                leave_element(&w, n);
        }
        if (!n || n == root)
            break;
        n = n->next;
    }
    flush(&w);
    bl_buf_free(&w.cur);
}

#define LENIENT_BELOW_WORDS 60

static size_t words_in(const bl_blocks *bs)
{
    size_t w = 0;
    for (size_t i = 0; i < bs->n; i++)
        if (bs->v[i].link_len * 2 < bs->v[i].len)
            w += bl_text_words(bl_block_text(bs, i), bs->v[i].len, NULL, NULL);
    return w;
}

static void silent(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

static pthread_once_t libxml_once = PTHREAD_ONCE_INIT;

static void libxml_init(void)
{
    xmlInitParser(); /* once, before any thread parses (libxml2's rule) */
}

int bl_html_parse(const char *utf8, size_t len, bl_blocks *blocks, bl_html_meta *meta, bl_error *err)
{
    memset(meta, 0, sizeof *meta);
    pthread_once(&libxml_once, libxml_init);
    if (len > (size_t)0x7FFFFFFF)
        return bl_error_set(err, BL_ETOOBIG, "page of %zu bytes is too big to parse", len);
    /* libxml2 keeps its error handlers per thread; ours prints nothing. */
    xmlSetGenericErrorFunc(NULL, silent);
    xmlSetStructuredErrorFunc(NULL, NULL);
    int opts = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
               HTML_PARSE_IGNORE_ENC | HTML_PARSE_NODEFDTD | XML_PARSE_HUGE;
    htmlDocPtr doc = htmlReadMemory(utf8, (int)len, NULL, "UTF-8", opts);
    if (!doc)
        return 0; /* nothing parseable (e.g. empty): no blocks, not an error */
    /* Broken pages can leave more than one top-level element (a second
     * <html> after the first): walk them all. */
    for (xmlNode *top = doc->children; top; top = top->next)
        if (top->type == XML_ELEMENT_NODE)
            meta_walk(top, meta);
    for (xmlNode *top = doc->children; top; top = top->next)
        if (top->type == XML_ELEMENT_NODE)
            content_walk(top, blocks, 0);
    /* A page whose article sits in a container named like furniture (or an
     * unclosed <header> that swallowed the page) leaves next to nothing:
     * walk again skipping only what is never shown, and keep the richer
     * result. Scoring still drops the menus and lists that come back. */
    if (!blocks->failed && words_in(blocks) < LENIENT_BELOW_WORDS) {
        bl_blocks lenient = {0};
        for (xmlNode *top = doc->children; top; top = top->next)
            if (top->type == XML_ELEMENT_NODE)
                content_walk(top, &lenient, 1);
        if (lenient.failed)
            blocks->failed = 1;
        else if (words_in(&lenient) > 2 * words_in(blocks) + LENIENT_BELOW_WORDS / 2) {
            bl_blocks_free(blocks);
            *blocks = lenient;
            lenient = (bl_blocks){0};
        }
        bl_blocks_free(&lenient);
    }
    xmlFreeDoc(doc);
    if (blocks->failed)
        return bl_error_set(err, BL_ENOMEM, "out of memory extracting text from HTML");
    return 0;
}

void bl_html_meta_free(bl_html_meta *m)
{
    if (!m)
        return;
    free(m->title);
    free(m->og_title);
    free(m->site_name);
    free(m->meta_date);
    free(m->time_date);
    free(m->date_texts);
    free(m->canonical);
    for (size_t i = 0; i < m->n_h1; i++) {
        free(m->h1[i]);
        free(m->after_h1[i]);
    }
    memset(m, 0, sizeof *m);
}

int bl_html_sniff(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
        i++;
    if (i + 3 <= len && (unsigned char)s[i] == 0xEF && (unsigned char)s[i + 1] == 0xBB)
        i += 3;
    if (i + 1 < len && s[i] == '<' &&
        ((s[i + 1] >= 'a' && s[i + 1] <= 'z') || (s[i + 1] >= 'A' && s[i + 1] <= 'Z') ||
         s[i + 1] == '!' || s[i + 1] == '?'))
        return 1;
    static const char *const tags[] = {"<html", "<body", "<p>", "<p ", "<div", "<br", "</p>", "<head",
                                       "<span", "<table", NULL};
    size_t n = len < 4096 ? len : 4096, hits = 0;
    for (size_t k = 0; tags[k]; k++)
        for (size_t j = 0; j + strlen(tags[k]) <= n; j++)
            if (strncasecmp(s + j, tags[k], strlen(tags[k])) == 0) {
                hits++;
                break;
            }
    return hits >= 2;
}
