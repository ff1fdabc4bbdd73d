/* blotter: the JSON API of `blotter serve`, version 1, independent of HTTP.
 *
 *   GET /api/v1/search?q=&limit=&offset=&sort=&facet=   the object of
 *        `blotter search --format json`; facet repeats or takes a comma list
 *   GET /api/v1/bulletin?url=        the stored record (bl_record.h JSON)
 *   GET /api/v1/campaigns?q=&campaign=   the object of
 *        `blotter campaigns --format json --timeline`
 *   GET /api/v1/campaigns/chart.svg?q=&campaign=&fact=   the timeline chart
 *   GET /api/v1/stats                what the index holds
 * Errors are {"error":{"status":N,"message":".."}} with a status that fits:
 * 400 a bad or over-long query or parameter, 404 an unknown path or
 * bulletin, 503 while the index cannot be opened, 500 anything else.
 *
 * Every request opens its own read-only handle on the index, so requests run
 * in parallel without sharing Xapian objects and each sees the latest
 * revision the indexer or crawler committed.
 *
 * Ownership: a bl_api_request borrows its strings; bl_api_handle fills a
 * bl_reply whose body the caller frees with bl_reply_clear.
 */
#ifndef BL_SERVER_API_H
#define BL_SERVER_API_H

#include <stddef.h>

/* Limits on what one request may ask for; they bound its time and memory. */
#define BL_API_MAX_QUERY 4096   /* bytes of q */
#define BL_API_MAX_LIMIT 100    /* hits per page */
#define BL_API_MAX_OFFSET 10000 /* deepest page start */
#define BL_API_MAX_PARAMS 32
#define BL_API_MAX_URL 2048     /* bytes of a bulletin URL */

typedef struct bl_api_param {
    const char *key, *value; /* decoded; value "" when absent */
} bl_api_param;

typedef struct bl_api_request {
    const char *path; /* decoded, without the query string */
    bl_api_param params[BL_API_MAX_PARAMS];
    unsigned n_params;
    int too_many_params;
} bl_api_request;

/* Where the index is: as `blotter search` finds it. */
typedef struct bl_api_config {
    const char *data_opt;
    const char *const *indexes;
    unsigned n_indexes;
} bl_api_config;

typedef struct bl_reply {
    int status;
    const char *content_type; /* static string */
    char *body;               /* malloc'd */
    size_t len;
} bl_reply;

/* Answers a GET for a path under /api/; always fills reply (an error reply
 * when something failed) unless out of memory, then returns BL_ENOMEM. */
int bl_api_handle(const bl_api_config *cfg, const bl_api_request *req, bl_reply *reply);

/* An error reply: {"error":{"status":status,"message":message}}. */
int bl_reply_error(bl_reply *reply, int status, const char *message);

void bl_reply_clear(bl_reply *reply);

#endif
