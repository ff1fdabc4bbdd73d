/* blotter-eval-extract: how well bl_extract finds dates and main text on the
 * real corpora in /work/shared/corpus (or --corpus DIR).
 *
 * (a) Publication dates.
 *   DOJ fragments: each body fragment is wrapped in a page with a <title>
 *   (with the DOJ site suffix), navigation and a footer but no date meta tag
 *   and the release URL (which has no date), so only the dateline or the text
 *   can give the date; compared with releases.jsonl.
 *   cn-news-html-pages: the manifest carries no dates; titles are checked
 *   against it instead, and dates against the canonical URL where it has one
 *   (the URL itself is not passed to the extractor).
 *   County prosecutors: documents whose URL carries a date (/2016/03/09/),
 *   extracted from the text alone (no URL).
 *   Reported: right, wrong (a date, but not the expected one), unknown.
 * (b) Boilerplate, on the county texts: a line that occurs in more than 1%
 *   of its county's documents (and in at least 3) is boilerplate. Reported:
 *   the share of output paragraphs that are such lines, the share of the
 *   input's boilerplate occurrences removed, the share of input bytes kept,
 *   and the share of long input lines (20+ words, not boilerplate) kept.
 *   CCTV enforcement items: main-text recall against the corpus's plain text.
 *
 * Usage: blotter-eval-extract [--corpus DIR] [--verbose]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <zlib.h>

#include "bl_blocks.h"
#include "bl_buf.h"
#include "bl_date.h"
#include "bl_extract.h"

static int verbose;

typedef struct tally {
    int right, wrong, unknown;
    int earlier; /* wrong, but 1..60 days before the expected date */
} tally;

static long day_number(const char *iso)
{
    int y, m, d;
    if (sscanf(iso, "%d-%d-%d", &y, &m, &d) != 3)
        return 0;
    /* days from civil (proleptic Gregorian) */
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe;
}

static void tally_add(tally *t, const char *expected, const char *got, const char *id)
{
    if (!got) {
        t->unknown++;
        if (verbose)
            printf("  unknown %s (expected %s)\n", id, expected);
    } else if (strcmp(expected, got) == 0) {
        t->right++;
    } else {
        t->wrong++;
        long diff = day_number(expected) - day_number(got);
        if (diff >= 1 && diff <= 60)
            t->earlier++;
        if (verbose)
            printf("  WRONG   %s: got %s, expected %s\n", id, got, expected);
    }
}

static void tally_print(const char *name, const tally *t)
{
    int total = t->right + t->wrong + t->unknown;
    printf("%-34s %5d docs: right %5d (%.3f)  wrong %4d (%.3f)  unknown %5d  precision %.3f\n", name, total,
           t->right, total ? (double)t->right / total : 0.0, t->wrong, total ? (double)t->wrong / total : 0.0,
           t->unknown, t->right + t->wrong ? (double)t->right / (t->right + t->wrong) : 0.0);
    if (t->earlier)
        printf("%-34s of the wrong: %d are 1-60 days before the expected date\n", "", t->earlier);
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    bl_buf b = {0};
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        bl_buf_add(&b, chunk, n);
    fclose(f);
    return bl_buf_take(&b, len);
}

static char *read_gz(const char *path, size_t *len)
{
    gzFile g = gzopen(path, "rb");
    if (!g)
        return NULL;
    bl_buf b = {0};
    char chunk[65536];
    int n;
    while ((n = gzread(g, chunk, sizeof chunk)) > 0)
        bl_buf_add(&b, chunk, (size_t)n);
    gzclose(g);
    return bl_buf_take(&b, len);
}

static const char *jstr(json_object *o, const char *key)
{
    json_object *v;
    if (!json_object_object_get_ex(o, key, &v) || json_object_get_type(v) != json_type_string)
        return NULL;
    return json_object_get_string(v);
}

static bl_record *extract(const char *bytes, size_t len, int kind, const char *url)
{
    bl_extract_input in = {.bytes = bytes, .len = len, .kind = kind, .url = url};
    bl_record *rec = NULL;
    bl_error err = {0};
    if (bl_extract(&in, &rec, &err) != 0)
        fprintf(stderr, "extract failed: %s\n", err.msg);
    return rec;
}

