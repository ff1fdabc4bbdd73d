/* blotter: the lexicon data file (format at the top of data/lexicon.txt).
 *
 * One line, one entry: a kind, a few fixed fields, then a phrase that runs to
 * the end of the line. Entries are kept in one array and reached through two
 * small hash tables keyed by the first and by the last two bytes of their
 * phrase, so matching at a text position costs a handful of comparisons
 * whatever the lexicon size; the finders stay linear in the text.
 *
 * Lookup order when no path is given: $BLOTTER_LEXICON, the installed copy,
 * the source tree copy, the copy compiled into the library. A file that is
 * there but wrong is an error (naming file:line), never silently skipped.
 */
#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bl_facts_internal.h"
#include "bl_schema.h"

#define LEX_MAX_BYTES (4u << 20)
#define LEX_MAX_LINE 1024
#define LEX_MAX_ENTRIES 200000
#define LEX_BUCKETS 2048

extern const unsigned char bl_lexicon_builtin[];
extern const size_t bl_lexicon_builtin_len;

struct bl_lexicon {
    bl_lex_entry *entries;
    size_t n, cap;
    char **strings; /* every phrase and name, owned */
    size_t n_strings, cap_strings;
    size_t *head_idx; /* entries sorted into buckets by their first bytes */
    size_t head_start[LEX_BUCKETS + 1];
    size_t *tail_idx; /* ... and by their last bytes */
    size_t tail_start[LEX_BUCKETS + 1];
};

