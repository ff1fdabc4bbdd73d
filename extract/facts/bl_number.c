/* blotter: written numbers.
 *
 * Three forms, tried in this order at the start of the input:
 *   digits   "1461", "1,461" (groups of exactly three), "1.5", full-width
 *            "１４６１", optionally followed by an English scale ("1.2 million")
 *            or by Chinese units ("1.2万", "11.6亿", "1亿6千7百多"), in which
 *            case the number continues as a Chinese numeral;
 *   words    English number words, "three", "twenty-one", "two dozen",
 *            "one hundred and five", "1.2 million" is the digits form;
 *   Chinese  "一千四百六十一", "两千", "十年", "二〇一九", financial forms
 *            (壹贰叁...), colloquial tails ("三万五" = 35000) and, after 亿,
 *            an omitted 万 ("1亿6千7百" = 167000000).
 * The parser never reads past len and consumes nothing it does not
 * understand; qualifiers after the number (多, 余, "more") are left to the
 * caller, except a 多/余 between units ("3千多万"), reported in ->more.
 */
#include <string.h>
#include <strings.h>

#include "bl_facts_internal.h"

#define BL_NUM_MAX_DIGITS 18 /* more digits than this is an id, not a count */

/* ---- digits ---- */

/* The value of an ASCII or full-width digit at s, its byte length in *n. */
static int digit_at(const char *s, size_t len, size_t *n)
{
    const unsigned char *u = (const unsigned char *)s;
    if (len >= 1 && u[0] >= '0' && u[0] <= '9') {
        *n = 1;
        return u[0] - '0';
    }
    if (len >= 3 && u[0] == 0xEF && u[1] == 0xBC && u[2] >= 0x90 && u[2] <= 0x99) {
        *n = 3;
        return u[2] - 0x90;
    }
    return -1;
}

static int is_decimal_point(const char *s, size_t len, size_t *n)
{
    const unsigned char *u = (const unsigned char *)s;
    if (len >= 1 && u[0] == '.') {
        *n = 1;
        return 1;
    }
    if (len >= 3 && u[0] == 0xEF && u[1] == 0xBC && u[2] == 0x8E) { /* ． */
        *n = 3;
        return 1;
    }
    return 0;
}

