/* blotter: numeric facts, a number and the words around it.
 *
 * One pass over the text finds every written number (bl_number.c). For each,
 * the words beside it decide, through the lexicon, whether it is a fact and
 * of which category; code here knows grammar (where to look, what ends a
 * clause), the lexicon knows vocabulary (which words mean what). In order:
 *
 *   1. vetoes: digits glued to "-", "/", ":" (dates, phone and case numbers),
 *      ordinals, years, and lexicon "veto" phrases (ages, sections, percent);
 *   2. money: a currency phrase before ("$", "人民币") or after ("dollars", "元");
 *   3. units after the number ("months", "pounds", "吨"); a unit whose category
 *      has "context" phrases (prison) needs one of them nearby; "five years
 *      and three months" and "十年六个月" add up;
 *   4. counts: English looks at the words after the number for a noun ("735
 *      criminal cases") or a person word whose category comes from a verb in
 *      the clause ("1,050 ... personnel were intercepted"), then at a verb
 *      right before it ("arrested 1,461"); Chinese looks at the measure word
 *      after it (名, 起, 个), a noun right after that, or the nearest noun
 *      before it in the clause ("抓获犯罪嫌疑人1461名"), then a verb.
 *
 * Every look is bounded (a clause, a few words, BL_WINDOW bytes), so the cost
 * is linear in the text; bytes that are not UTF-8 are stepped over one by one.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "bl_facts_internal.h"
#include "bl_schema.h"

#define BL_WINDOW 120         /* bytes looked at on either side of a number */
#define BL_EN_NOUN_WORDS 5    /* words after a number that may hold its noun */
#define BL_ZH_NOUN_BYTES 33   /* bytes (eleven characters) after a measure word */
#define BL_FACTS_MAX_TEXT (256u << 20)

typedef struct span {
    size_t start, end;
} span;

/* English function words: a noun phrase after a number ends at one. This is
 * grammar, not vocabulary of categories, so it lives here. */
static const char *const en_stop_words[] = {
    "of", "in", "on", "at", "to", "from", "for", "by", "with", "after", "before",
    "during", "since", "until", "into", "over", "under", "about", "against", "between",
    "among", "who", "whom", "whose", "that", "which", "when", "where", "while", "were",
    "was", "are", "is", "be", "been", "being", "have", "has", "had", "will", "would",
    "could", "should", "may", "might", "but", "as", "than", "this", "these", "those",
    "the", "a", "an", "his", "her", "their", "its", "per", "each", "through", "across",
    "including", "if", "because", "also", "not", "all",
};

static int is_en_stop_word(const char *s, size_t n)
{
    for (size_t i = 0; i < sizeof en_stop_words / sizeof en_stop_words[0]; i++)
        if (strlen(en_stop_words[i]) == n && strncasecmp(s, en_stop_words[i], n) == 0)
            return 1;
    return 0;
}

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static int is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* Code point at text[pos] (0 at the end). */
static unsigned cp_at(const char *text, size_t len, size_t pos, size_t *n)
{
    unsigned cp = 0;
    size_t k = pos < len ? bl_utf8_next(text + pos, len - pos, &cp) : 0;
    if (n)
        *n = k;
    return cp;
}

/* Code point ending at text[pos] (0 at the start). */
static unsigned cp_before(const char *text, size_t pos, size_t *start)
{
    if (pos == 0) {
        if (start)
            *start = 0;
        return 0;
    }
    size_t p = bl_utf8_prev(text, pos);
    unsigned cp;
    bl_utf8_next(text + p, pos - p, &cp);
    if (start)
        *start = p;
    return cp;
}

/* Ends a sentence: . ! ? ; and their Chinese forms, and line breaks. A full
 * stop between digits ("1.5") or before a lowercase letter ("U.S.C.") does not. */
static int ends_sentence(const char *text, size_t len, size_t pos, unsigned cp)
{
    if (cp == 0x3002 || cp == 0xFF01 || cp == 0xFF1F || cp == 0xFF1B || cp == ';' ||
        cp == '!' || cp == '?' || cp == '\n')
        return 1;
    if (cp == '.') {
        if (pos + 1 < len && !is_space((unsigned char)text[pos + 1]))
            return 0;
        return 1;
    }
    return 0;
}

