/* blotter: what every subcommand shares on the command line.
 *
 * Diagnostics go to stderr as "blotter CMD: message" (like git and curl);
 * results go to stdout. Exit codes follow grep: 0 success (something found),
 * 1 nothing found or some items failed, 2 could not run.
 */
#ifndef BL_CLI_H
#define BL_CLI_H

#include <stdio.h>

enum { BL_EXIT_OK = 0, BL_EXIT_PARTIAL = 1, BL_EXIT_ERROR = 2, BL_EXIT_INTERRUPTED = 130 };

/* The subcommand name used in diagnostics ("search"); set once by main. */
void bl_cli_set_command(const char *name);
const char *bl_cli_command(void);

void bl_warnf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void bl_errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* argv[from..argc) joined by single spaces, as one query string (malloc'd;
 * NULL when out of memory). */
char *bl_join_args(int argc, char **argv, int from);

/* Parses a whole non-negative decimal number no larger than max. */
int bl_parse_uint(const char *s, unsigned long max, unsigned long *out);

/* Progress on stderr, only when stderr is a terminal: rewrites one line at
 * most every 200 ms; bl_progress_done clears it. */
void bl_progress(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void bl_progress_done(void);

/* Set by SIGINT/SIGTERM after bl_cli_catch_interrupts(): long loops check it,
 * finish the item at hand, commit and exit with BL_EXIT_INTERRUPTED. */
extern volatile int bl_interrupted;
void bl_cli_catch_interrupts(void);

#endif
