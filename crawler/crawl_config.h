/* blotter: the crawl configuration (the sources file).
 *
 * INI style: "[crawl]" holds settings for the whole run, "[source NAME]" one
 * section per source. Lines are "key = value"; ';' or '#' at the start of a
 * line, or after whitespace, begins a comment. Keys that may repeat (seed,
 * feed, sitemap, follow, article) accumulate. An unknown section or key, a
 * value out of range, or a regex that does not compile (POSIX extended) is an
 * error whose message names the file and line.
 *
 * A seed, feed or sitemap without "scheme://" is a path relative to the
 * directory of the sources file and becomes a file:// URL, so a sources file
 * can point at a local copy of a site with no server.
 *
 * Ownership: bl_crawl_config_load returns a config the caller frees with
 * bl_crawl_config_free (NULL is fine); everything in it is owned by it.
 */
#ifndef BL_CRAWL_CONFIG_H
#define BL_CRAWL_CONFIG_H

#include <regex.h>
#include <stddef.h>

#include "bl_error.h"

#define BL_CRAWL_CONFIG_MAX_SIZE (1024u * 1024u)

typedef struct bl_strlist {
    char **items;
    size_t n, cap;
} bl_strlist;

typedef struct bl_regex_list {
    regex_t *items;
    char **patterns;
    size_t n, cap;
} bl_regex_list;

typedef struct bl_crawl_source {
    char *name;
    char *agency;       /* may be NULL */
    char *lang;         /* may be NULL */
    bl_strlist seeds;   /* listing pages to start from */
    bl_strlist feeds;   /* RSS or Atom */
    bl_strlist sitemaps;
    bl_regex_list follow;   /* listing pages (pagination) */
    bl_regex_list article;  /* bulletins */
    double delay;       /* seconds between requests to one host */
    unsigned long max_pages;
} bl_crawl_source;

typedef struct bl_crawl_settings {
    char *user_agent;
    unsigned long concurrency;     /* requests in flight at once (over all hosts) */
    double timeout;                /* whole transfer, seconds */
    double connect_timeout;        /* seconds */
    double low_speed_time;         /* abort below 1 byte/s for this long, seconds */
    unsigned long max_page_size;   /* bytes of one body */
    unsigned long max_redirects;
    unsigned long retries;         /* extra attempts after a 5xx or 429 */
    double retry_delay;            /* first backoff, doubled each retry, seconds */
    double max_retry_after;        /* a longer Retry-After is a failure, seconds */
    double robots_ttl;             /* how long a robots.txt is trusted, seconds */
    double default_delay;          /* delay for sources that give none */
    unsigned long commit_every;    /* bulletins per index commit */
} bl_crawl_settings;

typedef struct bl_crawl_config {
    char *path;                    /* the file it was read from */
    bl_crawl_settings crawl;
    bl_crawl_source *sources;
    size_t n_sources;
} bl_crawl_config;

/* Fills s with the defaults documented in docs/crawling.md. */
void bl_crawl_settings_default(bl_crawl_settings *s);

/* Reads and checks the file at path. */
int bl_crawl_config_load(const char *path, bl_crawl_config **out, bl_error *err);

/* The same from text in memory; path is used in messages and to resolve
 * relative file paths (may be NULL: relative to the current directory). */
int bl_crawl_config_parse(const char *text, size_t len, const char *path,
                          bl_crawl_config **out, bl_error *err);

void bl_crawl_config_free(bl_crawl_config *cfg);

/* 1 when url matches any regex of the list. */
int bl_regex_list_match(const bl_regex_list *list, const char *url);

#endif
