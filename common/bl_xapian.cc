/* blotter: the C shim over libxapian (see bl_xapian.h for the contract).
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * This is the project's only C++ file. Its jobs are to keep C++ out of the
 * rest of the tree and to keep exceptions from crossing into C:
 *
 * - Every extern "C" entry point runs its body inside try { } catch (...)
 *   (directly, or through write_op() for writes) and hands the exception to
 *   classify(), which rethrows it once and maps
 *   Xapian's error classes (and std::bad_alloc, std::exception, anything
 *   else) to a BL_E* code with a one-line message that keeps Xapian's text.
 *   The message names the index (path or host:port) when there is one.
 * - Handles are plain structs owning Xapian objects by value; Xapian's
 *   objects are reference-counted handles themselves, so a bl_xqp or a
 *   bl_xmset holding a copy of the Database keeps it alive.
 * - Objects Xapian keeps by pointer (range processors, match spies) are
 *   either handed to Xapian with release() or owned by the handle that
 *   uses them, declared before the user so that they are destroyed after it.
 *
 * Indexing and query parsing share one configuration (english_stemmer(),
 * STEM_SOME, CJK n-grams) so that what is indexed is what queries look for.
 *
 * Xapian 1.4.22 fails to parse some queries that mix CJK and non-CJK text
 * ("smuggling 偷渡 arrested"); bl_xqp_parse retries such a query with each
 * CJK run in brackets (see bracket_cjk_runs).
 */
#include "bl_xapian.h"

#include <xapian.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <map>
#include <memory>
#include <new>
#include <string>
#include <utility>
#include <unordered_map>
#include <vector>

#include <sys/stat.h>

#include "bl_data_codec.h"

/* ---- handles ------------------------------------------------------------ */

struct bl_xdb {
    Xapian::Database db;          /* every read goes through this one */
    Xapian::WritableDatabase wdb; /* meaningful only when writable */
    bool writable = false;
    bool has_remote = false;      /* a shard is served over the network */
    std::string label;            /* path or host:port, for messages */
};

struct bl_xdoc {
    Xapian::Document doc;
    Xapian::TermGenerator tg;
};

struct bl_xquery {
    Xapian::Query q;
};

struct bl_xqp {
    Xapian::Database db;
    Xapian::QueryParser qp;
    std::string label;
};

typedef std::vector<std::pair<std::string, uint64_t>> facet_list;

struct bl_xmset {
    /* The spies are declared before the Enquire that points at them, so they
     * are destroyed after it. */
    std::vector<std::unique_ptr<Xapian::MatchSpy>> spies;
    Xapian::Database db;
    Xapian::Enquire enquire;
    Xapian::MSet mset;
    /* A counting search may rank its page itself (see CountingSpy): the
     * hits are then ranked[], not mset's. Its total is exact. */
    struct ranked_hit {
        Xapian::docid did;
        double weight;
        uint64_t collapsed; /* other matches with the same collapse key */
    };
    bool ranked_here = false;
    std::vector<ranked_hit> ranked;
    bool exact_total = false;
    uint64_t total = 0;
    std::vector<facet_list> facets;
    explicit bl_xmset(const Xapian::Database &d) : db(d), enquire(d) {}
};

/* ---- errors ------------------------------------------------------------- */

namespace {

std::string describe_xapian(const Xapian::Error &e)
{
    std::string s = e.get_type();
    s += ": ";
    s += e.get_msg();
    if (!e.get_context().empty()) {
        s += " (";
        s += e.get_context();
        s += ")";
    }
    const char *sys = e.get_error_string();
    if (sys && *sys) {
        s += " [";
        s += sys;
        s += "]";
    }
    return s;
}

/* Called from inside a catch block: rethrows the exception in flight and
 * maps it to a code. subject (may be NULL or "") names the index involved.
 * Nothing escapes: if even the message cannot be built, the code is kept
 * with a fixed message. */
int classify(bl_error *err, const char *subject) noexcept
{
    int code = BL_ERR;
    try {
        std::string msg;
        try {
            throw;
        } catch (const Xapian::DatabaseLockError &e) {
            code = BL_ELOCKED;
            msg = describe_xapian(e);
        } catch (const Xapian::DatabaseModifiedError &e) {
            code = BL_EMODIFIED;
            msg = describe_xapian(e);
        } catch (const Xapian::DatabaseCorruptError &e) {
            code = BL_ECORRUPT;
            msg = describe_xapian(e);
        } catch (const Xapian::DatabaseOpeningError &e) {
            /* DatabaseNotFoundError and DatabaseVersionError derive from it. */
            code = BL_ENOTFOUND;
            msg = describe_xapian(e);
        } catch (const Xapian::QueryParserError &e) {
            code = BL_EQUERY;
            msg = e.get_msg();
            if (!e.get_context().empty())
                msg += " (" + e.get_context() + ")";
        } catch (const Xapian::InvalidArgumentError &e) {
            code = BL_EINVAL;
            msg = describe_xapian(e);
        } catch (const Xapian::NetworkTimeoutError &e) {
            code = BL_ETIMEOUT;
            msg = describe_xapian(e);
        } catch (const Xapian::NetworkError &e) {
            code = BL_ENETWORK;
            msg = describe_xapian(e);
        } catch (const Xapian::Error &e) {
            code = BL_ERR;
            msg = describe_xapian(e);
        } catch (const std::bad_alloc &) {
            return bl_error_set(err, BL_ENOMEM, "out of memory");
        } catch (const std::exception &e) {
            code = BL_ERR;
            msg = e.what();
        } catch (...) {
            code = BL_ERR;
            msg = "unknown C++ exception";
        }
        if (subject && *subject)
            return bl_error_set(err, code, "%s: %s", subject, msg.c_str());
        return bl_error_set(err, code, "%s", msg.c_str());
    } catch (...) {
        return bl_error_set(err, code, "%s", "out of memory while describing an error");
    }
}

/* Copies s into a fresh malloc'd, NUL-terminated buffer. */
int copy_out(const std::string &s, char **data, size_t *len, bl_error *err)
{
    char *p = static_cast<char *>(std::malloc(s.size() + 1));
    if (!p)
        return bl_error_set(err, BL_ENOMEM, "out of memory");
    std::memcpy(p, s.data(), s.size());
    p[s.size()] = '\0';
    *data = p;
    if (len)
        *len = s.size();
    return 0;
}

/* A document's data as the caller stored it (bl_data_codec.h). */
int unpack_out(const std::string &stored, char **data, size_t *len, bl_error *err)
{
    size_t n = 0;
    int rc = bl_data_unpack(stored.data(), stored.size(), data, &n, err);
    if (rc == 0 && len)
        *len = n;
    return rc;
}

int read_only(const bl_xdb *db, bl_error *err)
{
    return bl_error_set(err, BL_EINVAL, "%s: database is open read-only", db->label.c_str());
}

/* A fresh stemmer per user: Xapian's reference counts are not atomic, so
 * handles used by different threads must not share one object. */
Xapian::Stem english_stemmer()
{
    return Xapian::Stem("english");
}

/* english_stemmer() with a memory: indexing and snippets stem every word
 * they meet, and the words of a corpus repeat, so each thread keeps the
 * stems it has computed (a hash look-up instead of the Snowball algorithm).
 * The stems are english_stemmer()'s own, so queries still find what is
 * indexed and snippets mark the same words.
 *
 * Each user gets its own instance (Xapian's reference counts are not
 * atomic, and a document moves to the thread that writes it); the memory
 * and the real stemmer behind it belong to the calling thread. */
class RememberingEnglishStem : public Xapian::StemImplementation {
    struct Memory {
        Xapian::Stem stem = english_stemmer();
        std::unordered_map<std::string, std::string> stems;
    };
    /* Enough for the vocabulary of a large corpus; past it the memory starts
     * again rather than grow without bound. */
    static const size_t kMaxWords = 200000;

