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

#include "bl_cli.h"
#include "bl_indexer.h"
#include "bl_paths.h"
#include "input_files.h"
#include "jsonl_reader.h"

typedef struct index_run {
    bl_indexer *ix;
    const char *path;       /* the file being read, for messages */
    char *abs_path;
    unsigned long added, updated, unchanged, skipped, failed;
    int fatal;              /* an index write failed: stop */
    bl_error fatal_err;
} index_run;

static void usage(FILE *out)
{
    fputs("usage: blotter index [--data DIR] PATH...\n\n"
          "Adds bulletins to the index: HTML pages (.html, .htm), plain text (.txt)\n"
          "and JSON Lines (.jsonl, .jsonl.gz; one bulletin a line with url, title,\n"
          "date, and text or html), given as files or directories (walked\n"
          "recursively). A bulletin indexed again replaces its earlier version.\n\n"
          "Options:\n"
          "  --data DIR   data directory (default $BLOTTER_DATA, else\n"
          "               $XDG_DATA_HOME/blotter, else ~/.local/share/blotter)\n"
          "  -q, --quiet  no summary line\n"
          "  -h, --help   this help\n\n"
          "Exit status: 0 all indexed, 1 some inputs failed, 2 could not run.\n", out);
}

static void progress(const index_run *run)
{
    bl_progress("indexing: %lu added, %lu updated, %lu unchanged, %lu failed",
                run->added, run->updated, run->unchanged, run->failed);
}

/* Counts one indexing attempt; an error from the index itself (as opposed
 * to one bad input) is fatal for the run. */
static void count(index_run *run, int rc, int outcome, const char *what, bl_error *err)
{
    if (rc == 0) {
        if (outcome == BL_INDEX_ADDED)
            run->added++;
        else if (outcome == BL_INDEX_UPDATED)
            run->updated++;
        else
            run->unchanged++;
    } else if (rc == BL_EINVAL) {
        bl_warnf("%s: %s, skipped", what, err->msg);
        run->skipped++;
    } else if (rc == BL_ETOOBIG || rc == BL_ECORRUPT) {
        bl_errorf("%s: %s", what, err->msg);
        run->failed++;
    } else {
        run->fatal = 1;
        bl_error_set(&run->fatal_err, rc, "%s: %s", what, err->msg);
    }
    progress(run);
}

static int on_jsonl_record(void *ctx, const bl_extract_input *in, unsigned long line)
{
    index_run *run = ctx;
    char key[PATH_MAX + 64];
    char what[PATH_MAX + 32];
    snprintf(what, sizeof what, "%s:%lu", run->path, line);
    if (in->url && *in->url)
        snprintf(key, sizeof key, "%s", in->url);
    else
        snprintf(key, sizeof key, "file:%s#%lu", run->abs_path, line);
    bl_error err = {0};
    int outcome = 0;
    int rc = bl_indexer_add(run->ix, in, key, &outcome, &err);
    count(run, rc, outcome, what, &err);
    return run->fatal || bl_interrupted;
}

static void on_jsonl_bad(void *ctx, unsigned long line, const char *reason)
{
    index_run *run = ctx;
    bl_errorf("%s:%lu: %s", run->path, line, reason);
    run->failed++;
}

static void index_jsonl(index_run *run)
{
    bl_error err = {0};
    int rc = bl_jsonl_read(run->path, on_jsonl_record, on_jsonl_bad, run, &err);
    if (rc < 0) {
        bl_errorf("%s", err.msg);
        run->failed++;
    }
}

static void index_page(index_run *run, int kind)
{
    bl_error err = {0};
    char *bytes = NULL;
    size_t len = 0;
    int rc = bl_read_file(run->path, BL_EXTRACT_MAX_INPUT, &bytes, &len, &err);
    if (rc) {
        bl_errorf("%s", err.msg);
        run->failed++;
        return;
    }
    char key[PATH_MAX + 16];
    snprintf(key, sizeof key, "file:%s", run->abs_path);
    bl_extract_input in;
    memset(&in, 0, sizeof in);
    in.bytes = bytes;
    in.len = len;
    in.kind = kind == BL_INPUT_HTML ? BL_CONTENT_HTML
              : kind == BL_INPUT_TEXT ? BL_CONTENT_TEXT : BL_CONTENT_AUTO;

    bl_record *rec = NULL;
    int outcome = 0;
    rc = bl_extract(&in, &rec, &err);
    if (rc == 0 && !rec->url) {
        char url[PATH_MAX + 16];
        snprintf(url, sizeof url, "file://%s", run->abs_path);
        rc = bl_record_set(&rec->url, url, (size_t)-1);
    }
    if (rc == 0)
        rc = bl_indexer_add_record(run->ix, rec, key, &outcome, &err);
    count(run, rc, outcome, run->path, &err);
    bl_record_free(rec);
    free(bytes);
}

static int on_file(void *ctx, const char *path, int explicit_path)
{
    index_run *run = ctx;
    int kind = bl_input_kind_of(path);
    if (kind == BL_INPUT_UNKNOWN && !explicit_path) {
        run->skipped++;
        return 0;
    }
    char abs[PATH_MAX];
    run->path = path;
    run->abs_path = realpath(path, abs) ? abs : (char *)path;
    if (kind == BL_INPUT_JSONL)
        index_jsonl(run);
    else if (kind == BL_INPUT_WARC) {
        bl_errorf("%s: WARC archives are not supported by this build", path);
        run->failed++;
    } else
        index_page(run, kind);
    return run->fatal || bl_interrupted;
}

static void on_walk_error(void *ctx, const char *path, const char *reason)
{
    index_run *run = ctx;
    bl_errorf("%s: %s", path, reason);
    run->failed++;
}

int bl_cmd_index(int argc, char **argv)
{
    static const struct option options[] = {
        {"data", required_argument, NULL, 'd'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *data_opt = NULL;
    int quiet = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "qh", options, NULL)) != -1) {
        switch (c) {
        case 'd': data_opt = optarg; break;
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
    index_run run;
    memset(&run, 0, sizeof run);
    int status = BL_EXIT_ERROR;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);

    if (bl_data_dir(data_opt, &data_dir, &err) || bl_mkdir_p(data_dir, &err) ||
        !(index_path = bl_index_path(data_dir)) ||
        bl_indexer_open(index_path, &run.ix, &err)) {
        bl_errorf("%s", err.code ? err.msg : "out of memory");
        goto done;
    }
    bl_cli_catch_interrupts();
    for (int i = optind; i < argc && !run.fatal && !bl_interrupted; i++)
        bl_walk(argv[i], on_file, on_walk_error, &run);
    bl_progress_done();

    bl_error_clear(&err);
    int close_rc = bl_indexer_close(run.ix, &err);
    run.ix = NULL;
    if (run.fatal) {
        bl_errorf("%s; the index keeps what was committed before", run.fatal_err.msg);
        goto done;
    }
    if (close_rc) {
        bl_errorf("cannot commit to %s: %s", index_path, err.msg);
        goto done;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (!quiet)
        printf("%lu added, %lu updated, %lu unchanged, %lu skipped, %lu failed (%.1f s)\n",
               run.added, run.updated, run.unchanged, run.skipped, run.failed,
               (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    status = bl_interrupted ? BL_EXIT_INTERRUPTED : run.failed ? BL_EXIT_PARTIAL : BL_EXIT_OK;
    if (bl_interrupted)
        bl_errorf("interrupted; what was indexed so far is committed");
done:
    if (run.ix)
        bl_indexer_close(run.ix, NULL);
    free(index_path);
    free(data_dir);
    return status;
}
