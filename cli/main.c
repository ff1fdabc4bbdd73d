/* blotter: the command-line entry point and its table of subcommands.
 *
 * Each subcommand is a function taking (argc, argv) with argv[0] set to its
 * own name, so it parses its options with getopt_long like a program of its
 * own and can be tested by calling it directly.
 *
 * search and campaigns run in this binary. The others are programs of their
 * own, blotter-COMMAND, run in its place (command_exec.h): this binary then
 * needs neither their libraries nor the time to load them.
 */
#include <stdio.h>
#include <string.h>

#include "bl_cli.h"
#include "bl_xapian.h"
#include "campaigns_cmd.h"
#include "command_exec.h"
#include "search_cmd.h"

typedef struct subcommand {
    const char *name;
    int (*run)(int argc, char **argv); /* NULL: the program blotter-NAME */
    const char *summary;
} subcommand;

static const subcommand subcommands[] = {
    {"index", NULL, "add bulletins (HTML, text, JSON Lines) to the index"},
    {"crawl", NULL, "fetch the configured sources, archive and index new bulletins"},
    {"search", bl_cmd_search, "search the index from the shell (text, JSON, CSV)"},
    {"campaigns", bl_cmd_campaigns, "campaigns with their bulletins, dates and facts; timelines, charts"},
    {"similar", NULL, "bulletins about the same thing as a given one"},
    {"extract", NULL, "print the record blotter understands from one page"},
    {"compact", NULL, "rewrite the index (all shards merged) compactly, atomically"},
    {"serve", NULL, "a search page and JSON API over HTTP (open http://127.0.0.1:8080/)"},
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

/* Runs sc with argv[0] its name and argv[argc] NULL. */
static int run(const subcommand *sc, const char *arg0, int argc, char **argv)
{
    if (sc->run) {
        bl_cli_set_command(sc->name);
        return sc->run(argc, argv);
    }
    bl_exec_command(arg0, sc->name, argv);
    return BL_EXIT_ERROR;
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
        return run(sc, argv[0], 2, help_argv);
    }
    const subcommand *sc = find(name);
    if (!sc) {
        fprintf(stderr, "blotter: '%s' is not a blotter command (see 'blotter --help')\n", name);
        return BL_EXIT_ERROR;
    }
    return run(sc, argv[0], argc - 1, argv + 1);
}
