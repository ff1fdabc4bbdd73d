/* blotter: the query language (see query_build.h). */
#include "query_build.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "bl_schema.h"
#include "bl_utf8.h"
#include "range_convert.h"

typedef struct filter_field {
    const char *field;
    const char *prefix;
} filter_field;

static const filter_field filter_fields[] = {
    {"site", BL_PREFIX_SITE},         {"lang", BL_PREFIX_LANG},
    {"agency", BL_PREFIX_AGENCY},     {"campaign", BL_PREFIX_CAMPAIGN},
    {"year", BL_PREFIX_YEAR},         {"currency", BL_PREFIX_CURRENCY},
};

#define N_FILTERS (sizeof filter_fields / sizeof filter_fields[0])

/* Length of the field name at p if it is one of ours followed by ':', whether
 * it is a range field, and whether a filter field. */
static size_t field_at(const char *p, int *is_range, int *is_filter)
{
    *is_range = *is_filter = 0;
    size_t n = 0;
    while (isalnum((unsigned char)p[n]) || p[n] == '_')
        n++;
    if (n == 0 || p[n] != ':')
        return 0;
    if (n == 4 && strncmp(p, "date", 4) == 0) {
        *is_range = 1;
        return n;
    }
    for (int i = 0; i < BL_FACT_COUNT; i++)
        if (strlen(bl_fact_categories[i]) == n && strncmp(p, bl_fact_categories[i], n) == 0) {
            *is_range = 1;
            return n;
        }
    for (size_t i = 0; i < N_FILTERS; i++)
        if (strlen(filter_fields[i].field) == n && strncmp(p, filter_fields[i].field, n) == 0) {
            *is_filter = 1;
            return n;
        }
    return 0;
}

char *bl_query_normalise(const char *text)
{
    size_t len = strlen(text);
    /* A single-valued range at most doubles its value, plus "..". */
    char *out = malloc(len * 2 + 3);
    if (!out)
        return NULL;
    size_t o = 0;
    int in_quotes = 0;
    for (size_t i = 0; i < len;) {
        char c = text[i];
        int at_token_start = i == 0 || strchr(" \t(+-", text[i - 1]) != NULL;
        int is_range, is_filter;
        size_t n = (!in_quotes && at_token_start) ? field_at(text + i, &is_range, &is_filter) : 0;
        if (n) {
            memcpy(out + o, text + i, n + 1);
            o += n + 1;
            i += n + 1;
            size_t vstart = i;
            if (is_filter) {
                int quoted = text[i] == '"';
                if (quoted)
                    out[o++] = text[i++];
                while (i < len && (quoted ? text[i] != '"' : !isspace((unsigned char)text[i]) && text[i] != ')'))
                    out[o++] = (char)tolower((unsigned char)text[i++]);
                if (quoted && i < len)
                    out[o++] = text[i++];
            } else {
                while (i < len && !isspace((unsigned char)text[i]) && text[i] != ')')
                    out[o++] = text[i++];
                size_t vlen = i - vstart;
                const char *v = text + vstart;
                int has_dots = 0;
                for (size_t k = 0; k + 1 < vlen; k++)
                    if (v[k] == '.' && v[k + 1] == '.')
                        has_dots = 1;
                if (vlen && !has_dots) {
                    out[o++] = '.';
                    out[o++] = '.';
                    memcpy(out + o, v, vlen);
                    o += vlen;
                }
            }
            continue;
        }
        if (c == '"')
            in_quotes = !in_quotes;
        out[o++] = c;
        i++;
    }
    out[o] = '\0';
    return out;
}

int bl_query_parse(bl_xdb *db, const char *text, bl_xquery **out, bl_error *err)
{
    bl_xqp *qp = NULL;
    char *normal = NULL;
    int rc;
    *out = NULL;
    if (strlen(text) > BL_QUERY_MAX)
        return bl_error_set(err, BL_EQUERY, "query is longer than %d bytes", BL_QUERY_MAX);
    /* A lone "*" means every bulletin: facets and campaigns over everything. */
    size_t skip = strspn(text, " \t");
    if (text[skip] == '*' && text[skip + 1 + strspn(text + skip + 1, " \t")] == '\0')
        return bl_xquery_all(out, err);
    if (!(normal = bl_query_normalise(text)))
        return bl_error_set(err, BL_ENOMEM, "out of memory");
    if ((rc = bl_xqp_new(db, &qp, err)))
        goto done;
    if ((rc = bl_xqp_add_prefix(qp, "title", BL_PREFIX_TITLE, 0, err)))
        goto done;
    for (size_t i = 0; i < N_FILTERS; i++)
        if ((rc = bl_xqp_add_prefix(qp, filter_fields[i].field, filter_fields[i].prefix, 1, err)))
            goto done;
    if ((rc = bl_xqp_add_range(qp, "date", BL_SLOT_DATE, bl_range_convert_date, NULL, err)))
        goto done;
    for (int i = 0; i < BL_FACT_COUNT; i++)
        if ((rc = bl_xqp_add_range(qp, bl_fact_categories[i], BL_SLOT_FACT0 + (unsigned)i,
                                   bl_range_convert_number, NULL, err)))
            goto done;
    rc = bl_xqp_parse(qp, normal, out, err);
done:
    bl_xqp_free(qp);
    free(normal);
    return rc;
}

/* Long enough to recognise the query, short enough to leave the reason room. */
#define QUERY_EXCERPT_MAX 80

int bl_query_error(bl_error *err, int code, const char *query, const char *reason)
{
    char excerpt[QUERY_EXCERPT_MAX + 4];
    bl_utf8_excerpt(query ? query : "", QUERY_EXCERPT_MAX, excerpt, sizeof excerpt);
    char why[BL_ERROR_MSG_MAX];
    bl_utf8_excerpt(reason ? reason : "", sizeof why - 1, why, sizeof why);
    return bl_error_set(err, code, "bad query '%s': %s", excerpt, why);
}
