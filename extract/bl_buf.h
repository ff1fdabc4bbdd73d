/* blotter: a growable byte buffer for building extracted text.
 *
 * Errors are sticky: once an allocation fails (or the limit is hit) every
 * later append does nothing and bl_buf_failed() is true, so a long loop
 * checks once at the end instead of after every append. p is always
 * NUL-terminated while non-NULL. The buffer owns p; bl_buf_take() hands it
 * over to the caller, bl_buf_free() releases it (safe on a zeroed buffer).
 */
#ifndef BL_BUF_H
#define BL_BUF_H

#include <stddef.h>

typedef struct bl_buf {
    char *p;
    size_t len, cap;
    size_t limit;   /* 0: no limit; else appends past it fail */
    int failed;
} bl_buf;

void bl_buf_add(bl_buf *b, const char *s, size_t n);
void bl_buf_addc(bl_buf *b, char c);
void bl_buf_adds(bl_buf *b, const char *s);
/* Appends the UTF-8 encoding of code point cp. */
void bl_buf_add_cp(bl_buf *b, unsigned cp);
int bl_buf_failed(const bl_buf *b);
/* The contents (never NULL unless failed); the buffer is left empty. */
char *bl_buf_take(bl_buf *b, size_t *len);
void bl_buf_free(bl_buf *b);

#endif
