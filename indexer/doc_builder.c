/* blotter: a bulletin record -> a Xapian document (see doc_builder.h and
 * bl_schema.h for what goes where). */
#include "doc_builder.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "bl_digest.h"
#include "bl_schema.h"

/* Xapian refuses terms over 245 bytes; boolean values are cut well below,
 * at a UTF-8 character boundary. */
#define TERM_VALUE_MAX 180

/* A gap between title and body so that phrases never span the two. */
#define FIELD_POSITION_GAP 100

void bl_url_host(const char *url, char *out, size_t size)
{
    out[0] = '\0';
    const char *p = url ? strstr(url, "://") : NULL;
    if (!p)
        return;
    p += 3;
    const char *end = p + strcspn(p, "/?#");
    const char *at = memchr(p, '@', (size_t)(end - p));
    if (at)
        p = at + 1;
    const char *colon = memchr(p, ':', (size_t)(end - p));
    if (colon && p[0] != '[')
        end = colon;
    size_t n = 0;
    for (; p < end && n + 1 < size; p++)
        out[n++] = (char)tolower((unsigned char)*p);
    out[n] = '\0';
}

/* prefix + lowercase(value), cut to TERM_VALUE_MAX bytes on a character boundary. */
static void boolean_term(const char *prefix, const char *value, char *out, size_t size)
{
    size_t n = (size_t)snprintf(out, size, "%s", prefix);
    size_t len = strlen(value);
    size_t take = len < TERM_VALUE_MAX ? len : TERM_VALUE_MAX;
    if (take > size - 1 - n)
        take = size - 1 - n;
    while (take > 0 && take < len && ((unsigned char)value[take] & 0xC0) == 0x80)
        take--; /* never end inside a multi-byte character */
    for (size_t i = 0; i < take; i++)
        out[n++] = (char)tolower((unsigned char)value[i]);
    out[n] = '\0';
}

static int add_boolean(bl_xdoc *doc, const char *prefix, const char *value, bl_error *err)
{
    char term[TERM_VALUE_MAX + 16];
    if (!value || !*value)
        return 0;
    boolean_term(prefix, value, term, sizeof term);
    return bl_xdoc_add_boolean_term(doc, term, err);
}

static int add_text_terms(bl_xdoc *doc, const bl_record *rec, bl_error *err)
{
    int rc = 0;
    if (rec->title && *rec->title) {
        size_t n = strlen(rec->title);
        /* Title words count twice for ranking: once under "S" for title:
         * queries, once bare with a higher wdf. */
        if ((rc = bl_xdoc_index_text(doc, rec->title, n, 1, BL_PREFIX_TITLE, err)))
            return rc;
        bl_xdoc_increase_termpos(doc, FIELD_POSITION_GAP);
        if ((rc = bl_xdoc_index_text(doc, rec->title, n, 3, "", err)))
            return rc;
        bl_xdoc_increase_termpos(doc, FIELD_POSITION_GAP);
    }
    if (rec->text && *rec->text)
        rc = bl_xdoc_index_text(doc, rec->text, strlen(rec->text), 1, "", err);
    return rc;
}

static int add_date(bl_xdoc *doc, const bl_record *rec, bl_error *err)
{
    const char *d = rec->date;
    /* Only a well-formed YYYY-MM-DD becomes a value: range queries compare
     * these strings, so anything else would sort wrongly. */
    if (!d || strlen(d) != 10 || d[4] != '-' || d[7] != '-')
        return 0;
    char ymd[9] = {d[0], d[1], d[2], d[3], d[5], d[6], d[8], d[9], 0};
    for (int i = 0; i < 8; i++)
        if (!isdigit((unsigned char)ymd[i]))
            return 0;
    char year[5] = {d[0], d[1], d[2], d[3], 0};
    int rc;
    if ((rc = bl_xdoc_set_value(doc, BL_SLOT_DATE, ymd, 8, err)) ||
        (rc = bl_xdoc_set_value(doc, BL_SLOT_YEAR, year, 4, err)))
        return rc;
    return add_boolean(doc, BL_PREFIX_YEAR, year, err);
}

