/* blotter: date finding (see bl_date.h).
 *
 * A small hand-written scanner rather than regular expressions: it walks the
 * text once, tries the numeric and the written forms at each position where
 * they can start, and validates before accepting, so "2019-13-45" or
 * "May 32" never become dates.
 */
#include "bl_date.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

int bl_date_valid(int y, int m, int d)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1990 || y > 2100 || m < 1 || m > 12 || d < 1)
        return 0;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    int max = days[m - 1] + (m == 2 && leap);
    return d <= max;
}

void bl_date_format(const bl_date *d, char out[11])
{
    int parts[3] = {d->year, d->month, d->day}, widths[3] = {4, 2, 2};
    size_t k = 0;
    for (int p = 0; p < 3; p++) {
        int v = parts[p] < 0 ? 0 : parts[p];
        for (int w = widths[p] - 1; w >= 0; w--) {
            out[k + (size_t)w] = (char)('0' + v % 10);
            v /= 10;
        }
        k += (size_t)widths[p];
        if (p < 2)
            out[k++] = '-';
    }
    out[k] = '\0';
}

/* Reads 1..max digits (ASCII, or full-width U+FF10..FF19) at s[*i]. */
static int read_num(const char *s, size_t len, size_t *i, int max_digits, int *value, int *ndigits)
{
    size_t j = *i;
    int v = 0, n = 0;
    while (j < len && n < max_digits + 1) {
        unsigned char c = (unsigned char)s[j];
        if (c >= '0' && c <= '9') {
            v = v * 10 + (c - '0');
            j++;
        } else if (c == 0xEF && j + 2 < len && (unsigned char)s[j + 1] == 0xBC &&
                   (unsigned char)s[j + 2] >= 0x90 && (unsigned char)s[j + 2] <= 0x99) {
            v = v * 10 + ((unsigned char)s[j + 2] - 0x90);
            j += 3;
        } else {
            break;
        }
        n++;
    }
    if (n == 0 || n > max_digits)
        return 0;
    *value = v;
    *ndigits = n;
    *i = j;
    return 1;
}

static int is_digit_at(const char *s, size_t len, size_t i)
{
    if (i >= len)
        return 0;
    unsigned char c = (unsigned char)s[i];
    if (c >= '0' && c <= '9')
        return 1;
    return c == 0xEF && i + 2 < len && (unsigned char)s[i + 1] == 0xBC &&
           (unsigned char)s[i + 2] >= 0x90 && (unsigned char)s[i + 2] <= 0x99;
}

/* The digit before position i, if any (so "120190707" is not a date). */
static int digit_before(const char *s, size_t i)
{
    if (i == 0)
        return 0;
    unsigned char c = (unsigned char)s[i - 1];
    if (c >= '0' && c <= '9')
        return 1;
    return i >= 3 && (unsigned char)s[i - 3] == 0xEF && (unsigned char)s[i - 2] == 0xBC &&
           c >= 0x90 && c <= 0x99;
}

static int match_lit(const char *s, size_t len, size_t *i, const char *lit)
{
    size_t n = strlen(lit);
    if (*i + n <= len && memcmp(s + *i, lit, n) == 0) {
        *i += n;
        return 1;
    }
    return 0;
}

static const char *const month_names[] = {"january", "february", "march", "april", "may", "june",
                                          "july", "august", "september", "october", "november",
                                          "december"};

/* A month name or abbreviation ("Jan", "Jan.", "Sept.") at s[*i] that is a
 * whole word; returns 1..12 or 0. */
static int read_month(const char *s, size_t len, size_t *i)
{
    size_t j = *i, n = 0;
    while (j + n < len && isalpha((unsigned char)s[j + n]))
        n++;
    if (n < 3)
        return 0;
    for (int m = 0; m < 12; m++) {
        size_t full = strlen(month_names[m]);
        int ok = (n == full && strncasecmp(s + j, month_names[m], n) == 0) ||
                 (n == 3 && strncasecmp(s + j, month_names[m], 3) == 0) ||
                 (m == 8 && n == 4 && strncasecmp(s + j, "sept", 4) == 0);
        if (!ok)
            continue;
        /* "May" the verb or "March" the verb: only when a day number follows
         * or precedes; the callers check that. Proper case or all caps only. */
        if (!isupper((unsigned char)s[j]))
            return 0;
        j += n;
        if (j < len && s[j] == '.')
            j++;
        *i = j;
        return m + 1;
    }
    return 0;
}

static void skip_spaces(const char *s, size_t len, size_t *i)
{
    while (*i < len) {
        if (s[*i] == ' ' || s[*i] == '\t' || s[*i] == '\n' || s[*i] == '\r')
            (*i)++;
        else if (*i + 1 < len && (unsigned char)s[*i] == 0xC2 && (unsigned char)s[*i + 1] == 0xA0)
            *i += 2;
        else
            break;
    }
}

