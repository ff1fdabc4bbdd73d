/* blotter: looking up the compiled-in page files (see static_files.h). */
#include "static_files.h"

#include <string.h>

const bl_static_file *bl_static_find(const char *path)
{
    if (strcmp(path, "/") == 0 || strcmp(path, "/index.html") == 0)
        path = "/index.html";
    for (unsigned i = 0; i < bl_static_count; i++)
        if (strcmp(bl_static_files[i].path, path) == 0)
            return &bl_static_files[i];
    return NULL;
}
