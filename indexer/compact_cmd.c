/* blotter compact: rewrite the index (one or all its shards merged) as one
 * compact database, and swap it in atomically.
 *
 * Readers never see a half-written index: the new database is written beside
 * the old one, then renameat2(RENAME_EXCHANGE) swaps the two paths in one
 * step (a directory for a stub file works too), and only then is the old one
 * removed. Readers that had the old one open keep reading it until they
 * reopen. Writers are held off while the copy is written by holding the write
 * lock of every shard; the locks are let go just before the swap (a writer
 * starting in that instant would write to the old index).
 */
#define _GNU_SOURCE /* renameat2 */
#include "compact_cmd.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bl_cli.h"
#include "bl_indexer.h"
#include "bl_paths.h"
#include "bl_xapian.h"
#include "fs_tree.h"

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

static void usage(FILE *out)
{
    fputs("usage: blotter compact [--data DIR]\n\n"
          "Rewrites the index as one compact database: a sharded index is merged\n"
          "into one. Searches go on during the run and see the new index as soon\n"
          "as it is complete; indexing waits.\n\n"
          "Options:\n"
          "  --data DIR   data directory\n"
          "  -h, --help   this help\n", out);
}

static long long dir_bytes_total;
static int add_size(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)path; (void)ftw;
    if (flag == FTW_F)
        dir_bytes_total += st->st_size;
    return 0;
}

static long long tree_bytes(const char *path)
{
    dir_bytes_total = 0;
    nftw(path, add_size, 16, FTW_PHYS);
    return dir_bytes_total;
}

int bl_cmd_compact(int argc, char **argv)
{
    static const struct option options[] = {
        {"data", required_argument, NULL, 'd'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *data_opt = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        switch (c) {
        case 'd': data_opt = optarg; break;
        case 'h': usage(stdout); return BL_EXIT_OK;
        default: usage(stderr); return BL_EXIT_ERROR;
        }
    }
    if (optind < argc) {
        bl_errorf("unexpected argument '%s' (see 'blotter compact --help')", argv[optind]);
        return BL_EXIT_ERROR;
    }

    bl_error err = {0};
    char *data_dir = NULL, *index_path = NULL, *shards_dir = NULL;
    char fresh[4096] = "";
    bl_indexer *lock = NULL;
    bl_xdb *db = NULL;
    int status = BL_EXIT_ERROR, swapped = 0;
    struct stat st;

    if (bl_data_dir(data_opt, &data_dir, &err) || !(index_path = bl_index_path(data_dir)) ||
        !(shards_dir = bl_path_join(data_dir, "shards"))) {
        bl_errorf("%s", err.code ? err.msg : "out of memory");
        goto done;
    }
    if (stat(index_path, &st) != 0) {
        bl_errorf("no index at %s (run 'blotter index' first)", index_path);
        goto done;
    }
    int was_sharded = S_ISREG(st.st_mode);
    long long before = was_sharded ? tree_bytes(shards_dir) : tree_bytes(index_path);
    if (bl_indexer_open(index_path, &lock, &err) ||
        bl_xdb_open(index_path, BL_XDB_READ, &db, &err)) {
        bl_errorf("%s", err.msg);
        goto done;
    }
    snprintf(fresh, sizeof fresh, "%s/index.compact-%ld", data_dir, (long)getpid());
    bl_fs_remove_tree(fresh); /* a leftover of an earlier killed run with our pid */
    if (bl_xdb_compact(db, fresh, &err)) {
        bl_errorf("cannot compact %s: %s", index_path, err.msg);
        goto done;
    }
    bl_xdb_close(db);
    db = NULL;
    /* The writers must let go before the swap: a Xapian writer rewrites files
     * of its database by path, and after the swap that path is the new index.
     * Between this and the swap lies only the rename itself. */
    bl_indexer_close(lock, NULL);
    lock = NULL;
    if (renameat2(AT_FDCWD, fresh, AT_FDCWD, index_path, RENAME_EXCHANGE) != 0) {
        bl_errorf("cannot swap in the compacted index: %s", strerror(errno));
        goto done;
    }
    swapped = 1;
    /* fresh now names the old index (a directory or a stub file). */
    if (was_sharded) {
        unlink(fresh);
        bl_fs_remove_tree(shards_dir);
    } else {
        bl_fs_remove_tree(fresh);
    }
    long long after = tree_bytes(index_path);
    printf("compacted %s: %.1f MB -> %.1f MB\n", index_path, (double)before / 1e6,
           (double)after / 1e6);
    status = BL_EXIT_OK;
done:
    if (!swapped && fresh[0])
        bl_fs_remove_tree(fresh);
    bl_xdb_close(db);
    bl_indexer_close(lock, NULL);
    free(shards_dir);
    free(index_path);
    free(data_dir);
    return status;
}
