/* blotter: putting bulletins into the index (see bl_indexer.h).
 *
 * A bulletin is unchanged when the record JSON we would store is byte for
 * byte the stored one: the JSON is deterministic, so this single lookup by
 * unique term tells added, updated and unchanged apart without a side table.
 */
#include "bl_indexer.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bl_schema.h"
#include "bl_xapian.h"
#include "doc_builder.h"
#include "shard_layout.h"

struct bl_indexer {
    bl_xdb *shards[BL_INDEXER_MAX_SHARDS];
    unsigned n_shards;
    /* Changes since each shard's last commit. Each counter belongs to the
     * thread that writes its shard, so shards commit on their own. */
    unsigned pending[BL_INDEXER_MAX_SHARDS];
    /* A scratch index (bl_indexer_open_scratch) takes a bulletin in any
     * shard: no later run looks for it by its key's shard. */
    int scratch;
};

static void close_all(bl_indexer *ix)
{
    for (unsigned i = 0; i < ix->n_shards; i++)
        bl_xdb_close(ix->shards[i]);
    free(ix);
}

static int open_writable(const char *path, int mode, bl_xdb **out, bl_error *err)
{
    bl_error e = {0};
    int rc = bl_xdb_open(path, mode, out, &e);
    /* Xapian raises the same lock error when the lock file cannot be made
     * at all, so tell a read-only index apart from a busy one. */
    if (rc == BL_ELOCKED && access(path, W_OK) != 0 && (errno == EROFS || errno == EACCES))
        return bl_error_set(err, BL_EIO, "%s cannot be written: %s", path,
                            errno == EROFS ? "read-only file system" : "permission denied");
    if (rc == BL_ELOCKED)
        return bl_error_set(err, rc,
                            "%s is being written by another blotter process; try again when it ends",
                            path);
    if (rc)
        return bl_error_set(err, rc, "%s", e.msg);
    return bl_xdb_set_metadata(*out, BL_SCHEMA_METADATA_KEY, BL_SCHEMA_VERSION, err);
}

/* Opens index_path (see bl_indexer_open_sharded); mode is the bl_xdb_mode of
 * every shard. */
static int open_index(const char *index_path, unsigned n_shards, int mode, bl_indexer **out,
                      bl_error *err)
{
    struct stat st;
    char **paths = NULL;
    unsigned n = 0;
    int rc = 0;
    *out = NULL;
    if (n_shards > BL_INDEXER_MAX_SHARDS)
        return bl_error_set(err, BL_EINVAL, "at most %d shards", BL_INDEXER_MAX_SHARDS);
    int exists = stat(index_path, &st) == 0;
    int is_stub = exists && S_ISREG(st.st_mode);
    if (exists && !is_stub && n_shards > 1)
        return bl_error_set(err, BL_EINVAL,
                            "%s is a single index, not %u shards (index into a new data directory)",
                            index_path, n_shards);
    if (!exists && n_shards > 1 && (rc = bl_stub_create(index_path, n_shards, err)))
        return rc;
    if (is_stub || (!exists && n_shards > 1)) {
        if ((rc = bl_stub_read(index_path, 1, &paths, &n, err)))
            return rc;
        if (n_shards && n != n_shards)
            rc = bl_error_set(err, BL_EINVAL, "%s has %u shards, not %u", index_path, n, n_shards);
        else if (n > BL_INDEXER_MAX_SHARDS)
            rc = bl_error_set(err, BL_EINVAL, "%s lists more than %d shards", index_path,
                              BL_INDEXER_MAX_SHARDS);
    }
    bl_indexer *ix = rc ? NULL : calloc(1, sizeof *ix);
    if (!rc && !ix)
        rc = bl_error_set(err, BL_ENOMEM, "out of memory");
    for (unsigned i = 0; !rc && i < (paths ? n : 1); i++) {
        rc = open_writable(paths ? paths[i] : index_path, mode, &ix->shards[i], err);
        if (rc == 0)
            ix->n_shards++;
    }
    for (unsigned i = 0; i < n; i++)
        free(paths[i]);
    free(paths);
    if (rc) {
        if (ix)
            close_all(ix);
        return rc;
    }
    *out = ix;
    return 0;
}

int bl_indexer_open_sharded(const char *index_path, unsigned n_shards, bl_indexer **out,
                            bl_error *err)
{
    return open_index(index_path, n_shards, BL_XDB_WRITE_CREATE, out, err);
}

int bl_indexer_open(const char *index_path, bl_indexer **out, bl_error *err)
{
    return bl_indexer_open_sharded(index_path, 0, out, err);
}

int bl_indexer_open_scratch(const char *index_path, unsigned n_shards, bl_indexer **out,
                            bl_error *err)
{
    struct stat st;
    *out = NULL;
    if (stat(index_path, &st) == 0)
        return bl_error_set(err, BL_EEXISTS, "%s already exists", index_path);
    int rc = open_index(index_path, n_shards, BL_XDB_WRITE_SCRATCH, out, err);
    if (rc == 0)
        (*out)->scratch = 1;
    return rc;
}

int bl_indexer_routes_freely(const bl_indexer *ix)
{
    return ix->scratch;
}

int bl_indexer_doccount(bl_indexer *ix, uint64_t *out, bl_error *err)
{
    *out = 0;
    for (unsigned i = 0; i < ix->n_shards; i++) {
        uint64_t n = 0;
        int rc = bl_xdb_doccount(ix->shards[i], &n, err);
        if (rc)
            return rc;
        *out += n;
    }
    return 0;
}

unsigned bl_indexer_shards(const bl_indexer *ix)
{
    return ix->n_shards;
}