static unsigned char lower(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

static unsigned bucket2(unsigned char a, unsigned char b)
{
    return ((unsigned)lower(a) * 31u + lower(b)) % LEX_BUCKETS;
}

static unsigned head_bucket(const char *p, size_t n)
{
    return bucket2((unsigned char)p[0], n > 1 ? (unsigned char)p[1] : 0);
}

static unsigned tail_bucket(const char *p, size_t n)
{
    return bucket2((unsigned char)p[n - 1], n > 1 ? (unsigned char)p[n - 2] : 0);
}

void bl_lexicon_free(bl_lexicon *lex)
{
    if (!lex)
        return;
    for (size_t i = 0; i < lex->n_strings; i++)
        free(lex->strings[i]);
    free(lex->strings);
    free(lex->entries);
    free(lex->head_idx);
    free(lex->tail_idx);
    free(lex);
}

/* A lowercased (ASCII) copy of s[0..n), kept by the lexicon. */
static const char *keep(bl_lexicon *lex, const char *s, size_t n, int lowercase)
{
    if (lex->n_strings == lex->cap_strings) {
        size_t cap = lex->cap_strings ? lex->cap_strings * 2 : 256;
        char **p = realloc(lex->strings, cap * sizeof *p);
        if (!p)
            return NULL;
        lex->strings = p;
        lex->cap_strings = cap;
    }
    char *c = malloc(n + 1);
    if (!c)
        return NULL;
    for (size_t i = 0; i < n; i++)
        c[i] = lowercase ? (char)lower((unsigned char)s[i]) : s[i];
    c[n] = '\0';
    lex->strings[lex->n_strings++] = c;
    return c;
}

static int add_entry(bl_lexicon *lex, const bl_lex_entry *e)
{
    if (lex->n == lex->cap) {
        size_t cap = lex->cap ? lex->cap * 2 : 256;
        bl_lex_entry *p = realloc(lex->entries, cap * sizeof *p);
        if (!p)
            return BL_ENOMEM;
        lex->entries = p;
        lex->cap = cap;
    }
    lex->entries[lex->n++] = *e;
    return 0;
}

static const struct {
    const char *name;
    int kind;
} kinds[] = {
    {"noun", BL_LEX_NOUN},         {"measure", BL_LEX_MEASURE},
    {"person", BL_LEX_PERSON},     {"verb", BL_LEX_VERB},
    {"unit", BL_LEX_UNIT},         {"currency", BL_LEX_CURRENCY},
    {"context", BL_LEX_CONTEXT},   {"unless", BL_LEX_UNLESS},
    {"qualifier", BL_LEX_QUALIFIER},
    {"veto", BL_LEX_VETO},         {"campaign", BL_LEX_CAMPAIGN},
    {"campaign-word", BL_LEX_CAMPAIGN_WORD}, {"campaign-drop", BL_LEX_CAMPAIGN_DROP},
    {"campaign-stop", BL_LEX_CAMPAIGN_STOP},
};

/* Splits off the next whitespace-separated field of *p. */
static int next_field(char **p, char **field)
{
    char *s = *p;
    while (*s == ' ' || *s == '\t')
        s++;
    if (!*s)
        return 0;
    *field = s;
    while (*s && *s != ' ' && *s != '\t')
        s++;
    if (*s)
        *s++ = '\0';
    *p = s;
    return 1;
}

/* The rest of the line, trimmed; NULL when empty. */
static char *rest_of_line(char *p, size_t *n)
{
    while (*p == ' ' || *p == '\t')
        p++;
    size_t len = strlen(p);
    while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
        len--;
    p[len] = '\0';
    *n = len;
    return len ? p : NULL;
}

static int parse_lang(const char *s, int *lang)
{
    if (strcmp(s, "en") == 0)
        *lang = BL_LANG_EN;
    else if (strcmp(s, "zh") == 0)
        *lang = BL_LANG_ZH;
    else if (strcmp(s, "any") == 0 || strcmp(s, "*") == 0)
        *lang = BL_LANG_ANY;
    else
        return -1;
    return 0;
}

static int parse_place(const char *s, int *place)
{
    if (strcmp(s, "before") == 0)
        *place = BL_PLACE_BEFORE;
    else if (strcmp(s, "after") == 0)
        *place = BL_PLACE_AFTER;
    else if (strcmp(s, "any") == 0)
        *place = BL_PLACE_ANY;
    else
        return -1;
    return 0;
}

static int parse_factor(const char *s, double *f)
{
    char *end;
    errno = 0;
    *f = strtod(s, &end);
    return (errno || *end || end == s || !(*f > 0)) ? -1 : 0;
}

static int ascii_alnum_byte(char c)
{
    return bl_is_ascii_alnum((unsigned char)c);
}

/* Adds one phrase of an entry (campaign lines add several). */
static int add_phrase(bl_lexicon *lex, bl_lex_entry *e, const char *phrase, size_t n)
{
    e->phrase = keep(lex, phrase, n, 1);
    if (!e->phrase)
        return BL_ENOMEM;
    e->phrase_len = n;
    e->word_bounded = ascii_alnum_byte(phrase[0]) || ascii_alnum_byte(phrase[n - 1]);
    return add_entry(lex, e);
}

#define LINE_ERR(...) \
    do { \
        char why_[256]; \
        snprintf(why_, sizeof why_, __VA_ARGS__); \
        return bl_error_set(err, BL_ECORRUPT, "%s:%zu: %s", name, lineno, why_); \
    } while (0)

/* Parses one non-comment line (modified in place). */
static int parse_line(bl_lexicon *lex, char *line, const char *name, size_t lineno,
                      bl_error *err)
{
    char *p = line, *kind_s, *f1 = NULL, *f2 = NULL, *f3 = NULL, *phrase;
    size_t n;
    bl_lex_entry e;
    memset(&e, 0, sizeof e);
    e.category = -1;
    e.factor = 1;
    if (!next_field(&p, &kind_s))
        return 0;
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcmp(kind_s, kinds[i].name) == 0)
            e.kind = kinds[i].kind;
    if (!e.kind)
        LINE_ERR("unknown kind '%s' (noun, measure, person, verb, unit, currency, context, "
                 "unless, qualifier, veto, campaign, campaign-word, campaign-drop)", kind_s);

    switch (e.kind) {
    case BL_LEX_NOUN:
    case BL_LEX_MEASURE:
    case BL_LEX_VERB:
    case BL_LEX_CONTEXT:
    case BL_LEX_UNLESS:
    case BL_LEX_UNIT:
        if (!next_field(&p, &f1) || !next_field(&p, &f2))
            LINE_ERR("%s needs a category, a language and a phrase", kind_s);
        e.category = bl_fact_category_index(f1);
        /* A measure word may count anything ("个"): category "any". */
        if (e.category < 0 && !(e.kind == BL_LEX_MEASURE && strcmp(f1, "any") == 0))
            LINE_ERR("unknown category '%s'", f1);
        if (parse_lang(f2, &e.lang))
            LINE_ERR("unknown language '%s' (en, zh, any)", f2);
        if (e.kind == BL_LEX_UNIT) {
            if (!next_field(&p, &f3) || parse_factor(f3, &e.factor))
                LINE_ERR("unit needs a positive factor before its phrase");
        }
        break;
    case BL_LEX_PERSON:
    case BL_LEX_CAMPAIGN:
    case BL_LEX_CAMPAIGN_WORD:
    case BL_LEX_CAMPAIGN_DROP:
    case BL_LEX_CAMPAIGN_STOP:
        if (!next_field(&p, &f1))
            LINE_ERR("%s needs a language and a phrase", kind_s);
        if (parse_lang(f1, &e.lang))
            LINE_ERR("unknown language '%s' (en, zh, any)", f1);
        break;
    case BL_LEX_CURRENCY:
        if (!next_field(&p, &f1) || !next_field(&p, &f2) || !next_field(&p, &f3))
            LINE_ERR("currency needs a code, a language, a factor, a place and a phrase");
        if (strlen(f1) != 3 || !isupper((unsigned char)f1[0]) ||
            !isupper((unsigned char)f1[1]) || !isupper((unsigned char)f1[2]))
            LINE_ERR("currency code '%s' is not three capital letters (ISO 4217)", f1);
        memcpy(e.tag, f1, 4);
        if (parse_lang(f2, &e.lang))
            LINE_ERR("unknown language '%s' (en, zh, any)", f2);
        if (parse_factor(f3, &e.factor))
            LINE_ERR("currency needs a positive factor before its place");
        if (!next_field(&p, &f3) || parse_place(f3, &e.place))
            LINE_ERR("currency needs a place (before, after, any) before its phrase");
        break;
    case BL_LEX_QUALIFIER:
        if (!next_field(&p, &f1) || !next_field(&p, &f2) || !next_field(&p, &f3))
            LINE_ERR("qualifier needs an operator, a language, a place and a phrase");
        if (strcmp(f1, ">=") && strcmp(f1, "<=") && strcmp(f1, "="))
            LINE_ERR("qualifier operator '%s' is not >=, <= or =", f1);
        snprintf(e.tag, sizeof e.tag, "%s", f1);
        if (parse_lang(f2, &e.lang))
            LINE_ERR("unknown language '%s' (en, zh, any)", f2);
        if (parse_place(f3, &e.place))
            LINE_ERR("unknown place '%s' (before, after, any)", f3);
        break;
    case BL_LEX_VETO:
        if (!next_field(&p, &f1) || !next_field(&p, &f2))
            LINE_ERR("veto needs a language, a place and a phrase");
        if (parse_lang(f1, &e.lang))
            LINE_ERR("unknown language '%s' (en, zh, any)", f1);
        if (parse_place(f2, &e.place))
            LINE_ERR("unknown place '%s' (before, after, any)", f2);
        break;
    }
    phrase = rest_of_line(p, &n);
    if (!phrase)
        LINE_ERR("%s has no phrase", kind_s);

    if (e.kind != BL_LEX_CAMPAIGN)
        return add_phrase(lex, &e, phrase, n) ? bl_error_set(err, BL_ENOMEM, "out of memory")
                                              : 0;

    /* campaign LANG Canonical Name | alias | alias */
    char *bar = strchr(phrase, '|');
    size_t canon_len = bar ? (size_t)(bar - phrase) : n;
    while (canon_len > 0 && (phrase[canon_len - 1] == ' ' || phrase[canon_len - 1] == '\t'))
        canon_len--;
    if (canon_len == 0)
        LINE_ERR("campaign has an empty name");
    e.canonical = keep(lex, phrase, canon_len, 0);
    if (!e.canonical || add_phrase(lex, &e, phrase, canon_len))
        return bl_error_set(err, BL_ENOMEM, "out of memory");
    while (bar) {
        char *alias = bar + 1;
        bar = strchr(alias, '|');
        if (bar)
            *bar = '\0';
        size_t an;
        char *a = rest_of_line(alias, &an);
        if (!a)
            LINE_ERR("campaign '%s' has an empty alias", e.canonical);
        if (add_phrase(lex, &e, a, an))
            return bl_error_set(err, BL_ENOMEM, "out of memory");
    }
    return 0;
}

