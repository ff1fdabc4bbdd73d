/* blotter: agency recognition (see bl_agency.h).
 *
 * Each alternative spelling is split into an optional {PLACE} before, a
 * literal, and an optional {DISTRICT} after. The literal is found with
 * memmem (up to its first apostrophe, since ' and ’ both count), then checked
 * in full and the placeholders are read around it. Cost: one pass over the
 * text per spelling, so callers bound the text they pass.
 */
#define _GNU_SOURCE /* memmem */
#include "bl_agency.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bl_buf.h"

#ifndef BL_AGENCIES_INSTALLED
#define BL_AGENCIES_INSTALLED "/usr/local/share/blotter/agencies.txt"
#endif
#ifndef BL_AGENCIES_SOURCE
#define BL_AGENCIES_SOURCE "data/agencies.txt"
#endif

/* The compiled-in copy of data/agencies.txt (generated at build time). */
extern const unsigned char bl_agencies_builtin[];
extern const size_t bl_agencies_builtin_len;

enum { PH_NONE = 0, PH_PLACE = 1, PH_DISTRICT = 2 };

typedef struct spelling {
    char *literal;
    size_t literal_len, anchor_len;
    int before, after;   /* PH_* */
    size_t agency;       /* index into names */
} spelling;

struct bl_agencies {
    char **names;        /* the recorded form, placeholders included */
    size_t n_names;
    spelling *sp;
    size_t n_sp;
};

void bl_agencies_free(bl_agencies *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->n_names; i++)
        free(a->names[i]);
    for (size_t i = 0; i < a->n_sp; i++)
        free(a->sp[i].literal);
    free(a->names);
    free(a->sp);
    free(a);
}

static char *trim_dup(const char *s, size_t len)
{
    while (len && (*s == ' ' || *s == '\t')) {
        s++;
        len--;
    }
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
        len--;
    char *d = malloc(len + 1);
    if (d) {
        memcpy(d, s, len);
        d[len] = '\0';
    }
    return d;
}

static int add_spelling(bl_agencies *a, const char *text, size_t agency, size_t *cap)
{
    int before = PH_NONE, after = PH_NONE;
    const char *lit = text;
    size_t len = strlen(text);
    if (strncmp(lit, "{PLACE}", 7) == 0) {
        before = PH_PLACE;
        lit += 7;
        len -= 7;
        while (len && *lit == ' ') { /* the place is read up to the space */
            lit++;
            len--;
        }
    }
    if (len >= 10 && strcmp(lit + len - 10, "{DISTRICT}") == 0) {
        after = PH_DISTRICT;
        len -= 10;
    }
    if (len == 0 || memchr(lit, '{', len))
        return BL_EINVAL;
    if (a->n_sp == *cap) {
        size_t ncap = *cap ? *cap * 2 : 64;
        spelling *nsp = realloc(a->sp, ncap * sizeof *nsp);
        if (!nsp)
            return BL_ENOMEM;
        a->sp = nsp;
        *cap = ncap;
    }
    spelling *s = &a->sp[a->n_sp];
    s->literal = malloc(len + 1);
    if (!s->literal)
        return BL_ENOMEM;
    memcpy(s->literal, lit, len);
    s->literal[len] = '\0';
    s->literal_len = len;
    const char *apo = memchr(s->literal, '\'', len);
    const char *curly = strstr(s->literal, "\xe2\x80\x99");
    size_t anchor = apo ? (size_t)(apo - s->literal) : len;
    if (curly && (size_t)(curly - s->literal) < anchor)
        anchor = (size_t)(curly - s->literal);
    s->anchor_len = anchor;
    s->before = before;
    s->after = after;
    s->agency = agency;
    a->n_sp++;
    return 0;
}

