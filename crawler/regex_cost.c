/* blotter: weighing a regex before regcomp (see regex_cost.h).
 *
 * The estimate follows what regcomp builds: every atom is a node, a group is
 * the sum of its parts, `x{m,n}` is x copied max(m,n) times, `x+` is x twice,
 * `x*` and `x?` keep x once. Stacked repetitions multiply, as they do in
 * glibc. The figure is an upper bound in spirit, not an exact count.
 */
#include "regex_cost.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>

#define MAX_DEPTH 32

typedef struct level {
    double total; /* cost of the group so far */
    double last;  /* cost of the last atom, which a repetition copies */
} level;

/* The index just past a bracket expression starting at re[i] == '['. */
static size_t skip_bracket(const char *re, size_t i)
{
    i++;
    if (re[i] == '^')
        i++;
    if (re[i] == ']')
        i++;
    while (re[i] && re[i] != ']') {
        if (re[i] == '[' && (re[i + 1] == ':' || re[i + 1] == '.' || re[i + 1] == '=')) {
            char close = re[i + 1];
            i += 2;
            while (re[i] && !(re[i] == close && re[i + 1] == ']'))
                i++;
            if (re[i])
                i += 2;
            continue;
        }
        i++;
    }
    return re[i] ? i + 1 : i;
}

/* Parses "{m}", "{m,}" or "{m,n}" at re[i]; returns the index past it and
 * the largest count in *bound, or 0 when it is not a bound (then '{' is a
 * literal to us; regcomp decides whether it is an error). */
static size_t parse_bound(const char *re, size_t i, unsigned long *bound)
{
    size_t j = i + 1;
    if (!isdigit((unsigned char)re[j]))
        return 0;
    unsigned long m = 0, n = 0;
    while (isdigit((unsigned char)re[j]) && m <= 100000)
        m = m * 10 + (unsigned long)(re[j++] - '0');
    n = m;
    if (re[j] == ',') {
        j++;
        if (isdigit((unsigned char)re[j])) {
            n = 0;
            while (isdigit((unsigned char)re[j]) && n <= 100000)
                n = n * 10 + (unsigned long)(re[j++] - '0');
        }
    }
    if (re[j] != '}')
        return 0;
    *bound = m > n ? m : n;
    return j + 1;
}

int bl_regex_check_cost(const char *re, char *why, size_t why_size)
{
    level st[MAX_DEPTH + 1] = {{0, 0}};
    int d = 0;
    size_t i = 0;
    while (re[i]) {
        level *l = &st[d];
        double atom = 0;
        unsigned long bound;
        size_t next;
        switch (re[i]) {
        case '(':
            if (d == MAX_DEPTH) {
                snprintf(why, why_size, "groups nested deeper than %d", MAX_DEPTH);
                return -1;
            }
            st[++d] = (level){0, 0};
            i++;
            continue;
        case ')':
            if (d > 0) {
                atom = st[d].total < 1 ? 1 : st[d].total;
                d--;
                l = &st[d];
            } else {
                atom = 1;
            }
            i++;
            break;
        case '|':
            l->last = 0;
            i++;
            continue;
        case '*':
        case '?':
            l->last = l->last < 1 ? 1 : l->last;
            i++;
            continue;
        case '+':
            l->total += l->last;
            l->last *= 2;
            i++;
            goto check;
        case '{':
            if ((next = parse_bound(re, i, &bound))) {
                if (bound > BL_REGEX_MAX_BOUND) {
                    snprintf(why, why_size, "repetition bound %lu is over %d", bound,
                             BL_REGEX_MAX_BOUND);
                    return -1;
                }
                if (bound > 1) {
                    l->total += l->last * (double)(bound - 1);
                    l->last *= (double)bound;
                }
                i = next;
                goto check;
            }
            atom = 1;
            i++;
            break;
        case '[':
            atom = 1;
            i = skip_bracket(re, i);
            break;
        case '\\':
            atom = 1;
            i += re[i + 1] ? 2 : 1;
            break;
        default:
            atom = 1;
            i++;
            break;
        }
        l->total += atom;
        l->last = atom;
    check:
        if (st[d].total > BL_REGEX_MAX_COST) {
            snprintf(why, why_size, "too complex (repetitions would expand it past %d parts)",
                     BL_REGEX_MAX_COST);
            return -1;
        }
    }
    return 0;
}
