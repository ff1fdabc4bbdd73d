/* blotter: raw bytes to a bulletin record (see bl_extract.h).
 *
 * The pipeline: charset to UTF-8 (bl_charset), markup or text to blocks
 * (bl_html, bl_blocks), the main run of blocks (bl_blocks_main), then the
 * fields, each from the most trustworthy evidence first:
 *   title   hint; <h1> that is part of <title>; og:title; <title> without the
 *           site name; for text, a short first line.
 *   date    hint; published-date meta; a date in the URL; the line under the
 *           headline; the dateline opening the text; <time>; elements named
 *           "date"; date lines just above the text. A date in the body of a
 *           release ("On June 25, 2006, ...") is an event, never the
 *           publication date. A yearless dateline takes its year from other
 *           dates on the page or in the URL, else the date stays unknown.
 *   agency  hint; first mention in the title, the lead, the site name, the
 *           rest of the text (bl_agency, data/agencies.txt).
 *   lang    hint; by script (bl_lang).
 * Facts and campaigns come from bl_facts on the final text (its first MiB)
 * and language.
 */
#include "bl_extract.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bl_agency.h"
#include "bl_blocks.h"
#include "bl_charset.h"
#include "bl_date.h"
#include "bl_html.h"
#include "bl_lang.h"
#include "bl_title.h"
#ifdef BL_HAVE_FACTS
#include "bl_facts.h"
#endif

/* How far the field finders look: datelines sit at the top, agencies are
 * named early; bounding these keeps a 50 MB page linear and fast. */
#define LEAD_BYTES 1500
#define AGENCY_SCAN_BYTES 65536
#define YEAR_SCAN_BYTES 65536
#define HEADER_LINES_BACK 15
#define FACTS_SCAN_BYTES (1u << 20)

typedef struct page {
    bl_blocks blocks;
    bl_main main;
    bl_html_meta meta;
    int is_html;
    char *site;     /* site name cut from the title */
} page;

/* A line that is mostly a date: "May 11, 2026", "Posted on: Mar 06, 2025",
 * "2019-10-23 10:35:26 来源：新浪新闻". */
static int date_line(const char *s, size_t len, bl_date *d)
{
    if (len > 100 || !bl_date_find(s, len, 0, d))
        return 0;
    return d->start <= 30;
}

/* Text before a date that is only a place or a label: "WASHINGTON, ",
 * "KABUL, Afghanistan (", "By Jane Doe | Posted on ", "新华社巴黎". A sentence
 * ("... stemming from a July 14, 2007, spill") has lower-case words, so at
 * most two are allowed ("Posted on"); ideographs at most twelve. */
static int label_prefix(const char *s, size_t len)
{
    size_t lower_words = 0, cjk = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 'a' && c <= 'z' && (i == 0 || s[i - 1] == ' ' || s[i - 1] == '(' || s[i - 1] == '-'))
            lower_words++;
        if (c >= 0xE3 && c <= 0xE9)
            cjk++;
        if (i + 3 <= len && memcmp(s + i, "\xe3\x80\x82", 3) == 0) /* 。 */
            return 0;
    }
    if (lower_words > 2 || cjk > 12)
        return 0;
    /* "WASHINGTON – On Jan. 19, 2009, the President ..." starts a sentence
     * about an event: a preposition right before the date rules it out. */
    static const char *const preps[] = {"on", "in", "since", "by", "from", "until", "after", "before",
                                        "of", "as", "to", "through", "during", NULL};
    size_t e = len;
    while (e > 0 && s[e - 1] == ' ')
        e--;
    size_t b = e;
    while (b > 0 && s[b - 1] != ' ' && s[b - 1] != '(')
        b--;
    for (size_t i = 0; preps[i]; i++)
        if (strlen(preps[i]) == e - b && strncasecmp(s + b, preps[i], e - b) == 0)
            return 0;
    return 1;
}

/* The dateline opening a release: "WASHINGTON, May 16, 2013 –",
 * "KABUL, Afghanistan (Jan. 25, 2013) –", "中新网北京7月7日电". */
static int dateline(const char *s, size_t len, int flags, bl_date *d)
{
    size_t n = len < 200 ? len : 200;
    return bl_date_find(s, n, flags, d) && d->start <= 120 && label_prefix(s, d->start);
}

static int set_date(bl_record *rec, const bl_date *d)
{
    char out[11];
    bl_date_format(d, out);
    return bl_record_set(&rec->date, out, 10);
}

