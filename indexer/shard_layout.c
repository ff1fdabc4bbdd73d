/* blotter: the on-disk layout of sharded indexes (see shard_layout.h). */
#include "shard_layout.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bl_paths.h"

uint64_t bl_key_hash(const char *key)
{
    uint64_t h = 1469598103934665603ULL;
    for (const unsigned char *p = (const unsigned char *)key; *p; p++) {
        h ^= *p;
        h *= 1099511628211ULL;
    }
    return h;
}

unsigned bl_shard_of(const char *key, unsigned n_shards)
{
    return n_shards ? (unsigned)(bl_key_hash(key) % n_shards) : 0;
}

/* The directory part of path ("." when there is none), malloc'd. */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return strdup(".");
    if (slash == path)
        return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

static void free_paths(char **paths, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        free(paths[i]);
    free(paths);
}

int bl_stub_read(const char *stub_path, int writable, char ***paths_out, unsigned *n_out,
                 bl_error *err)
{
    *paths_out = NULL;
    *n_out = 0;
    FILE *f = fopen(stub_path, "r");
    if (!f)
        return bl_error_set_errno(err, BL_EIO, errno, "cannot read %s", stub_path);
    char *dir = dir_of(stub_path);
    char **paths = NULL;
    unsigned n = 0;
    int rc = 0;
    char line[4096];
    unsigned lineno = 0;
    long total = 0;
    while (rc == 0 && fgets(line, sizeof line, f)) {
        lineno++;
        total += (long)strlen(line);
        if (total > BL_STUB_MAX_BYTES) {
            rc = bl_error_set(err, BL_ETOOBIG, "%s: larger than a stub file can be", stub_path);
            break;
        }
        line[strcspn(line, "\r\n")] = '\0';
        char *p = line + strspn(line, " \t");
        if (*p == '\0' || *p == '#')
            continue;
        char *type = p;
        char *arg = p + strcspn(p, " \t");
        if (*arg)
            *arg++ = '\0';
        arg += strspn(arg, " \t");
        if (strcmp(type, "remote") == 0 && writable) {
            rc = bl_error_set(err, BL_EINVAL,
                              "%s:%u: a remote shard cannot be written; index into the machine that serves it",
                              stub_path, lineno);
            break;
        }
        if (strcmp(type, "auto") != 0 && strcmp(type, "glass") != 0) {
            if (writable) {
                rc = bl_error_set(err, BL_EINVAL, "%s:%u: '%s' shards cannot be written",
                                  stub_path, lineno, type);
                break;
            }
            continue;
        }
        if (!*arg) {
            rc = bl_error_set(err, BL_ECORRUPT, "%s:%u: no path after '%s'", stub_path, lineno, type);
            break;
        }
        char **grown = realloc(paths, (n + 1) * sizeof *paths);
        char *full = arg[0] == '/' ? strdup(arg) : bl_path_join(dir, arg);
        if (!grown || !full) {
            free(full);
            if (grown)
                paths = grown;
            rc = bl_error_set(err, BL_ENOMEM, "out of memory");
            break;
        }
        paths = grown;
        paths[n++] = full;
    }
    fclose(f);
    free(dir);
    if (rc == 0 && n == 0)
        rc = bl_error_set(err, BL_ECORRUPT, "%s lists no shards", stub_path);
    if (rc) {
        free_paths(paths, n);
        return rc;
    }
    *paths_out = paths;
    *n_out = n;
    return 0;
}

int bl_stub_create(const char *stub_path, unsigned n, bl_error *err)
{
    char *dir = dir_of(stub_path);
    char *shards = dir ? bl_path_join(dir, "shards") : NULL;
    char tmp[4096];
    int rc = 0;
    if (!shards) {
        rc = bl_error_set(err, BL_ENOMEM, "out of memory");
        goto done;
    }
    if ((rc = bl_mkdir_p(shards, err)))
        goto done;
    snprintf(tmp, sizeof tmp, "%s.tmp", stub_path);
    FILE *f = fopen(tmp, "w");
    if (!f) {
        rc = bl_error_set_errno(err, BL_EIO, errno, "cannot write %s", tmp);
        goto done;
    }
    fprintf(f, "# blotter sharded index: one shard a line (Xapian stub file format)\n");
    for (unsigned i = 0; i < n; i++)
        fprintf(f, "auto shards/%02u\n", i);
    if (fflush(f) != 0 || fsync(fileno(f)) != 0) {
        rc = bl_error_set_errno(err, BL_EIO, errno, "cannot write %s", tmp);
        fclose(f);
        unlink(tmp);
        goto done;
    }
    fclose(f);
    if (rename(tmp, stub_path) != 0) {
        rc = bl_error_set_errno(err, BL_EIO, errno, "cannot create %s", stub_path);
        unlink(tmp);
    }
done:
    free(shards);
    free(dir);
    return rc;
}
