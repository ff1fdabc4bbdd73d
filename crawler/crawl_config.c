/* blotter: the sources file parser (see crawl_config.h). */
#include "crawl_config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "regex_cost.h"

void bl_crawl_settings_default(bl_crawl_settings *s)
{
    memset(s, 0, sizeof *s);
    s->concurrency = 4;
    s->timeout = 60;
    s->connect_timeout = 15;
    s->low_speed_time = 30;
    s->max_page_size = 16ul * 1024 * 1024;
    s->max_redirects = 5;
    s->retries = 2;
    s->retry_delay = 5;
    s->max_retry_after = 120;
    s->robots_ttl = 86400;
    s->default_delay = 1.0;
    s->commit_every = 25;
}

static int strlist_add(bl_strlist *l, const char *s)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 4;
        char **items = realloc(l->items, cap * sizeof *items);
        if (!items)
            return BL_ENOMEM;
        l->items = items;
        l->cap = cap;
    }
    if (!(l->items[l->n] = strdup(s)))
        return BL_ENOMEM;
    l->n++;
    return 0;
}

static void strlist_free(bl_strlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->items[i]);
    free(l->items);
}

static void regex_list_free(bl_regex_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        regfree(&l->items[i]);
        free(l->patterns[i]);
    }
    free(l->items);
    free(l->patterns);
}

int bl_regex_list_match(const bl_regex_list *list, const char *url)
{
    for (size_t i = 0; i < list->n; i++)
        if (regexec(&list->items[i], url, 0, NULL, 0) == 0)
            return 1;
    return 0;
}

void bl_crawl_config_free(bl_crawl_config *cfg)
{
    if (!cfg)
        return;
    for (size_t i = 0; i < cfg->n_sources; i++) {
        bl_crawl_source *s = &cfg->sources[i];
        free(s->name);
        free(s->agency);
        free(s->lang);
        strlist_free(&s->seeds);
        strlist_free(&s->feeds);
        strlist_free(&s->sitemaps);
        regex_list_free(&s->follow);
        regex_list_free(&s->article);
    }
    free(cfg->sources);
    free(cfg->crawl.user_agent);
    free(cfg->path);
    free(cfg);
}

/* Parser state: where we are, for messages. */
typedef struct parser {
    const char *path;   /* for messages */
    char *base_dir;     /* absolute directory for relative file paths */
    unsigned long line;
    bl_crawl_config *cfg;
    bl_crawl_source *src; /* the current source section, or NULL */
    int in_crawl;         /* inside [crawl] */
    bl_error *err;
} parser;

static int fail(parser *p, const char *fmt, const char *a, const char *b)
{
    char msg[400];
    snprintf(msg, sizeof msg, fmt, a, b);
    return bl_error_set(p->err, BL_EINVAL, "%s:%lu: %s", p->path, p->line, msg);
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    char *e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1]))
        *--e = '\0';
    return s;
}

/* Cuts a trailing comment: ';' or '#' preceded by whitespace. */
static void cut_comment(char *s)
{
    for (char *c = s; *c; c++)
        if ((*c == ';' || *c == '#') && (c == s || isspace((unsigned char)c[-1]))) {
            *c = '\0';
            return;
        }
}

static int parse_double(parser *p, const char *key, const char *v, double lo, double hi, double *out)
{
    char *end;
    errno = 0;
    double d = strtod(v, &end);
    if (errno || end == v || *end || !isfinite(d) || d < lo || d > hi) {
        char range[64];
        snprintf(range, sizeof range, "%g..%g", lo, hi);
        return fail(p, "%s must be a number in %s", key, range);
    }
    *out = d;
    return 0;
}

static int parse_ulong(parser *p, const char *key, const char *v, unsigned long lo, unsigned long hi,
                       unsigned long *out)
{
    char *end;
    errno = 0;
    unsigned long n = strtoul(v, &end, 10);
    if (errno || end == v || *end || *v == '-' || n < lo || n > hi) {
        char range[64];
        snprintf(range, sizeof range, "%lu..%lu", lo, hi);
        return fail(p, "%s must be a whole number in %s", key, range);
    }
    *out = n;
    return 0;
}

