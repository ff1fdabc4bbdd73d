/* blotter: where things live on disk.
 *
 * The data directory is shared by every subcommand: --data DIR, else
 * $BLOTTER_DATA, else $XDG_DATA_HOME/blotter, else ~/.local/share/blotter.
 * Inside it: index/ (the Xapian database), and, for the crawler, crawl.db,
 * archive/ and sources.ini.
 */
#ifndef BL_PATHS_H
#define BL_PATHS_H

#include "bl_error.h"

/* The data directory (malloc'd; caller frees). opt is the --data value or NULL. */
int bl_data_dir(const char *opt, char **out, bl_error *err);

/* Creates dir and its parents (mode 0755) when missing. */
int bl_mkdir_p(const char *dir, bl_error *err);

/* dir + "/" + name, malloc'd; NULL when out of memory. */
char *bl_path_join(const char *dir, const char *name);

/* The index inside a data directory: DATA/index (malloc'd). */
char *bl_index_path(const char *data_dir);

#endif
