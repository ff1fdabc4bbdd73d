/* blotter: the error record (see bl_error.h for the contract). */
#include "bl_error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void keep_one_line(char *s)
{
    for (; *s; s++)
        if (*s == '\n' || *s == '\r')
            *s = ' ';
}

int bl_error_set(bl_error *err, int code, const char *fmt, ...)
{
    if (!err || err->code != 0)
        return code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    keep_one_line(err->msg);
    err->code = code;
    return code;
}

int bl_error_set_errno(bl_error *err, int code, int errnum, const char *fmt, ...)
{
    if (!err || err->code != 0)
        return code;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    if (n >= 0 && (size_t)n < sizeof err->msg)
        snprintf(err->msg + n, sizeof err->msg - (size_t)n, ": %s", strerror(errnum));
    keep_one_line(err->msg);
    err->code = code;
    return code;
}

void bl_error_clear(bl_error *err)
{
    if (!err)
        return;
    err->code = 0;
    err->msg[0] = '\0';
}

const char *bl_error_name(int code)
{
    switch (code) {
    case BL_OK: return "ok";
    case BL_ENOTFOUND: return "not found";
    case BL_EEXISTS: return "already exists";
    case BL_ECORRUPT: return "corrupt";
    case BL_ETOOBIG: return "too large";
    case BL_EQUERY: return "bad query";
    case BL_ELOCKED: return "locked";
    case BL_ENOMEM: return "out of memory";
    case BL_EIO: return "I/O error";
    case BL_EINVAL: return "invalid argument";
    case BL_ENETWORK: return "network error";
    case BL_EMODIFIED: return "database modified";
    case BL_ETIMEOUT: return "timed out";
    default: return "error";
    }
}
