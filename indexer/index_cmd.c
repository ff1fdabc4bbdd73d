/* blotter index: local files (HTML, text, JSON Lines) into the index.
 *
 * One bad file never stops the batch: it is reported on stderr, counted as
 * failed, and the run goes on. The summary line on stdout tells what
 * happened; the exit status is 0 when nothing failed, 1 when some inputs
 * failed, 2 when the run could not happen at all, 130 when interrupted
 * (after committing what was done).
 */
#include "index_cmd.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bl_cli.h"
#include "bl_indexer.h"
#include "bl_paths.h"
#include "bulk_build.h"
#include "input_files.h"
#include "jsonl_reader.h"
#include "pipeline.h"
#include "warc_bulletins.h"

typedef struct index_run {
    bl_pipeline *pipeline;
    const char *path;       /* the file being read, for messages */
    const char *abs_path;
} index_run;

/* An empty index is built by one writer thread per core (bulk_build.h), at
 * most this many: each scratch shard holds a batch of changes in memory. */
#define MAX_BUILD_SHARDS 4

static void usage(FILE *out)
{
    fputs("usage: blotter index [--data DIR] [--jobs N] [--shards N] PATH...\n\n"
          "Adds bulletins to the index: HTML pages (.html, .htm), plain text (.txt),\n"
          "JSON Lines (.jsonl, .jsonl.gz; one bulletin a line with url, title,\n"
          "date, and text or html) and crawl archives (.warc, .warc.gz), given as\n"
          "files or directories (walked recursively). A bulletin indexed again\n"
          "replaces its earlier version;\n"
          "one with the same content costs nothing.\n\n"
          "Options:\n"
          "  --data DIR    data directory (default $BLOTTER_DATA, else\n"
          "                $XDG_DATA_HOME/blotter, else ~/.local/share/blotter)\n"
          "  -j, --jobs N  extraction threads (default: one per core)\n"
          "  --shards N    create the index as N shards, kept apart and written in\n"
          "                parallel (a new data directory only); later runs find\n"
          "                the shards by themselves. Without it a new index is one\n"
          "                database, built on every core and merged at the end\n"
          "  -q, --quiet   no summary line\n"
          "  -h, --help    this help\n\n"
          "Exit status: 0 all indexed, 1 some inputs failed, 2 could not run,\n"
          "130 interrupted (what was indexed is kept).\n", out);
}

/* The scratch shards of a bulk build: one per core, capped; 1 means no bulk
 * build (one core). */
static unsigned build_shards(void)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    if (cores < 1)
        return 1;
    return cores > MAX_BUILD_SHARDS ? MAX_BUILD_SHARDS : (unsigned)cores;
}

/* Opens the index (created as `shards` shards when missing, 0 meaning one
 * database) and picks what the bulletins go into: the index itself, or the
 * scratch shards of a bulk build when the index is empty and no shards were
 * asked for. *bulk is NULL unless a bulk build started; then it owns *ix. */
static int open_target(const char *index_path, unsigned shards, bl_indexer **ix,
                       bl_bulk **bulk, bl_indexer **target, bl_error *err)
{
    *bulk = NULL;
    int rc = bl_indexer_open_sharded(index_path, shards, ix, err);
    if (rc)
        return rc;
    *target = *ix;
    if (shards || build_shards() < 2)
        return 0;
    rc = bl_bulk_suits(*ix, err);
    if (rc <= 0)
        return rc;
    if ((rc = bl_bulk_begin(*ix, index_path, build_shards(), bulk, err)))
        return rc;
    *ix = NULL;
    *target = bl_bulk_indexer(*bulk);
    return 0;
}

static int on_jsonl_record(void *ctx, const bl_extract_input *in, const char *id,
                           unsigned long line)
{
    index_run *run = ctx;
    char key[PATH_MAX + 64];
    char label[PATH_MAX + 32];
    snprintf(label, sizeof label, "%s:%lu", run->path, line);
    /* The URL is the key; an id tells apart stories sharing one page. */
    if (in->url && *in->url && id && *id)
        snprintf(key, sizeof key, "%s#id=%s", in->url, id);
    else if (in->url && *in->url)
        snprintf(key, sizeof key, "%s", in->url);
    else if (id && *id)
        snprintf(key, sizeof key, "file:%s#id=%s", run->abs_path, id);
    else
        snprintf(key, sizeof key, "file:%s#%lu", run->abs_path, line);
    if (bl_pipeline_submit_input(run->pipeline, in, key, label)) {
        bl_errorf("%s: out of memory", label);
        bl_pipeline_count(run->pipeline, 0, 1);
    }
    return bl_pipeline_failed(run->pipeline) || bl_interrupted;
}

static void on_jsonl_bad(void *ctx, unsigned long line, const char *reason)
{
    index_run *run = ctx;
    bl_errorf("%s:%lu: %s", run->path, line, reason);
    bl_pipeline_count(run->pipeline, 0, 1);
}

static int on_warc_bulletin(void *ctx, const bl_extract_input *in, const char *key)
{
    index_run *run = ctx;
    if (bl_pipeline_submit_input(run->pipeline, in, key, key)) {
        bl_errorf("%s: out of memory", key);
        bl_pipeline_count(run->pipeline, 0, 1);
    }
    return bl_pipeline_failed(run->pipeline) || bl_interrupted;
}

