/* blotter: UTF-8 checks and safe echoes (see bl_utf8.h). */
#include "bl_utf8.h"

#include <stdlib.h>
#include <string.h>

size_t bl_utf8_decode(const unsigned char *s, size_t len, unsigned *cp)
{
    unsigned c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t n;
    unsigned min;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        c &= 0x1F;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        c &= 0x0F;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        c &= 0x07;
        min = 0x10000;
    } else {
        return 0;
    }
    if (len < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return n;
}

int bl_utf8_valid(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        if (u[i] < 0x80) {
            i++;
            continue;
        }
        unsigned cp;
        size_t n = bl_utf8_decode(u + i, len - i, &cp);
        if (!n)
            return 0;
        i += n;
    }
    return 1;
}

static const char replacement[] = "\xEF\xBF\xBD"; /* U+FFFD */

char *bl_utf8_repaired(const char *s)
{
    size_t len = strlen(s);
    /* Each bad byte grows to three. */
    char *out = malloc(len * 3 + 1);
    if (!out)
        return NULL;
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, o = 0;
    while (i < len) {
        unsigned cp;
        size_t n = bl_utf8_decode(u + i, len - i, &cp);
        if (n) {
            memcpy(out + o, s + i, n);
            o += n;
            i += n;
        } else {
            memcpy(out + o, replacement, 3);
            o += 3;
            i++;
        }
    }
    out[o] = '\0';
    return out;
}

void bl_utf8_excerpt(const char *s, size_t max_bytes, char *out, size_t out_size)
{
    if (out_size == 0)
        return;
    static const char ellipsis[] = "...";
    size_t room = out_size - 1, o = 0, i = 0, len = strlen(s);
    const unsigned char *u = (const unsigned char *)s;
    while (i < len) {
        unsigned cp;
        size_t n = bl_utf8_decode(u + i, len - i, &cp);
        const char *piece = s + i;
        size_t piece_len = n;
        if (!n) {
            piece = replacement;
            piece_len = 3;
            n = 1;
        } else if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) {
            piece = "?";
            piece_len = 1;
        }
        /* Keep room for the ellipsis whenever more text follows. */
        size_t limit = max_bytes < room ? max_bytes : room;
        if (o + piece_len > limit || (i + n < len && o + piece_len + 3 > room)) {
            size_t e = room - o < 3 ? room - o : 3;
            memcpy(out + o, ellipsis, e);
            o += e;
            break;
        }
        memcpy(out + o, piece, piece_len);
        o += piece_len;
        i += n;
    }
    out[o] = '\0';
}
