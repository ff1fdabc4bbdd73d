/* blotter-eval-facts: precision and recall of numeric facts and campaigns
 * against labelled JSON Lines.
 *
 *   blotter-eval-facts [--corpus-root DIR] [--lexicon FILE] [--verbose]
 *                      [--min-precision P] [--min-recall R] LABELS.jsonl...
 *
 * Each line: {"id":..,"lang":"en"|"zh","text":..  (or "ref":{"corpus":C,"id":I},
 * the text of document I in DIR/C/, read at run time; lines whose corpus is
 * absent are skipped and counted), "facts":[{"category":..,"value":..}],
 * "campaigns":[..]}. A line without "campaigns" is not scored for campaigns.
 * Facts match on category and value (relative tolerance 1e-3), each expected
 * fact at most once. Prints per-category and overall precision, recall, F1.
 * Exit status: 0; 1 when a --min floor is missed (overall facts, or
 * campaigns); 2 on bad usage or unreadable labels.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <zlib.h>

#include "bl_facts.h"
#include "bl_record.h"
#include "bl_schema.h"

#define MAX_LINE (8u << 20)
#define MAX_DOCS 200000

typedef struct counts {
    long tp, fp, fn;
} counts;

/* ---- corpora read at run time ---- */

typedef struct doc {
    char *id;
    char *text;
} doc;

typedef struct corpus {
    char *name;
    doc *docs;
    size_t n;
    int missing;
} corpus;

static corpus corpora[16];
static size_t n_corpora;

/* Tags out, a few entities decoded: enough to score text from HTML fragments. */
static char *strip_html(const char *h)
{
    size_t n = strlen(h), o = 0;
    char *out = malloc(n + 1);
    if (!out)
        return NULL;
    for (size_t i = 0; i < n;) {
        if (h[i] == '<') {
            int block = (strncasecmp(h + i, "<p", 2) == 0 || strncasecmp(h + i, "<br", 3) == 0 ||
                         strncasecmp(h + i, "<div", 4) == 0 || strncasecmp(h + i, "<li", 3) == 0);
            const char *e = strchr(h + i, '>');
            i = e ? (size_t)(e - h) + 1 : n;
            if (block && o && out[o - 1] != '\n')
                out[o++] = '\n';
            continue;
        }
        if (h[i] == '&') {
            static const struct { const char *ent, *rep; } ents[] = {
                {"&amp;", "&"}, {"&nbsp;", " "}, {"&quot;", "\""}, {"&#39;", "'"},
                {"&lt;", "<"}, {"&gt;", ">"}, {"&rsquo;", "'"}, {"&lsquo;", "'"},
                {"&ldquo;", "\""}, {"&rdquo;", "\""}, {"&mdash;", "-"}, {"&ndash;", "-"},
                {"&sect;", "\xC2\xA7"}, {"&#8217;", "'"}, {"&#160;", " "}};
            int done = 0;
            for (size_t k = 0; k < sizeof ents / sizeof ents[0]; k++) {
                size_t l = strlen(ents[k].ent);
                if (strncmp(h + i, ents[k].ent, l) == 0) {
                    size_t r = strlen(ents[k].rep);
                    memcpy(out + o, ents[k].rep, r);
                    o += r;
                    i += l;
                    done = 1;
                    break;
                }
            }
            if (done)
                continue;
        }
        out[o++] = h[i++];
    }
    out[o] = '\0';
    return out;
}

static char *read_all(const char *path, size_t max)
{
    gzFile f = gzopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *b = malloc(cap);
    while (b) {
        if (n + 65536 + 1 > cap) {
            if (cap > max) {
                free(b);
                b = NULL;
                break;
            }
            char *nb = realloc(b, cap * 2);
            if (!nb) {
                free(b);
                b = NULL;
                break;
            }
            b = nb;
            cap *= 2;
        }
        int k = gzread(f, b + n, 65536);
        if (k <= 0)
            break;
        n += (size_t)k;
    }
    gzclose(f);
    if (b)
        b[n] = '\0';
    return b;
}

