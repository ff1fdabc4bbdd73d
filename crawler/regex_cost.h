/* blotter: a bound on what a sources-file regex may cost to compile.
 *
 * glibc's regcomp copies a repeated expression once per allowed repetition and
 * turns `x+` into `xx*`, so `a{1,32767}` or `h++++++++++++++++++++` makes it
 * allocate gigabytes before any URL is matched, and `(a?)+` makes it compute
 * for minutes. The sources file is outside input, so patterns are weighed
 * before they are compiled.
 */
#ifndef BL_REGEX_COST_H
#define BL_REGEX_COST_H

#include <stddef.h>

/* Largest {m,n} bound accepted. */
#define BL_REGEX_MAX_BOUND 255
/* Largest estimated number of compiled nodes accepted. */
#define BL_REGEX_MAX_COST 4096

/* 0 when the extended regular expression re is cheap enough to compile;
 * otherwise -1 with the reason in why. Syntax errors are left to regcomp. */
int bl_regex_check_cost(const char *re, char *why, size_t why_size);

#endif