/* A year for a yearless dateline: from the URL, then the first full date in
 * the page's header texts or text. 0 when there is no evidence. */
static int evidence_year(const page *pg, const bl_extract_input *in)
{
    char tmp[11];
    int year = 0;
    if (in->url && bl_date_from_url(in->url, tmp, &year))
        return atoi(tmp);
    if (year)
        return year;
    bl_date d;
    const char *texts[] = {pg->meta.meta_date, pg->meta.time_date, pg->meta.date_texts};
    for (size_t i = 0; i < 3; i++)
        if (texts[i] && bl_date_find(texts[i], strlen(texts[i]), BL_DATE_COMPACT, &d))
            return d.year;
    size_t scanned = 0;
    for (size_t i = 0; i < pg->blocks.n && scanned < YEAR_SCAN_BYTES; i++) {
        scanned += pg->blocks.v[i].len;
        if (bl_date_find(bl_block_text(&pg->blocks, i), pg->blocks.v[i].len, 0, &d))
            return d.year;
    }
    return 0;
}

/* The <h1> used as headline: one that occurs in <title>, else the first. */
static size_t headline_index(const bl_html_meta *m)
{
    for (size_t i = 0; i < m->n_h1; i++)
        if (m->title && m->h1[i] && strlen(m->h1[i]) >= 4 && strstr(m->title, m->h1[i]))
            return i;
    return 0;
}

static int find_date(const page *pg, const bl_extract_input *in, bl_record *rec)
{
    char iso[11];
    bl_date d;
    if (in->date_hint && bl_date_parse_value(in->date_hint, iso))
        return bl_record_set(&rec->date, iso, 10);
    if (pg->meta.meta_date && bl_date_parse_value(pg->meta.meta_date, iso))
        return bl_record_set(&rec->date, iso, 10);
    if (in->url && bl_date_from_url(in->url, iso, NULL))
        return bl_record_set(&rec->date, iso, 10);
    if (pg->meta.n_h1) {
        const char *after = pg->meta.after_h1[headline_index(&pg->meta)];
        if (after && bl_date_find(after, strlen(after) < 300 ? strlen(after) : 300, 0, &d) && d.start < 200 &&
            label_prefix(after, d.start))
            return set_date(rec, &d);
    }
    const bl_blocks *bs = &pg->blocks;
    int have_main = pg->main.first <= pg->main.last;
    if (have_main) {
        size_t f = pg->main.first;
        if (dateline(bl_block_text(bs, f), bs->v[f].len, 0, &d))
            return set_date(rec, &d);
    }
    if (pg->meta.time_date && bl_date_parse_value(pg->meta.time_date, iso))
        return bl_record_set(&rec->date, iso, 10);
    if (pg->meta.date_texts && bl_date_find(pg->meta.date_texts, strlen(pg->meta.date_texts), 0, &d))
        return set_date(rec, &d);
    /* Date lines just above the text, nearest first, not across a list
     * heading (the dates of a "More News" list are not this release's). */
    size_t top = have_main ? pg->main.first : (bs->n < HEADER_LINES_BACK ? bs->n : HEADER_LINES_BACK);
    for (size_t k = 0; k < HEADER_LINES_BACK && k < top; k++) {
        size_t i = top - 1 - k;
        const char *s = bl_block_text(bs, i);
        if (bl_line_is_barrier(s, bs->v[i].len))
            break;
        if (date_line(s, bs->v[i].len, &d))
            return set_date(rec, &d);
    }
    /* A yearless dateline ("China News Service, July 7th", "中新网7月7日电"). */
    if (have_main && dateline(bl_block_text(bs, pg->main.first), bs->v[pg->main.first].len,
                              BL_DATE_YEARLESS, &d)) {
        int year = evidence_year(pg, in);
        if (year && bl_date_valid(year, d.month, d.day)) {
            d.year = year;
            return set_date(rec, &d);
        }
    }
    return 0;
}

/* Text input: a short first line that reads as a headline. */
static char *text_title(const page *pg)
{
    const bl_blocks *bs = &pg->blocks;
    size_t limit = pg->main.first <= pg->main.last ? pg->main.first : bs->n;
    if (limit == 0 && bs->n)
        limit = 1;
    for (size_t i = 0; i < limit && i < 8; i++) {
        const char *s = bl_block_text(bs, i);
        size_t len = bs->v[i].len, words = bl_text_words(s, len, NULL, NULL);
        bl_date d;
        if (bl_line_is_boilerplate(s, len) || bl_line_is_barrier(s, len) || date_line(s, len, &d))
            continue;
        if (words < 2 || words > 80 || len > 600 || s[len - 1] == '.' || (i == 0 && pg->main.first == 0 && words > 25))
            return NULL;
        return bl_title_strip_site(s, NULL);
    }
    return NULL;
}

