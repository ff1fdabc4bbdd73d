/* blotter: byte-level UTF-8 helpers for the fact finders.
 *
 * The finders work on bytes so that invalid UTF-8 never stops them: a bad
 * byte is one code point U+FFFD of length 1, and every step moves forward.
 */
#include "bl_facts_internal.h"

size_t bl_utf8_next(const char *s, size_t len, unsigned *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    unsigned c;
    size_t n;
    if (len == 0) {
        *cp = 0;
        return 0;
    }
    c = u[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        c &= 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        c &= 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        c &= 0x07;
    } else {
        *cp = 0xFFFD;
        return 1;
    }
    if (n > len) {
        *cp = 0xFFFD;
        return 1;
    }
    for (size_t i = 1; i < n; i++) {
        if ((u[i] & 0xC0) != 0x80) {
            *cp = 0xFFFD;
            return 1;
        }
        c = (c << 6) | (u[i] & 0x3F);
    }
    /* Overlong forms and surrogates are invalid too. */
    if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10FFFF)) ||
        (c >= 0xD800 && c <= 0xDFFF)) {
        *cp = 0xFFFD;
        return 1;
    }
    *cp = c;
    return n;
}

size_t bl_utf8_prev(const char *s, size_t pos)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t p = pos;
    if (p == 0)
        return 0;
    p--;
    /* Step back over at most three continuation bytes. */
    for (int i = 0; i < 3 && p > 0 && (u[p] & 0xC0) == 0x80; i++)
        p--;
    unsigned cp;
    if (bl_utf8_next(s + p, pos - p, &cp) != pos - p)
        return pos - 1; /* not a whole sequence: treat the last byte alone */
    return p;
}

int bl_is_cjk(unsigned cp)
{
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || cp == 0x3007;
}

int bl_is_ascii_alpha(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

int bl_is_ascii_alnum(int c)
{
    return bl_is_ascii_alpha(c) || (c >= '0' && c <= '9');
}
