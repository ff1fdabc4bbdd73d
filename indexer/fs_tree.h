/* blotter: removing a directory tree (an index, a scratch build).
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef BL_FS_TREE_H
#define BL_FS_TREE_H

/* Removes path and everything under it, without following symbolic links.
 * A path that does not exist is not an error. Returns 0, or -1 with errno
 * set by the first removal that failed. */
int bl_fs_remove_tree(const char *path);

#endif
