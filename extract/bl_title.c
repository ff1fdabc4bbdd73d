/* blotter: titles (see bl_title.h). */
#include "bl_title.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "bl_blocks.h"
#include "bl_buf.h"

static int is_cjk_at(const char *s, size_t len, size_t i, int backwards)
{
    /* CJK ideographs are three UTF-8 bytes starting with 0xE3..0xE9. */
    const unsigned char *u = (const unsigned char *)s;
    if (backwards)
        return i >= 3 && u[i - 3] >= 0xE3 && u[i - 3] <= 0xE9;
    return i + 3 <= len && u[i] >= 0xE3 && u[i] <= 0xE9;
}

/* The length of a separator at s[i], or 0. */
static size_t separator_at(const char *s, size_t len, size_t i)
{
    static const char *const seps[] = {" | ", " - ", " \xe2\x80\x93 ", " \xe2\x80\x94 ", " :: ", " \xc2\xbb ",
                                       "--", "__", "|", "_", "\xef\xbd\x9c", NULL};
    for (size_t k = 0; seps[k]; k++) {
        size_t n = strlen(seps[k]);
        if (i + n <= len && memcmp(s + i, seps[k], n) == 0) {
            if (strcmp(seps[k], "_") == 0 && i > 0 && i + 1 < len && isalnum((unsigned char)s[i - 1]) &&
                isalnum((unsigned char)s[i + 1]))
                return 0; /* an_identifier, not a separator */
            return n;
        }
    }
    if (s[i] == '-' && is_cjk_at(s, len, i, 1) && is_cjk_at(s, len, i + 1, 0))
        return 1;
    return 0;
}

static char *normalised(const char *s, size_t len)
{
    bl_blocks tmp = {0};
    bl_blocks_push(&tmp, s, len, 0, 0, 0, 0);
    char *out = tmp.n ? strdup(bl_block_text(&tmp, 0)) : NULL;
    bl_blocks_free(&tmp);
    return out;
}

char *bl_title_strip_site(const char *title, char **site)
{
    if (site)
        *site = NULL;
    if (!title)
        return NULL;
    char *t = normalised(title, strlen(title));
    if (!t)
        return NULL;
    /* Sites put their name after the title far more often than before it:
     * the first part wins unless it is a single word (a section label such
     * as "棱镜|..." or "Press | ...") and a later part has more. */
    size_t len = strlen(t), best_s = 0, best_len = 0, best_words = 0, part = 0;
    for (size_t i = 0; i <= len;) {
        size_t sep = i < len ? separator_at(t, len, i) : 1;
        if (!sep) {
            i++;
            continue;
        }
        size_t plen = i - part, words = bl_text_words(t + part, plen, NULL, NULL);
        if (words > 0 && (best_len == 0 || (best_words <= 1 && words > best_words))) {
            best_s = part;
            best_len = plen;
            best_words = words;
        }
        i += sep;
        part = i;
    }
    char *out = best_len ? normalised(t + best_s, best_len) : NULL;
    if (site && out && best_len < len) {
        /* The site name: whatever follows the title part (or precedes it). */
        size_t after = best_s + best_len;
        while (after < len && separator_at(t, len, after))
            after += separator_at(t, len, after);
        if (after < len)
            *site = normalised(t + after, len - after);
        else if (best_s > 0)
            *site = normalised(t, best_s);
    }
    free(t);
    return out;
}

char *bl_title_choose(const char *title, const char *og_title, const char *const *h1, size_t n_h1)
{
    char *norm_title = title ? normalised(title, strlen(title)) : NULL;
    for (size_t i = 0; i < n_h1 && norm_title; i++) {
        char *h = h1[i] ? normalised(h1[i], strlen(h1[i])) : NULL;
        if (h && bl_text_words(h, strlen(h), NULL, NULL) >= 2 && strstr(norm_title, h)) {
            free(norm_title);
            return h;
        }
        free(h);
    }
    free(norm_title);
    char *t = og_title ? bl_title_strip_site(og_title, NULL) : NULL;
    if (!t && title)
        t = bl_title_strip_site(title, NULL);
    for (size_t i = 0; !t && i < n_h1; i++)
        t = h1[i] ? normalised(h1[i], strlen(h1[i])) : NULL;
    return t;
}
