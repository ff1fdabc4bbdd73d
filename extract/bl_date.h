/* blotter: finding and normalising dates in text, meta values and URLs.
 *
 * Understood forms: 2019-07-07, 2019/7/7, 2019.07.07, 20190707 (URLs and
 * meta values only), 2019年7月7日 (ASCII or full-width digits), 7月7日,
 * "January 3, 2025", "Jan. 3, 2025", "Sept 3rd 2025", "3 January 2025",
 * "Monday, March 11, 2014", 07/07/2019 (US order), RFC 822 "07 Jul 2019",
 * and yearless "July 7th" / "7月7日". Every date is validated (month, day in
 * month, leap years, year 1990..2100) and written as "YYYY-MM-DD".
 */
#ifndef BL_DATE_H
#define BL_DATE_H

#include <stddef.h>

typedef struct bl_date {
    int year;          /* 0 when the text gave none */
    int month, day;
    size_t start, end; /* byte span of the match in the scanned text */
} bl_date;

enum {
    BL_DATE_COMPACT = 1,  /* accept 8-digit 20190707 */
    BL_DATE_YEARLESS = 2  /* accept "July 7" / "7月7日" (year 0) */
};

/* Finds the first date in s[0..len); 1 when found, else 0. */
int bl_date_find(const char *s, size_t len, int flags, bl_date *out);

/* 1 when y-m-d is a real date in 1990..2100. */
int bl_date_valid(int y, int m, int d);

/* Writes "YYYY-MM-DD" (11 bytes with the NUL). */
void bl_date_format(const bl_date *d, char out[11]);

/* Parses a whole value such as a meta tag's content or a "YYYY-MM-DD" hint:
 * the first date in it, 1 when found. */
int bl_date_parse_value(const char *s, char out[11]);

/* A date in a URL's path (/2019/07/07/, /2019-07-07, t20190707_, 20190707);
 * 1 when found. *year_only receives a lone year (/2019/) when no full date
 * is there (0 when none). */
int bl_date_from_url(const char *url, char out[11], int *year_only);

#endif