static int add_facts(bl_xdoc *doc, const bl_record *rec, bl_error *err)
{
    for (size_t i = 0; i < rec->n_facts; i++) {
        int rc = add_boolean(doc, BL_PREFIX_CURRENCY, rec->facts[i].currency, err);
        if (rc)
            return rc;
    }
    for (int i = 0; i < BL_FACT_COUNT; i++) {
        int found = 0;
        double v = bl_record_fact_max(rec, bl_fact_categories[i], &found);
        if (!found)
            continue;
        int rc = bl_xdoc_set_value_number(doc, BL_SLOT_FACT0 + (unsigned)i, v, err);
        if (rc)
            return rc;
    }
    return 0;
}

static int add_campaigns(bl_xdoc *doc, const bl_record *rec, bl_error *err)
{
    char joined[4096];
    size_t n = 0;
    for (size_t i = 0; i < rec->n_campaigns; i++) {
        const char *c = rec->campaigns[i];
        int rc = add_boolean(doc, BL_PREFIX_CAMPAIGN, c, err);
        if (rc)
            return rc;
        size_t len = strlen(c);
        if (n + len + 1 >= sizeof joined)
            break; /* the facet keeps what fits; the terms keep every campaign */
        if (n)
            joined[n++] = BL_XFACET_SEP;
        memcpy(joined + n, c, len);
        n += len;
    }
    return n ? bl_xdoc_set_value(doc, BL_SLOT_CAMPAIGNS, joined, n, err) : 0;
}

/* BL_SLOT_DUPKEY: the first 8 bytes of the hex digest, as bytes. Among a
 * million bulletins two texts share them with odds of about 1 in 37 million. */
static int set_dup_key(bl_xdoc *doc, const char *hex_digest, bl_error *err)
{
    char key[8];
    for (int i = 0; i < 8; i++) {
        unsigned byte = 0;
        sscanf(hex_digest + 2 * i, "%2x", &byte);
        key[i] = (char)byte;
    }
    return bl_xdoc_set_value(doc, BL_SLOT_DUPKEY, key, sizeof key, err);
}

int bl_doc_build(const bl_record *rec, const char *key, const char *data, bl_xdoc **out,
                 bl_error *err)
{
    bl_xdoc *doc = NULL;
    char idterm[BL_ID_TERM_SIZE];
    char host[256];
    char digest[BL_SHA256_HEX_SIZE];
    char term[BL_SHA256_HEX_SIZE + 8];
    const char *text = rec->text ? rec->text : "";
    int rc;

    *out = NULL;
    if ((rc = bl_xdoc_new(&doc, err)))
        return rc;
    bl_id_term(key, idterm);
    bl_url_host(rec->url ? rec->url : key, host, sizeof host);
    bl_sha256_hex(text, strlen(text), digest);
    snprintf(term, sizeof term, "%s%s", BL_PREFIX_DIGEST, digest);

    if ((rc = add_text_terms(doc, rec, err)) ||
        (rc = bl_xdoc_add_boolean_term(doc, idterm, err)) ||
        (rc = bl_xdoc_add_boolean_term(doc, term, err)) ||
        (rc = add_boolean(doc, BL_PREFIX_SITE, host, err)) ||
        (rc = add_boolean(doc, BL_PREFIX_LANG, rec->lang, err)) ||
        (rc = add_boolean(doc, BL_PREFIX_AGENCY, rec->agency, err)) ||
        (rc = add_date(doc, rec, err)) || (rc = add_facts(doc, rec, err)) ||
        (rc = add_campaigns(doc, rec, err)) ||
        (rc = bl_xdoc_set_value(doc, BL_SLOT_DIGEST, digest, 64, err)) ||
        (rc = set_dup_key(doc, digest, err)) ||
        (rc = bl_xdoc_set_value(doc, BL_SLOT_URL, rec->url ? rec->url : key,
                                strlen(rec->url ? rec->url : key), err)) ||
        (rec->agency && (rc = bl_xdoc_set_value(doc, BL_SLOT_AGENCY, rec->agency,
                                                strlen(rec->agency), err))) ||
        (rec->lang && (rc = bl_xdoc_set_value(doc, BL_SLOT_LANG, rec->lang,
                                              strlen(rec->lang), err))) ||
        (rc = bl_xdoc_set_data(doc, data, strlen(data), err))) {
        bl_xdoc_free(doc);
        return rc;
    }
    *out = doc;
    return 0;
}
