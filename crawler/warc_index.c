/* blotter: re-indexing crawl archives (see warc_index.h). */
#include "warc_index.h"

#include <stdio.h>

typedef struct index_ctx {
    bl_indexer *ix;
    bl_warc_index_stats *stats;
    int rc;         /* the index's own error, which stops the walk */
    bl_error *err;
} index_ctx;

static int index_one(void *ctx, const bl_extract_input *in, const char *key)
{
    index_ctx *ic = ctx;
    int outcome = 0;
    bl_error e = {0};
    int rc = bl_indexer_add(ic->ix, in, key, &outcome, &e);
    if (rc == 0) {
        if (outcome == BL_INDEX_ADDED)
            ic->stats->added++;
        else if (outcome == BL_INDEX_UPDATED)
            ic->stats->updated++;
        else
            ic->stats->unchanged++;
    } else if (rc == BL_EINVAL) {
        ic->stats->skipped++; /* not text after all */
    } else if (rc == BL_ETOOBIG || rc == BL_ECORRUPT) {
        if (!ic->stats->failed++)
            snprintf(ic->stats->first_failure, sizeof ic->stats->first_failure, "%.120s: %.120s",
                     key, e.msg);
    } else {
        ic->rc = bl_error_set(ic->err, rc, "%s", e.msg);
        return 1;
    }
    return 0;
}

int bl_warc_index_file(const char *path, bl_indexer *ix, bl_warc_index_stats *stats,
                       bl_error *err)
{
    index_ctx ic = {ix, stats, 0, err};
    int rc = bl_warc_each_bulletin(path, index_one, &ic, stats, err);
    return ic.rc ? ic.rc : rc;
}
