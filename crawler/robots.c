/* blotter: robots.txt parsing and matching (see robots.h).
 *
 * Two passes over the lines: the first finds whether any group names our
 * product token (then only those groups count, else the '*' groups); the
 * second collects the rules of the chosen groups. A group is a run of
 * user-agent lines followed by rule lines; a user-agent line after a rule
 * starts a new group.
 */
#include "robots.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct rule {
    char *pattern;
    size_t len;
    int allow;
} rule;

struct bl_robots {
    rule *rules;
    size_t n, cap;
    double crawl_delay;
};

void bl_robots_free(bl_robots *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++)
        free(r->rules[i].pattern);
    free(r->rules);
    free(r);
}

double bl_robots_crawl_delay(const bl_robots *r)
{
    return r ? r->crawl_delay : -1;
}

/* One parsed line: key and value as ranges in the text. */
typedef struct line {
    const char *key, *val;
    size_t key_len, val_len;
} line;

/* Splits the next line off [*p, end); returns 0 at the end of the text. */
static int next_line(const char **p, const char *end, line *out)
{
    if (*p >= end)
        return 0;
    const char *s = *p, *e = s;
    while (e < end && *e != '\n' && *e != '\r')
        e++;
    *p = e < end ? e + 1 : e;
    const char *hash = memchr(s, '#', (size_t)(e - s));
    if (hash)
        e = hash;
    const char *colon = memchr(s, ':', (size_t)(e - s));
    memset(out, 0, sizeof *out);
    if (!colon)
        return 1;
    const char *k = s, *ke = colon, *v = colon + 1, *ve = e;
    while (k < ke && isspace((unsigned char)*k))
        k++;
    while (ke > k && isspace((unsigned char)ke[-1]))
        ke--;
    while (v < ve && isspace((unsigned char)*v))
        v++;
    while (ve > v && isspace((unsigned char)ve[-1]))
        ve--;
    out->key = k;
    out->key_len = (size_t)(ke - k);
    out->val = v;
    out->val_len = (size_t)(ve - v);
    return 1;
}

static int key_is(const line *l, const char *name)
{
    return l->key && l->key_len == strlen(name) && strncasecmp(l->key, name, l->key_len) == 0;
}

/* Does a user-agent line's value name this product token? */
static int agent_matches(const line *l, const char *token, size_t token_len)
{
    size_t n = 0;
    while (n < l->val_len && l->val[n] != '/' && !isspace((unsigned char)l->val[n]))
        n++;
    return n == token_len && strncasecmp(l->val, token, n) == 0;
}

static int agent_is_star(const line *l)
{
    return l->val_len == 1 && l->val[0] == '*';
}

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

static int unreserved(int c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '.' || c == '_' || c == '~';
}

/* RFC 9309 2.2.2: compare paths with non-ASCII octets percent-encoded and
 * percent-encoded unreserved characters decoded; hex digits in upper case.
 * Returns a malloc'd string, or NULL when out of memory. */
static char *normalise_path(const char *p, size_t len)
{
    static const char hex[] = "0123456789ABCDEF";
    char *out = malloc(3 * len + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)p[i];
        int hi, lo;
        if (c == '%' && i + 2 < len && (hi = hexval(p[i + 1])) >= 0 &&
            (lo = hexval(p[i + 2])) >= 0) {
            int v = hi * 16 + lo;
            if (unreserved(v)) {
                out[o++] = (char)v;
            } else {
                out[o++] = '%';
                out[o++] = hex[hi];
                out[o++] = hex[lo];
            }
            i += 2;
        } else if (c >= 0x80) {
            out[o++] = '%';
            out[o++] = hex[c >> 4];
            out[o++] = hex[c & 15];
        } else {
            out[o++] = (char)c;
        }
    }
    out[o] = '\0';
    return out;
}

static int add_rule(bl_robots *r, const line *l, int allow)
{
    if (l->val_len == 0)
        return 0; /* "Disallow:" with no path allows everything: no rule */
    if (r->n == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 16;
        rule *rules = realloc(r->rules, cap * sizeof *rules);
        if (!rules)
            return BL_ENOMEM;
        r->rules = rules;
        r->cap = cap;
    }
    char *pat = normalise_path(l->val, l->val_len);
    if (!pat)
        return BL_ENOMEM;
    r->rules[r->n++] = (rule){pat, strlen(pat), allow};
    return 0;
}

/* Walks the groups; with collect == NULL only reports whether some group
 * names the token; else adds the rules of groups selected by want_token. */