  public:
    std::string operator()(const std::string &word) override
    {
        thread_local Memory memory;
        auto hit = memory.stems.find(word);
        if (hit != memory.stems.end())
            return hit->second;
        if (memory.stems.size() >= kMaxWords)
            memory.stems.clear();
        std::string stem = memory.stem(word);
        memory.stems.emplace(word, stem);
        return stem;
    }

    std::string get_description() const override { return "Xapian::Stem(english), remembered"; }
};

std::string str_or_empty(const char *s)
{
    return s ? std::string(s) : std::string();
}

} // namespace

/* Every entry point ends with this: the body's exceptions become codes. */
#define BL_CATCH(err, subject) \
    catch (...) { return classify((err), (subject)); }

/* The body of an entry point that changes a writable database. */
template <typename Op> int write_op(bl_xdb *db, bl_error *err, Op op)
{
    if (!db->writable)
        return read_only(db, err);
    try {
        op(db->wdb);
        return 0;
    }
    BL_CATCH(err, db->label.c_str())
}

/* ---- databases ---------------------------------------------------------- */

/* Whether path is a stub file with a "remote" line: searches over remote
 * shards cannot use our own match spies (they cannot be serialised). */
static bool stub_names_remote(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > 1024 * 1024)
        return false;
    FILE *f = std::fopen(path, "r");
    if (!f)
        return false;
    char line[4096];
    bool remote = false;
    while (!remote && std::fgets(line, sizeof line, f)) {
        const char *p = line + std::strspn(line, " \t");
        remote = std::strncmp(p, "remote", 6) == 0 && (p[6] == ' ' || p[6] == '\t');
    }
    std::fclose(f);
    return remote;
}

extern "C" int bl_xdb_open(const char *path, int mode, bl_xdb **out, bl_error *err)
{
    *out = nullptr;
    if (!path || !*path)
        return bl_error_set(err, BL_EINVAL, "no database path given");
    try {
        std::unique_ptr<bl_xdb> h(new bl_xdb);
        h->label = path;
        switch (mode) {
        case BL_XDB_READ:
            h->db = Xapian::Database(path);
            h->has_remote = stub_names_remote(path);
            break;
        case BL_XDB_WRITE_OPEN:
        case BL_XDB_WRITE_CREATE:
        case BL_XDB_WRITE_SCRATCH: {
            int flags = mode == BL_XDB_WRITE_OPEN     ? Xapian::DB_OPEN
                        : mode == BL_XDB_WRITE_CREATE ? Xapian::DB_CREATE_OR_OPEN
                                                      : Xapian::DB_CREATE_OR_OVERWRITE |
                                                            Xapian::DB_NO_SYNC |
                                                            Xapian::DB_DANGEROUS;
            h->wdb = Xapian::WritableDatabase(path, flags);
            h->db = h->wdb;
            h->writable = true;
            break;
        }
        default:
            return bl_error_set(err, BL_EINVAL, "%s: unknown open mode %d", path, mode);
        }
        *out = h.release();
        return 0;
    }
    BL_CATCH(err, path)
}

extern "C" int bl_xdb_open_remote(const char *host, unsigned port, unsigned timeout_ms,
                                  bl_xdb **out, bl_error *err)
{
    *out = nullptr;
    if (!host || !*host || port == 0 || port > 65535)
        return bl_error_set(err, BL_EINVAL, "remote database: bad address %s:%u",
                            host ? host : "(null)", port);
    char label[320];
    std::snprintf(label, sizeof label, "%.300s:%u", host, port);
    try {
        std::unique_ptr<bl_xdb> h(new bl_xdb);
        h->label = label;
        /* Xapian's remote timeouts are in milliseconds despite the type. */
        useconds_t t = timeout_ms ? timeout_ms : 10000;
        h->db = Xapian::Remote::open(host, port, t, t);
        h->has_remote = true;
        *out = h.release();
        return 0;
    }
    BL_CATCH(err, label)
}

extern "C" int bl_xdb_add(bl_xdb *db, const bl_xdb *other, bl_error *err)
{
    if (!db || !other)
        return bl_error_set(err, BL_EINVAL, "bl_xdb_add: no database given");
    if (db->writable)
        return bl_error_set(err, BL_EINVAL, "%s: cannot add shards to a writable database",
                            db->label.c_str());
    /* A writable database shared this way would be closed under db by
     * bl_xdb_close(other). */
    if (other->writable)
        return bl_error_set(err, BL_EINVAL, "%s: a writable database cannot be added as a shard",
                            other->label.c_str());
    try {
        db->db.add_database(other->db);
        db->has_remote = db->has_remote || other->has_remote;
        return 0;
    }
    BL_CATCH(err, db->label.c_str())
}

/* A writable database commits, then closes (releasing its lock even if a
 * bl_xqp or bl_xmset still holds a copy). A failed commit cannot be reported
 * from here: callers that care call bl_xdb_commit() first. A read-only handle
 * only drops its reference, because its shards may live on inside another
 * database they were added to with bl_xdb_add(). */
extern "C" void bl_xdb_close(bl_xdb *db)
{
    if (!db)
        return;
    if (db->writable) {
        try {
            db->wdb.commit();
        } catch (...) {
            /* Nowhere to report; documented above and in bl_xapian.h. */
        }
        try {
            db->wdb.close();
        } catch (...) {
        }
    }
    delete db;
}

extern "C" int bl_xdb_doccount(bl_xdb *db, uint64_t *out, bl_error *err)
{
    try {
        *out = db->db.get_doccount();
        return 0;
    }
    BL_CATCH(err, db->label.c_str())
}

extern "C" int bl_xdb_value_freq(bl_xdb *db, unsigned slot, uint64_t *out, bl_error *err)
{
    try {
        *out = db->db.get_value_freq(static_cast<Xapian::valueno>(slot));
        return 0;
    }
    BL_CATCH(err, db->label.c_str())
}

extern "C" int bl_xdb_reopen(bl_xdb *db, bl_error *err)
{
    try {
        db->db.reopen();
        return 0;
    }
    BL_CATCH(err, db->label.c_str())
}

extern "C" int bl_xdb_replace(bl_xdb *db, const char *idterm, bl_xdoc *doc, bl_error *err)
{
    if (!db->writable)
        return read_only(db, err);
    if (!idterm || !*idterm)
        return bl_error_set(err, BL_EINVAL, "%s: empty id term", db->label.c_str());
    try {
        /* The id term must be in the document, or the next replace would not
         * find it and the index would hold two copies. */
        doc->doc.add_boolean_term(idterm);
        db->wdb.replace_document(idterm, doc->doc);
        return 0;
    }
    BL_CATCH(err, db->label.c_str())
}