/* A page without <title>, og:title or <h1> (a body fragment): the heading-
 * like line nearest above the text, skipping date and furniture lines. */
static char *nearest_heading(const page *pg)
{
    const bl_blocks *bs = &pg->blocks;
    if (pg->main.first > pg->main.last)
        return NULL;
    for (size_t k = 0; k < 5 && k < pg->main.first; k++) {
        size_t i = pg->main.first - 1 - k;
        const char *s = bl_block_text(bs, i);
        size_t len = bs->v[i].len, words = bl_text_words(s, len, NULL, NULL);
        bl_date d;
        if (bl_line_is_boilerplate(s, len) || date_line(s, len, &d) || bs->v[i].link_len * 2 > len)
            continue;
        if (bl_line_is_barrier(s, len) || words < 2 || words > 40 || s[len - 1] == '.')
            return NULL;
        return strdup(s);
    }
    return NULL;
}

static int find_agency(const page *pg, const bl_extract_input *in, bl_record *rec)
{
    if (in->agency_hint && in->agency_hint[0])
        return bl_record_set(&rec->agency, in->agency_hint, (size_t)-1);
    const bl_agencies *tab = bl_agencies_default();
    char *name = NULL;
    if (rec->title)
        name = bl_agency_find(tab, rec->title, strlen(rec->title));
    const char *text = pg->main.text;
    size_t len = pg->main.text_len;
    if (!name && text)
        name = bl_agency_find(tab, text, len < LEAD_BYTES ? len : LEAD_BYTES);
    if (!name && pg->site)
        name = bl_agency_find(tab, pg->site, strlen(pg->site));
    if (!name && pg->meta.site_name)
        name = bl_agency_find(tab, pg->meta.site_name, strlen(pg->meta.site_name));
    if (!name && text)
        name = bl_agency_find(tab, text, len < AGENCY_SCAN_BYTES ? len : AGENCY_SCAN_BYTES);
    int rc = name ? bl_record_set(&rec->agency, name, (size_t)-1) : 0;
    free(name);
    return rc;
}

static int find_facts(bl_record *rec, bl_error *err)
{
#ifdef BL_HAVE_FACTS
    if (!rec->text || !rec->text[0])
        return 0;
    bl_error lex_err = {0};
    const bl_lexicon *lex = bl_lexicon_default(&lex_err);
    if (!lex)
        return 0; /* no lexicon: a record without facts, not a failure */
    const char *lang = rec->lang && strcmp(rec->lang, "und") != 0 ? rec->lang : NULL;
    /* Facts are looked for in the first FACTS_SCAN_BYTES of the text (cut at
     * a character boundary): real bulletins are far shorter, and a huge
     * page must not turn into a million facts. */
    size_t len = strlen(rec->text);
    if (len > FACTS_SCAN_BYTES) {
        len = FACTS_SCAN_BYTES;
        while (len > 0 && ((unsigned char)rec->text[len] & 0xC0) == 0x80)
            len--;
    }
    bl_error ferr = {0};
    int rc = bl_facts_find(lex, rec->text, len, lang, rec, &ferr);
    if (rc == 0)
        rc = bl_campaigns_find(lex, rec->text, len, lang, rec, &ferr);
    if (rc == BL_ENOMEM)
        return bl_error_set(err, BL_ENOMEM, "%s", ferr.msg);
#else
    (void)rec;
    (void)err;
#endif
    return 0;
}

static void page_free(page *pg)
{
    bl_blocks_free(&pg->blocks);
    free(pg->main.text);
    bl_html_meta_free(&pg->meta);
    free(pg->site);
}

