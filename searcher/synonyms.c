/* blotter: query-time synonyms (see synonyms.h). */
#include "synonyms.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "bl_paths.h"

typedef struct group {
    char **members;
    unsigned n;
} group;

struct bl_synonyms {
    group *groups;
    unsigned n_groups;
};

void bl_synonyms_free(bl_synonyms *syn)
{
    if (!syn)
        return;
    for (unsigned g = 0; g < syn->n_groups; g++) {
        for (unsigned i = 0; i < syn->groups[g].n; i++)
            free(syn->groups[g].members[i]);
        free(syn->groups[g].members);
    }
    free(syn->groups);
    free(syn);
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
}

/* Members are matched lowercase (ASCII); other scripts have no case. */
static void lower_ascii(char *s)
{
    for (; *s; s++)
        *s = (char)tolower((unsigned char)*s);
}

static int add_group(bl_synonyms *syn, char *line)
{
    group g = {NULL, 0};
    for (char *save = NULL, *tok = strtok_r(line, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        tok = trim(tok);
        if (!*tok)
            continue;
        char **grown = realloc(g.members, (g.n + 1) * sizeof *grown);
        if (!grown)
            goto fail;
        g.members = grown;
        if (!(g.members[g.n] = strdup(tok)))
            goto fail;
        lower_ascii(g.members[g.n]);
        g.n++;
    }
    if (g.n < 2) {
        for (unsigned i = 0; i < g.n; i++)
            free(g.members[i]);
        free(g.members);
        return 1; /* not a group */
    }
    group *grown = realloc(syn->groups, (syn->n_groups + 1) * sizeof *grown);
    if (!grown)
        goto fail;
    syn->groups = grown;
    syn->groups[syn->n_groups++] = g;
    return 0;
fail:
    for (unsigned i = 0; i < g.n; i++)
        free(g.members[i]);
    free(g.members);
    return -1;
}

int bl_synonyms_load(const char *path, bl_synonyms **out, bl_error *err)
{
    *out = NULL;
    FILE *f = fopen(path, "r");
    if (!f)
        return bl_error_set_errno(err, errno == ENOENT ? BL_ENOTFOUND : BL_EIO, errno,
                                  "cannot read synonyms %s", path);
    bl_synonyms *syn = calloc(1, sizeof *syn);
    char line[4096];
    unsigned lineno = 0;
    long total = 0;
    int rc = syn ? 0 : bl_error_set(err, BL_ENOMEM, "out of memory");
    while (rc == 0 && fgets(line, sizeof line, f)) {
        lineno++;
        total += (long)strlen(line);
        if (total > (long)BL_SYNONYMS_MAX_BYTES) {
            rc = bl_error_set(err, BL_ETOOBIG, "%s: larger than 4 MiB", path);
            break;
        }
        if (!strchr(line, '\n') && !feof(f)) {
            rc = bl_error_set(err, BL_ETOOBIG, "%s:%u: line longer than 4095 bytes", path, lineno);
            break;
        }
        char *s = trim(line);
        if (!*s || *s == '#')
            continue;
        int g = add_group(syn, s);
        if (g < 0)
            rc = bl_error_set(err, BL_ENOMEM, "out of memory");
        else if (g > 0)
            rc = bl_error_set(err, BL_EINVAL, "%s:%u: a group needs two or more members, separated by commas",
                              path, lineno);
    }
    fclose(f);
    if (rc) {
        bl_synonyms_free(syn);
        return rc;
    }
    *out = syn;
    return 0;
}

int bl_synonyms_load_default(const char *data_dir, bl_synonyms **out, bl_error *err)
{
    *out = NULL;
    const char *env = getenv("BLOTTER_SYNONYMS");
    if (env && *env)
        return bl_synonyms_load(env, out, err);
    char *user = data_dir ? bl_path_join(data_dir, "synonyms.txt") : NULL;
    const char *candidates[] = {user, BLOTTER_DATADIR "/synonyms.txt",
                                BLOTTER_SOURCE_DIR "/data/synonyms.txt"};
    int rc = 0;
    for (size_t i = 0; i < sizeof candidates / sizeof candidates[0]; i++) {
        if (candidates[i] && access(candidates[i], R_OK) == 0) {
            rc = bl_synonyms_load(candidates[i], out, err);
            break;
        }
    }
    free(user);
    return rc;
}

static const group *find_group(const bl_synonyms *syn, const char *word, size_t len)
{
    for (unsigned g = 0; syn && g < syn->n_groups; g++)
        for (unsigned i = 0; i < syn->groups[g].n; i++)
            if (strlen(syn->groups[g].members[i]) == len &&
                strncasecmp(syn->groups[g].members[i], word, len) == 0)
                return &syn->groups[g];
    return NULL;
}

/* Appends s[0..n) to the growing string *out. */
static int put(char **out, size_t *len, size_t *cap, const char *s, size_t n)
{
    if (*len + n + 1 > *cap) {
        size_t ncap = (*cap + n + 1) * 2;
        char *p = realloc(*out, ncap);
        if (!p)
            return -1;
        *out = p;
        *cap = ncap;
    }
    memcpy(*out + *len, s, n);
    *len += n;
    (*out)[*len] = '\0';
    return 0;
}

char *bl_synonyms_expand(const bl_synonyms *syn, const char *query)
{
    size_t len = 0, cap = strlen(query) + 64;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    out[0] = '\0';
    int in_quotes = 0, failed = 0;
    for (const char *p = query; *p && !failed;) {
        int at_start = p == query || strchr(" \t(", p[-1]);
        if (*p == '~' && !in_quotes && at_start && p[1] && !isspace((unsigned char)p[1])) {
            const char *w = p + 1;
            size_t n = strcspn(w, " \t()\"");
            const group *g = find_group(syn, w, n);
            if (!g) {
                failed |= put(&out, &len, &cap, w, n);
            } else {
                failed |= put(&out, &len, &cap, "(", 1);
                failed |= put(&out, &len, &cap, w, n);
                for (unsigned i = 0; i < g->n; i++) {
                    const char *m = g->members[i];
                    if (strlen(m) == n && strncasecmp(m, w, n) == 0)
                        continue;
                    int phrase = strchr(m, ' ') != NULL;
                    failed |= put(&out, &len, &cap, " OR ", 4);
                    if (phrase)
                        failed |= put(&out, &len, &cap, "\"", 1);
                    failed |= put(&out, &len, &cap, m, strlen(m));
                    if (phrase)
                        failed |= put(&out, &len, &cap, "\"", 1);
                }
                failed |= put(&out, &len, &cap, ")", 1);
            }
            p = w + n;
            continue;
        }
        if (*p == '"')
            in_quotes = !in_quotes;
        failed |= put(&out, &len, &cap, p, 1);
        p++;
    }
    if (failed) {
        free(out);
        return NULL;
    }
    return out;
}
