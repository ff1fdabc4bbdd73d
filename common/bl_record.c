/* blotter: the bulletin record and its JSON form (see bl_record.h).
 *
 * JSON goes through json-c both ways, so escaping and UTF-8 handling are the
 * library's, not ours. Values are written as integers when they are whole
 * numbers, so "value":1461 rather than 1461.0.
 */
#include "bl_record.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

bl_record *bl_record_new(void)
{
    return calloc(1, sizeof(bl_record));
}

void bl_record_free(bl_record *rec)
{
    if (!rec)
        return;
    free(rec->url);
    free(rec->title);
    free(rec->date);
    free(rec->agency);
    free(rec->lang);
    free(rec->text);
    for (size_t i = 0; i < rec->n_facts; i++)
        free(rec->facts[i].text);
    free(rec->facts);
    for (size_t i = 0; i < rec->n_campaigns; i++)
        free(rec->campaigns[i]);
    free(rec->campaigns);
    free(rec);
}

int bl_record_set(char **field, const char *s, size_t len)
{
    char *copy = NULL;
    if (s) {
        if (len == (size_t)-1)
            len = strlen(s);
        copy = malloc(len + 1);
        if (!copy)
            return BL_ENOMEM;
        memcpy(copy, s, len);
        copy[len] = '\0';
    }
    free(*field);
    *field = copy;
    return 0;
}

static int grow(void **items, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return 0;
    size_t ncap = *cap ? *cap * 2 : 8;
    void *p = realloc(*items, ncap * size);
    if (!p)
        return BL_ENOMEM;
    *items = p;
    *cap = ncap;
    return 0;
}

int bl_record_add_fact(bl_record *rec, const bl_fact *fact)
{
    if (grow((void **)&rec->facts, &rec->cap_facts, rec->n_facts, sizeof(bl_fact)))
        return BL_ENOMEM;
    bl_fact *f = &rec->facts[rec->n_facts];
    *f = *fact;
    f->text = NULL;
    if (fact->text && bl_record_set(&f->text, fact->text, (size_t)-1))
        return BL_ENOMEM;
    rec->n_facts++;
    return 0;
}

int bl_record_add_campaign(bl_record *rec, const char *name)
{
    for (size_t i = 0; i < rec->n_campaigns; i++)
        if (strcasecmp(rec->campaigns[i], name) == 0)
            return 0;
    if (grow((void **)&rec->campaigns, &rec->cap_campaigns, rec->n_campaigns, sizeof(char *)))
        return BL_ENOMEM;
    char *copy = strdup(name);
    if (!copy)
        return BL_ENOMEM;
    rec->campaigns[rec->n_campaigns++] = copy;
    return 0;
}

double bl_record_fact_max(const bl_record *rec, const char *category, int *found)
{
    double best = 0;
    int any = 0;
    for (size_t i = 0; i < rec->n_facts; i++) {
        const bl_fact *f = &rec->facts[i];
        if (strcmp(f->category, category) != 0)
            continue;
        if (!any || f->value > best)
            best = f->value;
        any = 1;
    }
    if (found)
        *found = any;
    return best;
}

static json_object *string_or_null(const char *s)
{
    return s ? json_object_new_string(s) : NULL;
}

static json_object *number(double v)
{
    if (isfinite(v) && v == floor(v) && fabs(v) < 9007199254740992.0)
        return json_object_new_int64((int64_t)v);
    return json_object_new_double(v);
}

char *bl_record_to_json(const bl_record *rec, int pretty)
{
    json_object *o = json_object_new_object();
    if (!o)
        return NULL;
    json_object_object_add(o, "version", json_object_new_int(BL_RECORD_VERSION));
    json_object_object_add(o, "url", string_or_null(rec->url));
    json_object_object_add(o, "title", string_or_null(rec->title));
    json_object_object_add(o, "date", string_or_null(rec->date));
    json_object_object_add(o, "agency", string_or_null(rec->agency));
    json_object_object_add(o, "lang", string_or_null(rec->lang));
    json_object_object_add(o, "text", json_object_new_string(rec->text ? rec->text : ""));

    json_object *facts = json_object_new_array();
    for (size_t i = 0; i < rec->n_facts; i++) {
        const bl_fact *f = &rec->facts[i];
        json_object *jf = json_object_new_object();
        json_object_object_add(jf, "category", json_object_new_string(f->category));
        json_object_object_add(jf, "value", number(f->value));
        json_object_object_add(jf, "qualifier",
                               json_object_new_string(f->qualifier[0] ? f->qualifier : "="));
        if (f->currency[0])
            json_object_object_add(jf, "currency", json_object_new_string(f->currency));
        json_object_object_add(jf, "text", json_object_new_string(f->text ? f->text : ""));
        json_object_object_add(jf, "offset", json_object_new_int64((int64_t)f->offset));
        json_object_object_add(jf, "length", json_object_new_int64((int64_t)f->length));
        json_object_array_add(facts, jf);
    }
    json_object_object_add(o, "facts", facts);

    json_object *camps = json_object_new_array();
    for (size_t i = 0; i < rec->n_campaigns; i++)
        json_object_array_add(camps, json_object_new_string(rec->campaigns[i]));
    json_object_object_add(o, "campaigns", camps);

    int flags = JSON_C_TO_STRING_NOSLASHESCAPE |
                (pretty ? JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED : JSON_C_TO_STRING_PLAIN);
    const char *s = json_object_to_json_string_ext(o, flags);
    char *out = s ? strdup(s) : NULL;
    json_object_put(o);
    return out;
}

