/* blotter: the bulletins in a crawl archive (see warc_bulletins.h). */
#include "warc_bulletins.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int is_text_type(const char *ct)
{
    return !ct || !strncasecmp(ct, "text/", 5) || !strncasecmp(ct, "application/xhtml", 17);
}

static int wanted(const bl_warc_record *rec)
{
    if (!rec->target_uri || !rec->payload)
        return 0;
    if (strcmp(rec->type, "response") && strcmp(rec->type, "resource"))
        return 0;
    if (rec->kind && strcmp(rec->kind, "article"))
        return 0;
    return rec->http_status >= 200 && rec->http_status < 300 && is_text_type(rec->http_content_type);
}

int bl_warc_each_bulletin(const char *path, bl_warc_bulletin_fn fn, void *ctx,
                          bl_warc_index_stats *stats, bl_error *err)
{
    memset(stats, 0, sizeof *stats);
    bl_warc_reader *r = NULL;
    int rc = bl_warc_reader_open(path, &r, err);
    if (rc)
        return rc;
    bl_warc_record *rec = NULL;
    int stop = 0;
    while (!stop && (rc = bl_warc_reader_next(r, &rec, err)) == 1) {
        stats->records++;
        if (!wanted(rec)) {
            stats->skipped++;
            bl_warc_record_free(rec);
            continue;
        }
        const char *ct = rec->http_content_type;
        char *charset = bl_content_type_charset(ct);
        bl_extract_input in = {
            .bytes = rec->payload,
            .len = rec->payload_len,
            .kind = !ct                                  ? BL_CONTENT_AUTO
                    : !strncasecmp(ct, "text/plain", 10) ? BL_CONTENT_TEXT
                                                         : BL_CONTENT_HTML,
            .url = rec->target_uri,
            .charset_hint = charset,
            .agency_hint = rec->agency,
            .lang_hint = rec->lang,
        };
        stop = fn(ctx, &in, rec->target_uri);
        free(charset);
        bl_warc_record_free(rec);
    }
    bl_warc_reader_close(r);
    return stop ? stop : rc < 0 ? rc : 0;
}