static void add_doc(corpus *c, const char *id, char *text)
{
    if (c->n >= MAX_DOCS || !text)
        return;
    doc *d = realloc(c->docs, (c->n + 1) * sizeof *d);
    if (!d)
        return;
    c->docs = d;
    c->docs[c->n].id = strdup(id);
    c->docs[c->n].text = text;
    c->n++;
}

/* Every *.jsonl[.gz] line with "id" and "text" in dir/name. */
static void load_jsonl(corpus *c, const char *path)
{
    char *all = read_all(path, 256u << 20);
    if (!all)
        return;
    for (char *line = all, *nl; line && *line; line = nl ? nl + 1 : NULL) {
        nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        json_object *o = json_tokener_parse(line), *id, *text;
        if (o && json_object_object_get_ex(o, "id", &id) &&
            json_object_object_get_ex(o, "text", &text))
            add_doc(c, json_object_get_string(id), strdup(json_object_get_string(text)));
        json_object_put(o);
    }
    free(all);
}

static corpus *open_corpus(const char *root, const char *name)
{
    for (size_t i = 0; i < n_corpora; i++)
        if (strcmp(corpora[i].name, name) == 0)
            return &corpora[i];
    if (n_corpora == sizeof corpora / sizeof corpora[0] || strchr(name, '/'))
        return NULL;
    corpus *c = &corpora[n_corpora++];
    memset(c, 0, sizeof *c);
    c->name = strdup(name);
    char path[4096];
    static const char *const files[] = {
        "doj-2025-annotated.jsonl", "xwlb-enforcement.jsonl.gz", "press-00.jsonl.gz",
        "press-01.jsonl.gz", "press-02.jsonl.gz", "press-03.jsonl.gz"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(path, sizeof path, "%s/%s/%s", root, name, files[i]);
        load_jsonl(c, path);
    }
    /* HTML fragments: html/<id>.html */
    snprintf(path, sizeof path, "%s/%s/releases.jsonl", root, name);
    char *rel = read_all(path, 64u << 20);
    if (rel) {
        for (char *line = rel, *nl; line && *line; line = nl ? nl + 1 : NULL) {
            nl = strchr(line, '\n');
            if (nl)
                *nl = '\0';
            json_object *o = json_tokener_parse(line), *id;
            if (o && json_object_object_get_ex(o, "id", &id)) {
                char hp[4096];
                snprintf(hp, sizeof hp, "%s/%s/html/%s.html", root, name,
                         json_object_get_string(id));
                char *html = read_all(hp, 16u << 20);
                if (html) {
                    add_doc(c, json_object_get_string(id), strip_html(html));
                    free(html);
                }
            }
            json_object_put(o);
        }
        free(rel);
    }
    c->missing = c->n == 0;
    return c;
}

static const char *find_doc(const char *root, const char *corpus_name, const char *id)
{
    corpus *c = open_corpus(root, corpus_name);
    if (!c || c->missing)
        return NULL;
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->docs[i].id, id) == 0)
            return c->docs[i].text;
    return NULL;
}

/* ---- scoring ---- */

static int same_value(double a, double b)
{
    return fabs(a - b) <= 1e-3 * fmax(1.0, fmax(fabs(a), fabs(b)));
}

static void print_row(const char *name, const counts *c)
{
    double p = c->tp + c->fp ? (double)c->tp / (double)(c->tp + c->fp) : 1.0;
    double r = c->tp + c->fn ? (double)c->tp / (double)(c->tp + c->fn) : 1.0;
    double f = p + r > 0 ? 2 * p * r / (p + r) : 0;
    printf("%-14s %5ld %5ld %5ld  %6.3f %6.3f %6.3f\n", name, c->tp, c->fp, c->fn, p, r, f);
}

static double precision(const counts *c)
{
    return c->tp + c->fp ? (double)c->tp / (double)(c->tp + c->fp) : 1.0;
}

static double recall(const counts *c)
{
    return c->tp + c->fn ? (double)c->tp / (double)(c->tp + c->fn) : 1.0;
}

typedef struct options {
    const char *root;
    const char *lexicon;
    int verbose;
    double min_p, min_r;
} options;