int bl_agencies_parse(const char *text, size_t len, bl_agencies **out, bl_error *err)
{
    int rc = 0;
    size_t cap_names = 0, cap_sp = 0, lineno = 0;
    bl_agencies *a = calloc(1, sizeof *a);
    *out = NULL;
    if (!a)
        return bl_error_set(err, BL_ENOMEM, "out of memory loading agencies");
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        lineno++;
        char *line = trim_dup(p, (size_t)(le - p));
        p = nl ? nl + 1 : end;
        if (!line) {
            rc = bl_error_set(err, BL_ENOMEM, "out of memory loading agencies");
            goto done;
        }
        if (!line[0] || line[0] == '#') {
            free(line);
            continue;
        }
        if (a->n_names == cap_names) {
            size_t ncap = cap_names ? cap_names * 2 : 32;
            char **nn = realloc(a->names, ncap * sizeof *nn);
            if (!nn) {
                free(line);
                rc = bl_error_set(err, BL_ENOMEM, "out of memory loading agencies");
                goto done;
            }
            a->names = nn;
            cap_names = ncap;
        }
        size_t idx = a->n_names;
        char *save = NULL, *first = NULL;
        for (char *tok = strtok_r(line, "|", &save); tok; tok = strtok_r(NULL, "|", &save)) {
            char *t = trim_dup(tok, strlen(tok));
            if (!t) {
                rc = BL_ENOMEM;
            } else if (t[0]) {
                rc = add_spelling(a, t, idx, &cap_sp);
                if (!first && rc == 0) {
                    first = t;
                    t = NULL;
                }
            }
            free(t);
            if (rc)
                break;
        }
        free(line);
        if (rc || !first) {
            free(first);
            rc = bl_error_set(err, rc == BL_ENOMEM ? BL_ENOMEM : BL_EINVAL,
                              "agencies line %zu: %s", lineno,
                              rc == BL_ENOMEM ? "out of memory" : "bad name or placeholder");
            goto done;
        }
        a->names[a->n_names++] = first;
    }
done:
    if (rc) {
        bl_agencies_free(a);
        return rc;
    }
    *out = a;
    return 0;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    bl_buf b = {.limit = 1u << 20};
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        bl_buf_add(&b, chunk, n);
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        bl_buf_free(&b);
        return NULL;
    }
    return bl_buf_take(&b, len);
}

static bl_agencies *default_table;
static pthread_once_t default_once = PTHREAD_ONCE_INIT;

static void load_default(void)
{
    const char *paths[] = {getenv("BLOTTER_AGENCIES"), BL_AGENCIES_INSTALLED, BL_AGENCIES_SOURCE};
    for (size_t i = 0; i < 3 && !default_table; i++) {
        if (!paths[i] || !paths[i][0])
            continue;
        size_t len;
        char *text = read_file(paths[i], &len);
        if (text && bl_agencies_parse(text, len, &default_table, NULL) != 0)
            default_table = NULL;
        free(text);
    }
    if (!default_table && bl_agencies_parse((const char *)bl_agencies_builtin, bl_agencies_builtin_len, &default_table, NULL))
        default_table = NULL;
    if (!default_table)
        default_table = calloc(1, sizeof *default_table);
}

const bl_agencies *bl_agencies_default(void)
{
    pthread_once(&default_once, load_default);
    static const bl_agencies empty;
    return default_table ? default_table : &empty;
}

/* Compares the literal at s[at..len) with ' matching both ' and ’; returns
 * the end of the match or 0. */
static size_t match_literal(const char *s, size_t len, size_t at, const spelling *sp)
{
    size_t i = at, j = 0;
    const char *lit = sp->literal;
    while (j < sp->literal_len) {
        int lit_apo = lit[j] == '\'' || strncmp(lit + j, "\xe2\x80\x99", 3) == 0;
        if (lit_apo) {
            size_t lj = lit[j] == '\'' ? 1 : 3;
            if (i < len && s[i] == '\'')
                i++;
            else if (i + 3 <= len && memcmp(s + i, "\xe2\x80\x99", 3) == 0)
                i += 3;
            else
                return 0;
            j += lj;
            continue;
        }
        if (i >= len || s[i] != lit[j])
            return 0;
        i++;
        j++;
    }
    return i;
}

static int is_word_byte(char c)
{
    return isalnum((unsigned char)c);
}

static const char *const not_places[] = {
    "Assistant", "Deputy", "Senior", "Chief", "Executive", "Acting", "Former", "Supervising", "Interim",
    "Elected", "Our", "The", "This", "That", "A", "An", "Said", "Today", "Office", "Head", "Special",
    "Associate", "Trial", "Principal", "Veteran", "Newly", "Then", "Current", "Division", "Bureau",
    "Unit", "Investigator", "Investigators", "By", "From", "And", "Of", "In", "For", "Elect", "Retired",
    "Every", "Each", "Local", "Both", NULL};

static int is_not_place(const char *w, size_t n)
{
    for (size_t i = 0; not_places[i]; i++)
        if (strlen(not_places[i]) == n && strncmp(not_places[i], w, n) == 0)
            return 1;
    return 0;
}

/* Capitalised words immediately before at; returns their start or at. */
static size_t place_before(const char *s, size_t at)
{
    size_t start = at, p = at;
    for (int words = 0; words < 4; words++) {
        if (p == 0 || s[p - 1] != ' ')
            break;
        size_t e = p - 1, b = e;
        while (b > 0 && (isalpha((unsigned char)s[b - 1]) || s[b - 1] == '-' || s[b - 1] == '.'))
            b--;
        if (b == e || !isupper((unsigned char)s[b]) || is_not_place(s + b, e - b))
            break;
        if (b > 0 && is_word_byte(s[b - 1]))
            break;
        start = b;
        p = b;
    }
    return start;
}