/* Sorts entry indexes into buckets (counting sort): two passes, no lists. */
static int build_buckets(bl_lexicon *lex, int tail, size_t **idx_out,
                         size_t start[LEX_BUCKETS + 1])
{
    size_t *idx = malloc((lex->n ? lex->n : 1) * sizeof *idx);
    size_t fill[LEX_BUCKETS];
    if (!idx)
        return BL_ENOMEM;
    memset(start, 0, (LEX_BUCKETS + 1) * sizeof start[0]);
    for (size_t i = 0; i < lex->n; i++) {
        const bl_lex_entry *e = &lex->entries[i];
        unsigned b = tail ? tail_bucket(e->phrase, e->phrase_len)
                          : head_bucket(e->phrase, e->phrase_len);
        start[b + 1]++;
    }
    for (size_t b = 0; b < LEX_BUCKETS; b++)
        start[b + 1] += start[b];
    memcpy(fill, start, sizeof fill);
    for (size_t i = 0; i < lex->n; i++) {
        const bl_lex_entry *e = &lex->entries[i];
        unsigned b = tail ? tail_bucket(e->phrase, e->phrase_len)
                          : head_bucket(e->phrase, e->phrase_len);
        idx[fill[b]++] = i;
    }
    *idx_out = idx;
    return 0;
}