/* Three ASCII digits at s[0..3) and no digit after them: a thousands group. */
static int is_group(const char *s, size_t len)
{
    if (len < 4 || s[0] != ',')
        return 0;
    for (int i = 1; i <= 3; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return !(len > 4 && s[4] >= '0' && s[4] <= '9');
}

/* "1,461", "1461", "1.5"; fills value, n_digits, decimal and grouping. */
static size_t scan_digits(const char *s, size_t len, bl_num *out)
{
    size_t p = 0, n;
    int d, ndig = 0;
    double v = 0;
    while (p < len && (d = digit_at(s + p, len - p, &n)) >= 0) {
        v = v * 10 + d;
        ndig++;
        p += n;
    }
    if (ndig == 0)
        return 0;
    if (ndig <= 3 && n == 1) {
        while (is_group(s + p, len - p)) {
            for (int i = 1; i <= 3; i++)
                v = v * 10 + (s[p + i] - '0');
            ndig += 3;
            p += 4;
            out->grouped = 1;
        }
    }
    if (ndig > BL_NUM_MAX_DIGITS)
        return 0;
    out->n_digits = ndig;
    /* A decimal part needs a digit after the point ("in 2019." is no decimal). */
    size_t pn;
    if (p < len && is_decimal_point(s + p, len - p, &pn) && p + pn < len &&
        digit_at(s + p + pn, len - p - pn, &n) >= 0) {
        double scale = 0.1;
        p += pn;
        while (p < len && (d = digit_at(s + p, len - p, &n)) >= 0) {
            v += d * scale;
            scale /= 10;
            p += n;
        }
        out->has_decimal = 1;
    }
    out->value = v;
    return p;
}

/* ---- English words ---- */

typedef struct word_value {
    const char *word;
    double value;
    int kind; /* 0 units and teens, 1 tens, 2 hundred, 3 scale, 4 dozen */
} word_value;

static const word_value number_words[] = {
    {"zero", 0, 0}, {"one", 1, 0}, {"two", 2, 0}, {"three", 3, 0}, {"four", 4, 0},
    {"five", 5, 0}, {"six", 6, 0}, {"seven", 7, 0}, {"eight", 8, 0}, {"nine", 9, 0},
    {"ten", 10, 0}, {"eleven", 11, 0}, {"twelve", 12, 0}, {"thirteen", 13, 0},
    {"fourteen", 14, 0}, {"fifteen", 15, 0}, {"sixteen", 16, 0}, {"seventeen", 17, 0},
    {"eighteen", 18, 0}, {"nineteen", 19, 0}, {"twenty", 20, 1}, {"thirty", 30, 1},
    {"forty", 40, 1}, {"fifty", 50, 1}, {"sixty", 60, 1}, {"seventy", 70, 1},
    {"eighty", 80, 1}, {"ninety", 90, 1}, {"hundred", 100, 2}, {"thousand", 1e3, 3},
    {"million", 1e6, 3}, {"billion", 1e9, 3}, {"trillion", 1e12, 3}, {"dozen", 12, 4},
};

/* The number word spelled at s as a whole word, its length in *n. */
static const word_value *word_at(const char *s, size_t len, size_t *n)
{
    size_t w = 0;
    while (w < len && bl_is_ascii_alpha((unsigned char)s[w]))
        w++;
    if (w == 0 || w > 9)
        return NULL;
    for (size_t i = 0; i < sizeof number_words / sizeof number_words[0]; i++) {
        const char *word = number_words[i].word;
        if (strlen(word) == w && strncasecmp(s, word, w) == 0) {
            *n = w;
            return &number_words[i];
        }
    }
    return NULL;
}

/* Scale words after digits: "1.2 million", "300 thousand". */
static size_t scan_scale(const char *s, size_t len, double *scale)
{
    size_t p = 0, n;
    if (p < len && s[p] == ' ')
        p++;
    else if (p < len && s[p] == '-')
        p++;
    const word_value *w = word_at(s + p, len - p, &n);
    if (!w || w->kind != 3)
        return 0;
    *scale = w->value;
    return p + n;
}

static size_t scan_words(const char *s, size_t len, bl_num *out)
{
    double total = 0, current = 0;
    size_t p = 0, end = 0, n;
    int any = 0, last_kind = -1;
    while (p < len) {
        const word_value *w = word_at(s + p, len - p, &n);
        if (!w)
            break;
        switch (w->kind) {
        case 0:
            if (last_kind == 0 || (last_kind == 1 && w->value >= 10))
                goto stop; /* "two three" is two numbers */
            current += w->value;
            break;
        case 1:
            if (last_kind == 0 || last_kind == 1)
                goto stop;
            current += w->value;
            break;
        case 2:
            if (!any || last_kind == 2)
                goto stop; /* "hundred" alone is not a count */
            current = current * 100;
            break;
        case 3:
            if (!any)
                goto stop;
            total += current * w->value;
            current = 0;
            break;
        case 4:
            if (!any || last_kind == 4)
                goto stop;
            current *= 12;
            break;
        }
        any = 1;
        last_kind = w->kind;
        p += n;
        end = p;
        /* Separators inside a number: "twenty-one", "one hundred and five". */
        if (p < len && (s[p] == '-' || s[p] == ' ')) {
            size_t q = p + 1;
            if (s[p] == ' ' && q + 4 <= len && strncasecmp(s + q, "and ", 4) == 0 &&
                last_kind == 2)
                q += 4;
            if (q < len && word_at(s + q, len - q, &n))
                p = q;
            else
                break;
        } else {
            break;
        }
    }
stop:
    if (!any)
        return 0;
    out->value = total + current;
    out->has_scale = total > 0;
    return end;
}

/* ---- Chinese numerals ---- */

typedef struct cjk_char {
    const char *utf8;
    int digit;    /* 0..9, or -1 */
    double unit;  /* 10, 100, 1000, 1e4, 1e8, or 0 */
} cjk_char;

static const cjk_char cjk_chars[] = {
    {"零", 0, 0}, {"〇", 0, 0}, {"一", 1, 0}, {"二", 2, 0}, {"两", 2, 0}, {"三", 3, 0},
    {"四", 4, 0}, {"五", 5, 0}, {"六", 6, 0}, {"七", 7, 0}, {"八", 8, 0}, {"九", 9, 0},
    {"十", -1, 10}, {"百", -1, 100}, {"千", -1, 1000}, {"万", -1, 1e4}, {"亿", -1, 1e8},
    {"壹", 1, 0}, {"贰", 2, 0}, {"叁", 3, 0}, {"肆", 4, 0}, {"伍", 5, 0}, {"陆", 6, 0},
    {"柒", 7, 0}, {"捌", 8, 0}, {"玖", 9, 0}, {"拾", -1, 10}, {"佰", -1, 100},
    {"仟", -1, 1000}, {"萬", -1, 1e4}, {"億", -1, 1e8}, {"兩", 2, 0},
};

static const cjk_char *cjk_at(const char *s, size_t len)
{
    if (len < 3)
        return NULL;
    for (size_t i = 0; i < sizeof cjk_chars / sizeof cjk_chars[0]; i++)
        if (memcmp(s, cjk_chars[i].utf8, 3) == 0)
            return &cjk_chars[i];
    return NULL;
}

static int is_more_char(const char *s, size_t len)
{
    return len >= 3 && (memcmp(s, "多", 3) == 0 || memcmp(s, "余", 3) == 0 ||
                        memcmp(s, "餘", 3) == 0);
}

/* A Chinese numeral, possibly started by a digits value (start_value >= 0,
 * consumed = start_len bytes already). */
static size_t scan_cjk(const char *s, size_t len, double start_value, size_t start_len,
                       bl_num *out)
{
    double yi = 0, wan = 0, sec = 0, cur = 0;
    double last_unit = 0, sec_top = 0, last_small = 0;
    int have_cur = 0, prev_digit = 0, zero_seen = 0, after_yi = 0, units = 0;
    int run = 0; /* digits in a row without units: "二〇一九" */
    size_t p = start_len, end = start_len;
    if (start_value >= 0) {
        cur = start_value;
        have_cur = 1;
        prev_digit = 1;
        run = 2; /* a digits value never joins a following CJK digit */
    }
    while (p < len) {
        const cjk_char *c = cjk_at(s + p, len - p);
        bl_num dig;
        size_t dn = 0;
        if (!c && units > 0 && !prev_digit) {
            memset(&dig, 0, sizeof dig);
            dn = scan_digits(s + p, len - p, &dig); /* digits inside: 1亿6千 */
        }
        if (c && c->digit >= 0) {
            if (prev_digit && zero_seen && cur == 0 && units > 0) {
                cur = c->digit; /* 一百零五: 零 only holds a place */
            } else if (prev_digit) {
                if (run >= 2 || units > 0)
                    break;
                cur = cur * 10 + c->digit; /* positional: 二〇一九 */
                run = 1;
            } else {
                cur = c->digit;
                if (c->digit == 0)
                    zero_seen = 1;
            }
            have_cur = 1;
            prev_digit = 1;
            p += 3;
            end = p;
            continue;
        }
        if (dn) {
            cur = dig.value;
            have_cur = 1;
            prev_digit = 1;
            run = 2;
            p += dn;
            end = p;
            continue;
        }
        if (c && c->unit > 0) {
            if (run == 1)
                break; /* 二〇一九 does not take units */
            double u = c->unit;
            if (u < 1e4) {
                if (!have_cur) {
                    /* 十 = 10 and 一百一十; a bare 百 or 千 only before a larger
                     * unit or a "more": 千万元, 百余名 */
                    int bare_ok = u == 10;
                    if ((u == 100 || u == 1000) && units == 0) {
                        const cjk_char *nx = cjk_at(s + p + 3, len - p - 3);
                        bare_ok = (nx && nx->unit >= 1e4) || is_more_char(s + p + 3, len - p - 3);
                    }
                    if (!bare_ok || (units > 0 && !zero_seen && sec == 0 && wan == 0 && yi == 0))
                        break;
                    cur = 1;
                }
                if (last_small && u >= last_small)
                    break; /* units must fall: "十百" is two numbers */
                sec += cur * u;
                if (!sec_top)
                    sec_top = u;
                last_small = u;
            } else if (u == 1e4) {
                double v = sec + (have_cur ? cur : 0);
                if (v == 0)
                    break;
                wan += v * 1e4;
                sec = 0;
                sec_top = last_small = 0;
            } else {
                double v = wan + sec + (have_cur ? cur : 0);
                if (v == 0)
                    break;
                yi = (yi + v) * 1e8;
                wan = sec = 0;
                sec_top = last_small = 0;
                after_yi = 1;
            }
            cur = 0;
            have_cur = 0;
            prev_digit = 0;
            zero_seen = 0;
            last_unit = u;
            units++;
            p += 3;
            end = p;
            /* 多/余 between units: "3千多万", "10余万" */
            if (p < len && is_more_char(s + p, len - p)) {
                const cjk_char *nx = cjk_at(s + p + 3, len - p - 3);
                if (nx && nx->unit > 0 && nx->unit > u) {
                    out->more = 1;
                    p += 3;
                }
            }
            continue;
        }
        if (prev_digit && is_more_char(s + p, len - p)) {
            const cjk_char *nx = cjk_at(s + p + 3, len - p - 3);
            if (nx && nx->unit >= 1e4) {
                out->more = 1;
                p += 3;
                continue;
            }
        }
        break;
    }
    if (units == 0 && start_value >= 0)
        return 0; /* plain digits: not a Chinese numeral */
    if (units == 0 && run == 0 && !have_cur)
        return 0;
    /* Colloquial tail: 三万五 = 35000, 三百五 = 350 (one digit, no 零). */
    if (have_cur && units > 0 && last_unit >= 100 && !zero_seen && cur < 10 &&
        prev_digit && run == 0)
        cur *= last_unit / 10;
    /* An omitted 万 after 亿: 1亿6千7百 = 1.67亿. */
    if (after_yi && wan == 0 && sec_top == 1000)
        sec *= 1e4;
    out->value = yi + wan + sec + (have_cur ? cur : 0);
    out->has_scale = units > 0 && last_unit >= 1e4;
    out->form = BL_NUM_CJK;
    return end;
}

size_t bl_num_scan(const char *s, size_t len, bl_num *out)
{
    size_t n;
    memset(out, 0, sizeof *out);
    if (!s || len == 0)
        return 0;
    n = scan_digits(s, len, out);
    if (n) {
        out->form = BL_NUM_DIGITS;
        double scale;
        size_t m = scan_scale(s + n, len - n, &scale);
        if (m) {
            out->value *= scale;
            out->has_scale = 1;
            n += m;
        } else if (!out->grouped) {
            bl_num cjk = *out;
            size_t c = scan_cjk(s, len, out->value, n, &cjk);
            if (c > n) {
                cjk.n_digits = out->n_digits;
                *out = cjk;
                n = c;
            }
        }
        out->len = n;
        return n;
    }
    /* "a dozen" is twelve; "dozens" stays vague */
    if (len >= 7 && strncasecmp(s, "a dozen", 7) == 0 &&
        (len == 7 || !bl_is_ascii_alpha((unsigned char)s[7]))) {
        out->value = 12;
        out->form = BL_NUM_WORDS;
        out->len = 7;
        return 7;
    }
    n = scan_words(s, len, out);
    if (n) {
        out->form = BL_NUM_WORDS;
        out->len = n;
        return n;
    }
    n = scan_cjk(s, len, -1, 0, out);
    out->len = n;
    return n;
}

size_t bl_number_parse(const char *s, size_t len, double *value)
{
    bl_num num;
    size_t n = bl_num_scan(s, len, &num);
    if (n && value)
        *value = num.value;
    return n;
}
