/* blotter fuzzing: helpers shared by the libFuzzer targets in this folder.
 *
 * Every target caps its input at FUZZ_MAX_INPUT bytes so that one run stays
 * short and memory stays bounded; longer inputs are ignored, not truncated
 * (libFuzzer would otherwise spend time on bytes that change nothing).
 *
 * fuzz_strndup returns a NUL-terminated, malloc'd copy of data[0..len) for
 * the APIs that take C strings, or NULL when out of memory.
 */
#ifndef FUZZ_UTIL_H
#define FUZZ_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_MAX_INPUT (1024u * 1024u)

static inline char *fuzz_strndup(const uint8_t *data, size_t len)
{
    char *s = malloc(len + 1);
    if (!s)
        return NULL;
    if (len)
        memcpy(s, data, len);
    s[len] = '\0';
    return s;
}

#endif