/* Ends a clause: a sentence end, or a comma, colon, dash between words. */
static int ends_clause(const char *text, size_t len, size_t pos, unsigned cp)
{
    if (ends_sentence(text, len, pos, cp))
        return 1;
    if (cp == 0xFF0C || cp == 0x3001 || cp == 0xFF1A || cp == ':' || cp == '(' || cp == ')' ||
        cp == 0xFF08 || cp == 0xFF09)
        return cp != '(' && cp != ')' && cp != 0xFF08 && cp != 0xFF09;
    if (cp == ',') {
        /* "1,461" keeps going; ", " ends the clause */
        return !(pos > 0 && pos + 1 < len && is_digit((unsigned char)text[pos - 1]) &&
                 is_digit((unsigned char)text[pos + 1]));
    }
    return 0;
}

/* The clause (or sentence) around [start, end), at most BL_WINDOW bytes
 * either side. */
static span around(const char *text, size_t len, size_t start, size_t end, int sentence)
{
    span s = {start, end};
    size_t lo = start > BL_WINDOW ? start - BL_WINDOW : 0;
    size_t hi = len - end > BL_WINDOW ? end + BL_WINDOW : len;
    while (s.start > lo) {
        size_t p;
        unsigned cp = cp_before(text, s.start, &p);
        if (p < lo)
            break;
        if (sentence ? ends_sentence(text, len, p, cp) : ends_clause(text, len, p, cp))
            break;
        s.start = p;
    }
    while (s.end < hi) {
        size_t n;
        unsigned cp = cp_at(text, len, s.end, &n);
        if (s.end + n > hi)
            break;
        if (sentence ? ends_sentence(text, len, s.end, cp) : ends_clause(text, len, s.end, cp))
            break;
        s.end += n;
    }
    return s;
}

static size_t skip_spaces(const char *text, size_t len, size_t pos)
{
    while (pos < len && (is_space((unsigned char)text[pos])))
        pos++;
    return pos;
}

static size_t skip_spaces_back(const char *text, size_t pos)
{
    while (pos > 0 && is_space((unsigned char)text[pos - 1]))
        pos--;
    return pos;
}

/* ---- the state of one number being judged ---- */

typedef struct cand {
    const char *text;
    size_t len;
    int lang;            /* BL_LANG_EN or BL_LANG_ZH for this number */
    size_t start, end;   /* the number itself */
    size_t fact_start, fact_end;
    bl_num num;
    double value;
    char qualifier[3];
    char currency[4];
    int category;
} cand;

static void set_qualifier(cand *c, const char *op)
{
    size_t n = strlen(op) < 2 ? strlen(op) : 2;
    memcpy(c->qualifier, op, n);
    c->qualifier[n] = '\0';
}

/* The language of the words around a number when the caller did not say. */
static int local_lang(const char *text, size_t len, size_t start, size_t end, int lang)
{
    if (lang != BL_LANG_ANY)
        return lang;
    size_t p = skip_spaces_back(text, start);
    if (bl_is_cjk(cp_before(text, p, NULL)))
        return BL_LANG_ZH;
    unsigned cp = cp_at(text, len, skip_spaces(text, len, end), NULL);
    if (bl_is_cjk(cp) || cp == 0xFF0C || cp == 0x3002)
        return BL_LANG_ZH;
    return BL_LANG_EN;
}

/* Digits glued to a date, time, phone, case or section number, an ordinal,
 * a word ("H1N1"), or a decimal of an id ("1.2.3"): not a quantity. */