extern "C" int bl_xdb_add_new(bl_xdb *db, const char *idterm, bl_xdoc *doc, bl_error *err)
{
    if (!db->writable)
        return read_only(db, err);
    if (!idterm || !*idterm)
        return bl_error_set(err, BL_EINVAL, "%s: empty id term", db->label.c_str());
    try {
        doc->doc.add_boolean_term(idterm); /* so that a later replace finds it */
        db->wdb.add_document(doc->doc);
        return 0;
    }
    BL_CATCH(err, db->label.c_str())
}

extern "C" int bl_xdb_delete(bl_xdb *db, const char *idterm, bl_error *err)
{
    return write_op(db, err,
                    [&](Xapian::WritableDatabase &w) { w.delete_document(str_or_empty(idterm)); });
}

extern "C" int bl_xdb_commit(bl_xdb *db, bl_error *err)
{
    return write_op(db, err, [&](Xapian::WritableDatabase &w) { w.commit(); });
}

extern "C" int bl_xdb_begin_transaction(bl_xdb *db, bl_error *err)
{
    return write_op(db, err, [&](Xapian::WritableDatabase &w) { w.begin_transaction(); });
}

extern "C" int bl_xdb_commit_transaction(bl_xdb *db, bl_error *err)
{
    return write_op(db, err, [&](Xapian::WritableDatabase &w) { w.commit_transaction(); });
}

extern "C" int bl_xdb_cancel_transaction(bl_xdb *db, bl_error *err)
{
    return write_op(db, err, [&](Xapian::WritableDatabase &w) { w.cancel_transaction(); });
}

extern "C" int bl_xdb_term_freq(bl_xdb *db, const char *term, uint64_t *out, bl_error *err)
{
    try {
        *out = db->db.get_termfreq(str_or_empty(term));
        return 0;
    }
    BL_CATCH(err, db->label.c_str())
}

extern "C" int bl_xdb_get_data_by_term(bl_xdb *db, const char *term, char **data, size_t *len,
                                       bl_error *err)
{
    *data = nullptr;
    if (len)
        *len = 0;
    try {
        std::string t = str_or_empty(term);
        Xapian::PostingIterator p = db->db.postlist_begin(t);
        if (p == db->db.postlist_end(t))
            return bl_error_set(err, BL_ENOTFOUND, "%s: no document has term '%s'",
                                db->label.c_str(), t.c_str());
        return unpack_out(db->db.get_document(*p).get_data(), data, len, err);
    }
    BL_CATCH(err, db->label.c_str())
}

extern "C" int bl_xdb_each_term(bl_xdb *db, const char *prefix,
                                int (*fn)(void *ctx, const char *term, size_t len, uint64_t freq),
                                void *ctx, bl_error *err)
{
    try {
        std::string pfx = str_or_empty(prefix);
        for (Xapian::TermIterator t = db->db.allterms_begin(pfx); t != db->db.allterms_end(pfx);
             ++t) {
            std::string term = *t;
            if (fn(ctx, term.c_str(), term.size(), t.get_termfreq()))
                break;
        }
        return 0;
    }
    BL_CATCH(err, db->label.c_str())
}

extern "C" int bl_xdb_set_metadata(bl_xdb *db, const char *key, const char *value, bl_error *err)
{
    return write_op(db, err, [&](Xapian::WritableDatabase &w) {
        w.set_metadata(str_or_empty(key), str_or_empty(value));
    });
}

extern "C" int bl_xdb_get_metadata(bl_xdb *db, const char *key, char **value, bl_error *err)
{
    *value = nullptr;
    try {
        return copy_out(db->db.get_metadata(str_or_empty(key)), value, nullptr, err);
    }
    BL_CATCH(err, db->label.c_str())
}

extern "C" int bl_xdb_compact(bl_xdb *db, const char *dest_path, bl_error *err)
{
    if (!dest_path || !*dest_path)
        return bl_error_set(err, BL_EINVAL, "%s: no destination for the compacted copy",
                            db->label.c_str());
    struct stat st;
    if (stat(dest_path, &st) == 0)
        return bl_error_set(err, BL_EEXISTS, "%s: compaction target %s already exists",
                            db->label.c_str(), dest_path);
    try {
        db->db.compact(dest_path);
        return 0;
    }
    BL_CATCH(err, dest_path)
}

extern "C" int bl_xdb_check(const char *path, bl_error *err)
{
    if (!path || !*path)
        return bl_error_set(err, BL_EINVAL, "no database path given");
    try {
        size_t errors = 0;
        try {
            errors = Xapian::Database::check(path, 0, nullptr);
        } catch (const Xapian::DatabaseOpeningError &) {
            throw;
        } catch (const Xapian::DatabaseLockError &) {
            throw;
        } catch (const Xapian::DatabaseError &e) {
            /* check() reports a broken B-tree ("item starts outside
             * block") as a plain DatabaseError: here that means corrupt. */
            throw Xapian::DatabaseCorruptError(e.get_msg(), e.get_context());
        }
        if (errors)
            return bl_error_set(err, BL_ECORRUPT, "%s: consistency check found %zu error%s",
                                path, errors, errors == 1 ? "" : "s");
        return 0;
    }
    BL_CATCH(err, path)
}

/* ---- documents ---------------------------------------------------------- */

extern "C" int bl_xdoc_new(bl_xdoc **out, bl_error *err)
{
    *out = nullptr;
    try {
        std::unique_ptr<bl_xdoc> d(new bl_xdoc);
        d->tg.set_stemmer(Xapian::Stem(new RememberingEnglishStem));
        d->tg.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
        d->tg.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
        d->tg.set_document(d->doc);
        *out = d.release();
        return 0;
    }
    BL_CATCH(err, nullptr)
}

extern "C" void bl_xdoc_free(bl_xdoc *doc)
{
    delete doc;
}

extern "C" int bl_xdoc_index_text(bl_xdoc *doc, const char *text, size_t len, unsigned wdf_inc,
                                  const char *prefix, bl_error *err)
{
    if (len == 0)
        return 0;
    try {
        doc->tg.index_text(std::string(text, len), wdf_inc, str_or_empty(prefix));
        return 0;
    }
    BL_CATCH(err, nullptr)
}

extern "C" void bl_xdoc_increase_termpos(bl_xdoc *doc, unsigned n)
{
    try {
        doc->tg.increase_termpos(n);
    } catch (...) {
        /* Only arithmetic; nothing in it throws. */
    }
}

extern "C" int bl_xdoc_add_boolean_term(bl_xdoc *doc, const char *term, bl_error *err)
{
    if (!term || !*term)
        return bl_error_set(err, BL_EINVAL, "empty boolean term");
    try {
        doc->doc.add_boolean_term(term);
        return 0;
    }
    BL_CATCH(err, nullptr)
}

extern "C" int bl_xdoc_set_value(bl_xdoc *doc, unsigned slot, const char *bytes, size_t len,
                                 bl_error *err)
{
    try {
        doc->doc.add_value(slot, len ? std::string(bytes, len) : std::string());
        return 0;
    }
    BL_CATCH(err, nullptr)
}