static void skip_ordinal(const char *s, size_t len, size_t *i)
{
    if (*i + 2 <= len && (strncasecmp(s + *i, "st", 2) == 0 || strncasecmp(s + *i, "nd", 2) == 0 ||
                          strncasecmp(s + *i, "rd", 2) == 0 || strncasecmp(s + *i, "th", 2) == 0) &&
        (*i + 2 == len || !isalpha((unsigned char)s[*i + 2])))
        *i += 2;
}

/* Numeric forms starting with a year: 2019-07-07, 2019/7/7, 2019.07.07,
 * 2019年7月7日, 2019-07-07T..., and (COMPACT) 20190707. */
static int try_year_first(const char *s, size_t len, size_t at, int flags, bl_date *d)
{
    size_t i = at;
    int y, m, day, n;
    if (digit_before(s, at) || !read_num(s, len, &i, 8, &y, &n))
        return 0;
    if (n == 8) {
        if (!(flags & BL_DATE_COMPACT) || is_digit_at(s, len, i))
            return 0;
        day = y % 100;
        m = (y / 100) % 100;
        y /= 10000;
    } else if (n == 4) {
        size_t sep_at = i;
        if (match_lit(s, len, &i, "年")) {
            skip_spaces(s, len, &i);
            if (!read_num(s, len, &i, 2, &m, &n))
                return 0;
            skip_spaces(s, len, &i);
            if (!match_lit(s, len, &i, "月"))
                return 0;
            skip_spaces(s, len, &i);
            if (!read_num(s, len, &i, 2, &day, &n))
                return 0;
            skip_spaces(s, len, &i);
            if (!match_lit(s, len, &i, "日") && !match_lit(s, len, &i, "号"))
                return 0;
        } else {
            if (i >= len || (s[i] != '-' && s[i] != '/' && s[i] != '.'))
                return 0;
            char sep = s[sep_at];
            i++;
            if (!read_num(s, len, &i, 2, &m, &n))
                return 0;
            if (i >= len || s[i] != sep)
                return 0;
            i++;
            if (!read_num(s, len, &i, 2, &day, &n))
                return 0;
            if (is_digit_at(s, len, i))
                return 0;
        }
    } else {
        return 0;
    }
    if (!bl_date_valid(y, m, day))
        return 0;
    d->year = y;
    d->month = m;
    d->day = day;
    d->start = at;
    d->end = i;
    return 1;
}

/* 7月7日 (yearless Chinese). */
static int try_cn_month_day(const char *s, size_t len, size_t at, bl_date *d)
{
    size_t i = at;
    int m, day, n;
    if (digit_before(s, at) || !read_num(s, len, &i, 2, &m, &n))
        return 0;
    if (!match_lit(s, len, &i, "月"))
        return 0;
    if (!read_num(s, len, &i, 2, &day, &n))
        return 0;
    if (!match_lit(s, len, &i, "日") && !match_lit(s, len, &i, "号"))
        return 0;
    if (!bl_date_valid(2000, m, day))
        return 0;
    d->year = 0;
    d->month = m;
    d->day = day;
    d->start = at;
    d->end = i;
    return 1;
}

/* A year after a written month-day: ", 2025" or " 2025". */
static int read_trailing_year(const char *s, size_t len, size_t *i, int *y)
{
    size_t j = *i;
    if (j < len && s[j] == ',')
        j++;
    skip_spaces(s, len, &j);
    int n;
    if (!read_num(s, len, &j, 4, y, &n) || n != 4 || is_digit_at(s, len, j))
        return 0;
    *i = j;
    return 1;
}

/* "January 3, 2025", "Jan. 3rd 2025", "July 7th" (yearless). */
static int try_month_first(const char *s, size_t len, size_t at, int flags, bl_date *d)
{
    if (at > 0 && isalpha((unsigned char)s[at - 1]))
        return 0;
    size_t i = at;
    int m = read_month(s, len, &i);
    if (!m)
        return 0;
    skip_spaces(s, len, &i);
    int day, n, y = 0;
    if (!read_num(s, len, &i, 2, &day, &n))
        return 0;
    skip_ordinal(s, len, &i);
    if (i < len && (isalnum((unsigned char)s[i]) || s[i] == ':'))
        return 0; /* "May 2019" or a time, not a day */
    size_t end = i;
    if (read_trailing_year(s, len, &i, &y)) {
        if (!bl_date_valid(y, m, day))
            return 0;
        end = i;
    } else {
        if (!(flags & BL_DATE_YEARLESS) || !bl_date_valid(2000, m, day))
            return 0;
        y = 0;
    }
    d->year = y;
    d->month = m;
    d->day = day;
    d->start = at;
    d->end = end;
    return 1;
}