/* Does the visible text of a fragment contain the date in a written form? */
static int fragment_has_date(const char *html, const char *iso)
{
    bl_record *rec = extract(html, strlen(html), BL_CONTENT_HTML, NULL);
    (void)rec;
    bl_record_free(rec);
    static const char *const months[] = {"January", "February", "March", "April", "May", "June", "July",
                                         "August", "September", "October", "November", "December"};
    int y, m, d;
    if (sscanf(iso, "%d-%d-%d", &y, &m, &d) != 3 || m < 1 || m > 12)
        return 0;
    char forms[2][64];
    snprintf(forms[0], sizeof forms[0], "%s %d, %d", months[m - 1], d, y);
    snprintf(forms[1], sizeof forms[1], "%.3s. %d, %d", months[m - 1], d, y);
    return strstr(html, forms[0]) || strstr(html, forms[1]);
}

static void eval_doj(const char *corpus)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/doj-press-html-fragments/releases.jsonl", corpus);
    size_t len;
    char *all = read_all(path, &len);
    if (!all) {
        printf("DOJ fragments: not found (%s)\n", path);
        return;
    }
    tally t = {0}, t_in_text = {0};
    for (char *line = strtok(all, "\n"); line; line = strtok(NULL, "\n")) {
        json_object *o = json_tokener_parse(line);
        if (!o)
            continue;
        const char *id = jstr(o, "id"), *date = jstr(o, "date"), *title = jstr(o, "title"),
                   *url = jstr(o, "url"), *file = jstr(o, "html_file");
        snprintf(path, sizeof path, "%s/doj-press-html-fragments/%s", corpus, file ? file : "");
        size_t flen;
        char *frag = id && date && file ? read_all(path, &flen) : NULL;
        if (frag) {
            bl_buf page = {0};
            bl_buf_adds(&page, "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>");
            bl_buf_adds(&page, title ? title : "");
            bl_buf_adds(&page, " | Office of Public Affairs | United States Department of Justice</title></head>"
                               "<body><header><a href=\"/\">Justice.gov</a><nav><ul><li><a href=\"/news\">News"
                               "</a></li><li><a href=\"/about\">About</a></li></ul></nav></header><main><h1>");
            bl_buf_adds(&page, title ? title : "");
            bl_buf_adds(&page, "</h1><div class=\"field-body\">");
            bl_buf_add(&page, frag, flen);
            bl_buf_adds(&page, "</div></main><footer><p>Office of Public Affairs. U.S. Department of Justice, "
                               "950 Pennsylvania Avenue, NW, Washington, DC 20530.</p></footer></body></html>");
            bl_record *rec = extract(page.p, page.len, BL_CONTENT_AUTO, url);
            tally_add(&t, date, rec ? rec->date : NULL, id);
            if (fragment_has_date(frag, date))
                tally_add(&t_in_text, date, rec ? rec->date : NULL, id);
            bl_record_free(rec);
            bl_buf_free(&page);
            free(frag);
        }
        json_object_put(o);
    }
    free(all);
    tally_print("DOJ fragments, all", &t);
    tally_print("DOJ fragments, date in the text", &t_in_text);
}

