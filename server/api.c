/* blotter: the JSON API of `blotter serve` (see api.h). */
#include "api.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "bl_cli.h"
#include "bl_schema.h"
#include "bl_xapian.h"
#include "campaigns_exec.h"
#include "index_open.h"
#include "printer.h"
#include "search_exec.h"

#define JSON_TYPE "application/json; charset=utf-8"
#define SVG_TYPE "image/svg+xml; charset=utf-8"
#define STATS_FACET_VALUES 50

/* A reply written into a memory stream by the endpoint. */
typedef struct reply_stream {
    FILE *f;
    char *buf;
    size_t len;
} reply_stream;

static int stream_open(reply_stream *s)
{
    s->buf = NULL;
    s->len = 0;
    s->f = open_memstream(&s->buf, &s->len);
    return s->f ? 0 : BL_ENOMEM;
}

/* Closes the stream; on success its bytes become the reply's body. */
static int stream_finish(reply_stream *s, bl_reply *reply, int status, const char *type)
{
    int bad = fclose(s->f) != 0;
    s->f = NULL;
    if (bad) {
        free(s->buf);
        return bl_reply_error(reply, 500, "out of memory");
    }
    bl_reply_clear(reply);
    reply->status = status;
    reply->content_type = type;
    reply->body = s->buf;
    reply->len = s->len;
    return 0;
}

static void stream_discard(reply_stream *s)
{
    if (s->f)
        fclose(s->f);
    free(s->buf);
    s->f = NULL;
    s->buf = NULL;
}

void bl_reply_clear(bl_reply *reply)
{
    if (!reply)
        return;
    free(reply->body);
    reply->body = NULL;
    reply->len = 0;
}

int bl_reply_error(bl_reply *reply, int status, const char *message)
{
    bl_reply_clear(reply);
    reply->status = status;
    reply->content_type = JSON_TYPE;
    json_object *root = json_object_new_object(), *e = json_object_new_object();
    if (!root || !e) {
        json_object_put(root);
        json_object_put(e);
        return BL_ENOMEM;
    }
    json_object_object_add(e, "status", json_object_new_int(status));
    json_object_object_add(e, "message", json_object_new_string(message));
    json_object_object_add(root, "error", e);
    const char *s = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN |
                                                            JSON_C_TO_STRING_NOSLASHESCAPE);
    size_t len = strlen(s);
    reply->body = malloc(len + 2);
    if (reply->body) {
        memcpy(reply->body, s, len);
        reply->body[len] = '\n';
        reply->body[len + 1] = '\0';
        reply->len = len + 1;
    }
    json_object_put(root);
    return reply->body ? 0 : BL_ENOMEM;
}