static int glued(const char *text, size_t len, const cand *c)
{
    size_t s = c->start, e = c->end;
    if (c->num.form != BL_NUM_DIGITS)
        return 0;
    if (s > 0) {
        unsigned char b = (unsigned char)text[s - 1];
        if (bl_is_ascii_alpha(b) || b == '#' || b == '/' || b == ':' || b == '_' || b == '.')
            return 1;
        if ((b == '-' || b == ',') && s > 1 && bl_is_ascii_alnum((unsigned char)text[s - 2]))
            return 1;
    }
    if (e < len) {
        unsigned char a = (unsigned char)text[e];
        if ((a == '-' || a == '/' || a == ':' || a == '.' || a == ',') && e + 1 < len &&
            is_digit((unsigned char)text[e + 1]))
            return 1;
        if (a == '%')
            return 1;
        /* ordinals and glued letters: 5th, 2nd, 10am; units such as 5kg pass */
        if (bl_is_ascii_alpha(a)) {
            static const char *const ord[] = {"st", "nd", "rd", "th", "am", "pm"};
            for (size_t i = 0; i < sizeof ord / sizeof ord[0]; i++)
                if (e + 2 <= len && strncasecmp(text + e, ord[i], 2) == 0 &&
                    !(e + 2 < len && bl_is_ascii_alpha((unsigned char)text[e + 2])))
                    return 1;
        }
    }
    return 0;
}

/* A lexicon veto right before or right after the number. */
static int vetoed(const bl_lexicon *lex, const cand *c, size_t after)
{
    size_t b = skip_spaces_back(c->text, c->start);
    const bl_lex_entry *v = bl_lex_match_ending(lex, c->text, c->len, b, BL_LEX_VETO, c->lang);
    if (v && v->place != BL_PLACE_AFTER)
        return 1;
    v = bl_lex_match_ending(lex, c->text, c->len, c->start, BL_LEX_VETO, c->lang);
    if (v && v->place != BL_PLACE_AFTER)
        return 1;
    size_t a = skip_spaces(c->text, c->len, after);
    v = bl_lex_match(lex, c->text, c->len, a, BL_LEX_VETO, c->lang);
    if (v && v->place != BL_PLACE_BEFORE)
        return 1;
    v = bl_lex_match(lex, c->text, c->len, after, BL_LEX_VETO, c->lang);
    if (v && v->place != BL_PLACE_BEFORE)
        return 1;
    return 0;
}

/* A bare year: 1900..2099 written as four plain digits. */
static int looks_like_year(const cand *c)
{
    return c->num.form == BL_NUM_DIGITS && c->num.n_digits == 4 && !c->num.grouped &&
           !c->num.has_decimal && !c->num.has_scale && c->value >= 1900 && c->value <= 2099;
}

/* Qualifier phrases right before the number ("more than", "近"); moves
 * fact_start over them. Several may stack ("a total of more than"). */
static void qualifier_before(const bl_lexicon *lex, cand *c)
{
    size_t p = c->fact_start;
    for (int i = 0; i < 3; i++) {
        size_t b = skip_spaces_back(c->text, p);
        const bl_lex_entry *q =
            bl_lex_match_ending(lex, c->text, c->len, b, BL_LEX_QUALIFIER, c->lang);
        if (!q || q->place == BL_PLACE_AFTER)
            break;
        if (strcmp(q->tag, "=") != 0 && strcmp(c->qualifier, "=") == 0)
            set_qualifier(c, q->tag);
        p = b - q->phrase_len;
    }
    c->fact_start = p;
}

/* Qualifier phrases right after the number ("多", "余", "以上", "or more");
 * returns the position after them. */
static size_t qualifier_after(const bl_lexicon *lex, cand *c, size_t pos)
{
    for (int i = 0; i < 2; i++) {
        size_t a = c->lang == BL_LANG_EN ? skip_spaces(c->text, c->len, pos) : pos;
        const bl_lex_entry *q = bl_lex_match(lex, c->text, c->len, a, BL_LEX_QUALIFIER, c->lang);
        if (!q || q->place == BL_PLACE_BEFORE)
            break;
        if (strcmp(q->tag, "=") != 0)
            set_qualifier(c, q->tag);
        pos = a + q->phrase_len;
    }
    return pos;
}

/* ---- money ---- */

