/* blotter crawl: fetch the configured sources, archive and index what is new.
 *
 * Exit status: 0 all URLs fine, 1 some URLs failed (each listed on stderr),
 * 2 the crawl could not run (bad sources file, another crawl running, the
 * index or state unusable), 130 interrupted (what was done is kept and the
 * next run resumes).
 */
#include "crawl_cmd.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bl_cli.h"
#include "bl_paths.h"
#include "crawl_config.h"
#include "crawler.h"

static void usage(FILE *out)
{
    fputs("usage: blotter crawl [--data DIR] [--config FILE] [--quiet]\n\n"
          "Fetches the sources listed in the sources file (default DATA/sources.ini):\n"
          "listing pages, RSS/Atom feeds and sitemaps, and the bulletins they link\n"
          "to; archives every response in DATA/archive/*.warc.gz and indexes new\n"
          "and changed bulletins. A later run sends conditional requests and\n"
          "indexes only what changed; an interrupted run resumes where it stopped.\n\n"
          "Options:\n"
          "  --data DIR     data directory (default $BLOTTER_DATA, else\n"
          "                 $XDG_DATA_HOME/blotter, else ~/.local/share/blotter)\n"
          "  --config FILE  sources file (see docs/crawling.md)\n"
          "  -q, --quiet    only one summary line, for cron\n"
          "  -h, --help     this help\n\n"
          "Exit status: 0 all good, 1 some URLs failed (listed on stderr),\n"
          "2 could not run, 130 interrupted.\n", out);
}

typedef struct cmd_ctx {
    int quiet;
} cmd_ctx;

static void on_failure(void *ctx, const char *url, const char *message)
{
    (void)ctx;
    bl_errorf("%s: %s", url, message);
}

static void on_progress(void *ctx, const bl_crawl_stats *s)
{
    cmd_ctx *c = ctx;
    if (!c->quiet)
        bl_progress("crawling: %lu fetched, %lu new, %lu updated, %lu not modified, %lu failed, "
                    "%lu queued",
                    s->fetched, s->added, s->updated, s->not_modified, s->failed, s->queued);
}

int bl_cmd_crawl(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"data", required_argument, NULL, 'd'},
        {"config", required_argument, NULL, 'c'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *data_opt = NULL, *config_opt = NULL;
    cmd_ctx ctx = {0};
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "qh", longopts, NULL)) != -1) {
        switch (opt) {
        case 'd': data_opt = optarg; break;
        case 'c': config_opt = optarg; break;
        case 'q': ctx.quiet = 1; break;
        case 'h': usage(stdout); return BL_EXIT_OK;
        default: usage(stderr); return BL_EXIT_ERROR;
        }
    }
    if (optind < argc) {
        bl_errorf("unexpected argument '%s' (see 'blotter crawl --help')", argv[optind]);
        return BL_EXIT_ERROR;
    }
    bl_error err = {0};
    char *data_dir = NULL, *config_path = NULL;
    bl_crawl_config *cfg = NULL;
    int status = BL_EXIT_ERROR;
    if (bl_data_dir(data_opt, &data_dir, &err)) {
        bl_errorf("%s", err.msg);
        goto done;
    }
    config_path = config_opt ? strdup(config_opt) : bl_path_join(data_dir, "sources.ini");
    if (!config_path) {
        bl_errorf("out of memory");
        goto done;
    }
    if (bl_crawl_config_load(config_path, &cfg, &err)) {
        bl_errorf("%s", err.msg);
        goto done;
    }
    if (cfg->n_sources == 0) {
        bl_errorf("%s: no [source NAME] sections: nothing to crawl", config_path);
        goto done;
    }
    bl_cli_catch_interrupts();
    bl_crawl_opts opts = {
        .data_dir = data_dir,
        .cfg = cfg,
        .on_failure = on_failure,
        .on_progress = on_progress,
        .ctx = &ctx,
        .interrupted = &bl_interrupted,
    };
    bl_crawl_stats st;
    int rc = bl_crawl_run(&opts, &st, &err);
    bl_progress_done();
    if (rc) {
        bl_errorf("%s", err.msg);
        goto done;
    }
    fprintf(stdout,
            "crawl: %lu new, %lu updated, %lu not modified, %lu skipped by robots, %lu failed"
            "%s\n",
            st.added, st.updated, st.not_modified, st.robots, st.failed,
            st.interrupted ? " (interrupted: the next run resumes)" : "");
    if (!ctx.quiet && st.skipped)
        fprintf(stdout, "crawl: %lu skipped (not HTML or text, or over max_pages)\n", st.skipped);
    status = st.interrupted ? BL_EXIT_INTERRUPTED : st.failed ? BL_EXIT_PARTIAL : BL_EXIT_OK;
done:
    bl_crawl_config_free(cfg);
    free(config_path);
    free(data_dir);
    return status;
}
