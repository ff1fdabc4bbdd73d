/* blotter: running a subcommand that is a program of its own.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The blotter binary holds search and campaigns and links only Xapian and
 * json-c, so that a one-shot search starts about as fast as Xapian's own
 * quest. The commands that need the extraction, crawling and HTTP libraries
 * (libxml2 with ICU, libcurl, SQLite, libmicrohttpd, OpenSSL) are programs of
 * their own named blotter-COMMAND, which blotter runs in its own place with
 * execv, git-style: same process id, same standard streams, and the exit
 * status is the command's own.
 *
 * blotter-COMMAND is looked for in the directory of the running blotter (in
 * a build tree both are in cli/), then in BL_LIBEXEC_FROM_BINDIR relative to
 * it (installed: bin/blotter runs libexec/blotter/blotter-index). Nothing is
 * looked up in PATH.
 */
#ifndef BL_COMMAND_EXEC_H
#define BL_COMMAND_EXEC_H

/* Runs blotter-NAME with argv[1..] as its arguments (argv[0] is the command
 * name and is overwritten; argv ends with NULL). arg0 is blotter's own
 * argv[0], used only when /proc/self/exe cannot be read. Returns only when
 * no such program could be run, after printing why on stderr; the caller
 * exits with BL_EXIT_ERROR. */
void bl_exec_command(const char *arg0, const char *name, char **argv);

#endif
