/* blotter: named campaigns and operations, one name each.
 *
 * Three ways to find one, all in one pass over the text:
 *   known    a "campaign" line of the lexicon, by its name or any alias,
 *            gives its first name ("猎狐2019专项行动" -> 猎狐行动);
 *   quoted   a quoted name and a campaign word: "Meerkat Hunting" Action,
 *            "Hundred Days Action", the 'Hundred Days' action, “百日行动”,
 *            “猎狐2019”专项行动;
 *   Operation X  "Operation" and one to four capitalised words.
 * Normalising (docs/facts-taxonomy.md): English quoted names become
 * "<Title Cased Name> Action", US style stays "Operation <Name>"; Chinese names
 * lose years and "campaign-drop" words (专项, 集中) and end in 行动, so
 * “猎狐2019专项行动” and 猎狐行动 are one campaign (the year is in the date).
 * A normalised name that is a lexicon name or alias becomes its first name.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "bl_facts_internal.h"

#define NAME_MAX_BYTES 96   /* longer quoted text is a quotation, not a name */
#define NAME_MAX_WORDS 6

static int is_open_quote(unsigned cp)
{
    return cp == '"' || cp == 0x201C || cp == 0x2018 || cp == '\'' || cp == 0x300C ||
           cp == 0x300E || cp == 0x300A;
}

static unsigned closing_for(unsigned open)
{
    switch (open) {
    case 0x201C: return 0x201D;
    case 0x2018: return 0x2019;
    case 0x300C: return 0x300D;
    case 0x300E: return 0x300F;
    case 0x300A: return 0x300B;
    default: return open;
    }
}

static unsigned cp_at(const char *t, size_t len, size_t p, size_t *n)
{
    unsigned cp = 0;
    *n = p < len ? bl_utf8_next(t + p, len - p, &cp) : 0;
    return cp;
}

/* Appends s[0..n) to buf (size cap), keeping it NUL-terminated. */
static void append(char *buf, size_t cap, size_t *used, const char *s, size_t n)
{
    if (*used + n + 1 > cap)
        n = cap - 1 - *used;
    memcpy(buf + *used, s, n);
    *used += n;
    buf[*used] = '\0';
}

/* A canonical name from the lexicon for name, or name itself. */
static const char *canonical(const bl_lexicon *lex, const char *name, int lang)
{
    size_t n = strlen(name);
    const bl_lex_entry *e = bl_lex_match(lex, name, n, 0, BL_LEX_CAMPAIGN, lang);
    if (e && e->phrase_len == n)
        return e->canonical;
    return name;
}

static int add(bl_record *rec, const char *name, bl_error *err)
{
    if (!name[0])
        return 0;
    if (bl_record_add_campaign(rec, name))
        return bl_error_set(err, BL_ENOMEM, "out of memory");
    return 0;
}

/* English: the words of q[0..n) title-cased, lexicon drop words removed,
 * followed by " Action". 0 when it does not look like a name. */
static int english_name(const bl_lexicon *lex, const char *q, size_t n, char *out,
                        size_t cap)
{
    size_t used = 0, p = 0;
    int words = 0;
    out[0] = '\0';
    while (p < n) {
        while (p < n && q[p] == ' ')
            p++;
        size_t w = p;
        while (w < n && q[w] != ' ')
            w++;
        if (w == p)
            break;
        for (size_t i = p; i < w; i++) {
            unsigned char ch = (unsigned char)q[i];
            if (!(bl_is_ascii_alnum(ch) || ch == '-' || ch == '\'' || ch == '&'))
                return 0; /* sentences and punctuation are not names */
        }
        static const char *const phrase_words[] = {"in", "of", "to", "the", "for", "a",
                                                   "an", "on", "at", "with", "we", "our"};
        for (size_t i = 0; i < sizeof phrase_words / sizeof phrase_words[0]; i++)
            if (strlen(phrase_words[i]) == w - p && strncasecmp(q + p, phrase_words[i], w - p) == 0)
                return 0; /* "Call to Action", "Day of Action": slogans, not names */
        const bl_lex_entry *word = bl_lex_match(lex, q, w, p, BL_LEX_CAMPAIGN_WORD, BL_LANG_EN);
        const bl_lex_entry *drop = bl_lex_match(lex, q, w, p, BL_LEX_CAMPAIGN_DROP, BL_LANG_EN);
        int last = w >= n;
        if (!(word && p + word->phrase_len == w && last) &&
            !(drop && p + drop->phrase_len == w)) {
            if (used)
                append(out, cap, &used, " ", 1);
            char first = q[p];
            if (first >= 'a' && first <= 'z')
                first = (char)(first - 32);
            append(out, cap, &used, &first, 1);
            append(out, cap, &used, q + p + 1, w - p - 1);
            words++;
        }
        p = w;
    }
    if (words == 0 || words > NAME_MAX_WORDS)
        return 0;
    append(out, cap, &used, " Action", 7);
    return 1;
}

