/* blotter: text, JSON and CSV back-ends for results (see printer.h). */
#include "printer.h"

#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "bl_schema.h"
#include "bl_utf8.h"
#include "snippet.h"

struct bl_printer {
    int format;
    FILE *out;
    int ansi;
    bl_results_meta meta;
    unsigned shown;
    json_object *root, *hits, *facets; /* JSON only */
    int csv_facets_started;
};

int bl_format_parse(const char *name)
{
    if (strcmp(name, "text") == 0)
        return BL_FORMAT_TEXT;
    if (strcmp(name, "json") == 0)
        return BL_FORMAT_JSON;
    if (strcmp(name, "csv") == 0)
        return BL_FORMAT_CSV;
    return -1;
}

bl_printer *bl_printer_new(int format, FILE *out, int ansi)
{
    bl_printer *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->format = format;
    p->out = out;
    p->ansi = ansi;
    return p;
}

/* ---- CSV ---------------------------------------------------------------- */

void bl_csv_field(FILE *out, const char *s, int last)
{
    s = s ? s : "";
    if (strpbrk(s, ",\"\r\n")) {
        fputc('"', out);
        for (; *s; s++) {
            if (*s == '"')
                fputc('"', out);
            fputc(*s, out);
        }
        fputc('"', out);
    } else {
        fputs(s, out);
    }
    fputs(last ? "\r\n" : ",", out);
}

static void csv_header(bl_printer *p)
{
    static const char *const head[] = {"rank", "score", "date", "title", "url", "lang", "agency",
                                       "campaigns"};
    for (size_t i = 0; i < sizeof head / sizeof head[0]; i++)
        bl_csv_field(p->out, head[i], 0);
    for (int i = 0; i < BL_FACT_COUNT; i++)
        bl_csv_field(p->out, bl_fact_categories[i], 0);
    bl_csv_field(p->out, "snippet", 1);
}

static void format_number(double v, char *buf, size_t size)
{
    if (v == (double)(long long)v)
        snprintf(buf, size, "%lld", (long long)v);
    else
        snprintf(buf, size, "%.2f", v);
}

static void csv_hit(bl_printer *p, const bl_hit *h)
{
    char num[64];
    const bl_record *r = h->rec;
    snprintf(num, sizeof num, "%u", h->rank);
    bl_csv_field(p->out, num, 0);
    snprintf(num, sizeof num, "%.4f", h->score);
    bl_csv_field(p->out, num, 0);
    bl_csv_field(p->out, r->date, 0);
    bl_csv_field(p->out, r->title, 0);
    bl_csv_field(p->out, r->url, 0);
    bl_csv_field(p->out, r->lang, 0);
    bl_csv_field(p->out, r->agency, 0);
    size_t len = 1;
    for (size_t i = 0; i < r->n_campaigns; i++)
        len += strlen(r->campaigns[i]) + 2;
    char *camps = calloc(1, len);
    for (size_t i = 0; camps && i < r->n_campaigns; i++) {
        if (i)
            strcat(camps, "; ");
        strcat(camps, r->campaigns[i]);
    }
    bl_csv_field(p->out, camps, 0);
    free(camps);
    for (int i = 0; i < BL_FACT_COUNT; i++) {
        int found;
        double v = bl_record_fact_max(r, bl_fact_categories[i], &found);
        num[0] = '\0';
        if (found)
            format_number(v, num, sizeof num);
        bl_csv_field(p->out, num, 0);
    }
    char *plain = h->snippet ? bl_snippet_render(h->snippet, BL_SNIPPET_PLAIN) : NULL;
    bl_csv_field(p->out, plain, 1);
    free(plain);
}

/* ---- JSON --------------------------------------------------------------- */

/* JSON must be UTF-8 (RFC 8259), and json-c copies bytes as they are: text
 * that came in malformed (a query typed in another charset) is repaired. */
static json_object *jstr(const char *s)
{
    if (!s)
        return NULL;
    if (bl_utf8_valid(s, strlen(s)))
        return json_object_new_string(s);
    char *fixed = bl_utf8_repaired(s);
    json_object *o = fixed ? json_object_new_string(fixed) : NULL;
    free(fixed);
    return o;
}

static json_object *jnum(double v)
{
    if (v == (double)(long long)v)
        return json_object_new_int64((long long)v);
    return json_object_new_double(v);
}

static void json_hit(bl_printer *p, const bl_hit *h)
{
    const bl_record *r = h->rec;
    json_object *o = json_object_new_object();
    json_object_object_add(o, "rank", json_object_new_int64(h->rank));
    json_object_object_add(o, "score", json_object_new_double(h->score));
    json_object_object_add(o, "url", jstr(r->url));
    json_object_object_add(o, "title", jstr(r->title));
    json_object_object_add(o, "date", jstr(r->date));
    json_object_object_add(o, "lang", jstr(r->lang));
    json_object_object_add(o, "agency", jstr(r->agency));
    char *plain = h->snippet ? bl_snippet_render(h->snippet, BL_SNIPPET_PLAIN) : NULL;
    char *html = h->snippet ? bl_snippet_render(h->snippet, BL_SNIPPET_HTML) : NULL;
    json_object_object_add(o, "snippet", json_object_new_string(plain ? plain : ""));
    json_object_object_add(o, "snippet_html", json_object_new_string(html ? html : ""));
    free(plain);
    free(html);
    json_object *facts = json_object_new_object();
    for (int i = 0; i < BL_FACT_COUNT; i++) {
        int found;
        double v = bl_record_fact_max(r, bl_fact_categories[i], &found);
        if (found)
            json_object_object_add(facts, bl_fact_categories[i], jnum(v));
    }
    json_object_object_add(o, "facts", facts);
    json_object *camps = json_object_new_array();
    for (size_t i = 0; i < r->n_campaigns; i++)
        json_object_array_add(camps, json_object_new_string(r->campaigns[i]));
    json_object_object_add(o, "campaigns", camps);
    json_object *dups = json_object_new_array();
    for (unsigned i = 0; i < h->n_duplicates; i++)
        json_object_array_add(dups, json_object_new_string(h->duplicates[i]));
    json_object_object_add(o, "duplicates", dups);
    json_object_array_add(p->hits, o);
}

