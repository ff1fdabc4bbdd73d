/* blotter: data directory resolution (see bl_paths.h). */
#include "bl_paths.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

char *bl_path_join(const char *dir, const char *name)
{
    size_t a = strlen(dir), b = strlen(name);
    char *p = malloc(a + b + 2);
    if (!p)
        return NULL;
    memcpy(p, dir, a);
    size_t n = a;
    if (a == 0 || dir[a - 1] != '/')
        p[n++] = '/';
    memcpy(p + n, name, b + 1);
    return p;
}

int bl_data_dir(const char *opt, char **out, bl_error *err)
{
    const char *env;
    *out = NULL;
    if (opt && *opt)
        *out = strdup(opt);
    else if ((env = getenv("BLOTTER_DATA")) && *env)
        *out = strdup(env);
    else if ((env = getenv("XDG_DATA_HOME")) && *env)
        *out = bl_path_join(env, "blotter");
    else if ((env = getenv("HOME")) && *env)
        *out = bl_path_join(env, ".local/share/blotter");
    else
        return bl_error_set(err, BL_EINVAL,
                            "no data directory: give --data DIR or set BLOTTER_DATA");
    return *out ? 0 : bl_error_set(err, BL_ENOMEM, "out of memory");
}

int bl_mkdir_p(const char *dir, bl_error *err)
{
    char *p = strdup(dir);
    if (!p)
        return bl_error_set(err, BL_ENOMEM, "out of memory");
    int rc = 0;
    for (char *s = p + 1;; s++) {
        if (*s != '/' && *s != '\0')
            continue;
        char c = *s;
        *s = '\0';
        if (mkdir(p, 0755) != 0 && errno != EEXIST) {
            rc = bl_error_set_errno(err, BL_EIO, errno, "cannot create directory %s", p);
            break;
        }
        *s = c;
        if (c == '\0')
            break;
    }
    struct stat st;
    if (rc == 0 && (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)))
        rc = bl_error_set(err, BL_EIO, "%s is not a directory", dir);
    free(p);
    return rc;
}

char *bl_index_path(const char *data_dir)
{
    return bl_path_join(data_dir, "index");
}