/* Chinese: q[0..n) without digits, spaces and drop words, ending in 行动. */
static int chinese_name(const bl_lexicon *lex, const char *q, size_t n, char *out,
                        size_t cap)
{
    size_t used = 0, p = 0, chars = 0;
    out[0] = '\0';
    while (p < n) {
        size_t k;
        unsigned cp = cp_at(q, n, p, &k);
        const bl_lex_entry *word = bl_lex_match(lex, q, n, p, BL_LEX_CAMPAIGN_WORD, BL_LANG_ZH);
        const bl_lex_entry *drop = bl_lex_match(lex, q, n, p, BL_LEX_CAMPAIGN_DROP, BL_LANG_ZH);
        if (word && p + word->phrase_len == n)
            break; /* the campaign word itself is put back below */
        if (drop) {
            p += drop->phrase_len;
            continue;
        }
        if ((cp >= '0' && cp <= '9') || (cp >= 0xFF10 && cp <= 0xFF19) || cp == ' ' ||
            cp == 0x00B7 || cp == '-' || cp == 0x2014 || cp == 0x00B7) {
            p += k;
            continue;
        }
        if (!bl_is_cjk(cp) && !bl_is_ascii_alpha((int)cp))
            return 0;
        append(out, cap, &used, q + p, k);
        p += k;
        chars++;
    }
    if (chars < 2 || chars > 12)
        return 0;
    append(out, cap, &used, "行动", strlen("行动"));
    return 1;
}

/* The campaign word right after a closing quote (or ending the quoted text). */
static const bl_lex_entry *word_after(const bl_lexicon *lex, const char *t, size_t len,
                                      size_t p, int lang, size_t *end)
{
    size_t a = p;
    if (lang == BL_LANG_EN && a < len && t[a] == ' ')
        a++;
    /* “护卫”2020专项行动: a year between the name and the word */
    if (lang == BL_LANG_ZH && a + 4 <= len) {
        size_t d = 0;
        while (d < 4 && t[a + d] >= '0' && t[a + d] <= '9')
            d++;
        if (d == 4)
            a += 4;
    }
    const bl_lex_entry *w = bl_lex_match(lex, t, len, a, BL_LEX_CAMPAIGN_WORD, lang);
    if (w)
        *end = a + w->phrase_len;
    return w;
}

/* After a quoted Chinese name: more quoted names, separated by nothing or
 * 、 and closed by 等 and a campaign word. Returns that word, its end in *end
 * (the caller reports only its own name; the next call reports the next). */
static const bl_lex_entry *list_word(const bl_lexicon *lex, const char *t, size_t len,
                                     size_t p, size_t *end)
{
    size_t start = p;
    for (int items = 0; items < 8; items++) {
        size_t n;
        unsigned cp = cp_at(t, len, p, &n);
        if (cp == 0x3001) { /* 、 */
            p += n;
            cp = cp_at(t, len, p, &n);
        }
        if (cp == 0x7B49) { /* 等 */
            size_t w_end;
            const bl_lex_entry *w = word_after(lex, t, len, p + n, BL_LANG_ZH, &w_end);
            if (w)
                *end = start; /* the next names are reported when the scan reaches them */
            return w;
        }
        if (cp != 0x201C && cp != 0x300C)
            return NULL;
        unsigned close = closing_for(cp);
        size_t q = p + n;
        while (q < len && q - p < NAME_MAX_BYTES) {
            size_t k;
            unsigned c2 = cp_at(t, len, q, &k);
            if (c2 == close)
                break;
            if (c2 == 0x3002 || c2 == 0xFF0C || c2 == '\n')
                return NULL;
            q += k;
        }
        if (q >= len || q - p >= NAME_MAX_BYTES)
            return NULL;
        cp_at(t, len, q, &n);
        p = q + n;
    }
    return NULL;
}