static int set_string(parser *p, char **field, const char *v)
{
    char *c = strdup(v);
    if (!c)
        return bl_error_set(p->err, BL_ENOMEM, "out of memory");
    free(*field);
    *field = c;
    return 0;
}

/* A seed/feed/sitemap: a URL as written, or a path relative to the sources file. */
static int add_location(parser *p, bl_strlist *list, const char *v)
{
    int rc;
    if (strstr(v, "://")) {
        if (strncmp(v, "http://", 7) && strncmp(v, "https://", 8) && strncmp(v, "file://", 7))
            return fail(p, "%s: only http, https and file URLs can be crawled%s", v, "");
        rc = strlist_add(list, v);
    } else {
        const char *dir = v[0] == '/' ? "" : p->base_dir;
        const char *sep = v[0] == '/' ? "" : "/";
        size_t n = strlen(dir) + strlen(v) + 9;
        char *url = malloc(n);
        if (url)
            snprintf(url, n, "file://%s%s%s", dir, sep, v);
        if (!url)
            return bl_error_set(p->err, BL_ENOMEM, "out of memory");
        rc = strlist_add(list, url);
        free(url);
    }
    return rc ? bl_error_set(p->err, BL_ENOMEM, "out of memory") : 0;
}

static int add_regex(parser *p, bl_regex_list *l, const char *key, const char *v)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 4;
        regex_t *items = realloc(l->items, cap * sizeof *items);
        if (!items)
            return bl_error_set(p->err, BL_ENOMEM, "out of memory");
        l->items = items;
        char **pats = realloc(l->patterns, cap * sizeof *pats);
        if (!pats)
            return bl_error_set(p->err, BL_ENOMEM, "out of memory");
        l->patterns = pats;
        l->cap = cap;
    }
    char cost_why[120];
    if (bl_regex_check_cost(v, cost_why, sizeof cost_why))
        return fail(p, "%s regex refused: %s", key, cost_why);
    int rc = regcomp(&l->items[l->n], v, REG_EXTENDED | REG_NOSUB);
    if (rc) {
        char why[200];
        regerror(rc, &l->items[l->n], why, sizeof why);
        return fail(p, "bad %s regex: %s", key, why);
    }
    if (!(l->patterns[l->n] = strdup(v))) {
        regfree(&l->items[l->n]);
        return bl_error_set(p->err, BL_ENOMEM, "out of memory");
    }
    l->n++;
    return 0;
}

static int crawl_key(parser *p, const char *k, const char *v)
{
    bl_crawl_settings *s = &p->cfg->crawl;
    if (!strcmp(k, "user_agent"))
        return *v ? set_string(p, &s->user_agent, v) : fail(p, "user_agent is empty%s%s", "", "");
    if (!strcmp(k, "concurrency"))
        return parse_ulong(p, k, v, 1, 64, &s->concurrency);
    if (!strcmp(k, "timeout"))
        return parse_double(p, k, v, 0.1, 3600, &s->timeout);
    if (!strcmp(k, "connect_timeout"))
        return parse_double(p, k, v, 0.1, 600, &s->connect_timeout);
    if (!strcmp(k, "low_speed_time"))
        return parse_double(p, k, v, 1, 600, &s->low_speed_time);
    if (!strcmp(k, "max_page_size"))
        return parse_ulong(p, k, v, 1024, 64ul * 1024 * 1024, &s->max_page_size);
    if (!strcmp(k, "max_redirects"))
        return parse_ulong(p, k, v, 0, 20, &s->max_redirects);
    if (!strcmp(k, "retries"))
        return parse_ulong(p, k, v, 0, 10, &s->retries);
    if (!strcmp(k, "retry_delay"))
        return parse_double(p, k, v, 0, 3600, &s->retry_delay);
    if (!strcmp(k, "max_retry_after"))
        return parse_double(p, k, v, 0, 86400, &s->max_retry_after);
    if (!strcmp(k, "robots_ttl"))
        return parse_double(p, k, v, 0, 30 * 86400.0, &s->robots_ttl);
    if (!strcmp(k, "delay"))
        return parse_double(p, k, v, 0, 3600, &s->default_delay);
    if (!strcmp(k, "commit_every"))
        return parse_ulong(p, k, v, 1, 100000, &s->commit_every);
    return fail(p, "unknown key '%s' in [crawl]%s", k, "");
}

