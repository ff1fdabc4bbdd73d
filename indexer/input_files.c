/* blotter: finding and reading local input files (see input_files.h). */
#include "input_files.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "bl_paths.h"

/* Deep enough for any real archive, shallow enough to stop a symlink loop. */
#define MAX_DEPTH 48

static int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcasecmp(s + a - b, suffix) == 0;
}

int bl_input_kind_of(const char *path)
{
    static const struct { const char *suffix; int kind; } table[] = {
        {".html", BL_INPUT_HTML},   {".htm", BL_INPUT_HTML},      {".xhtml", BL_INPUT_HTML},
        {".shtml", BL_INPUT_HTML},  {".txt", BL_INPUT_TEXT},      {".text", BL_INPUT_TEXT},
        {".jsonl", BL_INPUT_JSONL}, {".ndjson", BL_INPUT_JSONL},  {".jsonl.gz", BL_INPUT_JSONL},
        {".ndjson.gz", BL_INPUT_JSONL}, {".warc", BL_INPUT_WARC}, {".warc.gz", BL_INPUT_WARC},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (ends_with(path, table[i].suffix))
            return table[i].kind;
    return BL_INPUT_UNKNOWN;
}

static int walk(const char *path, int depth, int explicit_path, bl_walk_fn fn,
                bl_walk_error_fn on_error, void *ctx)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        on_error(ctx, path, strerror(errno));
        return 0;
    }
    if (!S_ISDIR(st.st_mode))
        return fn(ctx, path, explicit_path);
    if (depth >= MAX_DEPTH) {
        on_error(ctx, path, "directories nested too deeply (a symbolic link loop?)");
        return 0;
    }
    struct dirent **names = NULL;
    int n = scandir(path, &names, NULL, alphasort);
    if (n < 0) {
        on_error(ctx, path, strerror(errno));
        return 0;
    }
    int rc = 0;
    for (int i = 0; i < n; i++) {
        if (rc == 0 && names[i]->d_name[0] != '.') {
            char *child = bl_path_join(path, names[i]->d_name);
            if (!child) {
                on_error(ctx, path, "out of memory");
                rc = -1;
            } else {
                rc = walk(child, depth + 1, 0, fn, on_error, ctx);
                free(child);
            }
        }
        free(names[i]);
    }
    free(names);
    return rc;
}

int bl_walk(const char *path, bl_walk_fn fn, bl_walk_error_fn on_error, void *ctx)
{
    return walk(path, 0, 1, fn, on_error, ctx);
}

int bl_read_file(const char *path, size_t max, char **out, size_t *len, bl_error *err)
{
    *out = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return bl_error_set_errno(err, errno == ENOENT ? BL_ENOTFOUND : BL_EIO, errno,
                                  "cannot open %s", path);
    int rc = 0;
    size_t cap = 64 * 1024, n = 0;
    char *buf = malloc(cap + 1);
    while (buf) {
        if (n == cap) {
            if (cap >= max) {
                if (fgetc(f) == EOF)
                    break; /* exactly max bytes */
                rc = bl_error_set(err, BL_ETOOBIG, "%s is larger than %zu MiB", path,
                                  max >> 20);
                break;
            }
            cap = cap * 2 > max ? max : cap * 2;
            char *p = realloc(buf, cap + 1);
            if (!p) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = p;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) {
            if (ferror(f))
                rc = bl_error_set_errno(err, BL_EIO, errno, "cannot read %s", path);
            break;
        }
    }
    if (!buf)
        rc = bl_error_set(err, BL_ENOMEM, "out of memory reading %s", path);
    fclose(f);
    if (rc) {
        free(buf);
        return rc;
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return 0;
}
