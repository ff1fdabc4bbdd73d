/* blotter: UTF-8 checks and the safe echo of text that came from a user.
 *
 * Queries and other user text are echoed back in messages and in JSON. What
 * goes back must be valid UTF-8 (RFC 8259 requires it of JSON) and, on a
 * terminal, must not carry control characters: an ESC sequence in a query
 * would otherwise recolour or rewrite the user's screen.
 */
#ifndef BL_UTF8_H
#define BL_UTF8_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The length of the valid UTF-8 sequence at s (1..4) with its code point in
 * *cp, or 0 when the bytes there are not valid UTF-8 (overlongs, surrogates
 * and truncated sequences included). len must be > 0. */
size_t bl_utf8_decode(const unsigned char *s, size_t len, unsigned *cp);

/* 1 when all of s[0..len) is valid UTF-8. */
int bl_utf8_valid(const char *s, size_t len);

/* A malloc'd copy of the NUL-terminated s in which each byte that starts no
 * valid sequence is replaced by U+FFFD; NULL when memory runs out. */
char *bl_utf8_repaired(const char *s);

/* Writes into out (always NUL-terminated when out_size > 0) a printable
 * excerpt of s for an error message: invalid bytes become U+FFFD, control
 * characters become '?', and text past max_bytes is cut at a character
 * boundary and marked with "...". */
void bl_utf8_excerpt(const char *s, size_t max_bytes, char *out, size_t out_size);

#ifdef __cplusplus
}
#endif

#endif
