/* blotter search: the query language over the index, printed for people
 * (text), programs (JSON) and spreadsheets (CSV).
 *
 * Exit status as grep: 0 when something matched, 1 when nothing did, 2 on
 * any error (a bad query, a missing or corrupt index, a write error).
 */
#include "search_cmd.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bl_cli.h"
#include "bl_xapian.h"
#include "index_open.h"
#include "printer.h"
#include "search_exec.h"

#define MAX_LIMIT 10000
#define MAX_INDEXES 64

typedef struct search_args {
    const char *data_opt;
    const char *indexes[MAX_INDEXES];
    unsigned n_indexes;
    int format;
    bl_search_request req;
    char *query;
} search_args;

static void usage(FILE *out)
{
    fputs("usage: blotter search [OPTIONS] QUERY...\n\n"
          "Searches the index. The query language:\n"
          "  smuggling                 a word (also finds smuggled, smuggler)\n"
          "  fraud AND (wire OR mail)  AND, OR, NOT and parentheses; -word excludes\n"
          "  \"criminal gangs\"          a phrase;  fugitive NEAR arrested\n"
          "  smuggl*                   a trailing wildcard\n"
          "  title:fugitive            a word in the title\n"
          "  site:justice.gov lang:zh agency:\"...\" campaign:\"...\" year:2019\n"
          "  date:2019-06-01..2019-07-31   date:2019-07..   date:..2019\n"
          "  suspects:1000..  cases:..100  money:1m.. currency:usd   (numeric facts)\n"
          "  ~snakehead                also its synonyms (data/synonyms.txt)\n"
          "  抓获犯罪嫌疑人              Chinese words and phrases\n\n"
          "Options:\n"
          "  --data DIR        data directory (default $BLOTTER_DATA, else\n"
          "                    $XDG_DATA_HOME/blotter, else ~/.local/share/blotter)\n"
          "  --index PATH      search this index or stub file instead (repeatable)\n"
          "  -n, --limit N     results to show (default 10, at most 10000)\n"
          "  --offset N        skip the first N results\n"
          "  --sort ORDER      relevance (default), date, -date (newest first),\n"
          "                    or a fact: suspects, -suspects, money, ...\n"
          "  --format FMT      text (default), json or csv\n"
          "  --facet FIELD     count matches by year, lang, agency or campaign\n"
          "                    (repeatable; counts cover all matches)\n"
          "  -h, --help        this help\n\n"
          "Exit status: 0 matches found, 1 no match, 2 error.\n", out);
}

static int parse_args(int argc, char **argv, search_args *a)
{
    static const struct option options[] = {
        {"data", required_argument, NULL, 'd'},   {"index", required_argument, NULL, 'i'},
        {"limit", required_argument, NULL, 'n'},  {"offset", required_argument, NULL, 'o'},
        {"sort", required_argument, NULL, 's'},   {"format", required_argument, NULL, 'f'},
        {"facet", required_argument, NULL, 'F'},  {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    memset(a, 0, sizeof *a);
    bl_search_request_init(&a->req);
    a->format = BL_FORMAT_TEXT;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "n:h", options, NULL)) != -1) {
        switch (c) {
        case 'd': a->data_opt = optarg; break;
        case 'i':
            if (a->n_indexes >= MAX_INDEXES) {
                bl_errorf("at most %d --index options", MAX_INDEXES);
                return BL_EXIT_ERROR;
            }
            a->indexes[a->n_indexes++] = optarg;
            break;
        case 'n':
            if (bl_parse_uint(optarg, MAX_LIMIT, &a->req.limit)) {
                bl_errorf("--limit takes a number from 0 to %d, not '%s'", MAX_LIMIT, optarg);
                return BL_EXIT_ERROR;
            }
            break;
        case 'o':
            if (bl_parse_uint(optarg, 1000000000UL, &a->req.offset)) {
                bl_errorf("--offset takes a whole number, not '%s'", optarg);
                return BL_EXIT_ERROR;
            }
            break;
        case 's':
            if (bl_search_set_sort(&a->req, optarg)) {
                bl_errorf("--sort takes relevance, date, -date or a fact such as -suspects, not '%s'", optarg);
                return BL_EXIT_ERROR;
            }
            break;
        case 'f':
            if ((a->format = bl_format_parse(optarg)) < 0) {
                bl_errorf("--format takes text, json or csv, not '%s'", optarg);
                return BL_EXIT_ERROR;
            }
            break;
        case 'F':
            if (bl_search_add_facet(&a->req, optarg)) {
                bl_errorf("--facet takes year, lang, agency or campaign, not '%s'", optarg);
                return BL_EXIT_ERROR;
            }
            break;
        case 'h': usage(stdout); return BL_EXIT_OK;
        default: usage(stderr); return BL_EXIT_ERROR;
        }
    }
    if (optind >= argc) {
        bl_errorf("no query (see 'blotter search --help')");
        return BL_EXIT_ERROR;
    }
    if (!(a->query = bl_join_args(argc, argv, optind))) {
        bl_errorf("out of memory");
        return BL_EXIT_ERROR;
    }
    a->req.query = a->query;
    a->req.data_opt = a->data_opt;
    return -1; /* go on */
}

int bl_cmd_search(int argc, char **argv)
{
    search_args a;
    int status = parse_args(argc, argv, &a);
    if (status >= 0) {
        free(a.query);
        return status;
    }
    status = BL_EXIT_ERROR;
    bl_error err = {0}, warning = {0};
    bl_xdb *db = NULL;
    bl_search_outcome outcome = {0, 0};

    if (bl_index_open_read(a.data_opt, a.indexes, a.n_indexes, &db, &err)) {
        bl_errorf("%s", err.msg);
        goto done;
    }
    int ansi = a.format == BL_FORMAT_TEXT && isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
    int rc = bl_search_exec(db, &a.req, a.format, stdout, ansi, &outcome, &warning, &err);
    if (warning.code)
        bl_warnf("%s", warning.msg);
    if (rc) {
        bl_errorf("%s", rc == BL_EIO ? "cannot write the results to standard output" : err.msg);
        goto done;
    }
    /* grep's "nothing matched" */
    status = outcome.shown == 0 && outcome.total_upper == 0 ? BL_EXIT_PARTIAL : BL_EXIT_OK;
done:
    bl_xdb_close(db);
    free(a.query);
    return status;
}
