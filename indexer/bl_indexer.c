/* blotter: putting bulletins into the index (see bl_indexer.h).
 *
 * A bulletin is unchanged when the record JSON we would store is byte for
 * byte the stored one: the JSON is deterministic, so this single lookup by
 * unique term tells added, updated and unchanged apart without a side table.
 */
#include "bl_indexer.h"

#include <stdlib.h>
#include <string.h>

#include "bl_schema.h"
#include "bl_xapian.h"
#include "doc_builder.h"

struct bl_indexer {
    bl_xdb *db;
    unsigned pending; /* changes since the last commit */
};

int bl_indexer_open(const char *index_path, bl_indexer **out, bl_error *err)
{
    *out = NULL;
    bl_indexer *ix = calloc(1, sizeof *ix);
    if (!ix)
        return bl_error_set(err, BL_ENOMEM, "out of memory");
    int rc = bl_xdb_open(index_path, BL_XDB_WRITE_CREATE, &ix->db, err);
    if (rc == BL_ELOCKED) {
        bl_error_clear(err);
        rc = bl_error_set(err, BL_ELOCKED,
                          "%s is being written by another blotter process; try again when it ends",
                          index_path);
    }
    if (rc == 0)
        rc = bl_xdb_set_metadata(ix->db, BL_SCHEMA_METADATA_KEY, BL_SCHEMA_VERSION, err);
    if (rc) {
        bl_xdb_close(ix->db);
        free(ix);
        return rc;
    }
    *out = ix;
    return 0;
}

int bl_indexer_add_record(bl_indexer *ix, const bl_record *rec, const char *key, int *outcome,
                          bl_error *err)
{
    char idterm[BL_ID_TERM_SIZE];
    char *data = NULL, *old = NULL;
    size_t old_len = 0;
    bl_xdoc *doc = NULL;
    int rc;

    bl_id_term(key, idterm);
    data = bl_record_to_json(rec, 0);
    if (!data)
        return bl_error_set(err, BL_ENOMEM, "out of memory");

    bl_error lookup_err = {0};
    rc = bl_xdb_get_data_by_term(ix->db, idterm, &old, &old_len, &lookup_err);
    if (rc == BL_ENOTFOUND) {
        *outcome = BL_INDEX_ADDED;
    } else if (rc) {
        bl_error_set(err, rc, "%s", lookup_err.msg);
        goto done;
    } else if (old_len == strlen(data) && memcmp(old, data, old_len) == 0) {
        *outcome = BL_INDEX_UNCHANGED;
        rc = 0;
        goto done;
    } else {
        *outcome = BL_INDEX_UPDATED;
    }

    if ((rc = bl_doc_build(rec, key, data, &doc, err)) ||
        (rc = bl_xdb_replace(ix->db, idterm, doc, err)))
        goto done;
    if (++ix->pending >= BL_INDEXER_BATCH)
        rc = bl_indexer_commit(ix, err);
done:
    bl_xdoc_free(doc);
    free(old);
    free(data);
    return rc;
}

int bl_indexer_add(bl_indexer *ix, const bl_extract_input *in, const char *key, int *outcome,
                   bl_error *err)
{
    bl_record *rec = NULL;
    int rc = bl_extract(in, &rec, err);
    if (rc == 0)
        rc = bl_indexer_add_record(ix, rec, key, outcome, err);
    bl_record_free(rec);
    return rc;
}

int bl_indexer_remove(bl_indexer *ix, const char *key, bl_error *err)
{
    char idterm[BL_ID_TERM_SIZE];
    uint64_t n = 0;
    bl_id_term(key, idterm);
    int rc = bl_xdb_term_freq(ix->db, idterm, &n, err);
    if (rc)
        return rc;
    if (n == 0)
        return bl_error_set(err, BL_ENOTFOUND, "%s is not in the index", key);
    if ((rc = bl_xdb_delete(ix->db, idterm, err)))
        return rc;
    ix->pending++;
    return 0;
}

int bl_indexer_commit(bl_indexer *ix, bl_error *err)
{
    if (ix->pending == 0)
        return 0;
    int rc = bl_xdb_commit(ix->db, err);
    if (rc == 0)
        ix->pending = 0;
    return rc;
}

int bl_indexer_close(bl_indexer *ix, bl_error *err)
{
    if (!ix)
        return 0;
    int rc = bl_indexer_commit(ix, err);
    bl_xdb_close(ix->db);
    free(ix);
    return rc;
}