/* Parses a whole lexicon held in memory; name is used in error messages. */
static int parse_buffer(const char *buf, size_t len, const char *name, bl_lexicon **out,
                        bl_error *err)
{
    int rc = 0;
    size_t lineno = 0, pos = 0;
    char line[LEX_MAX_LINE + 1];
    bl_lexicon *lex = calloc(1, sizeof *lex);
    *out = NULL;
    if (!lex)
        return bl_error_set(err, BL_ENOMEM, "out of memory");
    while (pos < len) {
        const char *nl = memchr(buf + pos, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - (buf + pos)) : len - pos;
        lineno++;
        if (n > LEX_MAX_LINE) {
            rc = bl_error_set(err, BL_ETOOBIG, "%s:%zu: line longer than %d bytes", name,
                              lineno, LEX_MAX_LINE);
            goto done;
        }
        memcpy(line, buf + pos, n);
        line[n] = '\0';
        pos += n + (nl ? 1 : 0);
        if (n > 0 && line[n - 1] == '\r')
            line[--n] = '\0';
        if (memchr(line, '\0', n)) {
            rc = bl_error_set(err, BL_ECORRUPT, "%s:%zu: NUL byte in line", name, lineno);
            goto done;
        }
        if (lineno == 1 && n >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0)
            memmove(line, line + 3, n - 2); /* byte order mark */
        char *s = line;
        while (*s == ' ' || *s == '\t')
            s++;
        if (*s == '\0' || *s == '#')
            continue;
        rc = parse_line(lex, s, name, lineno, err);
        if (rc)
            goto done;
        if (lex->n > LEX_MAX_ENTRIES) {
            rc = bl_error_set(err, BL_ETOOBIG, "%s:%zu: more than %d entries", name, lineno,
                              LEX_MAX_ENTRIES);
            goto done;
        }
    }
    if ((rc = build_buckets(lex, 0, &lex->head_idx, lex->head_start)) ||
        (rc = build_buckets(lex, 1, &lex->tail_idx, lex->tail_start))) {
        bl_error_set(err, rc, "out of memory");
        goto done;
    }
    *out = lex;
    lex = NULL;
done:
    bl_lexicon_free(lex);
    return rc;
}

