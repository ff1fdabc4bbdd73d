/* blotter: opening indexes for reading (see index_open.h). */
#include "index_open.h"

#include <stdlib.h>
#include <sys/stat.h>

#include "bl_paths.h"

static int open_one(const char *path, bl_xdb **out, bl_error *err)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return bl_error_set(err, BL_ENOTFOUND, "no index at %s (run 'blotter index' first)", path);
    bl_error e = {0};
    int rc = bl_xdb_open(path, BL_XDB_READ, out, &e);
    if (rc)
        return bl_error_set(err, rc, "cannot open the index at %s: %s", path, e.msg);
    return 0;
}

int bl_index_open_read(const char *data_opt, const char *const *paths, unsigned n_paths,
                       bl_xdb **out, bl_error *err)
{
    *out = NULL;
    if (n_paths == 0) {
        char *data_dir = NULL, *path = NULL;
        int rc = bl_data_dir(data_opt, &data_dir, err);
        if (rc == 0 && !(path = bl_index_path(data_dir)))
            rc = bl_error_set(err, BL_ENOMEM, "out of memory");
        if (rc == 0)
            rc = open_one(path, out, err);
        free(path);
        free(data_dir);
        return rc;
    }
    bl_xdb *db = NULL;
    int rc = open_one(paths[0], &db, err);
    for (unsigned i = 1; rc == 0 && i < n_paths; i++) {
        bl_xdb *more = NULL;
        rc = open_one(paths[i], &more, err);
        if (rc == 0) {
            bl_error e = {0};
            rc = bl_xdb_add(db, more, &e);
            if (rc)
                bl_error_set(err, rc, "cannot combine %s with the other indexes: %s", paths[i], e.msg);
        }
        bl_xdb_close(more);
    }
    if (rc) {
        bl_xdb_close(db);
        return rc;
    }
    *out = db;
    return 0;
}
