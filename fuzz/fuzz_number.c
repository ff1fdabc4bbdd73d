/* blotter fuzzing: bl_number_parse, the written-number reader ("1,461",
 * "1.2 million", "一千四百六十一", "11.6亿", full-width digits).
 *
 * The parser is given the raw bytes (it must not read past len, so they are
 * not NUL-terminated: ASan sees any overread) and must never claim to consume
 * more than it was given.
 */
#include <stdio.h>

#include "bl_facts.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0;
    /* An exact-size heap copy, so that reading one byte too far is caught. */
    char *copy = malloc(size ? size : 1);
    if (!copy)
        return 0;
    if (size)
        memcpy(copy, data, size);
    double value = 0;
    size_t used = bl_number_parse(copy, size, &value);
    if (used > size) {
        fprintf(stderr, "bl_number_parse consumed %zu of %zu bytes\n", used, size);
        abort();
    }
    free(copy);
    return 0;
}
