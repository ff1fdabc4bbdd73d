/* bench_bare_xapian: the least any indexer or searcher built on Xapian must
 * spend, as the baseline blotter is measured against.
 *
 *   bench_bare_xapian index DB PAGES
 *       Reads the page texts (format below), runs each through a TermGenerator
 *       (Stem("english"), STEM_SOME, FLAG_CJK_NGRAM: the settings blotter uses)
 *       and add_document()s it into a new glass database at DB; commits once at
 *       the end (Xapian still flushes every XAPIAN_FLUSH_THRESHOLD documents).
 *       No document data, no values, no unique-id terms: only text indexing.
 *       Prints one JSON line: documents, bytes of text, seconds.
 *
 *   bench_bare_xapian query DB QUERIES REPS
 *       For each query (lines "ID<TAB>OPTIONS<TAB>QUERY"; OPTIONS ignored):
 *       QueryParser with the same stemmer and flags (default operator AND, as
 *       blotter), Enquire, get_mset(0, 10), and the document of each hit.
 *       One untimed warm-up pass, then REPS timed passes over the whole mix.
 *       Prints one JSON line per query: the query id, hits on the page, the
 *       match estimate and every pass's time in nanoseconds.
 *
 * PAGES format (written by bench/run): per page, a line "\x1e<LENGTH>\n",
 * then LENGTH bytes of text, then "\n". Each page is at most 64 MiB.
 *
 * Exit status: 0 on success, 1 on any error (message on stderr).
 */
#include <xapian.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <vector>

