/* blotter fuzzing: the date finder (bl_date.h) on text, meta values and URLs.
 *
 * The first byte picks the flags (compact 8-digit dates, yearless dates);
 * the rest is scanned by bl_date_find with its length (no NUL: overreads
 * are caught), then as a C string by bl_date_parse_value and
 * bl_date_from_url. Any date reported must be valid and its span inside the
 * text.
 */
#include <stdio.h>

#include "bl_date.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 64u * 1024u)
        return 0;
    int flags = data[0] & (BL_DATE_COMPACT | BL_DATE_YEARLESS);
    size_t len = size - 1;
    char *text = malloc(len ? len : 1);
    char *str = fuzz_strndup(data + 1, len);
    if (!text || !str)
        goto done;
    if (len)
        memcpy(text, data + 1, len);

    bl_date d;
    if (bl_date_find(text, len, flags, &d)) {
        if (d.start > d.end || d.end > len) {
            fprintf(stderr, "date span %zu..%zu outside %zu bytes\n", d.start, d.end, len);
            abort();
        }
        if (d.year != 0 && !bl_date_valid(d.year, d.month, d.day)) {
            fprintf(stderr, "invalid date %d-%d-%d reported\n", d.year, d.month, d.day);
            abort();
        }
        if (d.year != 0) {
            char out[11];
            bl_date_format(&d, out);
        }
    }
    char value[11];
    (void)bl_date_parse_value(str, value);
    int year_only = 0;
    (void)bl_date_from_url(str, value, &year_only);
done:
    free(text);
    free(str);
    return 0;
}