/* Reads a whole file, at most LEX_MAX_BYTES; *buf is the caller's. */
static int read_file(const char *path, char **buf, size_t *len, bl_error *err)
{
    int rc = 0;
    char *b = NULL;
    size_t n = 0;
    FILE *f = fopen(path, "rb");
    *buf = NULL;
    if (!f)
        return bl_error_set_errno(err, errno == ENOENT ? BL_ENOTFOUND : BL_EIO, errno,
                                  "cannot open lexicon %s", path);
    b = malloc(LEX_MAX_BYTES + 1);
    if (!b) {
        rc = bl_error_set(err, BL_ENOMEM, "out of memory");
        goto done;
    }
    n = fread(b, 1, LEX_MAX_BYTES + 1, f);
    if (ferror(f)) {
        rc = bl_error_set(err, BL_EIO, "cannot read lexicon %s", path);
        goto done;
    }
    if (n > LEX_MAX_BYTES) {
        rc = bl_error_set(err, BL_ETOOBIG, "lexicon %s is larger than %u bytes", path,
                          LEX_MAX_BYTES);
        goto done;
    }
    *buf = b;
    *len = n;
    b = NULL;
done:
    free(b);
    fclose(f);
    return rc;
}

static int load_file(const char *path, bl_lexicon **out, bl_error *err)
{
    char *buf = NULL;
    size_t len = 0;
    int rc = read_file(path, &buf, &len, err);
    if (rc)
        return rc;
    rc = parse_buffer(buf, len, path, out, err);
    free(buf);
    return rc;
}

static int file_exists(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    fclose(f);
    return 1;
}

int bl_lexicon_load(const char *path, bl_lexicon **out, bl_error *err)
{
    const char *env;
    *out = NULL;
    if (path)
        return load_file(path, out, err);
    env = getenv("BLOTTER_LEXICON");
    if (env && *env)
        return load_file(env, out, err);
#ifdef BL_LEXICON_INSTALLED
    if (file_exists(BL_LEXICON_INSTALLED))
        return load_file(BL_LEXICON_INSTALLED, out, err);
#endif
#ifdef BL_LEXICON_SOURCE
    if (file_exists(BL_LEXICON_SOURCE))
        return load_file(BL_LEXICON_SOURCE, out, err);
#endif
    return bl_lexicon_load_builtin(out, err);
}

int bl_lexicon_load_builtin(bl_lexicon **out, bl_error *err)
{
    return parse_buffer((const char *)bl_lexicon_builtin, bl_lexicon_builtin_len,
                        "(built-in lexicon.txt)", out, err);
}

static pthread_once_t default_once = PTHREAD_ONCE_INIT;
static bl_lexicon *default_lex;
static bl_error default_err;

static void load_default(void)
{
    if (bl_lexicon_load(NULL, &default_lex, &default_err))
        default_lex = NULL;
}

const bl_lexicon *bl_lexicon_default(bl_error *err)
{
    pthread_once(&default_once, load_default);
    if (!default_lex)
        bl_error_set(err, default_err.code ? default_err.code : BL_ERR, "%s",
                     default_err.msg);
    return default_lex;
}

/* ---- matching ---- */

static int lang_fits(int entry_lang, int lang)
{
    return entry_lang == BL_LANG_ANY || lang == BL_LANG_ANY || entry_lang == lang;
}

static int same_folded(const char *text, const char *phrase, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (lower((unsigned char)text[i]) != (unsigned char)phrase[i])
            return 0;
    return 1;
}

