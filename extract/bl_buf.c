/* blotter: growable byte buffer (see bl_buf.h). */
#include "bl_buf.h"

#include <stdlib.h>
#include <string.h>

static int reserve(bl_buf *b, size_t extra)
{
    if (b->failed)
        return -1;
    if (extra > (size_t)-1 / 2 - b->len || (b->limit && b->len + extra > b->limit)) {
        b->failed = 1;
        return -1;
    }
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return 0;
    size_t ncap = b->cap ? b->cap : 256;
    while (ncap < need)
        ncap *= 2;
    char *np = realloc(b->p, ncap);
    if (!np) {
        b->failed = 1;
        return -1;
    }
    b->p = np;
    b->cap = ncap;
    return 0;
}

void bl_buf_add(bl_buf *b, const char *s, size_t n)
{
    if (reserve(b, n))
        return;
    if (n)
        memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

void bl_buf_addc(bl_buf *b, char c)
{
    bl_buf_add(b, &c, 1);
}

void bl_buf_adds(bl_buf *b, const char *s)
{
    bl_buf_add(b, s, strlen(s));
}

void bl_buf_add_cp(bl_buf *b, unsigned cp)
{
    char u[4];
    if (cp < 0x80) {
        u[0] = (char)cp;
        bl_buf_add(b, u, 1);
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        bl_buf_add(b, u, 2);
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        bl_buf_add(b, u, 3);
    } else {
        u[0] = (char)(0xF0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        bl_buf_add(b, u, 4);
    }
}

int bl_buf_failed(const bl_buf *b)
{
    return b->failed;
}

char *bl_buf_take(bl_buf *b, size_t *len)
{
    if (b->failed) {
        bl_buf_free(b);
        return NULL;
    }
    if (!b->p) {
        if (reserve(b, 0))
            return NULL;
        b->p[0] = '\0';
    }
    char *p = b->p;
    if (len)
        *len = b->len;
    b->p = NULL;
    b->len = b->cap = 0;
    return p;
}

void bl_buf_free(bl_buf *b)
{
    if (!b)
        return;
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}
