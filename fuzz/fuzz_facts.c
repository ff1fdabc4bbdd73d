/* blotter fuzzing: bl_facts_find and bl_campaigns_find with the built-in
 * lexicon, on UTF-8 text in any language setting.
 *
 * The first byte picks the language ("en", "zh" or both); the rest is the
 * text, passed with its length and no terminating NUL. Every fact found must
 * lie inside the text, as the record's offsets promise.
 */
#include <stdio.h>

#include "bl_facts.h"
#include "fuzz_util.h"

static const char *const langs[] = {NULL, "en", "zh"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > FUZZ_MAX_INPUT)
        return 0;
    bl_error err = {0};
    const bl_lexicon *lex = bl_lexicon_default(&err);
    if (!lex) {
        fprintf(stderr, "no lexicon: %s\n", err.msg);
        abort();
    }
    const char *lang = langs[data[0] % 3];
    size_t len = size - 1;
    char *text = malloc(len ? len : 1);
    bl_record *rec = bl_record_new();
    if (!text || !rec)
        goto done;
    if (len)
        memcpy(text, data + 1, len);
    if (bl_facts_find(lex, text, len, lang, rec, &err) == 0) {
        for (size_t i = 0; i < rec->n_facts; i++) {
            const bl_fact *f = &rec->facts[i];
            if (f->offset > len || f->length > len - f->offset) {
                fprintf(stderr, "fact %zu at %zu+%zu is outside %zu bytes\n", i, f->offset,
                        f->length, len);
                abort();
            }
        }
    }
    bl_error_clear(&err);
    (void)bl_campaigns_find(lex, text, len, lang, rec, &err);
done:
    bl_record_free(rec);
    free(text);
    return 0;
}
