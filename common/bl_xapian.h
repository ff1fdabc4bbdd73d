/* blotter: a thin C interface over libxapian (implemented in bl_xapian.cc).
 *
 * Contract
 * - Handles are opaque. Each *_free / *_close accepts NULL.
 * - Every function that can fail returns 0 or a negative BL_E* code
 *   (bl_error.h) and writes a one-line reason into `err` (may be NULL).
 *   No C++ exception ever leaves this interface: Xapian's error classes map to
 *   codes (DatabaseLockError -> BL_ELOCKED, DatabaseModifiedError ->
 *   BL_EMODIFIED, DatabaseCorruptError -> BL_ECORRUPT, DatabaseOpeningError
 *   and DatabaseNotFoundError -> BL_ENOTFOUND, QueryParserError -> BL_EQUERY,
 *   InvalidArgumentError -> BL_EINVAL, NetworkTimeoutError -> BL_ETIMEOUT,
 *   NetworkError -> BL_ENETWORK, std::bad_alloc -> BL_ENOMEM, anything else
 *   -> BL_ERR); the message keeps Xapian's own text and context.
 * - Strings are NUL-terminated UTF-8 unless a length is given. Strings and
 *   buffers returned through `char **` are malloc'd; the caller frees them.
 * - Pointers returned as `const` (e.g. facet names) belong to the handle they
 *   came from and live until that handle is freed.
 * - Lifetimes: a bl_xqp and a bl_xmset keep their bl_xdb in use; free them
 *   before closing the database. A bl_xquery is independent of its parser.
 * - Threads: a handle may move between threads but is never used by two at
 *   once. Separate handles on the same index may be used in parallel.
 * - Text indexing and query parsing use the same settings: English stemming
 *   (Xapian::Stem("english"), STEM_SOME) and CJK n-grams (FLAG_CJK_NGRAM), so
 *   what is indexed is found.
 */
#ifndef BL_XAPIAN_H
#define BL_XAPIAN_H

#include <stddef.h>
#include <stdint.h>

#include "bl_error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct bl_xdb bl_xdb;       /* an open database (one or several combined) */
typedef struct bl_xdoc bl_xdoc;     /* a document being built for indexing */
typedef struct bl_xqp bl_xqp;       /* a query parser bound to a database */
typedef struct bl_xquery bl_xquery; /* a parsed query */
typedef struct bl_xmset bl_xmset;   /* one page of results, with facets */

/* ---- databases ---------------------------------------------------------- */

enum bl_xdb_mode {
    BL_XDB_READ = 0,          /* read-only; path may be a directory or a stub file */
    BL_XDB_WRITE_OPEN = 1,    /* writable, must exist */
    BL_XDB_WRITE_CREATE = 2,  /* writable, created when missing */
    /* A new writable database (an old one at path is overwritten) that is
     * worthless once the process dies: commits skip fsync and blocks are
     * updated in place, so a crash leaves it unreadable. For scratch copies
     * that are merged into the real index (bl_xdb_compact) and then removed. */
    BL_XDB_WRITE_SCRATCH = 3
};

int bl_xdb_open(const char *path, int mode, bl_xdb **out, bl_error *err);

/* A read-only database served by xapian-tcpsrv at host:port; timeout_ms bounds
 * every network operation (0 means Xapian's default). */
int bl_xdb_open_remote(const char *host, unsigned port, unsigned timeout_ms,
                       bl_xdb **out, bl_error *err);

/* Adds the shards of `other` to a read-only `db`, so that searches on db cover
 * both with combined statistics. `other` (read-only too) stays the caller's to
 * close. */
int bl_xdb_add(bl_xdb *db, const bl_xdb *other, bl_error *err);

/* Closes (a writable database commits pending changes first) and frees.
 * A failed commit cannot be reported from here: call bl_xdb_commit() first
 * when it matters. */
void bl_xdb_close(bl_xdb *db);

int bl_xdb_doccount(bl_xdb *db, uint64_t *out, bl_error *err);
/* How many documents have a value in slot. */
int bl_xdb_value_freq(bl_xdb *db, unsigned slot, uint64_t *out, bl_error *err);

/* Brings a reader up to the latest committed revision. */
int bl_xdb_reopen(bl_xdb *db, bl_error *err);

/* Writes: replace (or add) the document whose unique term is `idterm`;
 * delete it; commit; a transaction groups changes (all or nothing). */
int bl_xdb_replace(bl_xdb *db, const char *idterm, bl_xdoc *doc, bl_error *err);
/* Adds a document under `idterm` without looking for an earlier one: only
 * for a key the caller knows this database does not hold. */
int bl_xdb_add_new(bl_xdb *db, const char *idterm, bl_xdoc *doc, bl_error *err);
int bl_xdb_delete(bl_xdb *db, const char *idterm, bl_error *err);
int bl_xdb_commit(bl_xdb *db, bl_error *err);
int bl_xdb_begin_transaction(bl_xdb *db, bl_error *err);
int bl_xdb_commit_transaction(bl_xdb *db, bl_error *err);
int bl_xdb_cancel_transaction(bl_xdb *db, bl_error *err);