static int on_file(void *ctx, const char *path, int explicit_path)
{
    index_run *run = ctx;
    int kind = bl_input_kind_of(path);
    if (kind == BL_INPUT_UNKNOWN && !explicit_path) {
        bl_pipeline_count(run->pipeline, 1, 0);
        return 0;
    }
    char abs[PATH_MAX];
    run->path = path;
    run->abs_path = realpath(path, abs) ? abs : path;
    bl_error err = {0};
    switch (kind) {
    case BL_INPUT_JSONL:
        if (bl_jsonl_read(path, on_jsonl_record, on_jsonl_bad, run, &err) < 0) {
            bl_errorf("%s", err.msg);
            bl_pipeline_count(run->pipeline, 0, 1);
        }
        break;
    case BL_INPUT_WARC: {
        /* Bulletins before a truncated last record (a killed crawl) are
         * already submitted when the error comes back. */
        bl_warc_index_stats ws;
        memset(&ws, 0, sizeof ws);
        if (bl_warc_each_bulletin(path, on_warc_bulletin, run, &ws, &err) < 0) {
            bl_errorf("%s", err.msg);
            bl_pipeline_count(run->pipeline, 0, 1);
        }
        break;
    }
    default:
        if (bl_pipeline_submit_file(run->pipeline, path, run->abs_path,
                                    kind == BL_INPUT_HTML   ? BL_CONTENT_HTML
                                    : kind == BL_INPUT_TEXT ? BL_CONTENT_TEXT
                                                            : BL_CONTENT_AUTO)) {
            bl_errorf("%s: out of memory", path);
            bl_pipeline_count(run->pipeline, 0, 1);
        }
    }
    return bl_pipeline_failed(run->pipeline) || bl_interrupted;
}

static void on_walk_error(void *ctx, const char *path, const char *reason)
{
    index_run *run = ctx;
    bl_errorf("%s: %s", path, reason);
    bl_pipeline_count(run->pipeline, 0, 1);
}

int bl_cmd_index(int argc, char **argv)
{
    static const struct option options[] = {
        {"data", required_argument, NULL, 'd'}, {"jobs", required_argument, NULL, 'j'},
        {"shards", required_argument, NULL, 's'}, {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0},
    };
    const char *data_opt = NULL;
    unsigned long jobs = 0, shards = 0;
    int quiet = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "j:qh", options, NULL)) != -1) {
        switch (c) {
        case 'd': data_opt = optarg; break;
        case 'j':
            if (bl_parse_uint(optarg, 32, &jobs) || jobs == 0) {
                bl_errorf("--jobs takes a number from 1 to 32, not '%s'", optarg);
                return BL_EXIT_ERROR;
            }
            break;
        case 's':
            if (bl_parse_uint(optarg, BL_INDEXER_MAX_SHARDS, &shards) || shards == 0) {
                bl_errorf("--shards takes a number from 1 to %d, not '%s'", BL_INDEXER_MAX_SHARDS, optarg);
                return BL_EXIT_ERROR;
            }
            break;
        case 'q': quiet = 1; break;
        case 'h': usage(stdout); return BL_EXIT_OK;
        default: usage(stderr); return BL_EXIT_ERROR;
        }
    }
    if (optind >= argc) {
        bl_errorf("no files or directories to index (see 'blotter index --help')");
        return BL_EXIT_ERROR;
    }

    bl_error err = {0};
    char *data_dir = NULL, *index_path = NULL;
    bl_indexer *ix = NULL, *target = NULL;
    bl_bulk *bulk = NULL;
    index_run run;
    memset(&run, 0, sizeof run);
    int status = BL_EXIT_ERROR;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);

    if (bl_data_dir(data_opt, &data_dir, &err) || bl_mkdir_p(data_dir, &err) ||
        !(index_path = bl_index_path(data_dir)) ||
        open_target(index_path, (unsigned)shards, &ix, &bulk, &target, &err) ||
        bl_pipeline_start(target, (unsigned)jobs, &run.pipeline, &err)) {
        bl_errorf("%s", err.code ? err.msg : "out of memory");
        goto done;
    }
    bl_cli_catch_interrupts();
    for (int i = optind; i < argc && !bl_pipeline_failed(run.pipeline) && !bl_interrupted; i++)
        bl_walk(argv[i], on_file, on_walk_error, &run);

    bl_index_counts n;
    int rc = bl_pipeline_finish(run.pipeline, &n, &err);
    bl_progress_done();
    if (bulk && rc == 0) {
        /* One core: 13 s of a 162 s build of 100,000 bulletins, silent without this. */
        bl_progress("merging %lu bulletins into one index", n.added);
        rc = bl_bulk_finish(bulk, &err);
        bl_progress_done();
    } else if (bulk)
        bl_bulk_abandon(bulk);
    else if (rc == 0)
        rc = bl_indexer_close(ix, &err);
    else
        bl_indexer_close(ix, NULL);
    ix = NULL;
    bulk = NULL;
    if (rc) {
        bl_errorf("%s; the index keeps what was committed before", err.msg);
        goto done;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (!quiet)
        printf("%lu added, %lu updated, %lu unchanged, %lu skipped, %lu failed (%.1f s)\n",
               n.added, n.updated, n.unchanged, n.skipped, n.failed,
               (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    status = bl_interrupted ? BL_EXIT_INTERRUPTED : n.failed ? BL_EXIT_PARTIAL : BL_EXIT_OK;
    if (bl_interrupted)
        bl_errorf("interrupted; what was indexed so far is committed");
done:
    bl_bulk_abandon(bulk);
    bl_indexer_close(ix, NULL);
    free(index_path);
    free(data_dir);
    return status;
}