static void eval_cn(const char *corpus)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/cn-news-html-pages/manifest.jsonl", corpus);
    size_t len;
    char *all = read_all(path, &len);
    if (!all) {
        printf("cn-news-html-pages: not found\n");
        return;
    }
    int n = 0, titles_ok = 0, zh = 0, nonempty = 0;
    tally t = {0};
    for (char *line = strtok(all, "\n"); line; line = strtok(NULL, "\n")) {
        json_object *o = json_tokener_parse(line);
        if (!o)
            continue;
        const char *file = jstr(o, "file"), *title = jstr(o, "title"), *canon = jstr(o, "canonical_or_og_url");
        snprintf(path, sizeof path, "%s/cn-news-html-pages/%s", corpus, file ? file : "");
        size_t plen;
        char *page = file ? read_all(path, &plen) : NULL;
        if (page) {
            bl_record *rec = extract(page, plen, BL_CONTENT_AUTO, NULL);
            n++;
            /* The extracted title must be part of <title> and not all of it
             * when the page title carries a site name. */
            int ok = rec && rec->title && title && strstr(title, rec->title) && strlen(rec->title) >= 6;
            titles_ok += ok;
            if (verbose && !ok)
                printf("  title %s: got \"%s\" from \"%s\"\n", file, rec && rec->title ? rec->title : "",
                       title ? title : "");
            zh += rec && rec->lang && strcmp(rec->lang, "zh") == 0;
            nonempty += rec && rec->text && strlen(rec->text) >= 200;
            char iso[11];
            if (canon && bl_date_from_url(canon, iso, NULL))
                tally_add(&t, iso, rec ? rec->date : NULL, file);
            bl_record_free(rec);
            free(page);
        }
        json_object_put(o);
    }
    free(all);
    printf("cn-news-html-pages: %d pages, title right %d, lang zh %d, main text >= 200 bytes %d\n", n,
           titles_ok, zh, nonempty);
    tally_print("cn-news, date in canonical URL", &t);
}