unsigned bl_indexer_shard_of(const bl_indexer *ix, const char *key)
{
    return bl_shard_of(key, ix->n_shards);
}

static int commit_shard(bl_indexer *ix, unsigned s, bl_error *err)
{
    if (ix->pending[s] == 0)
        return 0;
    int rc = bl_xdb_commit(ix->shards[s], err);
    if (rc == 0)
        ix->pending[s] = 0;
    return rc;
}

struct bl_prepared {
    char *key;
    char idterm[BL_ID_TERM_SIZE];
    char *data;     /* the record JSON, as stored */
    bl_xdoc *doc;
};

void bl_prepared_free(bl_prepared *p)
{
    if (!p)
        return;
    bl_xdoc_free(p->doc);
    free(p->key);
    free(p->data);
    free(p);
}

int bl_prepare(const bl_record *rec, const char *key, bl_prepared **out, bl_error *err)
{
    *out = NULL;
    bl_prepared *p = calloc(1, sizeof *p);
    if (!p || !(p->data = bl_record_to_json(rec, 0)) || !(p->key = strdup(key))) {
        bl_prepared_free(p);
        return bl_error_set(err, BL_ENOMEM, "out of memory");
    }
    bl_id_term(key, p->idterm);
    int rc = bl_doc_build(rec, key, p->data, &p->doc, err);
    if (rc) {
        bl_prepared_free(p);
        return rc;
    }
    *out = p;
    return 0;
}

unsigned bl_prepared_shard(const bl_indexer *ix, const bl_prepared *p)
{
    return bl_indexer_shard_of(ix, p->key);
}

const char *bl_prepared_key(const bl_prepared *p)
{
    return p->key;
}

int bl_indexer_apply(bl_indexer *ix, bl_prepared *p, int *outcome, bl_error *err)
{
    return bl_indexer_apply_in(ix, bl_indexer_shard_of(ix, p->key), p, outcome, err);
}

/* One more change in shard s: commits every BL_INDEXER_BATCH, or every
 * BL_SCRATCH_BATCH on a scratch index. */
static int count_pending(bl_indexer *ix, unsigned s, bl_error *err)
{
    unsigned batch = ix->scratch ? BL_SCRATCH_BATCH : BL_INDEXER_BATCH;
    return ++ix->pending[s] >= batch ? commit_shard(ix, s, err) : 0;
}

int bl_indexer_apply_in(bl_indexer *ix, unsigned s, bl_prepared *p, int *outcome,
                        bl_error *err)
{
    char *old = NULL;
    size_t old_len = 0;
    bl_error lookup_err = {0};
    if (s >= ix->n_shards || (!ix->scratch && s != bl_indexer_shard_of(ix, p->key))) {
        int rc = bl_error_set(err, BL_EINVAL, "%s does not belong in shard %u", p->key, s);
        bl_prepared_free(p);
        return rc;
    }
    bl_xdb *db = ix->shards[s];
    int rc = bl_xdb_get_data_by_term(db, p->idterm, &old, &old_len, &lookup_err);
    if (rc == BL_ENOTFOUND) {
        *outcome = BL_INDEX_ADDED;
    } else if (rc) {
        bl_error_set(err, rc, "%s", lookup_err.msg);
        goto done;
    } else if (old_len == strlen(p->data) && memcmp(old, p->data, old_len) == 0) {
        *outcome = BL_INDEX_UNCHANGED;
        goto done;
    } else {
        *outcome = BL_INDEX_UPDATED;
    }
    if ((rc = bl_xdb_replace(db, p->idterm, p->doc, err)) == 0)
        rc = count_pending(ix, s, err);
done:
    free(old);
    bl_prepared_free(p);
    return rc;
}

int bl_indexer_add_new_in(bl_indexer *ix, unsigned s, bl_prepared *p, bl_error *err)
{
    int rc;
    if (!ix->scratch || s >= ix->n_shards)
        rc = bl_error_set(err, BL_EINVAL, "%s: not a new key of a scratch index", p->key);
    else if ((rc = bl_xdb_add_new(ix->shards[s], p->idterm, p->doc, err)) == 0)
        rc = count_pending(ix, s, err);
    bl_prepared_free(p);
    return rc;
}

int bl_indexer_add_record(bl_indexer *ix, const bl_record *rec, const char *key, int *outcome,
                          bl_error *err)
{
    bl_prepared *p = NULL;
    int rc = bl_prepare(rec, key, &p, err);
    return rc ? rc : bl_indexer_apply(ix, p, outcome, err);
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
    unsigned s = bl_indexer_shard_of(ix, key);
    bl_xdb *db = ix->shards[s];
    bl_id_term(key, idterm);
    int rc = bl_xdb_term_freq(db, idterm, &n, err);
    if (rc)
        return rc;
    if (n == 0)
        return bl_error_set(err, BL_ENOTFOUND, "%s is not in the index", key);
    if ((rc = bl_xdb_delete(db, idterm, err)))
        return rc;
    ix->pending[s]++;
    return 0;
}

int bl_indexer_commit(bl_indexer *ix, bl_error *err)
{
    for (unsigned i = 0; i < ix->n_shards; i++) {
        int rc = commit_shard(ix, i, err);
        if (rc)
            return rc;
    }
    return 0;
}

int bl_indexer_commit_shard(bl_indexer *ix, unsigned shard, bl_error *err)
{
    if (shard >= ix->n_shards)
        return bl_error_set(err, BL_EINVAL, "no shard %u (the index has %u)", shard,
                            ix->n_shards);
    return commit_shard(ix, shard, err);
}

int bl_indexer_close(bl_indexer *ix, bl_error *err)
{
    if (!ix)
        return 0;
    int rc = bl_indexer_commit(ix, err);
    close_all(ix);
    return rc;
}