static int reply_errorf(bl_reply *reply, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int bad_request(bl_reply *reply, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int reply_errorf(bl_reply *reply, int status, const char *fmt, ...)
{
    char msg[BL_ERROR_MSG_MAX + 128];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return bl_reply_error(reply, status, msg);
}

/* Fills reply with a 400 and returns -1: the checks below return it so that
 * their caller stops and sends the reply as it is. */
static int bad_request(bl_reply *reply, const char *fmt, ...)
{
    char msg[BL_ERROR_MSG_MAX + 128];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    bl_reply_error(reply, 400, msg);
    return -1;
}

/* The HTTP status for a library error code. */
static int status_for(int code)
{
    switch (code) {
    case BL_EQUERY:
    case BL_ETOOBIG:
    case BL_EINVAL: return 400;
    case BL_ENOTFOUND: return 404;
    case BL_ELOCKED:
    case BL_EMODIFIED:
    case BL_ECORRUPT:
    case BL_ENETWORK:
    case BL_ETIMEOUT: return 503;
    default: return 500;
    }
}

/* The first value of key, or NULL. */
static const char *param(const bl_api_request *req, const char *key)
{
    for (unsigned i = 0; i < req->n_params; i++)
        if (strcmp(req->params[i].key, key) == 0)
            return req->params[i].value;
    return NULL;
}

/* A number parameter: def when absent; 400 unless a whole number <= max. */
static int number_param(const bl_api_request *req, const char *key, unsigned long def,
                        unsigned long max, unsigned long *out, bl_reply *reply)
{
    const char *v = param(req, key);
    *out = def;
    if (!v)
        return 0;
    if (bl_parse_uint(v, max, out))
        return bad_request(reply, "%s takes a whole number from 0 to %lu", key, max);
    return 0;
}

/* Opens the index for this request; a 503 reply when it cannot be opened
 * (not built yet, being replaced, corrupt), with the reason on stderr only:
 * file paths are the server's business. */
static int open_index(const bl_api_config *cfg, bl_xdb **db, bl_reply *reply)
{
    bl_error err = {0};
    if (bl_index_open_read(cfg->data_opt, cfg->indexes, cfg->n_indexes, db, &err) == 0)
        return 0;
    bl_warnf("index unavailable: %s", err.msg);
    bl_reply_error(reply, 503, "the index is not available now; try again later");
    return -1;
}

/* A reply for a failed library call. */
static int reply_failure(bl_reply *reply, int code, const char *msg)
{
    int status = status_for(code);
    if (status >= 500)
        bl_warnf("%s", msg);
    if (status == 503)
        return bl_reply_error(reply, 503, "the index is busy or unavailable; try again later");
    if (status == 500)
        return bl_reply_error(reply, 500, "internal error");
    return bl_reply_error(reply, status, msg);
}

/* A comma-separated list of facet names into req. */
static int add_facets(bl_search_request *sr, const char *list, bl_reply *reply)
{
    char buf[256];
    if (strlen(list) >= sizeof buf)
        return bad_request(reply, "facet list too long");
    strcpy(buf, list);
    char *save = NULL;
    for (char *name = strtok_r(buf, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
        int rc = bl_search_add_facet(sr, name);
        if (rc == BL_ETOOBIG)
            return bad_request(reply, "at most %d facets", BL_XSEARCH_MAX_FACETS);
        if (rc)
            return bad_request(reply, "facet takes year, lang, agency or campaign, not '%s'", name);
    }
    return 0;
}

static int check_query(const char *q, int required, bl_reply *reply)
{
    if (!q && required)
        return bad_request(reply, "missing parameter q (the query)");
    if (q && strlen(q) > BL_API_MAX_QUERY)
        return bad_request(reply, "the query is longer than %d bytes", BL_API_MAX_QUERY);
    return 0;
}

static int api_search(const bl_api_config *cfg, const bl_api_request *req, bl_reply *reply)
{
    bl_search_request sr;
    bl_search_request_init(&sr);
    sr.query = param(req, "q");
    sr.data_opt = cfg->data_opt;
    if (check_query(sr.query, 1, reply) ||
        number_param(req, "limit", 10, BL_API_MAX_LIMIT, &sr.limit, reply) ||
        number_param(req, "offset", 0, BL_API_MAX_OFFSET, &sr.offset, reply))
        return 0;
    const char *sort = param(req, "sort");
    if (sort && bl_search_set_sort(&sr, sort))
        return reply_errorf(reply, 400,
                            "sort takes relevance, date, -date or a fact such as -suspects");
    for (unsigned i = 0; i < req->n_params; i++)
        if (strcmp(req->params[i].key, "facet") == 0 &&
            add_facets(&sr, req->params[i].value, reply))
            return 0;
    bl_xdb *db = NULL;
    if (open_index(cfg, &db, reply))
        return 0;
    reply_stream s;
    bl_error err = {0};
    int rc = stream_open(&s);
    if (rc == 0 && (rc = bl_search_json(db, &sr, s.f, NULL, &err)) == 0)
        rc = stream_finish(&s, reply, 200, JSON_TYPE);
    else
        stream_discard(&s);
    bl_xdb_close(db);
    return rc ? reply_failure(reply, rc, err.msg) : 0;
}

/* The stored record of the bulletin at url. `blotter index` keys a local
 * file as "file:" + its absolute path while its record says "file://" +
 * path, so that form is tried too. */
static int record_by_url(bl_xdb *db, const char *url, char **data, size_t *len, bl_error *err)
{
    char term[BL_ID_TERM_SIZE];
    bl_id_term(url, term);
    int rc = bl_xdb_get_data_by_term(db, term, data, len, err);
    if (rc == BL_ENOTFOUND && strncmp(url, "file:///", 8) == 0) {
        char key[BL_API_MAX_URL + 8];
        snprintf(key, sizeof key, "file:%s", url + 7);
        bl_id_term(key, term);
        bl_error_clear(err);
        rc = bl_xdb_get_data_by_term(db, term, data, len, err);
    }
    return rc;
}

static int api_bulletin(const bl_api_config *cfg, const bl_api_request *req, bl_reply *reply)
{
    const char *url = param(req, "url");
    if (!url || !*url)
        return reply_errorf(reply, 400, "missing parameter url (the bulletin's URL)");
    if (strlen(url) > BL_API_MAX_URL)
        return reply_errorf(reply, 400, "the url is longer than %d bytes", BL_API_MAX_URL);
    bl_xdb *db = NULL;
    if (open_index(cfg, &db, reply))
        return 0;
    char *data = NULL;
    size_t len = 0;
    bl_error err = {0};
    int rc = record_by_url(db, url, &data, &len, &err);
    if (rc == BL_EMODIFIED) {
        bl_error_clear(&err);
        if ((rc = bl_xdb_reopen(db, &err)) == 0)
            rc = record_by_url(db, url, &data, &len, &err);
    }
    bl_xdb_close(db);
    if (rc == BL_ENOTFOUND)
        return bl_reply_error(reply, 404, "no bulletin with this url in the index");
    if (rc)
        return reply_failure(reply, rc, err.msg);
    bl_reply_clear(reply);
    reply->status = 200;
    reply->content_type = JSON_TYPE;
    reply->body = data;
    reply->len = len;
    return 0;
}

static int campaigns_request(const bl_api_request *req, bl_campaigns_request *cr,
                             bl_reply *reply)
{
    bl_campaigns_request_init(cr);
    cr->query = param(req, "q");
    if (cr->query && !*cr->query)
        cr->query = NULL; /* an empty box means all bulletins */
    cr->campaign = param(req, "campaign");
    if (cr->campaign && !*cr->campaign)
        cr->campaign = NULL;
    cr->timeline = 1;
    if (check_query(cr->query, 0, reply))
        return -1;
    if (cr->campaign && strlen(cr->campaign) > 256)
        return bad_request(reply, "the campaign name is longer than 256 bytes");
    const char *fact = param(req, "fact");
    if (fact && *fact && (cr->fact = bl_fact_category_index(fact)) < 0)
        return bad_request(reply, "fact takes a fact category (suspects, cases, money, ...)");
    return 0;
}

static int api_campaigns(const bl_api_config *cfg, const bl_api_request *req, bl_reply *reply,
                         int chart)
{
    bl_campaigns_request cr;
    if (campaigns_request(req, &cr, reply))
        return 0;
    bl_xdb *db = NULL;
    if (open_index(cfg, &db, reply))
        return 0;
    reply_stream s;
    bl_error err = {0};
    int rc = stream_open(&s);
    if (rc == 0)
        rc = chart ? bl_campaigns_chart(db, &cr, s.f, &err)
                   : bl_campaigns_exec(db, &cr, BL_FORMAT_JSON, s.f, NULL, &err);
    if (rc == 0)
        rc = stream_finish(&s, reply, 200, chart ? SVG_TYPE : JSON_TYPE);
    else
        stream_discard(&s);
    bl_xdb_close(db);
    return rc ? reply_failure(reply, rc, err.msg) : 0;
}

/* One facet's values as [{"value":..,"count":N}], the most frequent first. */
static json_object *facet_json(const bl_xmset *ms, unsigned k)
{
    json_object *arr = json_object_new_array();
    unsigned n = bl_xmset_facet_size(ms, k);
    for (unsigned j = 0; j < n && j < STATS_FACET_VALUES; j++) {
        size_t len = 0;
        const char *name = bl_xmset_facet_name(ms, k, j, &len);
        json_object *o = json_object_new_object();
        json_object_object_add(o, "value", json_object_new_string_len(name, (int)len));
        json_object_object_add(o, "count",
                               json_object_new_int64((int64_t)bl_xmset_facet_count(ms, k, j)));
        json_object_array_add(arr, o);
    }
    return arr;
}

static int stats_json(bl_xdb *db, json_object *root, bl_error *err)
{
    static const struct {
        const char *name;
        unsigned slot;
        int multi;
    } facets[] = {
        {"years", BL_SLOT_YEAR, 0},
        {"languages", BL_SLOT_LANG, 0},
        {"agencies", BL_SLOT_AGENCY, 0},
        {"campaigns", BL_SLOT_CAMPAIGNS, 1},
    };
    uint64_t docs = 0;
    char *schema = NULL;
    bl_xquery *all = NULL;
    bl_xmset *ms = NULL;
    int rc = bl_xdb_doccount(db, &docs, err);
    if (rc == 0)
        rc = bl_xdb_get_metadata(db, BL_SCHEMA_METADATA_KEY, &schema, err);
    if (rc == 0)
        rc = bl_xquery_all(&all, err);
    bl_xsearch_opts opts;
    bl_xsearch_opts_init(&opts);
    opts.limit = 0;
    opts.n_facets = sizeof facets / sizeof facets[0];
    for (unsigned k = 0; k < opts.n_facets; k++) {
        opts.facet_slots[k] = facets[k].slot;
        opts.facet_multi[k] = facets[k].multi;
    }
    if (rc == 0)
        rc = bl_xsearch(db, all, &opts, &ms, err);
    if (rc == 0) {
        json_object_object_add(root, "version", json_object_new_int(1));
        json_object_object_add(root, "bulletins", json_object_new_int64((int64_t)docs));
        json_object_object_add(root, "schema", json_object_new_string(schema ? schema : ""));
        json_object_object_add(root, "xapian", json_object_new_string(bl_xapian_version()));
        for (unsigned k = 0; k < opts.n_facets; k++)
            json_object_object_add(root, facets[k].name, facet_json(ms, k));
    }
    bl_xmset_free(ms);
    bl_xquery_free(all);
    free(schema);
    return rc;
}

static int api_stats(const bl_api_config *cfg, const bl_api_request *req, bl_reply *reply)
{
    (void)req;
    bl_xdb *db = NULL;
    if (open_index(cfg, &db, reply))
        return 0;
    json_object *root = json_object_new_object();
    bl_error err = {0};
    int rc = stats_json(db, root, &err);
    if (rc == BL_EMODIFIED) {
        json_object_put(root);
        root = json_object_new_object();
        bl_error_clear(&err);
        if ((rc = bl_xdb_reopen(db, &err)) == 0)
            rc = stats_json(db, root, &err);
    }
    bl_xdb_close(db);
    if (rc == 0) {
        const char *s = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN |
                                                                JSON_C_TO_STRING_NOSLASHESCAPE);
        bl_reply_clear(reply);
        reply->len = strlen(s) + 1;
        reply->body = malloc(reply->len + 1);
        if (!reply->body)
            rc = bl_error_set(&err, BL_ENOMEM, "out of memory");
        else {
            memcpy(reply->body, s, reply->len - 1);
            memcpy(reply->body + reply->len - 1, "\n", 2);
            reply->status = 200;
            reply->content_type = JSON_TYPE;
        }
    }
    json_object_put(root);
    return rc ? reply_failure(reply, rc, err.msg) : 0;
}

typedef struct route {
    const char *path;
    int (*run)(const bl_api_config *cfg, const bl_api_request *req, bl_reply *reply);
} route;

static int api_campaigns_json(const bl_api_config *cfg, const bl_api_request *req,
                              bl_reply *reply)
{
    return api_campaigns(cfg, req, reply, 0);
}

static int api_campaigns_chart(const bl_api_config *cfg, const bl_api_request *req,
                               bl_reply *reply)
{
    return api_campaigns(cfg, req, reply, 1);
}

static const route routes[] = {
    {"/api/v1/search", api_search},
    {"/api/v1/bulletin", api_bulletin},
    {"/api/v1/campaigns", api_campaigns_json},
    {"/api/v1/campaigns/chart.svg", api_campaigns_chart},
    {"/api/v1/stats", api_stats},
};

int bl_api_handle(const bl_api_config *cfg, const bl_api_request *req, bl_reply *reply)
{
    memset(reply, 0, sizeof *reply);
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
        if (strcmp(routes[i].path, req->path) != 0)
            continue;
        if (req->too_many_params)
            return reply_errorf(reply, 400, "more than %d parameters", BL_API_MAX_PARAMS);
        int rc = routes[i].run(cfg, req, reply);
        if (rc == 0 && !reply->body)
            rc = BL_ENOMEM; /* an error reply could not be built */
        return rc;
    }
    return bl_reply_error(reply, 404, "no such API endpoint (see /api/v1/stats, /api/v1/search)");
}
