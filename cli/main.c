/* blotter: the command-line entry point and its table of subcommands.
 *
 * Each subcommand is a function taking (argc, argv) with argv[0] set to its
 * own name, so it parses its options with getopt_long like a program of its
 * own and can be tested by calling it directly.
 */
#include <stdio.h>
#include <string.h>

#include "bl_cli.h"
#include "campaigns_cmd.h"
#include "bl_xapian.h"
#include "compact_cmd.h"
#include "crawl_cmd.h"
#include "extract_cmd.h"
#include "index_cmd.h"
#include "search_cmd.h"
#include "serve_cmd.h"
#include "similar_cmd.h"

typedef struct subcommand {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} subcommand;

static const subcommand subcommands[] = {
    {"index", bl_cmd_index, "add bulletins (HTML, text, JSON Lines) to the index"},
    {"crawl", bl_cmd_crawl, "fetch the configured sources, archive and index new bulletins"},
    {"search", bl_cmd_search, "search the index from the shell (text, JSON, CSV)"},
    {"campaigns", bl_cmd_campaigns, "campaigns with their bulletins, dates and facts; timelines, charts"},
    {"similar", bl_cmd_similar, "bulletins about the same thing as a given one"},
    {"extract", bl_cmd_extract, "print the record blotter understands from one page"},
    {"compact", bl_cmd_compact, "rewrite the index (all shards merged) compactly, atomically"},
    {"serve", bl_cmd_serve, "a search page and JSON API over HTTP (open http://127.0.0.1:8080/)"},
};

#define N_SUBCOMMANDS (sizeof subcommands / sizeof subcommands[0])

static void usage(FILE *out)
{
    fputs("usage: blotter [--help] [--version] COMMAND [ARGS]\n\n"
          "Full-text search over law-enforcement bulletins.\n\n"
          "Commands:\n", out);
    for (size_t i = 0; i < N_SUBCOMMANDS; i++)
        fprintf(out, "  %-10s %s\n", subcommands[i].name, subcommands[i].summary);
    fputs("\n'blotter COMMAND --help' describes a command's options.\n"
          "The data directory is --data DIR, else $BLOTTER_DATA, else\n"
          "$XDG_DATA_HOME/blotter, else ~/.local/share/blotter.\n", out);
}

static const subcommand *find(const char *name)
{
    for (size_t i = 0; i < N_SUBCOMMANDS; i++)
        if (strcmp(subcommands[i].name, name) == 0)
            return &subcommands[i];
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return BL_EXIT_ERROR;
    }
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
        usage(stdout);
        return BL_EXIT_OK;
    }
    if (strcmp(name, "--version") == 0) {
        printf("blotter 0.1.0 (Xapian %s)\n", bl_xapian_version());
        return BL_EXIT_OK;
    }
    if (strcmp(name, "help") == 0) {
        if (argc < 3) {
            usage(stdout);
            return BL_EXIT_OK;
        }
        const subcommand *sc = find(argv[2]);
        if (!sc) {
            fprintf(stderr, "blotter: '%s' is not a blotter command (see 'blotter --help')\n", argv[2]);
            return BL_EXIT_ERROR;
        }
        char *help_argv[] = {(char *)sc->name, "--help", NULL};
        bl_cli_set_command(sc->name);
        return sc->run(2, help_argv);
    }
    const subcommand *sc = find(name);
    if (!sc) {
        fprintf(stderr, "blotter: '%s' is not a blotter command (see 'blotter --help')\n", name);
        return BL_EXIT_ERROR;
    }
    bl_cli_set_command(sc->name);
    return sc->run(argc - 1, argv + 1);
}