/* Copies member `key` of o into *field: absent or null leaves it NULL,
 * anything but a string is corrupt. */
static int take_string(json_object *o, const char *key, char **field, bl_error *err)
{
    json_object *v;
    if (!json_object_object_get_ex(o, key, &v) || json_object_is_type(v, json_type_null))
        return 0;
    if (!json_object_is_type(v, json_type_string))
        return bl_error_set(err, BL_ECORRUPT, "record member \"%s\" is not a string", key);
    return bl_record_set(field, json_object_get_string(v), (size_t)json_object_get_string_len(v));
}

static int take_fact(json_object *jf, bl_record *rec, bl_error *err)
{
    bl_fact f;
    memset(&f, 0, sizeof f);
    json_object *v;
    if (!json_object_is_type(jf, json_type_object))
        return bl_error_set(err, BL_ECORRUPT, "record fact is not an object");
    if (!json_object_object_get_ex(jf, "category", &v) || !json_object_is_type(v, json_type_string))
        return bl_error_set(err, BL_ECORRUPT, "record fact has no category");
    snprintf(f.category, sizeof f.category, "%s", json_object_get_string(v));
    if (!json_object_object_get_ex(jf, "value", &v) ||
        !(json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double)))
        return bl_error_set(err, BL_ECORRUPT, "record fact has no numeric value");
    f.value = json_object_get_double(v);
    if (json_object_object_get_ex(jf, "qualifier", &v) && json_object_is_type(v, json_type_string))
        snprintf(f.qualifier, sizeof f.qualifier, "%s", json_object_get_string(v));
    if (json_object_object_get_ex(jf, "currency", &v) && json_object_is_type(v, json_type_string))
        snprintf(f.currency, sizeof f.currency, "%s", json_object_get_string(v));
    if (json_object_object_get_ex(jf, "offset", &v))
        f.offset = (size_t)json_object_get_int64(v);
    if (json_object_object_get_ex(jf, "length", &v))
        f.length = (size_t)json_object_get_int64(v);
    if (json_object_object_get_ex(jf, "text", &v) && json_object_is_type(v, json_type_string))
        f.text = (char *)json_object_get_string(v);
    return bl_record_add_fact(rec, &f);
}

int bl_record_from_json(const char *json, size_t len, bl_record **out, bl_error *err)
{
    int rc = 0;
    bl_record *rec = NULL;
    json_tokener *tok = json_tokener_new();
    json_object *o = NULL;
    *out = NULL;
    if (!tok)
        return bl_error_set(err, BL_ENOMEM, "out of memory");
    o = json_tokener_parse_ex(tok, json, (int)len);
    if (!o || json_tokener_get_error(tok) != json_tokener_success) {
        rc = bl_error_set(err, BL_ECORRUPT, "record is not valid JSON: %s",
                          json_tokener_error_desc(json_tokener_get_error(tok)));
        goto done;
    }
    if (!json_object_is_type(o, json_type_object)) {
        rc = bl_error_set(err, BL_ECORRUPT, "record is not a JSON object");
        goto done;
    }
    rec = bl_record_new();
    if (!rec) {
        rc = bl_error_set(err, BL_ENOMEM, "out of memory");
        goto done;
    }
    if ((rc = take_string(o, "url", &rec->url, err)) || (rc = take_string(o, "title", &rec->title, err)) ||
        (rc = take_string(o, "date", &rec->date, err)) ||
        (rc = take_string(o, "agency", &rec->agency, err)) ||
        (rc = take_string(o, "lang", &rec->lang, err)) || (rc = take_string(o, "text", &rec->text, err)))
        goto done;

    json_object *arr;
    if (json_object_object_get_ex(o, "facts", &arr) && json_object_is_type(arr, json_type_array)) {
        for (size_t i = 0; i < json_object_array_length(arr); i++)
            if ((rc = take_fact(json_object_array_get_idx(arr, i), rec, err)))
                goto done;
    }
    if (json_object_object_get_ex(o, "campaigns", &arr) && json_object_is_type(arr, json_type_array)) {
        for (size_t i = 0; i < json_object_array_length(arr); i++) {
            json_object *c = json_object_array_get_idx(arr, i);
            if (!json_object_is_type(c, json_type_string)) {
                rc = bl_error_set(err, BL_ECORRUPT, "record campaign is not a string");
                goto done;
            }
            if ((rc = bl_record_add_campaign(rec, json_object_get_string(c))))
                goto done;
        }
    }
    *out = rec;
    rec = NULL;
done:
    if (rc == BL_ENOMEM)
        bl_error_set(err, BL_ENOMEM, "out of memory");
    bl_record_free(rec);
    json_object_put(o);
    json_tokener_free(tok);
    return rc;
}