static const char *const states[] = {
    "Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut", "Delaware",
    "Florida", "Georgia", "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa", "Kansas", "Kentucky",
    "Louisiana", "Maine", "Maryland", "Massachusetts", "Michigan", "Minnesota", "Mississippi",
    "Missouri", "Montana", "Nebraska", "Nevada", "New Hampshire", "New Jersey", "New Mexico",
    "New York", "North Carolina", "North Dakota", "Ohio", "Oklahoma", "Oregon", "Pennsylvania",
    "Rhode Island", "South Carolina", "South Dakota", "Tennessee", "Texas", "Utah", "Vermont",
    "Virginia", "Washington", "West Virginia", "Wisconsin", "Wyoming", "Columbia", "Puerto Rico",
    "Guam", "the Virgin Islands", "the Northern Mariana Islands", NULL};

/* "[Southern ]District of New York" at s[at..]; returns its end or 0. */
static size_t district_after(const char *s, size_t len, size_t at)
{
    static const char *const dirs[] = {"Northern ", "Southern ", "Eastern ", "Western ", "Middle ",
                                       "Central ", NULL};
    size_t i = at;
    for (size_t d = 0; dirs[d]; d++)
        if (i + strlen(dirs[d]) <= len && strncmp(s + i, dirs[d], strlen(dirs[d])) == 0) {
            i += strlen(dirs[d]);
            break;
        }
    if (i + 12 > len || strncmp(s + i, "District of ", 12) != 0)
        return 0;
    i += 12;
    size_t best = 0;
    for (size_t k = 0; states[k]; k++) {
        size_t n = strlen(states[k]);
        if (i + n <= len && strncmp(s + i, states[k], n) == 0 && (i + n == len || !is_word_byte(s[i + n])) &&
            n > best)
            best = n;
    }
    return best ? i + best : 0;
}

typedef struct found {
    size_t start, end;
    size_t agency;
    size_t ph_start, ph_end; /* the placeholder text */
    int ph;
} found;

static int find_spelling(const char *s, size_t len, const spelling *sp, size_t limit_start, found *f)
{
    size_t from = 0;
    int ascii_start = is_word_byte(sp->literal[0]);
    while (from < len) {
        const char *hit = memmem(s + from, len - from, sp->literal, sp->anchor_len ? sp->anchor_len : 1);
        if (!hit)
            return 0;
        size_t at = (size_t)(hit - s);
        from = at + 1;
        if (at > limit_start && sp->before == PH_NONE)
            return 0; /* cannot beat what we have */
        size_t end = match_literal(s, len, at, sp);
        if (!end)
            continue;
        if (ascii_start && sp->before == PH_NONE && at > 0 && is_word_byte(s[at - 1]))
            continue;
        size_t start = at, ph_s = 0, ph_e = 0;
        if (sp->before == PH_PLACE) {
            start = place_before(s, at);
            if (start == at)
                continue;
            ph_s = start;
            ph_e = at - 1; /* without the space before the literal */
        }
        if (sp->after == PH_DISTRICT) {
            size_t dend = district_after(s, len, end);
            if (!dend)
                continue;
            ph_s = end;
            ph_e = dend;
            end = dend;
        } else if (is_word_byte(sp->literal[sp->literal_len - 1]) && end < len && is_word_byte(s[end])) {
            continue;
        }
        f->start = start;
        f->end = end;
        f->agency = sp->agency;
        f->ph = sp->before | sp->after;
        f->ph_start = ph_s;
        f->ph_end = ph_e;
        return 1;
    }
    return 0;
}

char *bl_agency_find(const bl_agencies *a, const char *s, size_t len)
{
    if (!a || !s)
        return NULL;
    found best = {.start = (size_t)-1};
    for (size_t i = 0; i < a->n_sp; i++) {
        found f;
        if (!find_spelling(s, len, &a->sp[i], best.start, &f))
            continue;
        if (f.start < best.start || (f.start == best.start && f.end > best.end))
            best = f;
    }
    if (best.start == (size_t)-1)
        return NULL;
    const char *name = a->names[best.agency];
    const char *ph = strchr(name, '{');
    if (!ph || !best.ph)
        return strdup(name);
    const char *ph_end = strchr(ph, '}');
    if (!ph_end)
        return strdup(name);
    bl_buf b = {0};
    bl_buf_add(&b, name, (size_t)(ph - name));
    bl_buf_add(&b, s + best.ph_start, best.ph_end - best.ph_start);
    bl_buf_adds(&b, ph_end + 1);
    return bl_buf_take(&b, NULL);
}
