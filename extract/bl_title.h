/* blotter: a bulletin's title from what the page offers.
 *
 * Site names are cut from <title> ("Man Sentenced | Office of Public Affairs
 * | United States Department of Justice", "法国全国大罢工-新华网", "..._公安部"):
 * the title is split at the separators sites use (" | ", " - ", " – ", " — ",
 * "_", "--", "|", and "-" between ideographs) and the longest part is kept.
 * When an <h1> is a part of <title>, the <h1> wins (it has no site name).
 *
 * Ownership: the result is malloc'd; the caller frees it.
 */
#ifndef BL_TITLE_H
#define BL_TITLE_H

#include <stddef.h>

/* The longest separator-delimited part of a page title, trimmed; NULL for
 * NULL or blank input. When site is not NULL, *site gets the rest (the site
 * name, malloc'd) or NULL. */
char *bl_title_strip_site(const char *title, char **site);

/* The best title: an <h1> that occurs in <title>, else og:title (stripped),
 * else <title> (stripped), else the first <h1>. Any argument may be NULL. */
char *bl_title_choose(const char *title, const char *og_title, const char *const *h1, size_t n_h1);

#endif
