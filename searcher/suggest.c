/* blotter: "did you mean" (see suggest.h). */
#include "suggest.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define WORD_MAX 64

unsigned bl_edit_distance(const char *a, size_t alen, const char *b, size_t blen, unsigned limit)
{
    if (alen > WORD_MAX || blen > WORD_MAX)
        return limit + 1;
    if ((alen > blen ? alen - blen : blen - alen) > limit)
        return limit + 1;
    unsigned row[WORD_MAX + 1];
    for (size_t j = 0; j <= blen; j++)
        row[j] = (unsigned)j;
    for (size_t i = 1; i <= alen; i++) {
        unsigned diag = row[0], best = row[0] = (unsigned)i;
        for (size_t j = 1; j <= blen; j++) {
            unsigned up = row[j];
            unsigned v = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < v)
                v = up + 1;
            if (row[j - 1] + 1 < v)
                v = row[j - 1] + 1;
            row[j] = v;
            diag = up;
            if (v < best)
                best = v;
        }
        if (best > limit)
            return limit + 1;
    }
    return row[blen] > limit ? limit + 1 : row[blen];
}

typedef struct candidate_search {
    const char *word;
    size_t len;
    unsigned limit;
    char best[WORD_MAX + 1];
    unsigned best_distance;
    uint64_t best_freq;
} candidate_search;

static int consider(void *ctx, const char *term, size_t len, uint64_t freq)
{
    candidate_search *c = ctx;
    if (len > WORD_MAX)
        return 0;
    unsigned d = bl_edit_distance(c->word, c->len, term, len, c->limit);
    if (d == 0 || d > c->limit)
        return 0;
    if (d < c->best_distance || (d == c->best_distance && freq > c->best_freq)) {
        memcpy(c->best, term, len);
        c->best[len] = '\0';
        c->best_distance = d;
        c->best_freq = freq;
    }
    return 0;
}

static int is_operator(const char *w, size_t n)
{
    static const char *const ops[] = {"AND", "OR", "NOT", "NEAR", "ADJ", "XOR"};
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        if (strlen(ops[i]) == n && strncmp(ops[i], w, n) == 0)
            return 1;
    return 0;
}

int bl_suggest(bl_xdb *db, const char *query, char **out, bl_error *err)
{
    *out = NULL;
    size_t qlen = strlen(query);
    /* A word of n >= 3 letters is replaced by one of at most n + 2 <= 2n. */
    char *result = malloc(qlen * 2 + WORD_MAX + 1);
    if (!result)
        return bl_error_set(err, BL_ENOMEM, "out of memory");
    size_t o = 0;
    int changed = 0, rc = 0;
    for (size_t i = 0; i < qlen;) {
        if (!isalpha((unsigned char)query[i]) || (i > 0 && isalnum((unsigned char)query[i - 1]))) {
            result[o++] = query[i++];
            continue;
        }
        size_t n = 0;
        while (i + n < qlen && isalpha((unsigned char)query[i + n]))
            n++;
        const char *w = query + i;
        char next = query[i + n];
        int plain = n >= 3 && n <= WORD_MAX && next != ':' && next != '*' &&
                    !(i > 0 && query[i - 1] == ':') && !isdigit((unsigned char)next) &&
                    !((unsigned char)next & 0x80) && !is_operator(w, n);
        if (plain) {
            char word[WORD_MAX + 1];
            for (size_t k = 0; k < n; k++)
                word[k] = (char)tolower((unsigned char)w[k]);
            word[n] = '\0';
            uint64_t freq = 0;
            if ((rc = bl_xdb_term_freq(db, word, &freq, err)))
                break;
            if (freq == 0) {
                candidate_search c = {word, n, n >= 6 ? 2u : 1u, "", 3, 0};
                char first[2] = {word[0], '\0'};
                if ((rc = bl_xdb_each_term(db, first, consider, &c, err)))
                    break;
                if (c.best[0]) {
                    size_t blen = strlen(c.best);
                    memcpy(result + o, c.best, blen);
                    o += blen;
                    i += n;
                    changed = 1;
                    continue;
                }
            }
        }
        memcpy(result + o, w, n);
        o += n;
        i += n;
    }
    result[o] = '\0';
    if (rc || !changed) {
        free(result);
        return rc;
    }
    *out = result;
    return 0;
}
