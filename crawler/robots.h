/* blotter: robots.txt (RFC 9309).
 *
 * Parsing keeps only the rules of the groups that apply to our product token
 * (the user agent up to its first '/' or space, compared case-insensitively);
 * several matching groups are merged; with none, the '*' groups apply; with
 * none of those either, everything is allowed. Allow/Disallow paths may use
 * '*' (any run of characters) and a final '$' (end of the path). The longest
 * matching pattern wins, and Allow wins a tie. Paths and patterns compare
 * percent-encoded as RFC 9309 2.2.2 says (non-ASCII octets encoded, encoded
 * unreserved characters decoded, hex in upper case). /robots.txt itself is always
 * allowed. Only the first BL_ROBOTS_MAX_SIZE bytes are read, as the RFC
 * permits (the crawl does not download more); a text that reaches the limit
 * loses the line the limit cuts through. Crawl-delay (not in the RFC, widely
 * used) is kept from the applicable groups; fractional seconds are accepted.
 *
 * Ownership: a bl_robots is owned by the caller (bl_robots_free; NULL is fine).
 */
#ifndef BL_ROBOTS_H
#define BL_ROBOTS_H

#include <stddef.h>

#include "bl_error.h"

#define BL_ROBOTS_MAX_SIZE (500u * 1024u)

typedef struct bl_robots bl_robots;

/* Never fails on content (lines it does not understand are ignored); only
 * BL_ENOMEM. */
int bl_robots_parse(const char *text, size_t len, const char *user_agent, bl_robots **out,
                    bl_error *err);

/* 1 when path (the URL's path and query, starting with '/') may be fetched.
 * A NULL robots allows everything. */
int bl_robots_allowed(const bl_robots *r, const char *path);

/* The Crawl-delay in seconds, or -1 when none applies. */
double bl_robots_crawl_delay(const bl_robots *r);

void bl_robots_free(bl_robots *r);

/* The path pattern matcher on its own: 1 when pattern matches path. */
int bl_robots_pattern_match(const char *pattern, size_t pattern_len, const char *path);

#endif