extern "C" int bl_xdoc_set_value_number(bl_xdoc *doc, unsigned slot, double v, bl_error *err)
{
    try {
        doc->doc.add_value(slot, Xapian::sortable_serialise(v));
        return 0;
    }
    BL_CATCH(err, nullptr)
}

extern "C" int bl_xdoc_set_data(bl_xdoc *doc, const char *bytes, size_t len, bl_error *err)
{
    char *packed = nullptr;
    size_t packed_len = 0;
    if (int rc = bl_data_pack(len ? bytes : "", len, &packed, &packed_len, err))
        return rc;
    try {
        doc->doc.set_data(std::string(packed, packed_len));
        std::free(packed);
        return 0;
    } catch (...) {
        std::free(packed);
        return classify(err, nullptr);
    }
}

/* ---- numbers ------------------------------------------------------------ */

extern "C" size_t bl_sortable_serialise(double v, char out[16])
{
    try {
        std::string s = Xapian::sortable_serialise(v);
        size_t n = std::min(s.size(), static_cast<size_t>(16));
        std::memcpy(out, s.data(), n);
        return n;
    } catch (...) {
        return 0;
    }
}

extern "C" double bl_sortable_unserialise(const char *bytes, size_t len)
{
    try {
        return Xapian::sortable_unserialise(std::string(bytes, len));
    } catch (...) {
        return 0.0;
    }
}

/* ---- query parsing ------------------------------------------------------ */

namespace {

/* A range field ("date:A..B") whose bounds the caller's C function turns
 * into value-slot bytes. */
class CallbackRangeProcessor : public Xapian::RangeProcessor {
    bl_range_convert_fn convert_;
    void *ctx_;

  public:
    CallbackRangeProcessor(Xapian::valueno slot_, const std::string &field,
                           bl_range_convert_fn convert, void *ctx)
        : Xapian::RangeProcessor(slot_, field + ":"), convert_(convert), ctx_(ctx) {}

    Xapian::Query operator()(const std::string &begin, const std::string &end) override
    {
        char lo[64], hi[64], why[256];
        size_t lo_len = 0, hi_len = 0;
        why[0] = '\0';
        if (convert_(ctx_, begin.c_str(), end.c_str(), lo, &lo_len, hi, &hi_len, why,
                     sizeof why) != 0) {
            why[sizeof why - 1] = '\0';
            throw Xapian::QueryParserError(why[0] ? why
                                                  : "range " + str + begin + ".." + end +
                                                        " is not valid");
        }
        lo_len = std::min(lo_len, sizeof lo);
        hi_len = std::min(hi_len, sizeof hi);
        std::string a(lo, lo_len), b(hi, hi_len);
        if (lo_len && hi_len)
            return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot, a, b);
        if (lo_len)
            return Xapian::Query(Xapian::Query::OP_VALUE_GE, slot, a);
        if (hi_len)
            return Xapian::Query(Xapian::Query::OP_VALUE_LE, slot, b);
        /* Both bounds open: every document with a value in the slot. */
        return Xapian::Query(Xapian::Query::OP_VALUE_GE, slot, std::string(1, '\0'));
    }
};

/* Unicode ranges Xapian's CJK n-gram code treats as CJK (see Xapian's
 * cjk-tokenizer.cc). */
bool is_cjk(unsigned p)
{
    return (p >= 0x2E80 && p <= 0x2EFF) || (p >= 0x3000 && p <= 0x9FFF) ||
           (p >= 0xA700 && p <= 0xA71F) || (p >= 0xAC00 && p <= 0xD7AF) ||
           (p >= 0xF900 && p <= 0xFAFF) || (p >= 0xFE30 && p <= 0xFE4F) ||
           (p >= 0xFF00 && p <= 0xFFEF) || (p >= 0x20000 && p <= 0x2A6DF) ||
           (p >= 0x2F800 && p <= 0x2FA1F);
}

/* Decodes the UTF-8 character at s[i], setting *n to its byte length; a
 * malformed or truncated sequence comes back as its first byte alone. */
unsigned utf8_at(const std::string &s, size_t i, size_t *n)
{
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t more = (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3 : 0;
    *n = 1;
    if (more == 0 || i + more > s.size() - 1)
        return c;
    unsigned p = c & (0x3F >> more);
    for (size_t k = 1; k <= more; k++) {
        unsigned char d = static_cast<unsigned char>(s[i + k]);
        if ((d & 0xC0) != 0x80)
            return c;
        p = (p << 6) | (d & 0x3F);
    }
    *n = more + 1;
    return p;
}

bool is_space(unsigned p)
{
    return p == ' ' || p == '\t' || p == '\n' || p == '\r';
}

bool is_field_char(unsigned p)
{
    return p < 0x80 && (std::isalnum(static_cast<int>(p)) || p == '_');
}

/* Xapian 1.4.22 (fixed in 1.4.25) fails with "parse error" on a run of CJK
 * text that stands between plain terms ("smuggling 偷渡 arrested", "a
 * title:偷渡 b"). The same query parses, with the same meaning, when each
 * CJK run (with the field prefix written right before it, if any) is put in
 * brackets: "smuggling (偷渡) arrested". bl_xqp_parse only retries with this
 * rewrite after the plain parse failed, so queries 1.4.22 handles are left
 * exactly as typed. Quoted phrases are copied unchanged. A sign stays
 * outside the brackets ("-(偷渡)"), where Xapian applies it to the group. */
std::string bracket_cjk_runs(const std::string &q)
{
    std::string out;
    out.reserve(q.size() + 16);
    bool in_quotes = false;
    for (size_t i = 0; i < q.size();) {
        size_t n = 1;
        unsigned p = utf8_at(q, i, &n);
        if (p == '"')
            in_quotes = !in_quotes;
        if (in_quotes || !is_cjk(p)) {
            out.append(q, i, n);
            i += n;
            continue;
        }
        /* A field prefix typed right before the run ("title:") moves into
         * the brackets with it. */
        size_t field = out.size();
        if (field > 0 && out[field - 1] == ':') {
            size_t f = field - 1;
            while (f > 0 && is_field_char(static_cast<unsigned char>(out[f - 1])))
                f--;
            bool at_token_start = f == 0 || is_space(static_cast<unsigned char>(out[f - 1])) ||
                                  out[f - 1] == '(' || out[f - 1] == '+' || out[f - 1] == '-';
            if (f < field - 1 && at_token_start)
                field = f;
        }
        std::string prefix = out.substr(field);
        out.erase(field);
        char before = out.empty() ? ' ' : out.back();
        if (!is_space(static_cast<unsigned char>(before)) && before != '(' && before != '+' &&
            before != '-')
            out += ' ';
        out += '(';
        out += prefix;
        while (i < q.size()) {
            p = utf8_at(q, i, &n);
            if (!is_cjk(p))
                break;
            out.append(q, i, n);
            i += n;
        }
        out += ')';
        if (i < q.size() && !is_space(static_cast<unsigned char>(q[i])) && q[i] != ')')
            out += ' ';
    }
    return out;
}

/* Xapian rejects a query made only of excluded terms ("-smuggling") and then
 * silently retries without FLAG_LOVEHATE, which turns it into its opposite
 * ("smuggling"). Such a query is rewritten with NOT, which FLAG_PURE_NOT
 * supports: "-a -\"b c\"" becomes "NOT a NOT \"b c\"". Any other query comes
 * back unchanged. */
std::string pure_hate_as_not(const std::string &q)
{
    std::string out;
    bool in_quotes = false, any = false;
    int depth = 0;
    for (size_t i = 0; i < q.size(); i++) {
        char c = q[i];
        bool token_start = !in_quotes && depth == 0 && !is_space(static_cast<unsigned char>(c)) &&
                           (i == 0 || is_space(static_cast<unsigned char>(q[i - 1])));
        if (token_start) {
            /* "-" must start an excluded word, phrase, group or field. */
            unsigned char next = i + 1 < q.size() ? static_cast<unsigned char>(q[i + 1]) : 0;
            if (c != '-' || !(std::isalnum(next) || next == '"' || next == '(' || next >= 0x80))
                return q;
            out += "NOT ";
            any = true;
        } else {
            out += c;
        }
        if (c == '"')
            in_quotes = !in_quotes;
        else if (!in_quotes && c == '(')
            depth++;
        else if (!in_quotes && c == ')' && depth > 0)
            depth--;
    }
    return any ? out : q;
}

/* Wildcards are expanded when the query runs, so the parsed tree still holds
 * one OP_WILDCARD leaf per wildcard: counting them bounds the expansion before
 * any of it happens. */
unsigned count_wildcards(const Xapian::Query &q)
{
    if (q.get_type() == Xapian::Query::OP_WILDCARD)
        return 1;
    unsigned n = 0;
    for (size_t i = 0; i < q.get_num_subqueries(); i++)
        n += count_wildcards(q.get_subquery(i));
    return n;
}

} // namespace

