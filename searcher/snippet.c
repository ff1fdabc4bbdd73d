/* blotter: snippets for each output (see snippet.h). */
#include "snippet.h"

#include <stdlib.h>
#include <string.h>

typedef struct entity {
    const char *name;
    char ch;
} entity;

/* Exactly the entities Xapian's snippet escaping produces. */
static const entity entities[] = {
    {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''},
};

static char *unescape_one_line(const char *s)
{
    size_t n = strlen(s), o = 0;
    char *out = malloc(n + 1);
    if (!out)
        return NULL;
    int last_space = 1;
    for (size_t i = 0; i < n;) {
        char c = s[i];
        if (c == '&') {
            size_t k;
            for (k = 0; k < sizeof entities / sizeof entities[0]; k++) {
                size_t len = strlen(entities[k].name);
                if (strncmp(s + i, entities[k].name, len) == 0) {
                    out[o++] = entities[k].ch;
                    i += len;
                    break;
                }
            }
            if (k < sizeof entities / sizeof entities[0]) {
                last_space = 0;
                continue;
            }
        }
        if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
            if (!last_space)
                out[o++] = ' ';
            last_space = 1;
            i++;
            continue;
        }
        out[o++] = c;
        last_space = 0;
        i++;
    }
    while (o > 0 && out[o - 1] == ' ')
        o--;
    out[o] = '\0';
    return out;
}

int bl_snippet_make(const bl_xmset *ms, const char *text, char **out, bl_error *err)
{
    char *raw = NULL;
    *out = NULL;
    int rc = bl_xmset_snippet(ms, text, strlen(text), BL_SNIPPET_BYTES, BL_HI_START, BL_HI_END,
                              &raw, err);
    if (rc)
        return rc;
    *out = unescape_one_line(raw);
    free(raw);
    return *out ? 0 : bl_error_set(err, BL_ENOMEM, "out of memory");
}

char *bl_snippet_render(const char *marked, int style)
{
    size_t n = strlen(marked);
    /* Worst case: every byte becomes "&quot;" or a marker becomes an escape. */
    char *out = malloc(n * 6 + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    for (const char *p = marked; *p; p++) {
        const char *put = NULL;
        char ch[2] = {*p, 0};
        if (*p == BL_HI_START[0])
            put = style == BL_SNIPPET_ANSI ? "\033[1m" : style == BL_SNIPPET_HTML ? "<b>" : "";
        else if (*p == BL_HI_END[0])
            put = style == BL_SNIPPET_ANSI ? "\033[0m" : style == BL_SNIPPET_HTML ? "</b>" : "";
        else if (style == BL_SNIPPET_HTML && *p == '&')
            put = "&amp;";
        else if (style == BL_SNIPPET_HTML && *p == '<')
            put = "&lt;";
        else if (style == BL_SNIPPET_HTML && *p == '>')
            put = "&gt;";
        else if (style == BL_SNIPPET_HTML && *p == '"')
            put = "&quot;";
        else
            put = ch;
        size_t len = strlen(put);
        memcpy(out + o, put, len);
        o += len;
    }
    out[o] = '\0';
    return out;
}