int bl_extract(const bl_extract_input *in, bl_record **out, bl_error *err)
{
    int rc = 0;
    char *utf8 = NULL;
    size_t utf8_len = 0;
    page pg = {0};
    bl_record *rec = NULL;
    if (!out)
        return bl_error_set(err, BL_EINVAL, "no output record");
    *out = NULL;
    if (!in || (!in->bytes && in->len))
        return bl_error_set(err, BL_EINVAL, "no input");
    if (in->len > BL_EXTRACT_MAX_INPUT)
        return bl_error_set(err, BL_ETOOBIG, "input of %zu bytes is over the %u byte limit", in->len,
                            BL_EXTRACT_MAX_INPUT);

    const char *bytes = in->bytes ? in->bytes : "";
    int kind = in->kind;
    if (kind == BL_CONTENT_AUTO)
        kind = bl_html_sniff(bytes, in->len) ? BL_CONTENT_HTML : BL_CONTENT_TEXT;
    /* Valid UTF-8 (the usual case) is read in place rather than copied:
     * one copy less of a large page. */
    const char *text = bytes;
    size_t text_len = in->len;
    if (bl_looks_binary(bytes, in->len) || !bl_utf8_valid(bytes, in->len)) {
        rc = bl_to_utf8(bytes, in->len, in->charset_hint, kind == BL_CONTENT_HTML, &utf8, &utf8_len, NULL, 0,
                        err);
        if (rc)
            goto done;
        text = utf8;
        text_len = utf8_len;
    }
    if (in->kind == BL_CONTENT_AUTO && kind == BL_CONTENT_TEXT && bl_html_sniff(text, text_len))
        kind = BL_CONTENT_HTML; /* UTF-16 markup shows only after conversion */
    pg.is_html = kind == BL_CONTENT_HTML;

    if (pg.is_html)
        rc = bl_html_parse(text, text_len, &pg.blocks, &pg.meta, err);
    else
        bl_text_to_blocks(text, text_len, &pg.blocks);
    if (rc)
        goto done;
    if (pg.blocks.failed) {
        rc = bl_error_set(err, BL_ENOMEM, "out of memory splitting text");
        goto done;
    }
    free(utf8);
    utf8 = NULL;
    rc = bl_blocks_main(&pg.blocks, !pg.is_html, &pg.main);
    if (rc) {
        rc = bl_error_set(err, rc, "out of memory choosing the main text");
        goto done;
    }

    rec = bl_record_new();
    if (!rec) {
        rc = bl_error_set(err, BL_ENOMEM, "out of memory");
        goto done;
    }
    /* A page read from disk names its own address: its canonical URL. */
    const char *url = in->url;
    if (!url && pg.is_html && pg.meta.canonical &&
        (strncmp(pg.meta.canonical, "http://", 7) == 0 || strncmp(pg.meta.canonical, "https://", 8) == 0))
        url = pg.meta.canonical;
    if (url && bl_record_set(&rec->url, url, (size_t)-1)) {
        rc = bl_error_set(err, BL_ENOMEM, "out of memory");
        goto done;
    }

    char *title = NULL;
    if (in->title_hint && in->title_hint[0])
        title = strdup(in->title_hint);
    else if (pg.is_html) {
        title = bl_title_choose(pg.meta.title, pg.meta.og_title, (const char *const *)pg.meta.h1, pg.meta.n_h1);
        if (!title)
            title = nearest_heading(&pg);
    }
    else
        title = text_title(&pg);
    if (pg.is_html && pg.meta.title) {
        char *stripped = bl_title_strip_site(pg.meta.title, &pg.site);
        free(stripped);
    } else if (!pg.is_html && pg.blocks.n) {
        char *stripped = bl_title_strip_site(bl_block_text(&pg.blocks, 0), &pg.site);
        free(stripped);
    }
    rc = bl_record_set(&rec->title, title, (size_t)-1);
    free(title);
    if (rc == 0)
        rc = find_date(&pg, in, rec);
    if (rc == 0)
        rc = bl_record_set(&rec->lang,
                           in->lang_hint && in->lang_hint[0] ? in->lang_hint
                                                             : bl_lang_detect(pg.main.text, pg.main.text_len),
                           (size_t)-1);
    if (rc == 0 && !(in->lang_hint && in->lang_hint[0]) && strcmp(rec->lang, "und") == 0 && rec->title)
        rc = bl_record_set(&rec->lang, bl_lang_detect(rec->title, strlen(rec->title)), (size_t)-1);
    if (rc == 0)
        rc = find_agency(&pg, in, rec);
    /* The blocks are no longer needed: free them before copying the text,
     * so a huge page is not held three times over. */
    bl_blocks_free(&pg.blocks);
    if (rc == 0)
        rc = bl_record_set(&rec->text, pg.main.text, pg.main.text_len);
    free(pg.main.text);
    pg.main.text = NULL;
    if (rc) {
        rc = bl_error_set(err, BL_ENOMEM, "out of memory");
        goto done;
    }
    rc = find_facts(rec, err);
done:
    free(utf8);
    page_free(&pg);
    if (rc) {
        bl_record_free(rec);
        return rc;
    }
    *out = rec;
    return 0;
}