/* Whole-word test for English phrases at text[start..end). */
static int bounded(const bl_lex_entry *e, const char *text, size_t len, size_t start,
                   size_t end)
{
    if (!e->word_bounded)
        return 1;
    /* A digit may touch a unit ("5kg"); a letter may not touch a word. */
    if (ascii_alnum_byte(e->phrase[0]) && start > 0 &&
        bl_is_ascii_alpha((unsigned char)text[start - 1]))
        return 0;
    if (ascii_alnum_byte(e->phrase[e->phrase_len - 1]) && end < len &&
        ascii_alnum_byte(text[end]))
        return 0;
    return 1;
}

/* Best entry in one bucket: the longest phrase that fits at text[start..). */
static const bl_lex_entry *scan_bucket(const bl_lexicon *lex, const size_t *idx,
                                       const size_t *bstart, unsigned b, const char *text,
                                       size_t len, size_t pos, int at_end, int kind, int lang,
                                       int category, const bl_lex_entry *best)
{
    for (size_t k = bstart[b]; k < bstart[b + 1]; k++) {
        const bl_lex_entry *e = &lex->entries[idx[k]];
        if ((kind && e->kind != kind) || !lang_fits(e->lang, lang))
            continue;
        if (category != BL_ANY_CATEGORY && e->category != category)
            continue;
        if (best && e->phrase_len <= best->phrase_len)
            continue;
        size_t start;
        if (at_end) {
            if (e->phrase_len > pos)
                continue;
            start = pos - e->phrase_len;
        } else {
            if (e->phrase_len > len - pos)
                continue;
            start = pos;
        }
        if (same_folded(text + start, e->phrase, e->phrase_len) &&
            bounded(e, text, len, start, start + e->phrase_len))
            best = e;
    }
    return best;
}

const bl_lex_entry *bl_lex_match(const bl_lexicon *lex, const char *text, size_t len,
                                 size_t pos, int kind, int lang)
{
    return bl_lex_match_category(lex, text, len, pos, kind, lang, BL_ANY_CATEGORY);
}

const bl_lex_entry *bl_lex_match_category(const bl_lexicon *lex, const char *text, size_t len,
                                          size_t pos, int kind, int lang, int category)
{
    if (!lex || pos >= len)
        return NULL;
    unsigned char a = (unsigned char)text[pos];
    unsigned two = bucket2(a, pos + 1 < len ? (unsigned char)text[pos + 1] : 0);
    unsigned one = bucket2(a, 0);
    const bl_lex_entry *best = scan_bucket(lex, lex->head_idx, lex->head_start, two, text,
                                           len, pos, 0, kind, lang, category, NULL);
    if (one != two)
        best = scan_bucket(lex, lex->head_idx, lex->head_start, one, text, len, pos, 0, kind,
                           lang, category, best);
    return best;
}

const bl_lex_entry *bl_lex_match_ending(const bl_lexicon *lex, const char *text, size_t len,
                                        size_t end, int kind, int lang)
{
    if (!lex || end == 0 || end > len)
        return NULL;
    unsigned char a = (unsigned char)text[end - 1];
    unsigned two = bucket2(a, end > 1 ? (unsigned char)text[end - 2] : 0);
    unsigned one = bucket2(a, 0);
    const bl_lex_entry *best = scan_bucket(lex, lex->tail_idx, lex->tail_start, two, text,
                                           len, end, 1, kind, lang, BL_ANY_CATEGORY, NULL);
    if (one != two)
        best = scan_bucket(lex, lex->tail_idx, lex->tail_start, one, text, len, end, 1, kind,
                           lang, BL_ANY_CATEGORY, best);
    return best;
}

size_t bl_lex_count(const bl_lexicon *lex)
{
    return lex ? lex->n : 0;
}

const bl_lex_entry *bl_lex_entry_at(const bl_lexicon *lex, size_t i)
{
    return (lex && i < lex->n) ? &lex->entries[i] : NULL;
}

int bl_lang_code(const char *lang)
{
    if (lang && strcmp(lang, "en") == 0)
        return BL_LANG_EN;
    if (lang && strcmp(lang, "zh") == 0)
        return BL_LANG_ZH;
    return BL_LANG_ANY;
}
