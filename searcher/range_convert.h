/* blotter: turning what users type in ranges into index values.
 *
 * Dates: `date:2019-06-01..2019-07-31`, `date:2019-07..`, `date:..2019`: a
 * lower bound of YYYY or YYYY-MM means its first day, an upper bound its last
 * day, so `date:2019..2019` is the whole year. Values are YYYYMMDD strings.
 * Numbers: `suspects:1000..`, `money:1.5m..`: digits with optional thousands
 * commas and decimals, and k / m / b suffixes; values are sortable_serialise
 * bytes. Both are bl_range_convert_fn callbacks for bl_xqp_add_range (ctx
 * unused), and fail with a reason that names the bad bound.
 */
#ifndef BL_RANGE_CONVERT_H
#define BL_RANGE_CONVERT_H

#include <stddef.h>

int bl_range_convert_date(void *ctx, const char *begin, const char *end, char *lo,
                          size_t *lo_len, char *hi, size_t *hi_len, char *why, size_t why_size);

int bl_range_convert_number(void *ctx, const char *begin, const char *end, char *lo,
                            size_t *lo_len, char *hi, size_t *hi_len, char *why,
                            size_t why_size);

/* Parses one date bound into YYYYMMDD (out has 9 bytes); upper selects the
 * last day of a year or month. Returns 0, or -1 when s is not a date. */
int bl_parse_date_bound(const char *s, int upper, char out[9]);

/* Parses one number bound; returns 0, or -1 when s is not a number. */
int bl_parse_number_bound(const char *s, double *out);

#endif
