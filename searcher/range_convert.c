/* blotter: range bounds as users type them -> index values (see range_convert.h). */
#include "range_convert.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bl_xapian.h"

static int all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

static int days_in_month(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return days[m - 1];
}

int bl_parse_date_bound(const char *s, int upper, char out[9])
{
    size_t n = strlen(s);
    int y, m = upper ? 12 : 1, d = 0;
    if (n == 4 && all_digits(s, 4)) {
        y = atoi(s);
    } else if (n == 7 && s[4] == '-' && all_digits(s, 4) && all_digits(s + 5, 2)) {
        y = atoi(s);
        m = atoi(s + 5);
    } else if (n == 10 && s[4] == '-' && s[7] == '-' && all_digits(s, 4) &&
               all_digits(s + 5, 2) && all_digits(s + 8, 2)) {
        y = atoi(s);
        m = atoi(s + 5);
        d = atoi(s + 8);
    } else if (n == 8 && all_digits(s, 8)) {
        y = atoi(s) / 10000;
        m = atoi(s + 4) / 100;
        d = atoi(s + 6);
    } else {
        return -1;
    }
    if (y < 1 || y > 9999 || m < 1 || m > 12)
        return -1;
    if (d == 0)
        d = upper ? days_in_month(y, m) : 1;
    if (d < 1 || d > days_in_month(y, m))
        return -1;
    /* Bounded above, so the digits always fit the 8 bytes. */
    unsigned date = (unsigned)y * 10000u + (unsigned)m * 100u + (unsigned)d;
    for (int i = 7; i >= 0; i--, date /= 10)
        out[i] = (char)('0' + date % 10);
    out[8] = '\0';
    return 0;
}

int bl_range_convert_date(void *ctx, const char *begin, const char *end, char *lo,
                          size_t *lo_len, char *hi, size_t *hi_len, char *why, size_t why_size)
{
    (void)ctx;
    char a[9], b[9];
    *lo_len = *hi_len = 0;
    if (!*begin && !*end) {
        snprintf(why, why_size, "date range: give a start, an end or both (date:2019..2020)");
        return -1;
    }
    if (*begin && bl_parse_date_bound(begin, 0, a) != 0) {
        snprintf(why, why_size, "date range: '%s' is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)", begin);
        return -1;
    }
    if (*end && bl_parse_date_bound(end, 1, b) != 0) {
        snprintf(why, why_size, "date range: '%s' is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)", end);
        return -1;
    }
    if (*begin && *end && strcmp(a, b) > 0) {
        snprintf(why, why_size, "date range: %s is after %s", begin, end);
        return -1;
    }
    if (*begin) {
        memcpy(lo, a, 8);
        *lo_len = 8;
    }
    if (*end) {
        memcpy(hi, b, 8);
        *hi_len = 8;
    }
    return 0;
}

int bl_parse_number_bound(const char *s, double *out)
{
    char digits[64];
    size_t n = 0;
    const char *p = s;
    int seen_digit = 0, seen_point = 0;
    for (; *p && n + 1 < sizeof digits; p++) {
        if (isdigit((unsigned char)*p)) {
            digits[n++] = *p;
            seen_digit = 1;
        } else if (*p == ',' && seen_digit && !seen_point) {
            continue; /* thousands separator */
        } else if (*p == '.' && !seen_point && p[1] != '.') {
            digits[n++] = *p;
            seen_point = 1;
        } else {
            break;
        }
    }
    digits[n] = '\0';
    if (!seen_digit)
        return -1;
    double v = strtod(digits, NULL);
    switch (tolower((unsigned char)*p)) {
    case 'k': v *= 1e3; p++; break;
    case 'm': v *= 1e6; p++; break;
    case 'b': v *= 1e9; p++; break;
    default: break;
    }
    if (*p || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

int bl_range_convert_number(void *ctx, const char *begin, const char *end, char *lo,
                            size_t *lo_len, char *hi, size_t *hi_len, char *why,
                            size_t why_size)
{
    (void)ctx;
    double a = 0, b = 0;
    *lo_len = *hi_len = 0;
    if (!*begin && !*end) {
        snprintf(why, why_size, "range: give a lower bound, an upper bound or both (suspects:1000..)");
        return -1;
    }
    if (*begin && bl_parse_number_bound(begin, &a) != 0) {
        snprintf(why, why_size, "range: '%s' is not a number", begin);
        return -1;
    }
    if (*end && bl_parse_number_bound(end, &b) != 0) {
        snprintf(why, why_size, "range: '%s' is not a number", end);
        return -1;
    }
    if (*begin && *end && a > b) {
        snprintf(why, why_size, "range: %s is larger than %s", begin, end);
        return -1;
    }
    if (*begin)
        *lo_len = bl_sortable_serialise(a, lo);
    if (*end)
        *hi_len = bl_sortable_serialise(b, hi);
    return 0;
}
