/* blotter: bulletins from JSON Lines files (see jsonl_reader.h). */
#include "jsonl_reader.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <zlib.h>

static const char *member(json_object *o, const char *key)
{
    json_object *v;
    if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
        return NULL;
    return json_object_get_string(v);
}

static int handle_line(const char *line, size_t len, unsigned long lineno, bl_jsonl_fn fn,
                       bl_jsonl_bad_fn on_bad, void *ctx)
{
    size_t start = 0;
    while (start < len && (line[start] == ' ' || line[start] == '\t' || line[start] == '\r'))
        start++;
    if (start == len)
        return 0; /* blank lines are allowed */
    json_tokener *tok = json_tokener_new();
    if (!tok) {
        on_bad(ctx, lineno, "out of memory");
        return 0;
    }
    json_object *o = json_tokener_parse_ex(tok, line + start, (int)(len - start));
    enum json_tokener_error jerr = json_tokener_get_error(tok);
    int rc = 0;
    if (!o || jerr != json_tokener_success) {
        on_bad(ctx, lineno, jerr == json_tokener_continue ? "incomplete JSON"
                                                          : json_tokener_error_desc(jerr));
    } else if (!json_object_is_type(o, json_type_object)) {
        on_bad(ctx, lineno, "not a JSON object");
    } else {
        bl_extract_input in;
        memset(&in, 0, sizeof in);
        const char *text = member(o, "text"), *html = member(o, "html");
        if (html) {
            in.bytes = html;
            in.kind = BL_CONTENT_HTML;
        } else if (text) {
            in.bytes = text;
            in.kind = BL_CONTENT_TEXT;
        }
        if (!in.bytes) {
            on_bad(ctx, lineno, "no \"text\" or \"html\" member");
        } else {
            in.len = strlen(in.bytes);
            in.url = member(o, "url");
            in.title_hint = member(o, "title");
            in.date_hint = member(o, "date");
            in.agency_hint = member(o, "agency");
            in.lang_hint = member(o, "lang");
            json_object *idv;
            const char *id = NULL;
            if (json_object_object_get_ex(o, "id", &idv) &&
                (json_object_is_type(idv, json_type_string) || json_object_is_type(idv, json_type_int)))
                id = json_object_get_string(idv);
            rc = fn(ctx, &in, id, lineno);
        }
    }
    json_object_put(o);
    json_tokener_free(tok);
    return rc;
}

int bl_jsonl_read(const char *path, bl_jsonl_fn fn, bl_jsonl_bad_fn on_bad, void *ctx,
                  bl_error *err)
{
    gzFile gz = gzopen(path, "rb"); /* reads plain files as they are */
    if (!gz)
        return bl_error_set_errno(err, errno == ENOENT ? BL_ENOTFOUND : BL_EIO, errno,
                                  "cannot open %s", path);
    gzbuffer(gz, 256 * 1024);
    size_t cap = 1 << 16, n = 0;
    char *line = malloc(cap);
    char chunk[1 << 16];
    unsigned long lineno = 1;
    int too_long = 0, rc = 0;
    if (!line) {
        gzclose(gz);
        return bl_error_set(err, BL_ENOMEM, "out of memory");
    }
    for (;;) {
        int got = gzread(gz, chunk, sizeof chunk);
        if (got < 0) {
            int zerr;
            const char *msg = gzerror(gz, &zerr);
            rc = bl_error_set(err, BL_ECORRUPT, "%s: cannot read past line %lu: %s", path,
                              lineno, msg);
            break;
        }
        if (got == 0) {
            if (n && !too_long)
                rc = handle_line(line, n, lineno, fn, on_bad, ctx);
            else if (too_long)
                on_bad(ctx, lineno, "line longer than 64 MiB");
            break;
        }
        for (int i = 0; i < got && rc == 0; i++) {
            char c = chunk[i];
            if (c == '\n') {
                if (too_long)
                    on_bad(ctx, lineno, "line longer than 64 MiB");
                else
                    rc = handle_line(line, n, lineno, fn, on_bad, ctx);
                n = 0;
                too_long = 0;
                lineno++;
                continue;
            }
            if (too_long)
                continue;
            if (n + 1 >= cap) {
                if (cap >= BL_JSONL_MAX_LINE) {
                    too_long = 1;
                    continue;
                }
                char *p = realloc(line, cap * 2);
                if (!p) {
                    rc = bl_error_set(err, BL_ENOMEM, "out of memory at %s:%lu", path, lineno);
                    break;
                }
                line = p;
                cap *= 2;
            }
            line[n++] = c;
        }
        if (rc)
            break;
    }
    free(line);
    gzclose(gz);
    return rc;
}