/* "$2.5M", "$300K": letter scales only right after a currency sign. */
static size_t letter_scale(const char *text, size_t len, size_t pos, double *scale)
{
    if (pos >= len || (pos + 1 < len && bl_is_ascii_alnum((unsigned char)text[pos + 1])))
        return 0;
    switch (text[pos]) {
    case 'K': case 'k': *scale = 1e3; return 1;
    case 'M': case 'm': *scale = 1e6; return 1;
    case 'B': case 'b': *scale = 1e9; return 1;
    }
    return 0;
}

static int find_money(const bl_lexicon *lex, cand *c, size_t post)
{
    const char *t = c->text;
    size_t b = skip_spaces_back(t, c->start);
    const bl_lex_entry *cur = NULL;
    if (c->start - b <= 1)
        cur = bl_lex_match_ending(lex, t, c->len, b, BL_LEX_CURRENCY, c->lang);
    if (cur && cur->place == BL_PLACE_AFTER)
        cur = NULL;
    if (cur) {
        double scale;
        size_t k = letter_scale(t, c->len, post, &scale);
        if (k && !c->num.has_scale) {
            c->value *= scale;
            post += k;
        }
        c->fact_start = b - cur->phrase_len;
        qualifier_before(lex, c);
        c->value *= cur->factor;
        memcpy(c->currency, cur->tag, 4);
        c->fact_end = post;
        /* "人民币300万元": a currency word after too belongs to the fact */
        size_t a = c->lang == BL_LANG_EN ? skip_spaces(t, c->len, post) : post;
        const bl_lex_entry *after = bl_lex_match(lex, t, c->len, a, BL_LEX_CURRENCY, c->lang);
        if (after && after->place != BL_PLACE_BEFORE && strcmp(after->tag, cur->tag) == 0)
            c->fact_end = a + after->phrase_len;
        return 1;
    }
    size_t a = c->lang == BL_LANG_EN ? skip_spaces(t, c->len, post) : post;
    if (a - post > 1)
        return 0;
    cur = bl_lex_match(lex, t, c->len, a, BL_LEX_CURRENCY, c->lang);
    if (!cur || cur->place == BL_PLACE_BEFORE)
        return 0;
    c->value *= cur->factor;
    memcpy(c->currency, cur->tag, 4);
    c->fact_end = a + cur->phrase_len;
    return 1;
}

/* ---- units ---- */

/* Whether a context phrase of category cat stands in the sentence near c. */
static int has_context(const bl_lexicon *lex, const cand *c, int cat, size_t unit_end)
{
    span s = around(c->text, c->len, c->start, unit_end, 1);
    int needs = 0;
    size_t n = bl_lex_count(lex);
    for (size_t i = 0; i < n && !needs; i++) {
        const bl_lex_entry *e = bl_lex_entry_at(lex, i);
        if (e->kind == BL_LEX_CONTEXT && e->category == cat &&
            (e->lang == BL_LANG_ANY || e->lang == c->lang))
            needs = 1;
    }
    if (!needs)
        return 1;
    for (size_t p = s.start; p < s.end; p++) {
        if (bl_lex_match_category(lex, c->text, s.end, p, BL_LEX_CONTEXT, c->lang, cat))
            return 1;
    }
    return 0;
}

/* A unit right after pos; *end gets its end. */
static const bl_lex_entry *unit_at(const bl_lexicon *lex, const cand *c, size_t pos,
                                   size_t *end)
{
    size_t a = pos;
    if (a < c->len && (c->text[a] == '-' || c->text[a] == ' '))
        a++;
    const bl_lex_entry *u = bl_lex_match(lex, c->text, c->len, a, BL_LEX_UNIT, c->lang);
    if (!u)
        return NULL;
    *end = a + u->phrase_len;
    return u;
}