static int walk(const char *text, const char *end, const char *token, size_t token_len,
                int want_token, bl_robots *collect, int *found)
{
    line l;
    const char *p = text;
    int in_agents = 0;   /* reading the user-agent lines of a group */
    int selected = 0;    /* the current group applies */
    while (next_line(&p, end, &l)) {
        if (!l.key)
            continue;
        if (key_is(&l, "user-agent")) {
            if (!in_agents)
                selected = 0;
            in_agents = 1;
            int hit = want_token ? agent_matches(&l, token, token_len) : agent_is_star(&l);
            if (hit)
                selected = 1;
            if (!collect && agent_matches(&l, token, token_len))
                *found = 1;
            continue;
        }
        int is_allow = key_is(&l, "allow"), is_disallow = key_is(&l, "disallow");
        int is_delay = key_is(&l, "crawl-delay");
        if (!is_allow && !is_disallow && !is_delay)
            continue; /* sitemap and unknown lines do not end a group */
        in_agents = 0;
        if (!collect || !selected)
            continue;
        if (is_delay) {
            char buf[32];
            size_t n = l.val_len < sizeof buf - 1 ? l.val_len : sizeof buf - 1;
            memcpy(buf, l.val, n);
            buf[n] = '\0';
            char *e;
            double d = strtod(buf, &e);
            if (e != buf && d >= 0 && d < 86400 && d > collect->crawl_delay)
                collect->crawl_delay = d;
        } else if (add_rule(collect, &l, is_allow)) {
            return BL_ENOMEM;
        }
    }
    return 0;
}

int bl_robots_parse(const char *text, size_t len, const char *user_agent, bl_robots **out,
                    bl_error *err)
{
    *out = NULL;
    if (len >= BL_ROBOTS_MAX_SIZE) {
        /* The text was cut at the limit (by us or by the fetch): the line the
         * cut runs through is dropped, so no rule is read shorter than it
         * was written ("Disallow: /private/x" cut to "Disallow: /" would
         * shut out the whole site). */
        len = BL_ROBOTS_MAX_SIZE;
        while (len > 0 && text[len - 1] != '\n' && text[len - 1] != '\r')
            len--;
    }
    const char *end = text + len;
    size_t token_len = 0;
    while (user_agent && user_agent[token_len] && user_agent[token_len] != '/' &&
           !isspace((unsigned char)user_agent[token_len]))
        token_len++;
    bl_robots *r = calloc(1, sizeof *r);
    if (!r)
        return bl_error_set(err, BL_ENOMEM, "out of memory");
    r->crawl_delay = -1;
    int found = 0;
    walk(text, end, user_agent, token_len, 1, NULL, &found);
    if (walk(text, end, user_agent, token_len, found && token_len > 0, r, &found)) {
        bl_robots_free(r);
        return bl_error_set(err, BL_ENOMEM, "out of memory");
    }
    *out = r;
    return 0;
}

/* Full match of pattern (with '*' wildcards) against s, greedy with
 * backtracking to the last star: linear in practice, never exponential. */
static int wildcard_full(const char *pat, size_t plen, const char *s, size_t slen)
{
    size_t pi = 0, si = 0, star = (size_t)-1, mark = 0;
    while (si < slen) {
        if (pi < plen && pat[pi] == '*') {
            star = pi++;
            mark = si;
        } else if (pi < plen && pat[pi] == s[si]) {
            pi++;
            si++;
        } else if (star != (size_t)-1) {
            pi = star + 1;
            si = ++mark;
        } else {
            return 0;
        }
    }
    while (pi < plen && pat[pi] == '*')
        pi++;
    return pi == plen;
}

int bl_robots_pattern_match(const char *pattern, size_t plen, const char *path)
{
    size_t slen = strlen(path);
    if (plen > 0 && pattern[plen - 1] == '$')
        return wildcard_full(pattern, plen - 1, path, slen);
    /* Unanchored: the pattern must match a prefix, i.e. pattern + '*'. */
    char small[512];
    char *buf = plen + 1 <= sizeof small ? small : malloc(plen + 1);
    if (!buf)
        return 0;
    memcpy(buf, pattern, plen);
    buf[plen] = '*';
    int m = wildcard_full(buf, plen + 1, path, slen);
    if (buf != small)
        free(buf);
    return m;
}

int bl_robots_allowed(const bl_robots *r, const char *raw_path)
{
    if (!r || !raw_path || strcmp(raw_path, "/robots.txt") == 0)
        return 1;
    char *path = normalise_path(raw_path, strlen(raw_path));
    if (!path)
        return 0; /* out of memory: do not fetch */
    size_t best_len = 0;
    int best_allow = 1, have = 0;
    for (size_t i = 0; i < r->n; i++) {
        const rule *ru = &r->rules[i];
        if (!bl_robots_pattern_match(ru->pattern, ru->len, path))
            continue;
        if (!have || ru->len > best_len || (ru->len == best_len && ru->allow && !best_allow)) {
            best_len = ru->len;
            best_allow = ru->allow;
            have = 1;
        }
    }
    free(path);
    return best_allow;
}