/* How many documents index `term` (0 when none). */
int bl_xdb_term_freq(bl_xdb *db, const char *term, uint64_t *out, bl_error *err);

/* The data of the first document indexed by `term`: BL_ENOTFOUND when none. */
int bl_xdb_get_data_by_term(bl_xdb *db, const char *term, char **data, size_t *len,
                            bl_error *err);

/* Calls fn for every term starting with prefix, in term order, with the term's
 * document frequency; fn returning non-zero stops the walk. */
int bl_xdb_each_term(bl_xdb *db, const char *prefix,
                     int (*fn)(void *ctx, const char *term, size_t len, uint64_t freq),
                     void *ctx, bl_error *err);

/* User metadata (not available on remote databases). A missing key gives "". */
int bl_xdb_set_metadata(bl_xdb *db, const char *key, const char *value, bl_error *err);
int bl_xdb_get_metadata(bl_xdb *db, const char *key, char **value, bl_error *err);

/* Writes a compacted copy of db (all its shards merged) to dest_path, which
 * must not exist. */
int bl_xdb_compact(bl_xdb *db, const char *dest_path, bl_error *err);

/* Runs Xapian's consistency check on the database at path. */
int bl_xdb_check(const char *path, bl_error *err);

/* ---- documents ---------------------------------------------------------- */

int bl_xdoc_new(bl_xdoc **out, bl_error *err);
void bl_xdoc_free(bl_xdoc *doc);

/* Indexes free text with positions: words get wdf_inc each (title words
 * weigh more when indexed twice: once bare, once under prefix "S").
 * prefix is "" for body text. Positions continue across calls. */
int bl_xdoc_index_text(bl_xdoc *doc, const char *text, size_t len, unsigned wdf_inc,
                       const char *prefix, bl_error *err);

/* Leaves a gap of n positions so that phrases do not match across fields. */
void bl_xdoc_increase_termpos(bl_xdoc *doc, unsigned n);

int bl_xdoc_add_boolean_term(bl_xdoc *doc, const char *term, bl_error *err);
int bl_xdoc_set_value(bl_xdoc *doc, unsigned slot, const char *bytes, size_t len,
                      bl_error *err);
/* Stores sortable_serialise(v) in slot. */
int bl_xdoc_set_value_number(bl_xdoc *doc, unsigned slot, double v, bl_error *err);
int bl_xdoc_set_data(bl_xdoc *doc, const char *bytes, size_t len, bl_error *err);

/* ---- numbers as Xapian stores them ------------------------------------- */

/* Xapian::sortable_serialise: writes at most 9 bytes into out, returns the length. */
size_t bl_sortable_serialise(double v, char out[16]);
double bl_sortable_unserialise(const char *bytes, size_t len);

/* ---- query parsing ------------------------------------------------------ */

int bl_xqp_new(bl_xdb *db, bl_xqp **out, bl_error *err);
void bl_xqp_free(bl_xqp *qp);

/* Maps a query field ("title") to a term prefix ("S"). boolean != 0 makes it a
 * filter (exact term, no stemming, e.g. "site:", "lang:"). */
int bl_xqp_add_prefix(bl_xqp *qp, const char *field, const char *prefix, int boolean,
                      bl_error *err);

/* A range field such as "date:A..B" or "suspects:1000..". For `field:A..B`
 * (either bound may be empty for an open range) the parser calls
 *   convert(ctx, "A", "B", lo, &lo_len, hi, &hi_len, why, sizeof why)
 * with empty strings for open bounds; convert writes the bounds in the
 * encoding of `slot`'s values (e.g. "YYYYMMDD", or bl_sortable_serialise
 * bytes; each at most 64 bytes; a length of 0 marks an open bound) and
 * returns 0, or returns non-zero with a reason in `why`, which makes the
 * whole parse fail with BL_EQUERY and that reason. */
typedef int (*bl_range_convert_fn)(void *ctx, const char *begin, const char *end,
                                   char *lo, size_t *lo_len, char *hi, size_t *hi_len,
                                   char *why, size_t why_size);
int bl_xqp_add_range(bl_xqp *qp, const char *field, unsigned slot,
                     bl_range_convert_fn convert, void *ctx, bl_error *err);

/* Parses the query language: words, AND OR NOT, -word +word, "phrases", NEAR,
 * trailing wildcards (expansion bounded), field prefixes and ranges, Chinese.
 * The default operator between words is AND. On BL_EQUERY the message says
 * what is wrong with the query (including more than BL_XQUERY_MAX_WILDCARDS
 * wildcards). A query over BL_XQUERY_MAX bytes is BL_ETOOBIG. */