static int find_unit(const bl_lexicon *lex, cand *c, size_t post)
{
    size_t end;
    const bl_lex_entry *u = unit_at(lex, c, post, &end);
    if (!u)
        return 0;
    if (looks_like_year(c) && u->category == BL_FACT_prison_months)
        return 0; /* "2019年" is a date; "2000多吨" is a weight */
    c->value *= u->factor;
    /* A second part in a smaller unit of the same category: "five years and
     * three months", "十年六个月", "五年零三个月", "2 pounds 3 ounces". */
    size_t p = end;
    for (int i = 0; i < 2; i++) {
        size_t q = skip_spaces(c->text, c->len, p);
        if (q + 4 <= c->len && strncasecmp(c->text + q, "and ", 4) == 0)
            q = skip_spaces(c->text, c->len, q + 4);
        else if (q + 3 <= c->len && memcmp(c->text + q, "零", 3) == 0)
            q += 3;
        bl_num more;
        size_t n = bl_num_scan(c->text + q, c->len - q, &more);
        if (!n)
            break;
        size_t end2;
        cand tmp = *c;
        const bl_lex_entry *u2 = unit_at(lex, &tmp, q + n, &end2);
        if (!u2 || u2->category != u->category || u2->factor >= u->factor)
            break;
        c->value += more.value * u2->factor;
        p = end = end2;
        u = u2;
    }
    if (vetoed(lex, c, end))
        return -1;
    if (!has_context(lex, c, u->category, end))
        return -1;
    c->category = u->category;
    c->fact_end = end;
    return 1;
}

/* ---- counts ---- */

static int is_people_category(int cat)
{
    return cat == BL_FACT_suspects || cat == BL_FACT_defendants || cat == BL_FACT_intercepted ||
           cat == BL_FACT_victims;
}

/* The nearest verb in the clause around [from, to); -1 when none. With
 * people set, only verbs that say what happened to people count ("filed"
 * and "cracked" are about cases, not about "five others"). */
static int verb_category_of(const bl_lexicon *lex, const cand *c, size_t from, size_t to,
                            int people)
{
    span s = around(c->text, c->len, from, to, 0);
    int best = -1;
    size_t best_dist = (size_t)-1;
    for (size_t p = s.start; p < s.end; p++) {
        if (p >= from && p < to)
            continue;
        const bl_lex_entry *v = bl_lex_match(lex, c->text, s.end, p, BL_LEX_VERB, c->lang);
        if (!v || (people && !is_people_category(v->category)))
            continue;
        size_t dist = p < from ? (p + v->phrase_len <= from ? from - p - v->phrase_len : 0)
                               : p - to;
        if (dist < best_dist) {
            best_dist = dist;
            best = v->category;
        }
        p += v->phrase_len - 1;
    }
    return best;
}

static int verb_category(const bl_lexicon *lex, const cand *c, size_t from, size_t to)
{
    return verb_category_of(lex, c, from, to, 0);
}

static int people_verb_category(const bl_lexicon *lex, const cand *c, size_t from, size_t to)
{
    return verb_category_of(lex, c, from, to, 1);
}

/* Suspects who are charged, prosecuted or sentenced are defendants: "对56名
 * 犯罪嫌疑人提起公诉", "12 suspects were indicted". */
static int promote(int noun_category, int verb_cat)
{
    if (noun_category == BL_FACT_suspects && verb_cat == BL_FACT_defendants)
        return BL_FACT_defendants;
    return noun_category;
}

/* A verb right before the number ("arrested 1,461", "刑拘300余人"). */
static const bl_lex_entry *verb_before(const bl_lexicon *lex, const cand *c)
{
    size_t b = skip_spaces_back(c->text, c->fact_start);
    return bl_lex_match_ending(lex, c->text, c->len, b, BL_LEX_VERB, c->lang);
}

static int word_len(const char *t, size_t len, size_t p)
{
    size_t q = p;
    while (q < len && (bl_is_ascii_alnum((unsigned char)t[q]) || t[q] == '-' || t[q] == '\''))
        q++;
    return (int)(q - p);
}