namespace {

const size_t kMaxPage = 64u << 20;
const size_t kMaxQuery = 4096;
const unsigned kMaxReps = 1000;

double now_seconds()
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

long long now_ns()
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Reads the next page into text: 1 when read, 0 at the end, -1 on bad input. */
int read_page(FILE *in, std::string &text)
{
    int c = fgetc(in);
    if (c == EOF)
        return 0;
    char header[32];
    if (c != 0x1e || !fgets(header, sizeof header, in))
        return -1;
    char *end = NULL;
    errno = 0;
    unsigned long long len = strtoull(header, &end, 10);
    if (errno || end == header || *end != '\n' || len > kMaxPage)
        return -1;
    text.resize(len);
    if (len && fread(&text[0], 1, len, in) != len)
        return -1;
    if (fgetc(in) != '\n')
        return -1;
    return 1;
}

int run_index(const char *db_path, const char *pages_path)
{
    FILE *in = fopen(pages_path, "rb");
    if (!in) {
        fprintf(stderr, "bench_bare_xapian: %s: %s\n", pages_path, strerror(errno));
        return 1;
    }
    double t0 = now_seconds();
    Xapian::WritableDatabase db(db_path, Xapian::DB_CREATE | Xapian::DB_BACKEND_GLASS);
    Xapian::TermGenerator tg;
    tg.set_stemmer(Xapian::Stem("english"));
    tg.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
    tg.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
    std::string text;
    unsigned long long docs = 0, bytes = 0;
    int r;
    while ((r = read_page(in, text)) == 1) {
        Xapian::Document doc;
        tg.set_document(doc);
        tg.index_text(text);
        db.add_document(doc);
        docs++;
        bytes += text.size();
    }
    fclose(in);
    if (r < 0) {
        fprintf(stderr, "bench_bare_xapian: %s: bad page record after %llu pages\n",
                pages_path, docs);
        return 1;
    }
    db.commit();
    db.close();
    printf("{\"docs\": %llu, \"bytes\": %llu, \"seconds\": %.6f}\n", docs, bytes,
           now_seconds() - t0);
    return 0;
}

struct query_line {
    std::string id, text;
};

int read_queries(const char *path, std::vector<query_line> &out)
{
    FILE *in = fopen(path, "r");
    if (!in) {
        fprintf(stderr, "bench_bare_xapian: %s: %s\n", path, strerror(errno));
        return -1;
    }
    char line[kMaxQuery + 256];
    int rc = 0;
    while (fgets(line, sizeof line, in)) {
        size_t n = strlen(line);
        if (n && line[n - 1] == '\n')
            line[--n] = '\0';
        else if (!feof(in)) {
            fprintf(stderr, "bench_bare_xapian: %s: query line too long\n", path);
            rc = -1;
            break;
        }
        if (!n)
            continue;
        char *tab1 = strchr(line, '\t');
        char *tab2 = tab1 ? strchr(tab1 + 1, '\t') : NULL;
        if (!tab2) {
            fprintf(stderr, "bench_bare_xapian: %s: expected ID<TAB>OPTIONS<TAB>QUERY\n", path);
            rc = -1;
            break;
        }
        query_line q;
        q.id.assign(line, tab1 - line);
        q.text.assign(tab2 + 1);
        out.push_back(q);
    }
    fclose(in);
    return rc;
}

/* Escapes s as a JSON string body (ids are plain ASCII, but be safe). */
std::string json_escape(const std::string &s)
{
    std::string o;
    for (unsigned char c : s) {
        if (c == '"' || c == '\\') {
            o += '\\';
            o += (char)c;
        } else if (c < 0x20) {
            char buf[8];
            snprintf(buf, sizeof buf, "\\u%04x", c);
            o += buf;
        } else {
            o += (char)c;
        }
    }
    return o;
}

int run_queries(const char *db_path, const char *queries_path, const char *reps_text)
{
    char *end = NULL;
    unsigned long reps = strtoul(reps_text, &end, 10);
    if (!*reps_text || *end || reps < 1 || reps > kMaxReps) {
        fprintf(stderr, "bench_bare_xapian: REPS must be 1..%u\n", kMaxReps);
        return 1;
    }
    std::vector<query_line> queries;
    if (read_queries(queries_path, queries))
        return 1;
    Xapian::Database db(db_path);
    Xapian::QueryParser qp;
    qp.set_database(db);
    qp.set_stemmer(Xapian::Stem("english"));
    qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    qp.set_default_op(Xapian::Query::OP_AND);
    const unsigned flags = Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_CJK_NGRAM;

    size_t nq = queries.size();
    std::vector<std::vector<long long>> times(nq);
    std::vector<unsigned> page_hits(nq);
    std::vector<unsigned long long> estimates(nq);
    std::vector<std::string> errors(nq);
    for (unsigned long pass = 0; pass <= reps; pass++) { /* pass 0 warms up */
        for (size_t i = 0; i < nq; i++) {
            long long t0 = now_ns();
            try {
                Xapian::Query q = qp.parse_query(queries[i].text, flags);
                Xapian::Enquire enquire(db);
                enquire.set_query(q);
                Xapian::MSet ms = enquire.get_mset(0, 10);
                size_t data_bytes = 0;
                for (Xapian::MSetIterator it = ms.begin(); it != ms.end(); ++it)
                    data_bytes += it.get_document().get_data().size();
                (void)data_bytes;
                page_hits[i] = ms.size();
                estimates[i] = ms.get_matches_estimated();
            } catch (const Xapian::Error &e) {
                errors[i] = e.get_description();
            }
            long long t1 = now_ns();
            if (pass > 0)
                times[i].push_back(t1 - t0);
        }
    }
    for (size_t i = 0; i < nq; i++) {
        printf("{\"id\": \"%s\", \"hits\": %u, \"estimate\": %llu, ",
               json_escape(queries[i].id).c_str(), page_hits[i], estimates[i]);
        if (!errors[i].empty())
            printf("\"error\": \"%s\", ", json_escape(errors[i]).c_str());
        printf("\"ns\": [");
        for (size_t k = 0; k < times[i].size(); k++)
            printf("%s%lld", k ? ", " : "", times[i][k]);
        printf("]}\n");
    }
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    try {
        if (argc == 4 && strcmp(argv[1], "index") == 0)
            return run_index(argv[2], argv[3]);
        if (argc == 5 && strcmp(argv[1], "query") == 0)
            return run_queries(argv[2], argv[3], argv[4]);
    } catch (const Xapian::Error &e) {
        fprintf(stderr, "bench_bare_xapian: %s\n", e.get_description().c_str());
        return 1;
    } catch (const std::exception &e) {
        fprintf(stderr, "bench_bare_xapian: %s\n", e.what());
        return 1;
    }
    fputs("usage: bench_bare_xapian index DB PAGES\n"
          "       bench_bare_xapian query DB QUERIES REPS\n", stderr);
    return 1;
}
