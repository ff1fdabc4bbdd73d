/* blotter fuzzing: bl_extract on bytes as an HTML page, as plain text and
 * sniffed, with and without hints.
 *
 * The first input byte chooses the kind and which hints are given, so one
 * corpus covers every path through the extractor; the rest is the page. The
 * contract says bl_extract never fails on content: only BL_ETOOBIG, BL_ENOMEM
 * or BL_EINVAL ("not text") may come back, and a success gives a record whose
 * JSON form can be written and read back.
 */
#include <stdio.h>

#include "bl_extract.h"
#include "fuzz_util.h"

static const char *const charsets[] = {NULL, "utf-8", "gbk", "big5", "iso-8859-1", "x-bogus"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > FUZZ_MAX_INPUT)
        return 0;
    unsigned sel = data[0];
    bl_extract_input in = {0};
    in.bytes = (const char *)data + 1;
    in.len = size - 1;
    in.kind = (int)(sel % 3);
    in.charset_hint = charsets[(sel >> 2) % (sizeof charsets / sizeof charsets[0])];
    if (sel & 0x20)
        in.url = "https://www.justice.gov/opa/pr/2014/03/19/example-release";
    if (sel & 0x40) {
        in.agency_hint = "National Immigration Administration";
        in.lang_hint = "zh";
    }
    if (sel & 0x80) {
        in.title_hint = "Hundred Days Action";
        in.date_hint = "2019-07-07";
    }

    bl_record *rec = NULL;
    bl_error err = {0};
    int rc = bl_extract(&in, &rec, &err);
    if (rc == 0) {
        char *json = bl_record_to_json(rec, 0);
        if (json) {
            bl_record *back = NULL;
            bl_error err2 = {0};
            if (bl_record_from_json(json, strlen(json), &back, &err2) != 0) {
                fprintf(stderr, "record JSON does not read back: %s\n", err2.msg);
                abort();
            }
            bl_record_free(back);
            free(json);
        }
    } else if (rc != BL_ETOOBIG && rc != BL_ENOMEM && rc != BL_EINVAL) {
        fprintf(stderr, "bl_extract failed on content (%d): %s\n", rc, err.msg);
        abort();
    }
    bl_record_free(rec);
    return 0;
}