static int find_count_en(const bl_lexicon *lex, cand *c, size_t post)
{
    const char *t = c->text;
    size_t p = post;
    int words = 0;
    const bl_lex_entry *hit = NULL;
    size_t hit_end = 0;
    /* The noun phrase after the number: up to a few words, to a stop word. */
    while (p < c->len && words < BL_EN_NOUN_WORDS) {
        while (p < c->len && (t[p] == ' ' || t[p] == '\t'))
            p++; /* a line break ends the phrase: headlines stand alone */
        size_t n;
        unsigned cp = cp_at(t, c->len, p, &n);
        if (cp == '"' || cp == 0x201C || cp == 0x201D || cp == '\'' || cp == 0x2018 ||
            cp == 0x2019) {
            p += n;
            continue;
        }
        if (cp == '(') { /* "(frontier)": a parenthesis stays in the phrase */
            const char *close = memchr(t + p, ')', c->len - p < 40 ? c->len - p : 40);
            if (!close)
                break;
            p = (size_t)(close - t) + 1;
            continue;
        }
        const bl_lex_entry *e = bl_lex_match(lex, t, c->len, p, 0, c->lang);
        if (e && (e->kind == BL_LEX_NOUN || e->kind == BL_LEX_PERSON ||
                  e->kind == BL_LEX_MEASURE)) {
            hit = e;
            hit_end = p + e->phrase_len;
            break;
        }
        int w = word_len(t, c->len, p);
        if (w == 0)
            break;
        if (is_en_stop_word(t + p, (size_t)w))
            break;
        if ((w == 3 && strncasecmp(t + p, "and", 3) == 0) ||
            (w == 2 && strncasecmp(t + p, "or", 2) == 0)) {
            /* "entry and exit personnel" goes on; "and 21 gangs" does not */
            size_t q = skip_spaces(t, c->len, p + (size_t)w);
            bl_num nx;
            if (q >= c->len || bl_num_scan(t + q, c->len - q, &nx))
                break;
        }
        if (is_digit((unsigned char)t[p]))
            break;
        p += (size_t)w;
        words++;
    }
    if (hit && (hit->kind == BL_LEX_NOUN || (hit->kind == BL_LEX_MEASURE && hit->category >= 0))) {
        c->category = promote(hit->category, verb_category(lex, c, c->fact_start, hit_end));
        c->fact_end = hit_end;
        return 1;
    }
    if (hit && hit->kind == BL_LEX_PERSON) {
        int cat = people_verb_category(lex, c, c->fact_start, hit_end);
        if (cat < 0)
            return 0;
        c->category = cat;
        c->fact_end = hit_end;
        return 1;
    }
    /* No noun: a verb right before a number that ends its phrase. */
    if (words == 0) {
        const bl_lex_entry *v = verb_before(lex, c);
        if (v) {
            c->category = v->category;
            c->fact_start = skip_spaces_back(t, c->fact_start) - v->phrase_len;
            c->fact_end = post;
            return 1;
        }
    }
    return 0;
}

static int find_count_zh(const bl_lexicon *lex, cand *c, size_t post)
{
    const char *t = c->text;
    const bl_lex_entry *m = bl_lex_match(lex, t, c->len, post, 0, c->lang);
    const bl_lex_entry *noun = NULL;
    size_t after = post, noun_start = 0;
    if (m && (m->kind == BL_LEX_MEASURE || m->kind == BL_LEX_PERSON || m->kind == BL_LEX_NOUN)) {
        after = post + m->phrase_len;
        if (m->kind == BL_LEX_NOUN)
            noun = m;
    } else {
        return 0; /* Chinese counts carry a measure word */
    }
    /* "1461名犯罪嫌疑人", "3个海上走私成品油团伙": a noun soon after the
     * measure word, before the clause or the next number ends the phrase */
    if (!noun) {
        /* The head of a Chinese noun phrase is its last noun: "4名投票箱失火案
         * 嫌疑人" counts suspects. One-character nouns (案, 人) are too often
         * parts of other words (到案, 人员) to count here. */
        for (size_t q = after; q < c->len && q < after + BL_ZH_NOUN_BYTES;) {
            size_t k;
            unsigned cp = cp_at(t, c->len, q, &k);
            if (ends_clause(t, c->len, q, cp) || (cp >= '0' && cp <= '9') || cp == 0x7684)
                break; /* 的 starts a new phrase: "3个省份的团伙" */
            const bl_lex_entry *n2 = bl_lex_match(lex, t, c->len, q, 0, c->lang);
            if (n2 && n2->kind == BL_LEX_VERB)
                break;
            if (n2 && (n2->kind == BL_LEX_NOUN || n2->kind == BL_LEX_PERSON) &&
                n2->phrase_len > 3) {
                noun = n2;
                after = q + n2->phrase_len;
                q = after;
                continue;
            }
            q += k;
        }
    }
    /* "抓获犯罪嫌疑人1461名": the nearest noun before, in the clause */
    if (!noun) {
        span s = around(t, c->len, c->fact_start, post, 0);
        for (size_t e = c->fact_start; e > s.start; e--) {
            const bl_lex_entry *n2 = bl_lex_match_ending(lex, t, c->len, e, 0, c->lang);
            if (n2 && (n2->kind == BL_LEX_NOUN || n2->kind == BL_LEX_PERSON)) {
                noun = n2;
                noun_start = e - n2->phrase_len;
                break;
            }
        }
    }
    int cat = -1;
    size_t from = noun && noun_start ? noun_start : c->fact_start;
    if (noun && noun->kind == BL_LEX_NOUN)
        cat = promote(noun->category, verb_category(lex, c, from, after));
    else if ((noun && noun->kind == BL_LEX_PERSON) || m->kind == BL_LEX_PERSON)
        cat = people_verb_category(lex, c, from, after);
    else if (m->kind == BL_LEX_MEASURE && m->category >= 0 &&
             verb_category(lex, c, from, after) == m->category)
        cat = m->category; /* 起 alone: "破获...735起" yes, "接报警情3.6万起" no */
    if (cat < 0)
        return 0;
    c->category = cat;
    if (noun && noun_start && noun_start < c->fact_start)
        c->fact_start = noun_start;
    c->fact_end = after;
    return 1;
}

