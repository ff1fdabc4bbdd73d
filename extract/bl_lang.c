/* blotter: language by script (see bl_lang.h). */
#include "bl_lang.h"

#include "bl_blocks.h"

const char *bl_lang_detect(const char *utf8, size_t len)
{
    if (len > 65536)
        len = 65536; /* bl_text_words copes with a sequence cut in half */
    size_t cjk = 0, latin = 0;
    size_t words = bl_text_words(utf8, len, &cjk, &latin);
    (void)words;
    /* An ideograph carries about as much as three Latin letters. */
    if (cjk && cjk * 3 * 10 >= (cjk * 3 + latin) * 3)
        return "zh";
    if (latin >= 2 && latin >= cjk)
        return "en";
    return "und";
}