/* A quoted name at t[p] (the opening quote); returns bytes to skip. */
static size_t quoted(const bl_lexicon *lex, const char *t, size_t len, size_t p, int lang,
                     bl_record *rec, bl_error *err, int *rc)
{
    size_t n;
    unsigned open = cp_at(t, len, p, &n), close = closing_for(open);
    size_t q = p + n, e = q;
    int cjk = 0;
    while (e < len && e - q <= NAME_MAX_BYTES) {
        size_t k;
        unsigned cp = cp_at(t, len, e, &k);
        if (cp == close || (open == '"' && (cp == 0x201D)))
            break;
        if (cp == '\n' || cp == 0x3002 || cp == 0xFF0C)
            return n;
        if (bl_is_cjk(cp))
            cjk = 1;
        e += k;
    }
    if (e >= len || e - q > NAME_MAX_BYTES || e == q)
        return n;
    size_t close_len;
    cp_at(t, len, e, &close_len);
    size_t after = e + close_len, end = after;
    int l = cjk ? BL_LANG_ZH : BL_LANG_EN;
    if (lang != BL_LANG_ANY && lang != l && !cjk)
        l = lang == BL_LANG_ZH && !cjk ? BL_LANG_EN : l;
    char name[256];
    /* The campaign word is outside the quotes, or ends the quoted text. */
    const bl_lex_entry *w = word_after(lex, t, len, after, l, &end);
    const bl_lex_entry *inside = bl_lex_match_ending(lex, t, e, e, BL_LEX_CAMPAIGN_WORD, l);
    const bl_lex_entry *known = bl_lex_match(lex, t, e, q, BL_LEX_CAMPAIGN, l);
    /* “云剑”“断卡”“团圆”等专项行动: a list of quoted names shares one word */
    if (!w && !inside && !(known && q + known->phrase_len == e) && l == BL_LANG_ZH)
        w = list_word(lex, t, len, after, &end);
    if (!w && !inside && !(known && q + known->phrase_len == e))
        return n;
    if (known && q + known->phrase_len == e && !w) {
        *rc = add(rec, known->canonical, err);
        return after - p;
    }
    int ok = l == BL_LANG_ZH ? chinese_name(lex, t + q, e - q, name, sizeof name)
                             : english_name(lex, t + q, e - q, name, sizeof name);
    if (!ok)
        return n;
    /* "Direct Action" in quotes: one word and the campaign word is a phrase */
    const char *space = strchr(name, ' ');
    if (l == BL_LANG_EN && !w && space && space == strrchr(name, ' '))
        return n;
    /* "Operation" in quotes or after: US style "Operation X". */
    if (l == BL_LANG_EN && w && w->phrase_len == 9 && strncasecmp(w->phrase, "operation", 9) == 0) {
        char op[256];
        size_t nl = strlen(name);
        snprintf(op, sizeof op, "Operation %.*s", (int)(nl > 7 ? nl - 7 : nl), name);
        *rc = add(rec, canonical(lex, op, l), err);
    } else {
        *rc = add(rec, canonical(lex, name, l), err);
    }
    return (w ? end : after) - p;
}

/* Whether the line around p is a title-cased headline: there "Drug Ring
 * Operation Led By Brothers" capitalises verbs too, so a name cannot be told
 * from the words after it. Counts words of four letters or more. */
static int in_headline(const char *t, size_t len, size_t p)
{
    size_t s = p, e = p;
    while (s > 0 && t[s - 1] != '\n' && p - s < 300)
        s--;
    while (e < len && t[e] != '\n' && e - p < 300)
        e++;
    int words = 0, caps = 0;
    for (size_t i = s; i < e;) {
        if (!bl_is_ascii_alpha((unsigned char)t[i])) {
            i++;
            continue;
        }
        size_t w = i;
        while (w < e && bl_is_ascii_alpha((unsigned char)t[w]))
            w++;
        if (w - i >= 4) {
            words++;
            caps += t[i] >= 'A' && t[i] <= 'Z';
        }
        i = w;
    }
    return words >= 4 && caps * 10 >= words * 8;
}

/* "Operation Legend", "Operation Cross Country": capitalised words after
 * "Operation"; returns bytes to skip, 0 when it is not a name. */
