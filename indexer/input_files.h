/* blotter: finding and reading the local files `blotter index` is given.
 *
 * Paths may be files or directories; directories are walked recursively in
 * name order, skipping hidden entries, so runs are reproducible. A file's kind
 * comes from its name; files of no known kind inside a directory are passed
 * over (counted), while a file named on the command line is sniffed.
 */
#ifndef BL_INPUT_FILES_H
#define BL_INPUT_FILES_H

#include <stddef.h>

#include "bl_error.h"

enum bl_input_kind {
    BL_INPUT_UNKNOWN = 0,
    BL_INPUT_HTML,
    BL_INPUT_TEXT,
    BL_INPUT_JSONL, /* plain or gzip-compressed */
    BL_INPUT_WARC   /* plain or gzip-compressed */
};

/* The kind a file name implies. */
int bl_input_kind_of(const char *path);

/* Calls fn for each file under path (path itself when it is a file);
 * explicit is 1 for a path given by the user. fn returning non-zero stops the
 * walk with that value. Unreadable directories are reported through
 * on_error and the walk goes on. */
typedef int (*bl_walk_fn)(void *ctx, const char *path, int explicit_path);
typedef void (*bl_walk_error_fn)(void *ctx, const char *path, const char *reason);
int bl_walk(const char *path, bl_walk_fn fn, bl_walk_error_fn on_error, void *ctx);

/* Reads a whole file of at most max bytes into a new NUL-terminated buffer. */
int bl_read_file(const char *path, size_t max, char **out, size_t *len, bl_error *err);

#endif