static int source_key(parser *p, const char *k, const char *v)
{
    bl_crawl_source *s = p->src;
    if (!strcmp(k, "agency"))
        return set_string(p, &s->agency, v);
    if (!strcmp(k, "lang"))
        return set_string(p, &s->lang, v);
    if (!strcmp(k, "seed"))
        return add_location(p, &s->seeds, v);
    if (!strcmp(k, "feed"))
        return add_location(p, &s->feeds, v);
    if (!strcmp(k, "sitemap"))
        return add_location(p, &s->sitemaps, v);
    if (!strcmp(k, "follow"))
        return add_regex(p, &s->follow, k, v);
    if (!strcmp(k, "article"))
        return add_regex(p, &s->article, k, v);
    if (!strcmp(k, "delay"))
        return parse_double(p, k, v, 0, 3600, &s->delay);
    if (!strcmp(k, "max_pages"))
        return parse_ulong(p, k, v, 1, 10000000, &s->max_pages);
    return fail(p, "unknown key '%s' in [source %s]", k, s->name);
}

static int begin_section(parser *p, char *name)
{
    p->src = NULL;
    p->in_crawl = 0;
    if (!strcmp(name, "crawl")) {
        p->in_crawl = 1;
        return 0;
    }
    if (strncmp(name, "source", 6) || !isspace((unsigned char)name[6]))
        return fail(p, "unknown section [%s] (expected [crawl] or [source NAME])%s", name, "");
    char *sname = trim(name + 6);
    if (!*sname)
        return fail(p, "a source needs a name: [source NAME]%s%s", "", "");
    for (size_t i = 0; i < p->cfg->n_sources; i++)
        if (!strcmp(p->cfg->sources[i].name, sname))
            return fail(p, "source '%s' is defined twice%s", sname, "");
    bl_crawl_source *srcs = realloc(p->cfg->sources, (p->cfg->n_sources + 1) * sizeof *srcs);
    if (!srcs)
        return bl_error_set(p->err, BL_ENOMEM, "out of memory");
    p->cfg->sources = srcs;
    p->src = &srcs[p->cfg->n_sources++];
    memset(p->src, 0, sizeof *p->src);
    p->src->delay = -1; /* unset: the [crawl] delay applies */
    p->src->max_pages = 500;
    if (!(p->src->name = strdup(sname)))
        return bl_error_set(p->err, BL_ENOMEM, "out of memory");
    return 0;
}

static int parse_line(parser *p, char *raw)
{
    char *line = trim(raw);
    if (!*line || *line == ';' || *line == '#')
        return 0;
    if (*line == '[') {
        char *close = strchr(line, ']');
        if (!close || *trim(close + 1))
            return fail(p, "malformed section header%s%s", "", "");
        *close = '\0';
        return begin_section(p, trim(line + 1));
    }
    cut_comment(line);
    char *eq = strchr(line, '=');
    if (!eq)
        return fail(p, "expected 'key = value'%s%s", "", "");
    *eq = '\0';
    char *k = trim(line), *v = trim(eq + 1);
    if (!*k)
        return fail(p, "missing key before '='%s%s", "", "");
    if (p->in_crawl)
        return crawl_key(p, k, v);
    if (!p->src)
        return fail(p, "'%s' outside any section%s", k, "");
    return source_key(p, k, v);
}