/* "3 January 2025", "07 Jul 2019" (RFC 822). */
static int try_day_first(const char *s, size_t len, size_t at, bl_date *d)
{
    if (digit_before(s, at))
        return 0;
    size_t i = at;
    int day, n, y;
    if (!read_num(s, len, &i, 2, &day, &n))
        return 0;
    skip_ordinal(s, len, &i);
    skip_spaces(s, len, &i);
    int m = read_month(s, len, &i);
    if (!m)
        return 0;
    skip_spaces(s, len, &i);
    if (!read_trailing_year(s, len, &i, &y) || !bl_date_valid(y, m, day))
        return 0;
    d->year = y;
    d->month = m;
    d->day = day;
    d->start = at;
    d->end = i;
    return 1;
}

/* 07/07/2019 in US order (month first). */
static int try_us_numeric(const char *s, size_t len, size_t at, bl_date *d)
{
    if (digit_before(s, at))
        return 0;
    size_t i = at;
    int m, day, y, n;
    if (!read_num(s, len, &i, 2, &m, &n) || i >= len || s[i] != '/')
        return 0;
    i++;
    if (!read_num(s, len, &i, 2, &day, &n) || i >= len || s[i] != '/')
        return 0;
    i++;
    if (!read_num(s, len, &i, 4, &y, &n) || n != 4 || is_digit_at(s, len, i))
        return 0;
    if (!bl_date_valid(y, m, day))
        return 0;
    d->year = y;
    d->month = m;
    d->day = day;
    d->start = at;
    d->end = i;
    return 1;
}

int bl_date_find(const char *s, size_t len, int flags, bl_date *out)
{
    for (size_t at = 0; at < len; at++) {
        unsigned char c = (unsigned char)s[at];
        if (is_digit_at(s, len, at)) {
            if (try_year_first(s, len, at, flags, out) || try_day_first(s, len, at, out) ||
                try_us_numeric(s, len, at, out))
                return 1;
            if ((flags & BL_DATE_YEARLESS) && try_cn_month_day(s, len, at, out))
                return 1;
            /* skip the rest of this number */
            while (at + 1 < len && (unsigned char)s[at + 1] >= '0' && (unsigned char)s[at + 1] <= '9')
                at++;
        } else if (isupper(c)) {
            if (try_month_first(s, len, at, flags, out))
                return 1;
            while (at + 1 < len && isalpha((unsigned char)s[at + 1]))
                at++;
        }
    }
    return 0;
}

int bl_date_parse_value(const char *s, char out[11])
{
    bl_date d;
    if (!s || !bl_date_find(s, strlen(s), BL_DATE_COMPACT, &d))
        return 0;
    bl_date_format(&d, out);
    return 1;
}

static int atoi_n(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

int bl_date_from_url(const char *url, char out[11], int *year_only)
{
    if (year_only)
        *year_only = 0;
    if (!url)
        return 0;
    /* Skip scheme and host: a date-like host name is not a date. */
    const char *p = strstr(url, "://");
    p = p ? strchr(p + 3, '/') : url;
    if (!p)
        return 0;
    size_t len = strlen(p);
    for (size_t i = 0; i < len; i++) {
        if (!isdigit((unsigned char)p[i]) || (i > 0 && isdigit((unsigned char)p[i - 1])))
            continue;
        int y = 0, m = 0, d = 0;
        size_t j = i, n = 0;
        while (j < len && isdigit((unsigned char)p[j]) && n < 9) {
            j++;
            n++;
        }
        if (n == 8) {
            int v = atoi_n(p + i, 8);
            y = v / 10000;
            m = (v / 100) % 100;
            d = v % 100;
        } else if (n == 4) {
            y = atoi_n(p + i, 4);
            /* /2019/07/07/ or 2019-07-07 or /201907/ (year and month) */
            if (j < len && (p[j] == '/' || p[j] == '-' || p[j] == '_') && j + 2 < len &&
                isdigit((unsigned char)p[j + 1]) && isdigit((unsigned char)p[j + 2])) {
                m = atoi_n(p + j + 1, 2);
                size_t k = j + 3; /* /2019/07/07/, 2019-07-07, 2019-07/07 */
                if (k + 2 < len && (p[k] == '/' || p[k] == '-' || p[k] == '_') && isdigit((unsigned char)p[k + 1]) &&
                    isdigit((unsigned char)p[k + 2]) && (k + 3 >= len || !isdigit((unsigned char)p[k + 3])))
                    d = atoi_n(p + k + 1, 2);
            }
        } else if (n == 6) {
            y = atoi_n(p + i, 4);
        }
        if (d && bl_date_valid(y, m, d)) {
            bl_date dd = {.year = y, .month = m, .day = d};
            bl_date_format(&dd, out);
            return 1;
        }
        if (year_only && !*year_only && y >= 1990 && y <= 2100 && (n == 4 || n == 6))
            *year_only = y;
        i = j - 1;
    }
    return 0;
}