/* ---- text --------------------------------------------------------------- */

static void text_hit(bl_printer *p, const bl_hit *h)
{
    const bl_record *r = h->rec;
    fprintf(p->out, "%s%u. %s  %s%s\n", p->ansi ? "\033[1m" : "", h->rank,
            r->date ? r->date : "(no date)  ", r->title && *r->title ? r->title : "(no title)",
            p->ansi ? "\033[0m" : "");
    fprintf(p->out, "   %s\n", r->url ? r->url : "");
    for (unsigned i = 0; i < h->n_duplicates; i++)
        fprintf(p->out, "   also at %s\n", h->duplicates[i]);
    if (h->snippet && *h->snippet) {
        char *s = bl_snippet_render(h->snippet, p->ansi ? BL_SNIPPET_ANSI : BL_SNIPPET_PLAIN);
        if (s)
            fprintf(p->out, "   %s\n", s);
        free(s);
    }
    fputc('\n', p->out);
}

/* ---- dispatch ----------------------------------------------------------- */

void bl_printer_begin(bl_printer *p, const bl_results_meta *meta)
{
    p->meta = *meta;
    if (p->format == BL_FORMAT_JSON) {
        p->root = json_object_new_object();
        json_object_object_add(p->root, "version", json_object_new_int(1));
        json_object_object_add(p->root, "query", jstr(meta->query));
        json_object_object_add(p->root, "total", json_object_new_int64((int64_t)meta->total));
        json_object_object_add(p->root, "total_exact", json_object_new_boolean(meta->total_exact));
        json_object_object_add(p->root, "offset", json_object_new_int64(meta->offset));
        p->hits = json_object_new_array();
        json_object_object_add(p->root, "hits", p->hits);
        if (meta->suggestion)
            json_object_object_add(p->root, "suggestion", json_object_new_string(meta->suggestion));
    } else if (p->format == BL_FORMAT_CSV) {
        csv_header(p);
    }
}

void bl_printer_hit(bl_printer *p, const bl_hit *hit)
{
    p->shown++;
    if (p->format == BL_FORMAT_JSON)
        json_hit(p, hit);
    else if (p->format == BL_FORMAT_CSV)
        csv_hit(p, hit);
    else
        text_hit(p, hit);
}

void bl_printer_facet(bl_printer *p, const char *name, unsigned n, const char *const *values,
                      const uint64_t *counts)
{
    if (p->format == BL_FORMAT_JSON) {
        if (!p->facets) {
            p->facets = json_object_new_object();
            json_object_object_add(p->root, "facets", p->facets);
        }
        json_object *arr = json_object_new_array();
        for (unsigned i = 0; i < n; i++) {
            json_object *o = json_object_new_object();
            json_object_object_add(o, "value", json_object_new_string(values[i]));
            json_object_object_add(o, "count", json_object_new_int64((int64_t)counts[i]));
            json_object_array_add(arr, o);
        }
        json_object_object_add(p->facets, name, arr);
    } else if (p->format == BL_FORMAT_CSV) {
        /* Facets follow the hits as a second table, after a blank line. */
        if (!p->csv_facets_started) {
            fputs("\r\n", p->out);
            bl_csv_field(p->out, "facet", 0);
            bl_csv_field(p->out, "value", 0);
            bl_csv_field(p->out, "count", 1);
            p->csv_facets_started = 1;
        }
        char num[32];
        for (unsigned i = 0; i < n; i++) {
            bl_csv_field(p->out, name, 0);
            bl_csv_field(p->out, values[i], 0);
            snprintf(num, sizeof num, "%llu", (unsigned long long)counts[i]);
            bl_csv_field(p->out, num, 1);
        }
    } else {
        fprintf(p->out, "%s:\n", name);
        for (unsigned i = 0; i < n; i++)
            fprintf(p->out, "  %8llu  %s\n", (unsigned long long)counts[i], values[i]);
        fputc('\n', p->out);
    }
}

int bl_printer_end(bl_printer *p)
{
    if (!p)
        return 0;
    if (p->format == BL_FORMAT_JSON) {
        fputs(json_object_to_json_string_ext(p->root, JSON_C_TO_STRING_PLAIN |
                                                          JSON_C_TO_STRING_NOSLASHESCAPE),
              p->out);
        fputc('\n', p->out);
        json_object_put(p->root);
    } else if (p->format == BL_FORMAT_TEXT) {
        if (p->shown)
            fprintf(p->out, "Results %u-%u of %s%llu.\n", p->meta.offset + 1,
                    p->meta.offset + p->shown, p->meta.total_exact ? "" : "about ",
                    (unsigned long long)p->meta.total);
        else if (p->meta.total && p->meta.offset == 0)
            fprintf(p->out, "%s%llu matches.\n", p->meta.total_exact ? "" : "about ",
                    (unsigned long long)p->meta.total);
        else if (p->meta.total)
            fprintf(p->out, "No results past %u (of %s%llu).\n", p->meta.offset,
                    p->meta.total_exact ? "" : "about ", (unsigned long long)p->meta.total);
        if (p->meta.suggestion)
            fprintf(p->out, "Did you mean: %s\n", p->meta.suggestion);
    }
    int failed = fflush(p->out) != 0 || ferror(p->out);
    free(p);
    return failed;
}
