/* blotter: weighing a regex before regcomp (see regex_cost.h).
 *
 * The estimate follows what regcomp builds: every atom is a node, a group is
 * the sum of its parts, `x{m,n}` is x copied max(m,n) times, `x+` is x twice,
 * `x*` and `x?` are x and one node more. Stacked repetitions multiply, as
 * they do in glibc. The figure is an upper bound in spirit, not an exact count.
 *
 * Node counts miss one shape: `x+` or `x{m,}` where x can match nothing, as
 * in `(a?)+`. glibc builds it as x followed by a starred x, and the closure
 * it computes over such nested empty paths grows exponentially: fifteen
 * stacked `?` under eight `+` (about 4,000 nodes) ran past 3 s, and the
 * fuzzer's input with 24 past 25 s.
 * The same language is always written without it (`(a?)+` is `a*`), so it
 * is refused.
 */
#include "regex_cost.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 32

typedef struct level {
    double total; /* cost of the group so far */
    double last;  /* cost of the last atom, which a repetition copies */
    /* What can match the empty string: the current alternative before its
     * last atom, that last atom, and any earlier alternative of the group. */
    int before_last_empty, last_empty, earlier_alt_empty;
} level;

static const level new_level = {0, 0, 1, 1, 0};

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

/* Parses "{m}", "{m,}" or "{m,n}" at re[i]; returns the index past it, the
 * largest count in *bound, the smallest in *least and whether it is open
 * ("{m,}") in *open; or 0 when it is not a bound (then '{' is a literal to
 * us; regcomp decides whether it is an error). */
static size_t parse_bound(const char *re, size_t i, unsigned long *bound, unsigned long *least,
                          int *open)
{
    size_t j = i + 1;
    if (!isdigit((unsigned char)re[j]))
        return 0;
    unsigned long m = 0, n = 0;
    while (isdigit((unsigned char)re[j]) && m <= 100000)
        m = m * 10 + (unsigned long)(re[j++] - '0');
    n = m;
    *open = 0;
    if (re[j] == ',') {
        j++;
        *open = !isdigit((unsigned char)re[j]);
        if (isdigit((unsigned char)re[j])) {
            n = 0;
            while (isdigit((unsigned char)re[j]) && n <= 100000)
                n = n * 10 + (unsigned long)(re[j++] - '0');
        }
    }
    if (re[j] != '}')
        return 0;
    *bound = m > n ? m : n;
    *least = m < n ? m : n;
    return j + 1;
}

static int refuse_empty_repeat(char *why, size_t why_size)
{
    snprintf(why, why_size, "too complex (x+ or x{m,} where x can match nothing; "
                            "write x* instead)");
    return -1;
}

int bl_regex_check_cost(const char *re, char *why, size_t why_size)
{
    level st[MAX_DEPTH + 1] = {new_level};
    int d = 0;
    size_t i = 0;
    while (re[i]) {
        level *l = &st[d];
        double atom = 0;
        int atom_empty = 0; /* the atom can match the empty string */
        unsigned long bound, least;
        int open;
        size_t next;
        switch (re[i]) {
        case '(':
            if (d == MAX_DEPTH) {
                snprintf(why, why_size, "groups nested deeper than %d", MAX_DEPTH);
                return -1;
            }
            st[++d] = new_level;
            i++;
            continue;
        case ')':
            if (d > 0) {
                atom = st[d].total < 1 ? 1 : st[d].total;
                atom_empty = st[d].earlier_alt_empty ||
                             (st[d].before_last_empty && st[d].last_empty);
                d--;
                l = &st[d];
            } else {
                atom = 1;
            }
            i++;
            break;
        case '|':
            l->earlier_alt_empty |= l->before_last_empty && l->last_empty;
            l->before_last_empty = l->last_empty = 1;
            l->last = 0;
            i++;
            continue;
        case '*':
        case '?':
            /* one node more around x, which later copies copy too */
            l->last = (l->last < 1 ? 1 : l->last) + 1;
            l->total += 1;
            l->last_empty = 1;
            i++;
            goto check;
        case '+':
            if (l->last > 0 && l->last_empty)
                return refuse_empty_repeat(why, why_size);
            l->total += l->last;
            l->last *= 2;
            i++;
            goto check;
        case '{':
            if ((next = parse_bound(re, i, &bound, &least, &open))) {
                if (open && l->last > 0 && l->last_empty)
                    return refuse_empty_repeat(why, why_size);
                if (least == 0)
                    l->last_empty = 1;
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
            /* glibc's zero-width escapes: word and buffer boundaries */
            atom_empty = re[i + 1] && strchr("bB<>`'", re[i + 1]) != NULL;
            i += re[i + 1] ? 2 : 1;
            break;
        case '^':
        case '$':
            atom = 1;
            atom_empty = 1;
            i++;
            break;
        default:
            atom = 1;
            i++;
            break;
        }
        l->total += atom;
        l->last = atom;
        l->before_last_empty = l->before_last_empty && l->last_empty;
        l->last_empty = atom_empty;
    check:
        if (st[d].total > BL_REGEX_MAX_COST) {
            snprintf(why, why_size, "too complex (repetitions would expand it past %d parts)",
                     BL_REGEX_MAX_COST);
            return -1;
        }
    }
    return 0;
}