/* ---- the pass ---- */

static int add_fact(bl_record *rec, const cand *c)
{
    bl_fact f;
    char buf[512];
    memset(&f, 0, sizeof f);
    snprintf(f.category, sizeof f.category, "%s", bl_fact_categories[c->category]);
    f.value = c->value;
    if (c->category == BL_FACT_weight_kg)
        f.value = round(f.value * 1e6) / 1e6; /* to the milligram: no float dust */
    memcpy(f.qualifier, c->qualifier, sizeof f.qualifier);
    memcpy(f.currency, c->currency, sizeof f.currency);
    size_t n = c->fact_end - c->fact_start;
    if (n >= sizeof buf)
        n = sizeof buf - 1;
    memcpy(buf, c->text + c->fact_start, n);
    buf[n] = '\0';
    f.text = buf;
    f.offset = c->fact_start;
    f.length = c->fact_end - c->fact_start;
    return bl_record_add_fact(rec, &f);
}

/* An "unless" phrase of the fact's category earlier in its sentence, within
 * BL_WINDOW bytes: "faces up to 20 years", "a maximum fine of $250,000". */
static int unless(const bl_lexicon *lex, const cand *c)
{
    span s = around(c->text, c->len, c->fact_start, c->fact_end, 1);
    for (size_t p = s.start; p < c->fact_start; p++) {
        if (bl_lex_match_category(lex, c->text, c->fact_start, p, BL_LEX_UNLESS, c->lang,
                                  c->category))
            return 1;
    }
    return 0;
}

/* Judges the number at [c->start, c->end); 1 when it is a fact. */
static int judge(const bl_lexicon *lex, cand *c)
{
    c->fact_start = c->start;
    c->fact_end = c->end;
    c->value = c->num.value;
    c->category = -1;
    set_qualifier(c, "=");
    c->currency[0] = '\0';
    if (c->num.more)
        set_qualifier(c, ">=");
    if (glued(c->text, c->len, c))
        return 0;
    if (vetoed(lex, c, c->end))
        return 0;
    qualifier_before(lex, c);
    size_t post = qualifier_after(lex, c, c->end);
    if (find_money(lex, c, post)) {
        c->category = BL_FACT_money;
        return c->value > 0 && !unless(lex, c) &&
               has_context(lex, c, BL_FACT_money, c->fact_end);
    }
    int u = find_unit(lex, c, post);
    if (u)
        return u > 0 && c->value > 0 && !unless(lex, c);
    /* A bare year is no count, unless a Chinese measure word follows it:
     * "破获毒品案件1957起" counts cases, "2019年" is a date. */
    if (looks_like_year(c) &&
        !(c->lang == BL_LANG_ZH && bl_lex_match(lex, c->text, c->len, post, BL_LEX_MEASURE, c->lang)))
        return 0;
    if (c->num.has_decimal && !c->num.has_scale)
        return 0; /* "1.5 suspects" is not a count */
    if (c->num.form == BL_NUM_CJK && c->num.len == 3 && c->value == 1)
        return 0; /* 一起, 一名: the article "a", not a count */
    int ok = c->lang == BL_LANG_ZH ? find_count_zh(lex, c, post) : find_count_en(lex, c, post);
    return ok && c->value > 0 && !unless(lex, c);
}