extern "C" int bl_xqp_new(bl_xdb *db, bl_xqp **out, bl_error *err)
{
    *out = nullptr;
    try {
        std::unique_ptr<bl_xqp> h(new bl_xqp);
        h->db = db->db;
        h->label = db->label;
        h->qp.set_database(h->db);
        h->qp.set_stemmer(english_stemmer());
        h->qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
        h->qp.set_default_op(Xapian::Query::OP_AND);
        h->qp.set_max_expansion(BL_XQUERY_WILDCARD_TERMS,
                                Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
        *out = h.release();
        return 0;
    }
    BL_CATCH(err, db->label.c_str())
}

extern "C" void bl_xqp_free(bl_xqp *qp)
{
    delete qp;
}

extern "C" int bl_xqp_add_prefix(bl_xqp *qp, const char *field, const char *prefix, int boolean,
                                 bl_error *err)
{
    if (!field || !*field)
        return bl_error_set(err, BL_EINVAL, "empty query field name");
    try {
        if (boolean)
            qp->qp.add_boolean_prefix(field, str_or_empty(prefix));
        else
            qp->qp.add_prefix(field, str_or_empty(prefix));
        return 0;
    }
    BL_CATCH(err, qp->label.c_str())
}

extern "C" int bl_xqp_add_range(bl_xqp *qp, const char *field, unsigned slot,
                                bl_range_convert_fn convert, void *ctx, bl_error *err)
{
    if (!field || !*field || !convert)
        return bl_error_set(err, BL_EINVAL, "range field needs a name and a converter");
    try {
        /* release(): the parser owns the processor from here on. */
        qp->qp.add_rangeprocessor(
            (new CallbackRangeProcessor(slot, field, convert, ctx))->release());
        return 0;
    }
    BL_CATCH(err, qp->label.c_str())
}

extern "C" int bl_xqp_parse(bl_xqp *qp, const char *query, bl_xquery **out, bl_error *err)
{
    *out = nullptr;
    size_t query_len = query ? std::strlen(query) : 0;
    if (query_len > BL_XQUERY_MAX)
        return bl_error_set(err, BL_ETOOBIG, "query of %zu bytes is over the limit of %d",
                            query_len, BL_XQUERY_MAX);
    const unsigned flags = Xapian::QueryParser::FLAG_PHRASE | Xapian::QueryParser::FLAG_BOOLEAN |
                           Xapian::QueryParser::FLAG_LOVEHATE |
                           Xapian::QueryParser::FLAG_WILDCARD |
                           Xapian::QueryParser::FLAG_PURE_NOT |
                           Xapian::QueryParser::FLAG_CJK_NGRAM;
    try {
        std::unique_ptr<bl_xquery> h(new bl_xquery);
        std::string text = pure_hate_as_not(str_or_empty(query));
        try {
            h->q = qp->qp.parse_query(text, flags);
        } catch (const Xapian::QueryParserError &) {
            /* Retry with the 1.4.22 CJK workaround. If the rewrite fails
             * too, the first error is reported unless it is the bare
             * "parse error" the bug itself gives: then the second error
             * says what else is wrong (Xapian's messages never quote the
             * text, so they fit the query as typed either way). */
            std::exception_ptr first = std::current_exception();
            std::string retry = bracket_cjk_runs(text);
            if (retry == text)
                throw;
            try {
                h->q = qp->qp.parse_query(retry, flags);
            } catch (const Xapian::QueryParserError &second) {
                try {
                    std::rethrow_exception(first);
                } catch (const Xapian::QueryParserError &e) {
                    if (e.get_msg() == "parse error")
                        throw second;
                    throw;
                }
            }
        }
        unsigned wildcards = count_wildcards(h->q);
        if (wildcards > BL_XQUERY_MAX_WILDCARDS)
            return bl_error_set(err, BL_EQUERY, "%u wildcards in one query (at most %d)",
                                wildcards, BL_XQUERY_MAX_WILDCARDS);
        *out = h.release();
        return 0;
    }
    BL_CATCH(err, nullptr)
}

extern "C" int bl_xquery_all(bl_xquery **out, bl_error *err)
{
    *out = nullptr;
    try {
        std::unique_ptr<bl_xquery> h(new bl_xquery);
        /* The empty term matches every document; unlike copying the
         * shared Query::MatchAll object, it is safe across threads. */
        h->q = Xapian::Query(std::string());
        *out = h.release();
        return 0;
    }
    BL_CATCH(err, nullptr)
}

extern "C" int bl_xquery_term(const char *term, bl_xquery **out, bl_error *err)
{
    *out = nullptr;
    /* Xapian reads the empty term as "every document": refuse it. */
    if (!term || !*term)
        return bl_error_set(err, BL_EINVAL, "empty query term");
    try {
        std::unique_ptr<bl_xquery> h(new bl_xquery);
        h->q = Xapian::Query(term);
        *out = h.release();
        return 0;
    }
    BL_CATCH(err, nullptr)
}

/* Words only: prefixed terms (ids, filters, "Z" stems) say nothing about
 * what a bulletin is about. */
class WordsOnly : public Xapian::ExpandDecider {
  public:
    bool operator()(const std::string &term) const override
    {
        return !term.empty() && !(term[0] >= 'A' && term[0] <= 'Z') && term.size() > 2 &&
               !(term[0] >= '0' && term[0] <= '9');
    }
};

extern "C" int bl_xdb_similar_query(bl_xdb *db, const char *idterm, unsigned n_terms,
                                    bl_xquery **out, bl_error *err)
{
    *out = nullptr;
    if (!db || !idterm || !*idterm)
        return bl_error_set(err, BL_EINVAL, "bl_xdb_similar_query: no document given");
    try {
        Xapian::PostingIterator p = db->db.postlist_begin(idterm);
        if (p == db->db.postlist_end(idterm))
            return bl_error_set(err, BL_ENOTFOUND, "%s: no document with term %s",
                                db->label.c_str(), idterm);
        Xapian::RSet rset;
        rset.add_document(*p);
        Xapian::Enquire enquire(db->db);
        WordsOnly decider;
        Xapian::ESet eset = enquire.get_eset(n_terms ? n_terms : 25, rset, &decider);
        std::vector<std::string> terms(eset.begin(), eset.end());
        std::unique_ptr<bl_xquery> h(new bl_xquery);
        h->q = Xapian::Query(Xapian::Query::OP_AND_NOT,
                             Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end()),
                             Xapian::Query(idterm));
        *out = h.release();
        return 0;
    }
    BL_CATCH(err, db->label.c_str())
}

