/* blotter: running a subcommand that is a program of its own (see
 * command_exec.h).
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "command_exec.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#ifndef BL_LIBEXEC_FROM_BINDIR
#define BL_LIBEXEC_FROM_BINDIR "../libexec/blotter"
#endif

#define PROGRAM_PREFIX "blotter-"

/* The directory of the running blotter, into dir: /proc/self/exe (the real
 * file, whatever PATH or symlink led to it), else argv[0] when it holds a
 * slash. -1 when neither says. */
static int own_dir(const char *arg0, char *dir, size_t size)
{
    ssize_t n = readlink("/proc/self/exe", dir, size - 1);
    if (n > 0) {
        dir[n] = '\0';
    } else {
        if (!arg0 || !strchr(arg0, '/') || strlen(arg0) >= size)
            return -1;
        strcpy(dir, arg0);
    }
    char *slash = strrchr(dir, '/');
    if (!slash)
        return -1;
    *(slash == dir ? slash + 1 : slash) = '\0';
    return 0;
}

void bl_exec_command(const char *arg0, const char *name, char **argv)
{
    char dir[PATH_MAX];
    if (own_dir(arg0, dir, sizeof dir)) {
        fprintf(stderr, "blotter: cannot tell where blotter is installed, so cannot run %s%s\n",
                PROGRAM_PREFIX, name);
        return;
    }
    const char *const places[] = {"", "/" BL_LIBEXEC_FROM_BINDIR};
    char path[PATH_MAX + 64];
    int first_errno = 0;
    char first_path[sizeof path] = "";
    for (size_t i = 0; i < sizeof places / sizeof places[0]; i++) {
        int n = snprintf(path, sizeof path, "%s%s/%s%s", strcmp(dir, "/") ? dir : "", places[i],
                         PROGRAM_PREFIX, name);
        if (n < 0 || (size_t)n >= sizeof path)
            continue;
        argv[0] = path;
        execv(path, argv);
        /* A program that is there but cannot run says more than one that
         * is missing. */
        if (errno != ENOENT && !first_errno) {
            first_errno = errno;
            snprintf(first_path, sizeof first_path, "%s", path);
        }
    }
    if (first_errno)
        fprintf(stderr, "blotter: cannot run %s: %s\n", first_path, strerror(first_errno));
    else
        fprintf(stderr, "blotter: '%s' needs the program %s%s, which is neither in %s nor in "
                        "%s/%s\n", name, PROGRAM_PREFIX, name, dir, dir, BL_LIBEXEC_FROM_BINDIR);
}
