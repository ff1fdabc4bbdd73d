/* blotter: the search page's files, compiled into the binary.
 *
 * server/static/ is turned into a C array at build time by
 * embed_static.cmake (no network, no build tools beyond CMake); the server
 * serves them from memory. Everything here is read-only and static.
 */
#ifndef BL_STATIC_FILES_H
#define BL_STATIC_FILES_H

#include <stddef.h>

typedef struct bl_static_file {
    const char *path;         /* "/app.js"; "/" is index.html */
    const char *content_type;
    const unsigned char *data;
    size_t size;
} bl_static_file;

/* The generated table (static_data.c). */
extern const bl_static_file bl_static_files[];
extern const unsigned bl_static_count;

/* The file served at path, or NULL. */
const bl_static_file *bl_static_find(const char *path);

#endif