#define BL_XQUERY_MAX 16384
/* Each wildcard expands to at most BL_XQUERY_WILDCARD_TERMS terms, and a query
 * may hold at most BL_XQUERY_MAX_WILDCARDS of them, so one query never opens
 * more than their product of posting lists. */
#define BL_XQUERY_WILDCARD_TERMS 1000
#define BL_XQUERY_MAX_WILDCARDS 32
int bl_xqp_parse(bl_xqp *qp, const char *query, bl_xquery **out, bl_error *err);

/* A query that matches every document. */
int bl_xquery_all(bl_xquery **out, bl_error *err);
/* A query for one exact index term, prefix included (e.g. "K" + a campaign);
 * no stemming or parsing. An empty term is BL_EINVAL. */
int bl_xquery_term(const char *term, bl_xquery **out, bl_error *err);
/* "More like this": an OR query of the n_terms words that best characterise
 * the document indexed by idterm (Xapian's expand set over that document),
 * excluding the document itself. BL_ENOTFOUND when no document has idterm. */
int bl_xdb_similar_query(bl_xdb *db, const char *idterm, unsigned n_terms, bl_xquery **out,
                         bl_error *err);
/* Combines: result = a AND b (as filter when b_is_filter), new handle. */
int bl_xquery_and(const bl_xquery *a, const bl_xquery *b, int b_is_filter,
                  bl_xquery **out, bl_error *err);
/* The query in Xapian's description form (for --explain and tests); caller frees. */
char *bl_xquery_describe(const bl_xquery *q);
void bl_xquery_free(bl_xquery *q);

/* ---- searching ---------------------------------------------------------- */

#define BL_XSEARCH_MAX_FACETS 16

typedef struct bl_xsearch_opts {
    unsigned offset;
    unsigned limit;
    int sort_slot;            /* -1: by relevance */
    int sort_descending;      /* with sort_slot: largest first */
    int collapse_slot;        /* -1: none; else keep one hit per value of slot */
    int exact_count;          /* count every match (slower), so that the total
                                 and collapse counts are exact; implied by facets */
    unsigned n_facets;
    unsigned facet_slots[BL_XSEARCH_MAX_FACETS];
    /* For a multi-valued facet slot the value holds several names separated by
     * BL_XFACET_SEP; each counts once for the document. */
    int facet_multi[BL_XSEARCH_MAX_FACETS];
} bl_xsearch_opts;

#define BL_XFACET_SEP '\x1f'

/* Fills opts with defaults: offset 0, limit 10, by relevance, no collapse. */
void bl_xsearch_opts_init(bl_xsearch_opts *opts);

int bl_xsearch(bl_xdb *db, const bl_xquery *q, const bl_xsearch_opts *opts,
               bl_xmset **out, bl_error *err);
void bl_xmset_free(bl_xmset *ms);

/* Number of hits on this page. */
unsigned bl_xmset_size(const bl_xmset *ms);
/* Matches in all (after collapsing): estimate and bounds, all three equal
 * when exact (always with exact_count or facets, on local databases). */
void bl_xmset_total(const bl_xmset *ms, uint64_t *lower, uint64_t *estimated,
                    uint64_t *upper);

/* Per hit i (0-based on this page). */
int bl_xmset_weight(const bl_xmset *ms, unsigned i, double *out, bl_error *err);
int bl_xmset_data(const bl_xmset *ms, unsigned i, char **data, size_t *len, bl_error *err);
/* A value of hit i; *len = 0 when the slot is empty. */
int bl_xmset_value(const bl_xmset *ms, unsigned i, unsigned slot, char **bytes,
                   size_t *len, bl_error *err);
/* How many other matching documents collapsed into hit i (0 without
 * collapse): exact with exact_count or facets, else at least that many. */
int bl_xmset_collapse_count(const bl_xmset *ms, unsigned i, uint64_t *out, bl_error *err);

/* A snippet of `text` (at most max_len bytes) around the query's terms, with
 * matches wrapped in hi_start/hi_end. Xapian HTML-escapes the text (&amp;
 * &lt; &gt; &quot;) and marks omitted parts with "..."; see MSet::snippet. */
int bl_xmset_snippet(const bl_xmset *ms, const char *text, size_t len, size_t max_len,
                     const char *hi_start, const char *hi_end, char **out, bl_error *err);

/* Facet k (index into opts->facet_slots): n distinct values, then value j's
 * name and count, most frequent first (ties by name). Names belong to ms. */
unsigned bl_xmset_facet_size(const bl_xmset *ms, unsigned k);
const char *bl_xmset_facet_name(const bl_xmset *ms, unsigned k, unsigned j, size_t *len);
uint64_t bl_xmset_facet_count(const bl_xmset *ms, unsigned k, unsigned j);

/* ---- library facts ------------------------------------------------------ */

const char *bl_xapian_version(void);

#ifdef __cplusplus
}
#endif

#endif