static int score_line(const options *opt, const bl_lexicon *lex, json_object *o,
                      counts cat[BL_FACT_COUNT], counts *camp, long *docs, long *skipped)
{
    json_object *jid = NULL, *jlang = NULL, *jtext = NULL, *jref = NULL, *jfacts = NULL,
                *jcamps = NULL;
    json_object_object_get_ex(o, "id", &jid);
    json_object_object_get_ex(o, "lang", &jlang);
    json_object_object_get_ex(o, "facts", &jfacts);
    const char *id = jid ? json_object_get_string(jid) : "?";
    const char *lang = jlang ? json_object_get_string(jlang) : NULL;
    const char *text = NULL;
    if (json_object_object_get_ex(o, "text", &jtext)) {
        text = json_object_get_string(jtext);
    } else if (json_object_object_get_ex(o, "ref", &jref)) {
        json_object *jc = NULL, *ji = NULL;
        json_object_object_get_ex(jref, "corpus", &jc);
        json_object_object_get_ex(jref, "id", &ji);
        if (jc && ji)
            text = find_doc(opt->root, json_object_get_string(jc), json_object_get_string(ji));
        if (!text) {
            (*skipped)++;
            return 0;
        }
    }
    if (!text) {
        fprintf(stderr, "blotter-eval-facts: %s: no text and no ref\n", id);
        return -1;
    }
    bl_record *rec = bl_record_new();
    bl_error err = {0};
    if (!rec || bl_facts_find(lex, text, strlen(text), lang, rec, &err) ||
        bl_campaigns_find(lex, text, strlen(text), lang, rec, &err)) {
        fprintf(stderr, "blotter-eval-facts: %s: %s\n", id, err.msg);
        bl_record_free(rec);
        return -1;
    }
    (*docs)++;
    size_t n_exp = jfacts ? json_object_array_length(jfacts) : 0;
    char *used = calloc(n_exp + 1, 1);
    for (size_t i = 0; i < rec->n_facts; i++) {
        const bl_fact *f = &rec->facts[i];
        int ci = bl_fact_category_index(f->category), hit = 0;
        for (size_t k = 0; k < n_exp && !hit; k++) {
            json_object *e = json_object_array_get_idx(jfacts, k), *jc, *jv;
            if (used[k] || !json_object_object_get_ex(e, "category", &jc) ||
                !json_object_object_get_ex(e, "value", &jv))
                continue;
            if (strcmp(json_object_get_string(jc), f->category) == 0 &&
                same_value(json_object_get_double(jv), f->value)) {
                used[k] = 1;
                hit = 1;
            }
        }
        if (ci >= 0) {
            if (hit)
                cat[ci].tp++;
            else
                cat[ci].fp++;
        }
        if (!hit && opt->verbose)
            printf("  FP %s %s=%g [%s]\n", id, f->category, f->value, f->text);
    }
    for (size_t k = 0; k < n_exp; k++) {
        json_object *e = json_object_array_get_idx(jfacts, k), *jc, *jv;
        if (used[k] || !json_object_object_get_ex(e, "category", &jc) ||
            !json_object_object_get_ex(e, "value", &jv))
            continue;
        int ci = bl_fact_category_index(json_object_get_string(jc));
        if (ci >= 0)
            cat[ci].fn++;
        if (opt->verbose)
            printf("  FN %s %s=%g\n", id, json_object_get_string(jc), json_object_get_double(jv));
    }
    free(used);
    if (json_object_object_get_ex(o, "campaigns", &jcamps)) {
        size_t n_c = json_object_array_length(jcamps);
        for (size_t i = 0; i < rec->n_campaigns; i++) {
            int hit = 0;
            for (size_t k = 0; k < n_c; k++)
                if (strcasecmp(json_object_get_string(json_object_array_get_idx(jcamps, k)),
                               rec->campaigns[i]) == 0)
                    hit = 1;
            if (hit)
                camp->tp++;
            else {
                camp->fp++;
                if (opt->verbose)
                    printf("  FP %s campaign [%s]\n", id, rec->campaigns[i]);
            }
        }
        for (size_t k = 0; k < n_c; k++) {
            const char *want = json_object_get_string(json_object_array_get_idx(jcamps, k));
            int hit = 0;
            for (size_t i = 0; i < rec->n_campaigns; i++)
                if (strcasecmp(want, rec->campaigns[i]) == 0)
                    hit = 1;
            if (!hit) {
                camp->fn++;
                if (opt->verbose)
                    printf("  FN %s campaign [%s]\n", id, want);
            }
        }
    }
    bl_record_free(rec);
    return 0;
}

