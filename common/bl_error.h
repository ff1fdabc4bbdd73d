/* blotter: error codes and the error record every module fills in.
 *
 * Contract: a function that can fail returns int, 0 on success or one of the
 * negative BL_E* codes below, and writes a one-line, human-readable reason
 * into the caller's bl_error (which may be NULL when the caller does not care).
 * The first error set wins: bl_error_set() does not overwrite a message that
 * is already there, so a generic failure higher up never masks the real cause.
 * Call bl_error_clear() before reusing a bl_error for an unrelated operation.
 */
#ifndef BL_ERROR_H
#define BL_ERROR_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

enum {
    BL_OK = 0,
    BL_ERR = -1,         /* anything not listed below */
    BL_ENOTFOUND = -2,   /* a file, index, document or term that is not there */
    BL_EEXISTS = -3,     /* something that must not exist yet does */
    BL_ECORRUPT = -4,    /* bytes read back from disk or network fail checks */
    BL_ETOOBIG = -5,     /* an input over its size limit */
    BL_EQUERY = -6,      /* a query that does not parse */
    BL_ELOCKED = -7,     /* another process holds the lock */
    BL_ENOMEM = -8,      /* allocation failed */
    BL_EIO = -9,         /* read/write/disk full */
    BL_EINVAL = -10,     /* an argument out of its domain */
    BL_ENETWORK = -11,   /* network or remote backend failure */
    BL_EMODIFIED = -12,  /* the database changed under a reader; reopen and retry */
    BL_ETIMEOUT = -13    /* an operation ran out of its time budget */
};

#define BL_ERROR_MSG_MAX 512

typedef struct bl_error {
    int code;                   /* 0 while no error is set */
    char msg[BL_ERROR_MSG_MAX]; /* one line, NUL-terminated */
} bl_error;

/* Sets code and message unless an error is already recorded; returns code so
 * callers can write `return bl_error_set(err, BL_EIO, "...")`. err may be NULL. */
int bl_error_set(bl_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Like bl_error_set, appending ": strerror(errnum)". */
int bl_error_set_errno(bl_error *err, int code, int errnum, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

void bl_error_clear(bl_error *err);

/* A short stable name for a code ("not found", "corrupt", ...). */
const char *bl_error_name(int code);

#ifdef __cplusplus
}
#endif

#endif