extern "C" int bl_xquery_and(const bl_xquery *a, const bl_xquery *b, int b_is_filter,
                             bl_xquery **out, bl_error *err)
{
    *out = nullptr;
    try {
        std::unique_ptr<bl_xquery> h(new bl_xquery);
        h->q = Xapian::Query(b_is_filter ? Xapian::Query::OP_FILTER : Xapian::Query::OP_AND,
                             a->q, b->q);
        *out = h.release();
        return 0;
    }
    BL_CATCH(err, nullptr)
}

extern "C" char *bl_xquery_describe(const bl_xquery *q)
{
    if (!q)
        return nullptr;
    try {
        char *s = nullptr;
        if (copy_out(q->q.get_description(), &s, nullptr, nullptr))
            return nullptr;
        return s;
    } catch (...) {
        return nullptr;
    }
}

extern "C" void bl_xquery_free(bl_xquery *q)
{
    delete q;
}

/* ---- searching ---------------------------------------------------------- */

namespace {

/* The distinct names in a multi-valued facet value (names separated by
 * BL_XFACET_SEP; empty names dropped), sorted. */
std::vector<std::string> facet_names(const std::string &v)
{
    std::vector<std::string> names;
    size_t start = 0;
    for (;;) {
        size_t sep = v.find(BL_XFACET_SEP, start);
        size_t end = sep == std::string::npos ? v.size() : sep;
        if (end > start)
            names.emplace_back(v, start, end - start);
        if (sep == std::string::npos)
            break;
        start = sep + 1;
    }
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    return names;
}

/* The best match of each collapse key, and how many matches have it (see
 * CountingSpy). */
struct key_hit {
    double weight;
    Xapian::docid did;
    uint64_t with_key; /* matches with this key, the hit included */
};

/* Xapian's order of hits by relevance: higher weight first, then lower docid. */
bool ranks_before(const key_hit &a, const key_hit &b)
{
    return a.weight > b.weight || (a.weight == b.weight && a.did < b.did);
}

/* A 64-bit hash of a key, 8 bytes at a time; never 0 (which marks an empty
 * slot of KeyTable). */
uint64_t key_hash(const std::string &key)
{
    const char *p = key.data();
    size_t n = key.size();
    uint64_t h = 0x9e3779b97f4a7c15ULL ^ n;
    for (; n >= 8; p += 8, n -= 8) {
        uint64_t w;
        std::memcpy(&w, p, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdULL;
        h ^= h >> 32;
    }
    uint64_t w = 0;
    std::memcpy(&w, p, n);
    h = (h ^ w) * 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 29;
    return h | 1;
}

/* Collapse keys -> key_hit, for a spy that sees every match: open addressing
 * with the hash in the slot and the keys in one arena, so that a key seen
 * before (most of them where bulletins are published many times) costs one
 * probe and one compare, and no allocation. */
class KeyTable {
    struct slot {
        uint64_t hash; /* 0: empty */
        size_t offset, len; /* of the key in arena_ */
        key_hit hit;
    };
    std::vector<slot> slots_ = std::vector<slot>(1024);
    std::string arena_;
    size_t used_ = 0;

    void grow()
    {
        std::vector<slot> old(slots_.size() * 2);
        old.swap(slots_);
        const size_t mask = slots_.size() - 1;
        for (const slot &s : old) {
            if (!s.hash)
                continue;
            size_t i = s.hash & mask;
            while (slots_[i].hash)
                i = (i + 1) & mask;
            slots_[i] = s;
        }
    }

  public:
    /* The entry of key; a new one holding first when the key is new (then
     * *added is true). */
    key_hit &find_or_add(const std::string &key, const key_hit &first, bool *added)
    {
        if (2 * (used_ + 1) > slots_.size())
            grow();
        const uint64_t h = key_hash(key);
        const size_t mask = slots_.size() - 1;
        size_t i = h & mask;
        for (; slots_[i].hash; i = (i + 1) & mask) {
            const slot &s = slots_[i];
            if (s.hash == h && s.len == key.size() &&
                std::memcmp(arena_.data() + s.offset, key.data(), s.len) == 0) {
                *added = false;
                return slots_[i].hit;
            }
        }
        slots_[i] = {h, arena_.size(), key.size(), first};
        arena_ += key;
        used_++;
        *added = true;
        return slots_[i].hit;
    }

    template <typename F> void each(F f) const
    {
        for (const slot &s : slots_)
            if (s.hash)
                f(s.hit);
    }

    size_t size() const { return used_; }
};

/* A counting search (facets, exact totals) has to see every match. Xapian's
 * own collapse is costly there: with every match checked it keeps each one
 * in its proto-MSet for a while, collapse key and all. So such a search runs
 * without it, and this spy, called once for every match, does all the
 * counting:
 * - With a collapse key, only the first document seen with a key counts in
 *   the facets (a bulletin published twice counts once), and the documents
 *   kept by the collapse are counted: the exact collapsed total.
 * - Facet values are counted whole, a multi-valued one included: splitting
 *   it into names (split_multi) happens once per distinct value at the end
 *   rather than once per document.
 * - When asked to rank (relevance order), it keeps the best match of each
 *   key in Xapian's order (ranks_before). Those are exactly the hits
 *   Xapian's collapse would keep, so the page is taken from them (rank()).
 * Like any spy of our own it cannot run on a remote server (see
 * search_remote). */
class CountingSpy : public Xapian::MatchSpy {
    Xapian::valueno key_slot_; /* Xapian::BAD_VALUENO: no collapse */
    std::vector<Xapian::valueno> slots_;
    bool ranking_;
    KeyTable keys_;
    std::vector<key_hit> unkeyed_; /* never collapsed; kept when ranking */
    uint64_t kept_ = 0;
    std::vector<std::unordered_map<std::string, uint64_t>> counts_;

  public:
    CountingSpy(Xapian::valueno key_slot, const std::vector<Xapian::valueno> &slots, bool ranking)
        : key_slot_(key_slot), slots_(slots), ranking_(ranking), counts_(slots.size())
    {
    }

    void operator()(const Xapian::Document &doc, double weight) override
    {
        if (key_slot_ != Xapian::BAD_VALUENO) {
            key_hit h = {weight, doc.get_docid(), 1};
            std::string key = doc.get_value(key_slot_);
            if (!key.empty()) {
                bool added;
                key_hit &best = keys_.find_or_add(key, h, &added);
                if (!added) {
                    h.with_key = ++best.with_key;
                    if (ranking_ && ranks_before(h, best))
                        best = h;
                    return;
                }
            } else if (ranking_) {
                unkeyed_.push_back(h);
            }
        }
        ++kept_;
        for (size_t k = 0; k < slots_.size(); k++) {
            std::string v = doc.get_value(slots_[k]);
            if (!v.empty())
                ++counts_[k][v];
        }
    }

    Xapian::MatchSpy *clone() const override
    {
        return new CountingSpy(key_slot_, slots_, ranking_);
    }

    std::string name() const override { return "blotter::CountingSpy"; }

    std::string get_description() const override { return "blotter::CountingSpy"; }

    /* Matches left after collapsing (all of them without a key slot). */
    uint64_t kept() const { return kept_; }

    /* Hits [offset, offset + limit) of the collapsed ranking. */
    std::vector<key_hit> rank(unsigned offset, unsigned limit) const
    {
        std::vector<key_hit> all(unkeyed_);
        all.reserve(unkeyed_.size() + keys_.size());
        keys_.each([&all](const key_hit &h) { all.push_back(h); });
        size_t end = std::min<size_t>(all.size(), size_t(offset) + limit);
        if (offset >= end)
            return std::vector<key_hit>();
        std::partial_sort(all.begin(), all.begin() + end, all.end(), ranks_before);
        return std::vector<key_hit>(all.begin() + offset, all.begin() + end);
    }

    const std::unordered_map<std::string, uint64_t> &counts(size_t k) const { return counts_[k]; }
};

bool by_count_then_name(const std::pair<std::string, uint64_t> &a,
                        const std::pair<std::string, uint64_t> &b)
{
    if (a.second != b.second)
        return a.second > b.second;
    return a.first < b.first;
}

/* Counts by whole value -> counts by name. The documents of different whole
 * values are disjoint, and facet_names() lists a name once per value, so each
 * name still counts each document once. */
void split_multi(facet_list &list)
{
    std::map<std::string, uint64_t> names;
    for (const auto &entry : list)
        for (const std::string &n : facet_names(entry.first))
            names[n] += entry.second;
    list.assign(names.begin(), names.end());
}

void sort_facets(bl_xmset *ms, const bl_xsearch_opts *opts)
{
    for (unsigned k = 0; k < ms->facets.size(); k++) {
        if (opts->facet_multi[k])
            split_multi(ms->facets[k]);
        std::sort(ms->facets[k].begin(), ms->facets[k].end(), by_count_then_name);
    }
}

/* Over remote shards: a remote server cannot run a spy of our own (it does
 * not know the class), so Xapian collapses and its ValueCountMatchSpy counts
 * each facet by whole value; the counts include duplicates. */
void search_remote(bl_xmset *ms, const bl_xsearch_opts *opts, Xapian::doccount check_at_least)
{
    Xapian::Enquire &enq = ms->enquire;
    if (opts->collapse_slot >= 0)
        enq.set_collapse_key(static_cast<Xapian::valueno>(opts->collapse_slot));
    std::vector<Xapian::ValueCountMatchSpy *> spies;
    for (unsigned k = 0; k < opts->n_facets; k++) {
        spies.push_back(new Xapian::ValueCountMatchSpy(opts->facet_slots[k]));
        ms->spies.emplace_back(spies.back());
        enq.add_matchspy(spies.back());
    }
    ms->mset = enq.get_mset(opts->offset, opts->limit, check_at_least);
    ms->facets.resize(opts->n_facets);
    for (unsigned k = 0; k < opts->n_facets; k++)
        for (Xapian::TermIterator v = spies[k]->values_begin(); v != spies[k]->values_end(); ++v)
            ms->facets[k].emplace_back(*v, v.get_termfreq());
    sort_facets(ms, opts);
}

/* A search that sees every match, counting with a CountingSpy. Collapsed
 * and by relevance, the spy ranks the page itself and Xapian is asked for no
 * hits at all. Otherwise Xapian collapses as usual (the spy still counts, so
 * the totals are exact either way): when sorting by a value, and over
 * several shards, where a spy sees each document with its docid in its own
 * shard, not knowing which shard. */
void search_counting(bl_xmset *ms, bl_xdb *db, const bl_xsearch_opts *opts)
{
    Xapian::Enquire &enq = ms->enquire;
    const bool collapse = opts->collapse_slot >= 0;
    const bool ranking = collapse && opts->sort_slot < 0 && db->db.size() == 1;
    std::vector<Xapian::valueno> slots(opts->facet_slots, opts->facet_slots + opts->n_facets);
    CountingSpy *spy = new CountingSpy(
        collapse ? static_cast<Xapian::valueno>(opts->collapse_slot) : Xapian::BAD_VALUENO,
        slots, ranking);
    ms->spies.emplace_back(spy);
    enq.add_matchspy(spy);
    if (collapse && !ranking)
        enq.set_collapse_key(static_cast<Xapian::valueno>(opts->collapse_slot));
    Xapian::doccount all = db->db.get_doccount();
    if (ranking) {
        ms->mset = enq.get_mset(0, 0, all);
        for (const key_hit &h : spy->rank(opts->offset, opts->limit))
            ms->ranked.push_back({h.did, h.weight, h.with_key - 1});
        ms->ranked_here = true;
    } else {
        ms->mset = enq.get_mset(opts->offset, opts->limit, all);
    }
    ms->exact_total = true;
    ms->total = spy->kept();
    ms->facets.resize(opts->n_facets);
    for (unsigned k = 0; k < opts->n_facets; k++)
        ms->facets[k].assign(spy->counts(k).begin(), spy->counts(k).end());
    sort_facets(ms, opts);
}

int check_hit(const bl_xmset *ms, unsigned i, bl_error *err)
{
    unsigned size = bl_xmset_size(ms);
    if (i >= size)
        return bl_error_set(err, BL_EINVAL, "hit %u out of range (page has %u)", i, size);
    return 0;
}

/* The document of hit i (the caller has checked i). */
Xapian::Document document_of(const bl_xmset *ms, unsigned i)
{
    if (ms->ranked_here)
        return ms->db.get_document(ms->ranked[i].did, Xapian::DOC_ASSUME_VALID);
    return ms->mset[i].get_document();
}

} // namespace

extern "C" void bl_xsearch_opts_init(bl_xsearch_opts *opts)
{
    std::memset(opts, 0, sizeof *opts);
    opts->offset = 0;
    opts->limit = 10;
    opts->sort_slot = -1;
    opts->collapse_slot = -1;
}

extern "C" int bl_xsearch(bl_xdb *db, const bl_xquery *q, const bl_xsearch_opts *opts,
                          bl_xmset **out, bl_error *err)
{
    *out = nullptr;
    if (!db || !q || !opts)
        return bl_error_set(err, BL_EINVAL, "bl_xsearch: database, query and options are required");
    if (opts->n_facets > BL_XSEARCH_MAX_FACETS)
        return bl_error_set(err, BL_EINVAL, "%u facets asked for, at most %d", opts->n_facets,
                            BL_XSEARCH_MAX_FACETS);
    try {
        std::unique_ptr<bl_xmset> ms(new bl_xmset(db->db));
        Xapian::Enquire &enq = ms->enquire;
        enq.set_query(q->q);
        if (opts->sort_slot >= 0)
            enq.set_sort_by_value_then_relevance(static_cast<Xapian::valueno>(opts->sort_slot),
                                                 opts->sort_descending != 0);
        const bool counting = opts->n_facets || opts->exact_count;
        if (db->has_remote) {
            search_remote(ms.get(), opts, counting ? db->db.get_doccount() : 0);
        } else if (counting) {
            search_counting(ms.get(), db, opts);
        } else {
            if (opts->collapse_slot >= 0)
                enq.set_collapse_key(static_cast<Xapian::valueno>(opts->collapse_slot));
            ms->mset = enq.get_mset(opts->offset, opts->limit);
        }
        *out = ms.release();
        return 0;
    }
    BL_CATCH(err, db->label.c_str())
}

extern "C" void bl_xmset_free(bl_xmset *ms)
{
    delete ms;
}

extern "C" unsigned bl_xmset_size(const bl_xmset *ms)
{
    if (!ms)
        return 0;
    return static_cast<unsigned>(ms->ranked_here ? ms->ranked.size() : ms->mset.size());
}

extern "C" void bl_xmset_total(const bl_xmset *ms, uint64_t *lower, uint64_t *estimated,
                               uint64_t *upper)
{
    uint64_t l = 0, e = 0, u = 0;
    if (ms && ms->exact_total) {
        l = e = u = ms->total;
    } else if (ms) {
        l = ms->mset.get_matches_lower_bound();
        e = ms->mset.get_matches_estimated();
        u = ms->mset.get_matches_upper_bound();
    }
    if (lower)
        *lower = l;
    if (estimated)
        *estimated = e;
    if (upper)
        *upper = u;
}

extern "C" int bl_xmset_weight(const bl_xmset *ms, unsigned i, double *out, bl_error *err)
{
    if (int rc = check_hit(ms, i, err))
        return rc;
    try {
        *out = ms->ranked_here ? ms->ranked[i].weight : ms->mset[i].get_weight();
        return 0;
    }
    BL_CATCH(err, nullptr)
}

extern "C" int bl_xmset_data(const bl_xmset *ms, unsigned i, char **data, size_t *len,
                             bl_error *err)
{
    *data = nullptr;
    if (len)
        *len = 0;
    if (int rc = check_hit(ms, i, err))
        return rc;
    try {
        return unpack_out(document_of(ms, i).get_data(), data, len, err);
    }
    BL_CATCH(err, nullptr)
}

extern "C" int bl_xmset_value(const bl_xmset *ms, unsigned i, unsigned slot, char **bytes,
                              size_t *len, bl_error *err)
{
    *bytes = nullptr;
    if (len)
        *len = 0;
    if (int rc = check_hit(ms, i, err))
        return rc;
    try {
        return copy_out(document_of(ms, i).get_value(slot), bytes, len, err);
    }
    BL_CATCH(err, nullptr)
}

extern "C" int bl_xmset_collapse_count(const bl_xmset *ms, unsigned i, uint64_t *out,
                                       bl_error *err)
{
    if (int rc = check_hit(ms, i, err))
        return rc;
    try {
        *out = ms->ranked_here ? ms->ranked[i].collapsed : ms->mset[i].get_collapse_count();
        return 0;
    }
    BL_CATCH(err, nullptr)
}

namespace {

/* The stemmer a snippet runs on every word of every hit's text: with ten
 * hits of a few kilobytes, Snowball was over half of a one-shot search's
 * snippet time. A word can only mark a query term if its stem is one, and an
 * English stem starts with its word's first byte (true of all 172,404 words
 * of the benchmark corpus; a leading apostrophe, which Snowball drops, never
 * starts a word Xapian splits out). So a word whose first byte starts no
 * query term is given back as it is: it matches nothing, as its real stem
 * would not. Wildcards are matched on words, not stems, so a query with one
 * gets the real stemmer for every word. */
class QueryInitialsStem : public Xapian::StemImplementation {
    bool initials[256] = {};
    Xapian::Stem stem = Xapian::Stem(new RememberingEnglishStem);

