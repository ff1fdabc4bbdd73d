/* blotter: building a new index on every core (see bulk_build.h).
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 *   INDEX             the real index, empty, held open for writing
 *   INDEX.build/index     stub file of the scratch shards
 *   INDEX.build/shards/NN scratch shards (no fsync, updated in place)
 *   INDEX.build/merged    the compacted merge, renamed into INDEX's place
 */
#define _GNU_SOURCE /* renameat2 */
#include "bulk_build.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bl_paths.h"
#include "bl_xapian.h"
#include "fs_tree.h"

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

struct bl_bulk {
    bl_indexer *index;   /* the real index: its write lock keeps others out */
    bl_indexer *scratch;
    char *index_path;
    char *build_dir;     /* INDEX.build */
    char *scratch_path;  /* INDEX.build/index */
    char *merged_path;   /* INDEX.build/merged */
};

int bl_bulk_suits(bl_indexer *ix, bl_error *err)
{
    uint64_t docs = 0;
    if (bl_indexer_shards(ix) != 1)
        return 0;
    int rc = bl_indexer_doccount(ix, &docs, err);
    return rc ? rc : docs == 0;
}

static void bulk_free(bl_bulk *b)
{
    free(b->index_path);
    free(b->build_dir);
    free(b->scratch_path);
    free(b->merged_path);
    free(b);
}

int bl_bulk_begin(bl_indexer *index, const char *index_path, unsigned n_shards, bl_bulk **out,
                  bl_error *err)
{
    *out = NULL;
    bl_bulk *b = calloc(1, sizeof *b);
    size_t n = strlen(index_path) + sizeof ".build";
    if (!b || !(b->index_path = strdup(index_path)) || !(b->build_dir = malloc(n))) {
        if (b)
            bulk_free(b);
        return bl_error_set(err, BL_ENOMEM, "out of memory");
    }
    snprintf(b->build_dir, n, "%s.build", index_path);
    if (!(b->scratch_path = bl_path_join(b->build_dir, "index")) ||
        !(b->merged_path = bl_path_join(b->build_dir, "merged"))) {
        bulk_free(b);
        return bl_error_set(err, BL_ENOMEM, "out of memory");
    }
    /* What is there is the leftover of a build that died: we hold the
     * index's write lock, so no other build is running. */
    if (bl_fs_remove_tree(b->build_dir) != 0) {
        int rc = bl_error_set_errno(err, BL_EIO, errno, "cannot remove %s", b->build_dir);
        bulk_free(b);
        return rc;
    }
    int rc = bl_mkdir_p(b->build_dir, err);
    if (rc == 0)
        rc = bl_indexer_open_scratch(b->scratch_path, n_shards, &b->scratch, err);
    if (rc) {
        bl_fs_remove_tree(b->build_dir);
        bulk_free(b);
        return rc;
    }
    b->index = index;
    *out = b;
    return 0;
}

bl_indexer *bl_bulk_indexer(bl_bulk *b)
{
    return b->scratch;
}

/* Puts the merged database in the index's place. Where the file system
 * cannot exchange two names, the empty index is moved aside first (readers
 * then find no index for an instant). */
static int swap_in(bl_bulk *b, bl_error *err)
{
    if (renameat2(AT_FDCWD, b->merged_path, AT_FDCWD, b->index_path, RENAME_EXCHANGE) == 0)
        return 0;
    if (errno != EINVAL && errno != ENOSYS)
        return bl_error_set_errno(err, BL_EIO, errno, "cannot put the new index in place of %s",
                                  b->index_path);
    char *aside = bl_path_join(b->build_dir, "empty");
    if (!aside)
        return bl_error_set(err, BL_ENOMEM, "out of memory");
    int rc = 0;
    if (rename(b->index_path, aside) != 0) {
        rc = bl_error_set_errno(err, BL_EIO, errno, "cannot move %s aside", b->index_path);
    } else if (rename(b->merged_path, b->index_path) != 0) {
        rc = bl_error_set_errno(err, BL_EIO, errno, "cannot put the new index in place of %s",
                                b->index_path);
        rename(aside, b->index_path); /* the empty index back, so that one exists */
    }
    free(aside);
    return rc;
}

int bl_bulk_finish(bl_bulk *b, bl_error *err)
{
    bl_xdb *db = NULL;
    int rc = bl_indexer_close(b->scratch, err);
    b->scratch = NULL;
    if (rc == 0)
        rc = bl_xdb_open(b->scratch_path, BL_XDB_READ, &db, err);
    if (rc == 0)
        rc = bl_xdb_compact(db, b->merged_path, err);
    bl_xdb_close(db);
    /* Xapian rewrites a writer's files by path: the index must be closed
     * before another database takes that path. */
    bl_error close_err = {0};
    int close_rc = bl_indexer_close(b->index, &close_err);
    b->index = NULL;
    if (rc == 0 && close_rc)
        rc = bl_error_set(err, close_rc, "%s", close_err.msg);
    if (rc == 0)
        rc = swap_in(b, err);
    bl_fs_remove_tree(b->build_dir);
    bulk_free(b);
    return rc;
}

void bl_bulk_abandon(bl_bulk *b)
{
    if (!b)
        return;
    bl_indexer_close(b->scratch, NULL);
    bl_indexer_close(b->index, NULL);
    bl_fs_remove_tree(b->build_dir);
    bulk_free(b);
}