static size_t operation(const bl_lexicon *lex, const char *t, size_t len, size_t p,
                        bl_record *rec, bl_error *err, int *rc)
{
    static const char op[] = "Operation ";
    size_t q = p + sizeof op - 1, e = q;
    int words = 0;
    if (len - p < sizeof op || memcmp(t + p, op, sizeof op - 1) != 0)
        return 0;
    if (p > 0 && bl_is_ascii_alnum((unsigned char)t[p - 1]))
        return 0;
    if (q < len && (t[q] == '"' || (unsigned char)t[q] == 0xE2))
        return 0; /* Operation "X": the quoted path handles it */
    size_t last_end = q;
    while (e < len && words < 4) {
        if (!(t[e] >= 'A' && t[e] <= 'Z'))
            break;
        /* Headlines capitalise every word: "Operation Stormfront Results in
         * 50 Arrests" ends before "Results". */
        if (bl_lex_match(lex, t, len, e, BL_LEX_CAMPAIGN_STOP, BL_LANG_EN))
            break;
        size_t w = e;
        while (w < len && (bl_is_ascii_alnum((unsigned char)t[w]) || t[w] == '-'))
            w++;
        /* Sentence-starting words after "Operation" are not names. */
        words++;
        last_end = w;
        if (w < len && t[w] == ' ' && w + 1 < len && t[w + 1] >= 'A' && t[w + 1] <= 'Z')
            e = w + 1;
        else
            break;
    }
    if (words == 0)
        return 0;
    char name[128];
    snprintf(name, sizeof name, "Operation %.*s", (int)(last_end - q), t + q);
    const char *known = canonical(lex, name, BL_LANG_EN);
    if (known == name && in_headline(t, len, p))
        return last_end - p; /* unknown name in a headline: the body will say it */
    *rc = add(rec, known, err);
    return last_end - p;
}

/* 猎狐2019专项行动: a year between a name and a campaign word, unquoted. The
 * name is the two to four Chinese characters before the year, and only a
 * name the lexicon knows counts (without quotes nothing else marks where the
 * name begins). p is at the first digit; returns bytes to skip. */
static size_t year_named(const bl_lexicon *lex, const char *t, size_t len, size_t p,
                         bl_record *rec, bl_error *err, int *rc)
{
    size_t e = p;
    while (e < len && e - p < 4 && t[e] >= '0' && t[e] <= '9')
        e++;
    if (e - p != 4 || (e < len && t[e] >= '0' && t[e] <= '9'))
        return 0;
    size_t end;
    if (!word_after(lex, t, len, e, BL_LANG_ZH, &end))
        return 0;
    size_t start = p;
    for (int chars = 1; chars <= 4 && start > 0; chars++) {
        size_t prev = bl_utf8_prev(t, start);
        unsigned cp;
        bl_utf8_next(t + prev, start - prev, &cp);
        if (!bl_is_cjk(cp))
            break;
        start = prev;
        if (chars < 2)
            continue;
        char name[64];
        if (!chinese_name(lex, t + start, p - start, name, sizeof name))
            continue;
        const char *known = canonical(lex, name, BL_LANG_ZH);
        if (known != name) {
            *rc = add(rec, known, err);
            return end - p;
        }
        size_t n = strlen(name);
        const bl_lex_entry *k = bl_lex_match(lex, name, n, 0, BL_LEX_CAMPAIGN, BL_LANG_ZH);
        if (k && k->phrase_len == n) {
            *rc = add(rec, k->canonical, err);
            return end - p;
        }
    }
    return 0;
}

int bl_campaigns_find(const bl_lexicon *lex, const char *text, size_t len, const char *lang,
                      bl_record *rec, bl_error *err)
{
    int rc = 0, lang_code = bl_lang_code(lang);
    if (!rec || (!text && len))
        return bl_error_set(err, BL_EINVAL, "bl_campaigns_find: no record or no text");
    if (!lex && !(lex = bl_lexicon_default(err)))
        return err && err->code ? err->code : BL_ERR;
    size_t p = 0;
    while (p < len && rc == 0) {
        size_t n;
        unsigned cp = cp_at(text, len, p, &n);
        if (is_open_quote(cp) && !(cp == '\'' && p > 0 && bl_is_ascii_alnum((unsigned char)text[p - 1]))) {
            p += quoted(lex, text, len, p, lang_code, rec, err, &rc);
            continue;
        }
        if (cp >= '0' && cp <= '9' && lang_code != BL_LANG_EN) {
            size_t k = year_named(lex, text, len, p, rec, err, &rc);
            if (k) {
                p += k;
                continue;
            }
        }
        if (cp == 'O') {
            size_t k = operation(lex, text, len, p, rec, err, &rc);
            if (k) {
                p += k;
                continue;
            }
        }
        const bl_lex_entry *known = bl_lex_match(lex, text, len, p, BL_LEX_CAMPAIGN, lang_code);
        if (known) {
            rc = add(rec, known->canonical, err);
            p += known->phrase_len;
            continue;
        }
        p += n;
    }
    return rc;
}