  public:
    explicit QueryInitialsStem(const Xapian::Query &q)
    {
        if (count_wildcards(q) > 0) {
            for (bool &b : initials)
                b = true;
            return;
        }
        for (auto t = q.get_terms_begin(); t != q.get_terms_end(); ++t) {
            /* The word's first byte is past the field prefix (upper-case
             * ASCII, as Z for stems); snippets stem lower-cased words. */
            const std::string &term = *t;
            size_t i = 0;
            while (i < term.size() && term[i] >= 'A' && term[i] <= 'Z')
                i++;
            if (i < term.size())
                initials[static_cast<unsigned char>(term[i])] = true;
        }
    }

    std::string operator()(const std::string &word) override
    {
        if (word.empty() || (!initials[static_cast<unsigned char>(word[0])] && word[0] != '\''))
            return word;
        return stem(word);
    }

    std::string get_description() const override { return "Xapian::Stem(english), for snippets"; }
};

} // namespace

extern "C" int bl_xmset_snippet(const bl_xmset *ms, const char *text, size_t len, size_t max_len,
                                const char *hi_start, const char *hi_end, char **out,
                                bl_error *err)
{
    *out = nullptr;
    try {
        /* Neither SNIPPET_BACKGROUND_MODEL nor SNIPPET_EXHAUSTIVE: with
         * them, Xapian weighs every window of every hit against the
         * frequency of each of its words in the index (about 2,000 term
         * look-ups for ten English hits, 10 of a one-shot search's 17 ms).
         * Without them it takes the first window good enough for the
         * query, which in a bulletin is mostly its lead, with the figures;
         * the background model often preferred the same boilerplate
         * paragraph in sibling bulletins. */
        const unsigned flags = Xapian::MSet::SNIPPET_CJK_NGRAM;
        std::string s = ms->mset.snippet(len ? std::string(text, len) : std::string(), max_len,
                                         Xapian::Stem(new QueryInitialsStem(ms->enquire.get_query())),
                                         flags, str_or_empty(hi_start),
                                         str_or_empty(hi_end), "...");
        return copy_out(s, out, nullptr, err);
    }
    BL_CATCH(err, nullptr)
}

extern "C" unsigned bl_xmset_facet_size(const bl_xmset *ms, unsigned k)
{
    if (!ms || k >= ms->facets.size())
        return 0;
    return static_cast<unsigned>(ms->facets[k].size());
}

extern "C" const char *bl_xmset_facet_name(const bl_xmset *ms, unsigned k, unsigned j,
                                           size_t *len)
{
    if (!ms || k >= ms->facets.size() || j >= ms->facets[k].size()) {
        if (len)
            *len = 0;
        return nullptr;
    }
    const std::string &name = ms->facets[k][j].first;
    if (len)
        *len = name.size();
    return name.c_str();
}

extern "C" uint64_t bl_xmset_facet_count(const bl_xmset *ms, unsigned k, unsigned j)
{
    if (!ms || k >= ms->facets.size() || j >= ms->facets[k].size())
        return 0;
    return ms->facets[k][j].second;
}

/* ---- library facts ------------------------------------------------------ */

extern "C" const char *bl_xapian_version(void)
{
    return Xapian::version_string();
}