/* Whether a number may start at text[p]: not inside a word or another number. */
static int may_start(const char *text, size_t p, unsigned cp)
{
    if (p == 0)
        return 1;
    unsigned char prev = (unsigned char)text[p - 1];
    if (cp < 0x80 && bl_is_ascii_alpha((int)cp))
        return !bl_is_ascii_alnum(prev) && prev != '-' && prev != '\'';
    if (cp < 0x80 && is_digit((unsigned char)cp))
        return !is_digit(prev);
    return 1;
}

/* Chinese numeral characters that also start ordinary words: a lone one is
 * a number only when a measure word, unit or currency follows. */
static int cjk_numeral_start(unsigned cp)
{
    static const unsigned chars[] = {0x96F6, 0x3007, 0x4E00, 0x4E8C, 0x4E24, 0x4E09, 0x56DB,
                                     0x4E94, 0x516D, 0x4E03, 0x516B, 0x4E5D, 0x5341, 0x767E,
                                     0x5343, 0x4E07, 0x4EBF};
    for (size_t i = 0; i < sizeof chars / sizeof chars[0]; i++)
        if (chars[i] == cp)
            return 1;
    return 0;
}

int bl_facts_find(const bl_lexicon *lex, const char *text, size_t len, const char *lang,
                  bl_record *rec, bl_error *err)
{
    int rc = 0;
    int lang_code = bl_lang_code(lang);
    if (!rec || (!text && len))
        return bl_error_set(err, BL_EINVAL, "bl_facts_find: no record or no text");
    if (len > BL_FACTS_MAX_TEXT)
        return bl_error_set(err, BL_ETOOBIG, "text of %zu bytes is over the facts limit", len);
    if (!lex && !(lex = bl_lexicon_default(err)))
        return err && err->code ? err->code : BL_ERR;
    size_t p = 0;
    while (p < len) {
        size_t n;
        unsigned cp = cp_at(text, len, p, &n);
        int starts = 0;
        if (cp < 0x80) {
            if (is_digit((unsigned char)cp))
                starts = may_start(text, p, cp);
            else if (bl_is_ascii_alpha((int)cp)) {
                if (!may_start(text, p, cp)) {
                    p += n;
                    continue;
                }
                starts = 1;
            }
        } else if ((cp >= 0xFF10 && cp <= 0xFF19) || cjk_numeral_start(cp)) {
            starts = 1;
        }
        if (starts) {
            cand c;
            memset(&c, 0, sizeof c);
            size_t k = bl_num_scan(text + p, len - p, &c.num);
            if (k) {
                c.text = text;
                c.len = len;
                c.start = p;
                c.end = p + k;
                c.lang = local_lang(text, len, c.start, c.end, lang_code);
                if (judge(lex, &c)) {
                    if ((rc = add_fact(rec, &c)) != 0) {
                        bl_error_set(err, rc, "out of memory");
                        goto done;
                    }
                    p = c.fact_end > c.end ? c.fact_end : c.end;
                } else {
                    p = c.end;
                }
                continue;
            }
            if (cp < 0x80 && bl_is_ascii_alpha((int)cp)) {
                /* skip the rest of the word */
                while (p < len && bl_is_ascii_alnum((unsigned char)text[p]))
                    p++;
                continue;
            }
        }
        p += n;
    }
done:
    return rc;
}