static void usage(void)
{
    fprintf(stderr, "usage: blotter-eval-facts [--corpus-root DIR] [--lexicon FILE] [--verbose]\n"
                    "                          [--min-precision P] [--min-recall R] LABELS.jsonl...\n");
}

int main(int argc, char **argv)
{
    options opt = {"/work/shared/corpus", NULL, 0, 0, 0};
    int first = 1;
    for (; first < argc && strncmp(argv[first], "--", 2) == 0; first++) {
        const char *a = argv[first];
        if (strcmp(a, "--verbose") == 0)
            opt.verbose = 1;
        else if (first + 1 < argc && strcmp(a, "--corpus-root") == 0)
            opt.root = argv[++first];
        else if (first + 1 < argc && strcmp(a, "--lexicon") == 0)
            opt.lexicon = argv[++first];
        else if (first + 1 < argc && strcmp(a, "--min-precision") == 0)
            opt.min_p = atof(argv[++first]);
        else if (first + 1 < argc && strcmp(a, "--min-recall") == 0)
            opt.min_r = atof(argv[++first]);
        else {
            usage();
            return 2;
        }
    }
    if (first >= argc) {
        usage();
        return 2;
    }
    bl_error err = {0};
    bl_lexicon *lex = NULL;
    if (bl_lexicon_load(opt.lexicon, &lex, &err)) {
        fprintf(stderr, "blotter-eval-facts: %s\n", err.msg);
        return 2;
    }
    counts cat[BL_FACT_COUNT], camp = {0, 0, 0}, all = {0, 0, 0};
    memset(cat, 0, sizeof cat);
    long docs = 0, skipped = 0;
    for (int i = first; i < argc; i++) {
        char *data = read_all(argv[i], 256u << 20);
        if (!data) {
            fprintf(stderr, "blotter-eval-facts: cannot read %s: %s\n", argv[i], strerror(errno));
            bl_lexicon_free(lex);
            return 2;
        }
        long lineno = 0;
        for (char *line = data, *nl; line && *line; line = nl ? nl + 1 : NULL) {
            nl = strchr(line, '\n');
            if (nl)
                *nl = '\0';
            lineno++;
            while (*line == ' ' || *line == '\t')
                line++;
            if (!*line || *line == '#')
                continue;
            json_object *o = json_tokener_parse(line);
            if (!o || !json_object_is_type(o, json_type_object)) {
                fprintf(stderr, "blotter-eval-facts: %s:%ld: not a JSON object\n", argv[i], lineno);
                json_object_put(o);
                free(data);
                bl_lexicon_free(lex);
                return 2;
            }
            if (score_line(&opt, lex, o, cat, &camp, &docs, &skipped)) {
                json_object_put(o);
                free(data);
                bl_lexicon_free(lex);
                return 2;
            }
            json_object_put(o);
        }
        free(data);
    }
    printf("documents %ld, skipped %ld (corpus not present)\n", docs, skipped);
    printf("%-14s %5s %5s %5s  %6s %6s %6s\n", "category", "tp", "fp", "fn", "prec", "recall", "f1");
    for (int c = 0; c < BL_FACT_COUNT; c++) {
        all.tp += cat[c].tp;
        all.fp += cat[c].fp;
        all.fn += cat[c].fn;
        if (cat[c].tp + cat[c].fp + cat[c].fn)
            print_row(bl_fact_categories[c], &cat[c]);
    }
    print_row("ALL facts", &all);
    print_row("campaigns", &camp);
    bl_lexicon_free(lex);
    int fail = 0;
    if (opt.min_p > 0 && (precision(&all) < opt.min_p || precision(&camp) < opt.min_p))
        fail = 1;
    if (opt.min_r > 0 && (recall(&all) < opt.min_r || recall(&camp) < opt.min_r))
        fail = 1;
    if (fail)
        printf("below the floor: precision %.3f recall %.3f (min %.3f / %.3f)\n",
               precision(&all), recall(&all), opt.min_p, opt.min_r);
    return fail;
}