/* Line statistics per county. */
static uint64_t hash_line(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

typedef struct hashes {
    uint64_t *v;
    size_t n, cap;
} hashes;

static void hashes_add(hashes *h, uint64_t x)
{
    if (h->n == h->cap) {
        h->cap = h->cap ? h->cap * 2 : 1024;
        h->v = realloc(h->v, h->cap * sizeof *h->v);
        if (!h->v)
            abort();
    }
    h->v[h->n++] = x;
}

/* Normalised lines of a text (through bl_blocks, as the extractor sees them). */
static void text_lines(const char *text, bl_blocks *bs)
{
    bl_text_to_blocks(text, strlen(text), bs);
}

static size_t doc_count(const hashes *sorted, uint64_t h)
{
    size_t lo = 0, hi = sorted->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (sorted->v[mid] < h)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t c = 0;
    while (lo + c < sorted->n && sorted->v[lo + c] == h)
        c++;
    return c;
}

/* Prose, not a headline: ends like a sentence. */
static int ends_sentence(const char *s, size_t l)
{
    if (l >= 3 && memcmp(s + l - 3, "\xe2\x80\x9d", 3) == 0) /* ” */
        return 1;
    return l && strchr(".!?\"", s[l - 1]) != NULL;
}

typedef struct doc {
    char *county, *url, *text;
} doc;

static void eval_county(const char *corpus)
{
    doc *docs = NULL;
    size_t n = 0, cap = 0;
    for (int part = 0; part < 16; part++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/us-county-prosecutors/press-%02d.jsonl.gz", corpus, part);
        size_t len;
        char *all = read_gz(path, &len);
        if (!all)
            continue;
        char *save = NULL;
        for (char *line = strtok_r(all, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
            json_object *o = json_tokener_parse(line);
            if (!o)
                continue;
            const char *county = jstr(o, "county"), *url = jstr(o, "url"), *text = jstr(o, "text");
            if (county && text) {
                if (n == cap) {
                    cap = cap ? cap * 2 : 1024;
                    docs = realloc(docs, cap * sizeof *docs);
                    if (!docs)
                        abort();
                }
                docs[n].county = strdup(county);
                docs[n].url = url ? strdup(url) : NULL;
                docs[n].text = strdup(text);
                n++;
            }
            json_object_put(o);
        }
        free(all);
    }
    if (!n) {
        printf("us-county-prosecutors: not found\n");
        return;
    }
    tally dates = {0};
    size_t tot_out_pars = 0, tot_bp_pars = 0, tot_in_bytes = 0, tot_out_bytes = 0, tot_in_bp = 0,
           tot_in_bp_kept = 0, tot_long = 0, tot_long_kept = 0;
    printf("county prosecutors: %zu documents\n", n);
    printf("  %-16s %5s %9s %9s %9s %9s\n", "county", "docs", "bp-out", "bp-removed", "bytes-kept", "long-kept");
    /* Counties in order of first appearance. */
    for (size_t c0 = 0; c0 < n; c0++) {
        int seen = 0;
        for (size_t k = 0; k < c0 && !seen; k++)
            seen = strcmp(docs[k].county, docs[c0].county) == 0;
        if (seen)
            continue;
        const char *county = docs[c0].county;
        hashes h = {0};
        size_t ndocs = 0;
        for (size_t i = c0; i < n; i++) {
            if (strcmp(docs[i].county, county) != 0)
                continue;
            ndocs++;
            bl_blocks bs = {0};
            text_lines(docs[i].text, &bs);
            hashes per = {0};
            for (size_t b = 0; b < bs.n; b++)
                hashes_add(&per, hash_line(bl_block_text(&bs, b), bs.v[b].len));
            qsort(per.v, per.n, sizeof *per.v, cmp_u64);
            for (size_t b = 0; b < per.n; b++)
                if (b == 0 || per.v[b] != per.v[b - 1])
                    hashes_add(&h, per.v[b]);
            free(per.v);
            bl_blocks_free(&bs);
        }
        qsort(h.v, h.n, sizeof *h.v, cmp_u64);
        size_t threshold = ndocs / 100 + 1;
        if (threshold < 3)
            threshold = 3;
        size_t out_pars = 0, bp_pars = 0, in_bytes = 0, out_bytes = 0, in_bp = 0, in_bp_kept = 0, lng = 0,
               lng_kept = 0;
        for (size_t i = c0; i < n; i++) {
            if (strcmp(docs[i].county, county) != 0)
                continue;
            const char *text = docs[i].text;
            bl_record *rec = extract(text, strlen(text), BL_CONTENT_TEXT, NULL);
            const char *out = rec && rec->text ? rec->text : "";
            in_bytes += strlen(text);
            out_bytes += strlen(out);
            /* Output paragraphs that are boilerplate lines. */
            const char *p = out;
            while (*p) {
                const char *e = strstr(p, "\n\n");
                size_t l = e ? (size_t)(e - p) : strlen(p);
                out_pars++;
                if (ndocs >= 20 && doc_count(&h, hash_line(p, l)) >= threshold) {
                    bp_pars++;
                    if (verbose > 1)
                        printf("  bp-out %s: %.*s\n", county, (int)(l > 100 ? 100 : l), p);
                }
                p += l;
                while (*p == '\n')
                    p++;
            }
            /* Input lines: boilerplate occurrences kept (as a whole output
             * line: "Home" inside "Home Depot" is not a kept menu), long
             * lines kept (as a substring: broken lines are joined). */
            hashes out_lines = {0};
            for (const char *q = out; *q;) {
                const char *e = strchr(q, '\n');
                size_t l = e ? (size_t)(e - q) : strlen(q);
                if (l)
                    hashes_add(&out_lines, hash_line(q, l));
                q += l;
                while (*q == '\n')
                    q++;
            }
            qsort(out_lines.v, out_lines.n, sizeof *out_lines.v, cmp_u64);
            bl_blocks bs = {0};
            text_lines(text, &bs);
            for (size_t b = 0; b < bs.n; b++) {
                const char *s = bl_block_text(&bs, b);
                size_t l = bs.v[b].len;
                int kept = strstr(out, s) != NULL;
                if (ndocs >= 20 && doc_count(&h, hash_line(s, l)) >= threshold) {
                    in_bp++;
                    in_bp_kept += doc_count(&out_lines, hash_line(s, l)) > 0;
                } else if (bl_text_words(s, l, NULL, NULL) >= 20 && ends_sentence(s, l)) {
                    lng++;
                    lng_kept += kept;
                    if (verbose > 2 && !kept)
                        printf("  lost %s: %.100s\n", county, s);
                }
            }
            bl_blocks_free(&bs);
            free(out_lines.v);
            char iso[11];
            if (docs[i].url && bl_date_from_url(docs[i].url, iso, NULL))
                tally_add(&dates, iso, rec ? rec->date : NULL, docs[i].url);
            bl_record_free(rec);
        }
        free(h.v);
        if (ndocs >= 20)
            printf("  %-16s %5zu %9.4f %9.4f %9.3f %9.3f\n", county, ndocs,
                   out_pars ? (double)bp_pars / out_pars : 0.0, in_bp ? 1.0 - (double)in_bp_kept / in_bp : 1.0,
                   in_bytes ? (double)out_bytes / in_bytes : 0.0, lng ? (double)lng_kept / lng : 1.0);
        else
            printf("  %-16s %5zu (too few documents for line statistics)\n", county, ndocs);
        tot_out_pars += out_pars;
        tot_bp_pars += bp_pars;
        tot_in_bytes += in_bytes;
        tot_out_bytes += out_bytes;
        tot_in_bp += in_bp;
        tot_in_bp_kept += in_bp_kept;
        tot_long += lng;
        tot_long_kept += lng_kept;
    }
    printf("  %-16s %5zu %9.4f %9.4f %9.3f %9.3f\n", "all", n,
           tot_out_pars ? (double)tot_bp_pars / tot_out_pars : 0.0,
           tot_in_bp ? 1.0 - (double)tot_in_bp_kept / tot_in_bp : 1.0,
           tot_in_bytes ? (double)tot_out_bytes / tot_in_bytes : 0.0,
           tot_long ? (double)tot_long_kept / tot_long : 1.0);
    printf("  (bp-out: share of output paragraphs that are boilerplate lines; bp-removed: share of\n"
           "   boilerplate line occurrences in the input that are not in the output; long-kept: share\n"
           "   of other input lines of 20+ words ending like a sentence found in the output)\n");
    tally_print("county, date in URL (text only)", &dates);
    for (size_t i = 0; i < n; i++) {
        free(docs[i].county);
        free(docs[i].url);
        free(docs[i].text);
    }
    free(docs);
}

/* CCTV enforcement items: the main text of each item's body HTML against the
 * plain text the corpus gives for it (lines of 20+ characters kept). */
static void eval_xwlb(const char *corpus)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/cn-xwlb-enforcement/xwlb-enforcement.jsonl.gz", corpus);
    size_t len;
    char *all = read_gz(path, &len);
    if (!all) {
        printf("cn-xwlb-enforcement: not found\n");
        return;
    }
    size_t docs = 0, lines = 0, kept = 0, zh = 0;
    char *save = NULL;
    for (char *line = strtok_r(all, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        json_object *o = json_tokener_parse(line);
        if (!o)
            continue;
        const char *html = jstr(o, "content_html"), *text = jstr(o, "text");
        if (html && text && html[0]) {
            bl_record *rec = extract(html, strlen(html), BL_CONTENT_HTML, NULL);
            const char *out = rec && rec->text ? rec->text : "";
            docs++;
            zh += rec && rec->lang && strcmp(rec->lang, "zh") == 0;
            bl_blocks bs = {0};
            bl_text_to_blocks(text, strlen(text), &bs);
            for (size_t b = 0; b < bs.n; b++) {
                if (bs.v[b].len < 60) /* 20 ideographs */
                    continue;
                lines++;
                kept += strstr(out, bl_block_text(&bs, b)) != NULL;
            }
            bl_blocks_free(&bs);
            bl_record_free(rec);
        }
        json_object_put(o);
    }
    free(all);
    printf("cn-xwlb-enforcement: %zu items, lang zh %zu, reference lines (20+ chars) in the main text: "
           "%zu of %zu (%.3f)\n", docs, zh, kept, lines, lines ? (double)kept / lines : 0.0);
}

int main(int argc, char **argv)
{
    const char *corpus = "/work/shared/corpus";
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--corpus") == 0 && i + 1 < argc)
            corpus = argv[++i];
        else if (strcmp(argv[i], "--verbose") == 0 || strcmp(argv[i], "-v") == 0)
            verbose++;
        else {
            fprintf(stderr, "usage: blotter-eval-extract [--corpus DIR] [--verbose]...\n");
            return 2;
        }
    }
    eval_doj(corpus);
    eval_cn(corpus);
    eval_xwlb(corpus);
    eval_county(corpus);
    return 0;
}