static int check_sources(parser *p)
{
    for (size_t i = 0; i < p->cfg->n_sources; i++) {
        bl_crawl_source *s = &p->cfg->sources[i];
        if (!s->seeds.n && !s->feeds.n && !s->sitemaps.n)
            return bl_error_set(p->err, BL_EINVAL, "%s: source '%s' has no seed, feed or sitemap",
                                p->path, s->name);
        if (s->delay < 0)
            s->delay = p->cfg->crawl.default_delay;
    }
    return 0;
}

static char *dir_of(const char *path)
{
    char cwd[PATH_MAX];
    const char *slash = path ? strrchr(path, '/') : NULL;
    if (path && path[0] == '/')
        return strndup(path, slash == path ? 1 : (size_t)(slash - path));
    if (!getcwd(cwd, sizeof cwd))
        return NULL;
    if (!slash)
        return strdup(cwd);
    size_t n = strlen(cwd) + (size_t)(slash - path) + 2;
    char *d = malloc(n);
    if (d)
        snprintf(d, n, "%s/%.*s", cwd, (int)(slash - path), path);
    return d;
}

int bl_crawl_config_parse(const char *text, size_t len, const char *path, bl_crawl_config **out,
                          bl_error *err)
{
    *out = NULL;
    int rc = 0;
    char *buf = NULL;
    parser p = {.path = path ? path : "(sources)", .err = err};
    p.cfg = calloc(1, sizeof *p.cfg);
    p.base_dir = dir_of(path);
    buf = malloc(len + 1);
    if (!p.cfg || !p.base_dir || !buf || !(p.cfg->path = strdup(p.path))) {
        rc = bl_error_set(err, BL_ENOMEM, "out of memory");
        goto done;
    }
    bl_crawl_settings_default(&p.cfg->crawl);
    if (!(p.cfg->crawl.user_agent = strdup("blotter/0.1 (+https://github.com/blotter/blotter)"))) {
        rc = bl_error_set(err, BL_ENOMEM, "out of memory");
        goto done;
    }
    memcpy(buf, text, len);
    buf[len] = '\0';
    if (strlen(buf) != len) {
        rc = bl_error_set(err, BL_EINVAL, "%s: contains a NUL byte", p.path);
        goto done;
    }
    char *s = buf;
    if ((unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB && (unsigned char)s[2] == 0xBF)
        s += 3;
    while (s && rc == 0) {
        p.line++;
        char *nl = strchr(s, '\n');
        if (nl)
            *nl = '\0';
        rc = parse_line(&p, s);
        s = nl ? nl + 1 : NULL;
    }
    if (rc == 0)
        rc = check_sources(&p);
done:
    free(buf);
    free(p.base_dir);
    if (rc)
        bl_crawl_config_free(p.cfg);
    else
        *out = p.cfg;
    return rc;
}

int bl_crawl_config_load(const char *path, bl_crawl_config **out, bl_error *err)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return bl_error_set_errno(err, errno == ENOENT ? BL_ENOTFOUND : BL_EIO, errno,
                                  "cannot open sources file %s", path);
    char *buf = malloc(BL_CRAWL_CONFIG_MAX_SIZE + 1);
    if (!buf) {
        fclose(f);
        return bl_error_set(err, BL_ENOMEM, "out of memory");
    }
    size_t n = fread(buf, 1, BL_CRAWL_CONFIG_MAX_SIZE + 1, f);
    int rc;
    if (ferror(f))
        rc = bl_error_set(err, BL_EIO, "cannot read %s", path);
    else if (n > BL_CRAWL_CONFIG_MAX_SIZE)
        rc = bl_error_set(err, BL_ETOOBIG, "%s is larger than %u bytes", path,
                          BL_CRAWL_CONFIG_MAX_SIZE);
    else
        rc = bl_crawl_config_parse(buf, n, path, out, err);
    fclose(f);
    free(buf);
    return rc;
}
