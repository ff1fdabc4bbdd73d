/* The Xapian shim on real indexes in temporary directories: writing,
 * the query language (stemming, phrases, operators, wildcards, prefixes,
 * Chinese and mixed queries, ranges), sorting, collapsing, exact facets,
 * snippets, metadata, compaction, checking, errors (missing, locked,
 * corrupt, bad queries, network) and a remote shard served by xapian-tcpsrv. */
#define _XOPEN_SOURCE 700 /* nftw */
#include <check.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bl_xapian.h"

/* ---- the sample index --------------------------------------------------- */

enum { SLOT_DATE = 0, SLOT_DIGEST = 1, SLOT_AGENCY = 2, SLOT_CAMPAIGNS = 3, SLOT_SUSPECTS = 4 };

typedef struct sample {
    const char *id;
    const char *title;
    const char *body;
    const char *date;      /* YYYYMMDD */
    const char *agency;    /* facet value; "A" + lowercase is its filter term */
    const char *campaigns; /* names separated by BL_XFACET_SEP, may repeat */
    const char *digest;    /* collapse key */
    double suspects;
} sample;

static const sample samples[] = {
    {"q1", "Two men sentenced for alien smuggling",
     "Two men were sentenced today for smuggling aliens across the southern border. "
     "Agents arrested both men in March.",
     "20190315", "Border Patrol", "Operation Lone Star\x1fOperation Guardian", "d-a", 2},
    {"q2", "Fraud ring dismantled",
     "Prosecutors charged five people with wire fraud. The arrests followed a long "
     "investigation by the FBI & local police.",
     "20200601", "FBI", "Operation Guardian", "d-b", 5},
    {"q3", "国家移民管理局破获偷渡案件", "民警抓获犯罪嫌疑人12名，打掉偷渡团伙3个 (12 suspects arrested).",
     "20210110", "NIA", "百日行动", "d-c", 12},
    {"q4", "Customs seize drugs at port",
     "Customs officers seized cocaine at the port. The smuggled drugs were hidden in fruit.",
     "20181120", "CBP", "", "d-a", 1},
    {"q5", "Joint operation",
     "Officers arrested smugglers in a smuggling operation. 警方抓获偷渡人员，移民管理局 joined "
     "the operation.",
     "20220505", "CBP", "百日行动\x1fOperation Lone Star\x1f百日行动", "d-e", 30},
};
#define N_SAMPLES (sizeof samples / sizeof samples[0])

static char tmp_dir[256];
static char index_path[300];

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void build_doc(const sample *s, bl_xdoc **out)
{
    bl_error err = {0};
    bl_xdoc *doc = NULL;
    ck_assert_int_eq(bl_xdoc_new(&doc, &err), 0);
    ck_assert_int_eq(bl_xdoc_index_text(doc, s->title, strlen(s->title), 1, "S", &err), 0);
    bl_xdoc_increase_termpos(doc, 100);
    ck_assert_int_eq(bl_xdoc_index_text(doc, s->title, strlen(s->title), 1, "", &err), 0);
    bl_xdoc_increase_termpos(doc, 100);
    ck_assert_int_eq(bl_xdoc_index_text(doc, s->body, strlen(s->body), 1, "", &err), 0);
    char term[64] = "A";
    size_t n = 1;
    for (const char *p = s->agency; *p && n < sizeof term - 1; p++)
        term[n++] = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
    term[n] = '\0';
    ck_assert_int_eq(bl_xdoc_add_boolean_term(doc, term, &err), 0);
    ck_assert_int_eq(bl_xdoc_set_value(doc, SLOT_DATE, s->date, strlen(s->date), &err), 0);
    ck_assert_int_eq(bl_xdoc_set_value(doc, SLOT_DIGEST, s->digest, strlen(s->digest), &err), 0);
    ck_assert_int_eq(bl_xdoc_set_value(doc, SLOT_AGENCY, s->agency, strlen(s->agency), &err), 0);
    ck_assert_int_eq(bl_xdoc_set_value(doc, SLOT_CAMPAIGNS, s->campaigns, strlen(s->campaigns), &err),
                     0);
    ck_assert_int_eq(bl_xdoc_set_value_number(doc, SLOT_SUSPECTS, s->suspects, &err), 0);
    ck_assert_int_eq(bl_xdoc_set_data(doc, s->id, strlen(s->id), &err), 0);
    *out = doc;
}

static void write_index(const char *path, const sample *list, size_t n)
{
    bl_error err = {0};
    bl_xdb *db = NULL;
    ck_assert_msg(bl_xdb_open(path, BL_XDB_WRITE_CREATE, &db, &err) == 0, "%s", err.msg);
    for (size_t i = 0; i < n; i++) {
        bl_xdoc *doc = NULL;
        build_doc(&list[i], &doc);
        char idterm[16];
        snprintf(idterm, sizeof idterm, "Q%s", list[i].id);
        ck_assert_msg(bl_xdb_replace(db, idterm, doc, &err) == 0, "%s", err.msg);
        bl_xdoc_free(doc);
    }
    ck_assert_int_eq(bl_xdb_commit(db, &err), 0);
    bl_xdb_close(db);
}

static void setup(void)
{
    snprintf(tmp_dir, sizeof tmp_dir, "/tmp/bl-shim-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmp_dir));
    snprintf(index_path, sizeof index_path, "%s/index", tmp_dir);
    write_index(index_path, samples, N_SAMPLES);
}

static void teardown(void)
{
    nftw(tmp_dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static bl_xdb *open_read(const char *path)
{
    bl_error err = {0};
    bl_xdb *db = NULL;
    ck_assert_msg(bl_xdb_open(path, BL_XDB_READ, &db, &err) == 0, "%s", err.msg);
    return db;
}

/* ---- range converters (the caller's side of bl_xqp_add_range) ---------- */

static int convert_date(void *ctx, const char *begin, const char *end, char *lo, size_t *lo_len,
                        char *hi, size_t *hi_len, char *why, size_t why_size)
{
    (void)ctx;
    const char *bounds[2] = {begin, end};
    char *outs[2] = {lo, hi};
    size_t *lens[2] = {lo_len, hi_len};
    for (int i = 0; i < 2; i++) {
        *lens[i] = 0;
        if (!*bounds[i])
            continue;
        size_t n = strspn(bounds[i], "0123456789");
        if (n != 8 || bounds[i][8]) {
            snprintf(why, why_size, "'%s' is not a YYYYMMDD date", bounds[i]);
            return -1;
        }
        memcpy(outs[i], bounds[i], 8);
        *lens[i] = 8;
    }
    return 0;
}

static int convert_number(void *ctx, const char *begin, const char *end, char *lo,
                          size_t *lo_len, char *hi, size_t *hi_len, char *why, size_t why_size)
{
    (void)ctx;
    const char *bounds[2] = {begin, end};
    char *outs[2] = {lo, hi};
    size_t *lens[2] = {lo_len, hi_len};
    for (int i = 0; i < 2; i++) {
        *lens[i] = 0;
        if (!*bounds[i])
            continue;
        char *stop = NULL;
        double v = strtod(bounds[i], &stop);
        if (stop == bounds[i] || *stop) {
            snprintf(why, why_size, "'%s' is not a number", bounds[i]);
            return -1;
        }
        char buf[16];
        *lens[i] = bl_sortable_serialise(v, buf);
        memcpy(outs[i], buf, *lens[i]);
    }
    return 0;
}

static bl_xqp *parser_for(bl_xdb *db)
{
    bl_error err = {0};
    bl_xqp *qp = NULL;
    ck_assert_int_eq(bl_xqp_new(db, &qp, &err), 0);
    ck_assert_int_eq(bl_xqp_add_prefix(qp, "title", "S", 0, &err), 0);
    ck_assert_int_eq(bl_xqp_add_prefix(qp, "agency", "A", 1, &err), 0);
    ck_assert_int_eq(bl_xqp_add_range(qp, "date", SLOT_DATE, convert_date, NULL, &err), 0);
    ck_assert_int_eq(bl_xqp_add_range(qp, "suspects", SLOT_SUSPECTS, convert_number, NULL, &err),
                     0);
    return qp;
}

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The ids (document data) of every match, sorted and space-separated. */
static void ids_of(bl_xdb *db, const bl_xquery *q, char *out, size_t out_size)
{
    bl_error err = {0};
    bl_xsearch_opts opts;
    bl_xsearch_opts_init(&opts);
    opts.limit = 100;
    bl_xmset *ms = NULL;
    ck_assert_msg(bl_xsearch(db, q, &opts, &ms, &err) == 0, "%s", err.msg);
    char *ids[100];
    unsigned n = bl_xmset_size(ms);
    for (unsigned i = 0; i < n; i++)
        ck_assert_int_eq(bl_xmset_data(ms, i, &ids[i], NULL, &err), 0);
    qsort(ids, n, sizeof ids[0], compare_strings);
    out[0] = '\0';
    for (unsigned i = 0; i < n; i++) {
        if (i)
            strncat(out, " ", out_size - strlen(out) - 1);
        strncat(out, ids[i], out_size - strlen(out) - 1);
        free(ids[i]);
    }
    bl_xmset_free(ms);
}

static void search_ids(bl_xdb *db, const char *query, char *out, size_t out_size)
{
    bl_error err = {0};
    bl_xqp *qp = parser_for(db);
    bl_xquery *q = NULL;
    ck_assert_msg(bl_xqp_parse(qp, query, &q, &err) == 0, "query '%s': %s", query, err.msg);
    ids_of(db, q, out, out_size);
    bl_xquery_free(q);
    bl_xqp_free(qp);
}

/* ---- writing ------------------------------------------------------------ */

START_TEST(a_created_index_counts_its_documents)
{
    bl_xdb *db = open_read(index_path);
    uint64_t n = 0;
    bl_error err = {0};
    ck_assert_int_eq(bl_xdb_doccount(db, &n, &err), 0);
    ck_assert_uint_eq(n, N_SAMPLES);
    ck_assert_int_eq(bl_xdb_term_freq(db, "Acbp", &n, &err), 0);
    ck_assert_uint_eq(n, 2);
    ck_assert_int_eq(bl_xdb_term_freq(db, "Anobody", &n, &err), 0);
    ck_assert_uint_eq(n, 0);
    bl_xdb_close(db);
}
END_TEST

START_TEST(replacing_by_id_term_keeps_one_document)
{
    char path[400];
    snprintf(path, sizeof path, "%s/one", tmp_dir);
    bl_error err = {0};
    bl_xdb *db = NULL;
    ck_assert_int_eq(bl_xdb_open(path, BL_XDB_WRITE_CREATE, &db, &err), 0);
    for (int round = 0; round < 3; round++) {
        bl_xdoc *doc = NULL;
        ck_assert_int_eq(bl_xdoc_new(&doc, &err), 0);
        char data[16];
        snprintf(data, sizeof data, "version %d", round);
        ck_assert_int_eq(bl_xdoc_set_data(doc, data, strlen(data), &err), 0);
        /* The id term is not added by the caller: the shim adds it. */
        ck_assert_int_eq(bl_xdb_replace(db, "Qsame", doc, &err), 0);
        bl_xdoc_free(doc);
    }
    ck_assert_int_eq(bl_xdb_commit(db, &err), 0);
    uint64_t n = 0;
    ck_assert_int_eq(bl_xdb_doccount(db, &n, &err), 0);
    ck_assert_uint_eq(n, 1);
    char *data = NULL;
    size_t len = 0;
    ck_assert_int_eq(bl_xdb_get_data_by_term(db, "Qsame", &data, &len, &err), 0);
    ck_assert_str_eq(data, "version 2");
    ck_assert_uint_eq(len, 9);
    free(data);
    bl_xdb_close(db);
}
END_TEST

START_TEST(deleting_by_id_term_removes_the_document)
{
    bl_error err = {0};
    bl_xdb *db = NULL;
    ck_assert_int_eq(bl_xdb_open(index_path, BL_XDB_WRITE_OPEN, &db, &err), 0);
    ck_assert_int_eq(bl_xdb_delete(db, "Qq2", &err), 0);
    ck_assert_int_eq(bl_xdb_commit(db, &err), 0);
    bl_xdb_close(db);

    db = open_read(index_path);
    uint64_t n = 0;
    ck_assert_int_eq(bl_xdb_doccount(db, &n, &err), 0);
    ck_assert_uint_eq(n, N_SAMPLES - 1);
    char *data = NULL;
    size_t len = 7;
    ck_assert_int_eq(bl_xdb_get_data_by_term(db, "Qq2", &data, &len, &err), BL_ENOTFOUND);
    ck_assert_ptr_null(data);
    ck_assert_ptr_nonnull(strstr(err.msg, "Qq2"));
    bl_xdb_close(db);
}
END_TEST

START_TEST(a_reader_sees_commits_after_reopen)
{
    bl_error err = {0};
    bl_xdb *reader = open_read(index_path);
    bl_xdb *writer = NULL;
    ck_assert_int_eq(bl_xdb_open(index_path, BL_XDB_WRITE_OPEN, &writer, &err), 0);
    ck_assert_int_eq(bl_xdb_delete(writer, "Qq1", &err), 0);
    ck_assert_int_eq(bl_xdb_commit(writer, &err), 0);
    uint64_t n = 0;
    ck_assert_int_eq(bl_xdb_doccount(reader, &n, &err), 0);
    ck_assert_uint_eq(n, N_SAMPLES);
    ck_assert_int_eq(bl_xdb_reopen(reader, &err), 0);
    ck_assert_int_eq(bl_xdb_doccount(reader, &n, &err), 0);
    ck_assert_uint_eq(n, N_SAMPLES - 1);
    bl_xdb_close(writer);
    bl_xdb_close(reader);
}
END_TEST

START_TEST(a_committed_transaction_is_kept_and_a_cancelled_one_is_not)
{
    bl_error err = {0};
    bl_xdb *db = NULL;
    ck_assert_int_eq(bl_xdb_open(index_path, BL_XDB_WRITE_OPEN, &db, &err), 0);

    ck_assert_int_eq(bl_xdb_begin_transaction(db, &err), 0);
    ck_assert_int_eq(bl_xdb_delete(db, "Qq1", &err), 0);
    ck_assert_int_eq(bl_xdb_delete(db, "Qq2", &err), 0);
    ck_assert_int_eq(bl_xdb_cancel_transaction(db, &err), 0);
    uint64_t n = 0;
    ck_assert_int_eq(bl_xdb_doccount(db, &n, &err), 0);
    ck_assert_uint_eq(n, N_SAMPLES);

    ck_assert_int_eq(bl_xdb_begin_transaction(db, &err), 0);
    ck_assert_int_eq(bl_xdb_delete(db, "Qq3", &err), 0);
    /* Not visible to other readers before the transaction commits. */
    bl_xdb *reader = open_read(index_path);
    ck_assert_int_eq(bl_xdb_doccount(reader, &n, &err), 0);
    ck_assert_uint_eq(n, N_SAMPLES);
    ck_assert_int_eq(bl_xdb_commit_transaction(db, &err), 0);
    ck_assert_int_eq(bl_xdb_reopen(reader, &err), 0);
    ck_assert_int_eq(bl_xdb_doccount(reader, &n, &err), 0);
    ck_assert_uint_eq(n, N_SAMPLES - 1);
    bl_xdb_close(reader);

    /* A transaction cannot be committed twice. */
    ck_assert_int_ne(bl_xdb_commit_transaction(db, &err), 0);
    ck_assert_str_ne(err.msg, "");
    bl_xdb_close(db);
}
END_TEST

START_TEST(closing_a_writer_commits_its_changes)
{
    bl_error err = {0};
    bl_xdb *db = NULL;
    ck_assert_int_eq(bl_xdb_open(index_path, BL_XDB_WRITE_OPEN, &db, &err), 0);
    ck_assert_int_eq(bl_xdb_delete(db, "Qq4", &err), 0);
    bl_xdb_close(db);
    db = open_read(index_path);
    uint64_t n = 0;
    ck_assert_int_eq(bl_xdb_doccount(db, &n, &err), 0);
    ck_assert_uint_eq(n, N_SAMPLES - 1);
    bl_xdb_close(db);
}
END_TEST

/* Glass keeps only the last revisions: a reader left two commits behind by
 * a writer that rewrote everything finds its blocks reused. */
START_TEST(a_reader_left_behind_by_the_writer_is_told_to_reopen)
{
    char path[400];
    snprintf(path, sizeof path, "%s/busy", tmp_dir);
    bl_error err = {0};
    bl_xdb *writer = NULL, *reader = NULL;
    ck_assert_int_eq(bl_xdb_open(path, BL_XDB_WRITE_CREATE, &writer, &err), 0);
    for (int round = 0; round < 6; round++) {
        for (int i = 0; i < 400; i++) {
            char text[128], id[16];
            snprintf(text, sizeof text, "round%d doc%d alpha beta gamma word%d", round, i, i * round);
            snprintf(id, sizeof id, "Q%d", i);
            bl_xdoc *doc = NULL;
            ck_assert_int_eq(bl_xdoc_new(&doc, &err), 0);
            ck_assert_int_eq(bl_xdoc_index_text(doc, text, strlen(text), 1, "", &err), 0);
            ck_assert_int_eq(bl_xdoc_set_data(doc, text, strlen(text), &err), 0);
            ck_assert_int_eq(bl_xdb_replace(writer, id, doc, &err), 0);
            bl_xdoc_free(doc);
        }
        ck_assert_int_eq(bl_xdb_commit(writer, &err), 0);
        if (round == 0)
            reader = open_read(path);
    }
    char *data = NULL;
    ck_assert_int_eq(bl_xdb_get_data_by_term(reader, "Q7", &data, NULL, &err), BL_EMODIFIED);
    ck_assert_ptr_nonnull(strstr(err.msg, "reopen"));
    bl_error_clear(&err);
    ck_assert_int_eq(bl_xdb_reopen(reader, &err), 0);
    ck_assert_int_eq(bl_xdb_get_data_by_term(reader, "Q7", &data, NULL, &err), 0);
    ck_assert_str_eq(data, "round5 doc7 alpha beta gamma word35");
    free(data);
    bl_xdb_close(reader);
    bl_xdb_close(writer);
}
END_TEST

START_TEST(writes_to_a_read_only_database_are_refused)
{
    bl_error err = {0};
    bl_xdb *db = open_read(index_path);
    ck_assert_int_eq(bl_xdb_delete(db, "Qq1", &err), BL_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "read-only"));
    bl_error_clear(&err);
    ck_assert_int_eq(bl_xdb_set_metadata(db, "k", "v", &err), BL_EINVAL);
    bl_error_clear(&err);
    ck_assert_int_eq(bl_xdb_commit(db, &err), BL_EINVAL);
    bl_xdb_close(db);
}
END_TEST

typedef struct term_walk {
    char seen[256];
    int calls;
    int stop_after;
} term_walk;

static int collect_term(void *ctx, const char *term, size_t len, uint64_t freq)
{
    term_walk *w = ctx;
    char item[64];
    snprintf(item, sizeof item, "%.*s=%llu ", (int)len, term, (unsigned long long)freq);
    strncat(w->seen, item, sizeof w->seen - strlen(w->seen) - 1);
    return ++w->calls == w->stop_after;
}

START_TEST(terms_are_walked_in_order_with_their_frequencies)
{
    bl_error err = {0};
    bl_xdb *db = open_read(index_path);
    term_walk w = {.stop_after = -1};
    ck_assert_int_eq(bl_xdb_each_term(db, "A", collect_term, &w, &err), 0);
    ck_assert_str_eq(w.seen, "Aborder patrol=1 Acbp=2 Afbi=1 Ania=1 ");
    term_walk stop = {.stop_after = 2};
    ck_assert_int_eq(bl_xdb_each_term(db, "A", collect_term, &stop, &err), 0);
    ck_assert_int_eq(stop.calls, 2);
    bl_xdb_close(db);
}
END_TEST

START_TEST(metadata_survives_a_round_trip)
{
    bl_error err = {0};
    bl_xdb *db = NULL;
    ck_assert_int_eq(bl_xdb_open(index_path, BL_XDB_WRITE_OPEN, &db, &err), 0);
    ck_assert_int_eq(bl_xdb_set_metadata(db, "blotter.schema", "1", &err), 0);
    ck_assert_int_eq(bl_xdb_commit(db, &err), 0);
    bl_xdb_close(db);
    db = open_read(index_path);
    char *v = NULL;
    ck_assert_int_eq(bl_xdb_get_metadata(db, "blotter.schema", &v, &err), 0);
    ck_assert_str_eq(v, "1");
    free(v);
    ck_assert_int_eq(bl_xdb_get_metadata(db, "missing", &v, &err), 0);
    ck_assert_str_eq(v, "");
    free(v);
    bl_xdb_close(db);
}
END_TEST

/* ---- the query language ------------------------------------------------- */

typedef struct query_case {
    const char *query;
    const char *ids;
} query_case;

static const query_case query_cases[] = {
    /* STEM_SOME: the stem Zsmuggl joins smuggling/smuggled; "smugglers"
     * stems to Zsmuggler and does not. */
    {"smuggling", "q1 q4 q5"},
    {"smuggled", "q1 q4 q5"},
    {"arrests", "q1 q2 q3 q5"},
    {"\"wire fraud\"", "q2"},
    {"\"fraud wire\"", ""},
    {"cocaine NEAR port", "q4"},
    {"cocaine NEAR/2 fruit", ""},
    {"fraud OR cocaine", "q2 q4"},
    {"smuggling AND cocaine", "q4"},
    {"smuggling NOT cocaine", "q1 q5"},
    {"smuggling -cocaine", "q1 q5"},
    {"smuggling AND NOT cocaine", "q1 q5"},
    {"NOT cocaine", "q1 q2 q3 q5"},
    /* Only excluded terms: Xapian alone would turn these into their opposite. */
    {"-cocaine", "q1 q2 q3 q5"},
    {"-cocaine -fraud", "q1 q3 q5"},
    {"-\"wire fraud\"", "q1 q3 q4 q5"},
    {"-title:fraud", "q1 q3 q4 q5"},
    {"-偷渡", "q1 q2 q4"},
    {"-(cocaine OR fraud)", "q1 q3 q5"},
    {"(fraud OR cocaine) AND port", "q4"},
    {"smuggl*", "q1 q4 q5"},
    {"smuggling agency:cbp", "q4 q5"},
    {"agency:\"border patrol\"", "q1"},
    {"title:smuggling", "q1"},
    {"title:fraud", "q2"},
    {"fraud title:smuggling", ""},
    /* Chinese, by CJK n-grams. */
    {"抓获犯罪嫌疑人", "q3"},
    {"偷渡", "q3 q5"},
    {"title:偷渡", "q3"},
    /* Mixed scripts, including forms 1.4.22 fails to parse as typed. */
    {"移民 smuggling", "q5"},
    {"smuggling 偷渡", "q5"},
    {"\"犯罪嫌疑人\" AND arrested", "q3"},
    {"抓获-smuggling", "q5"},
    {"smuggling 偷渡 arrested", "q5"},
    {"arrested 偷渡 title:operation", "q5"},
    {"arrested title:偷渡 suspects", "q3"},
    {"arrested -偷渡 operation", ""},
    {"arrested -偷渡 men 移民", ""},
    {"arrested -移民 men", "q1"},
    /* Ranges: YYYYMMDD strings, closed and open. */
    {"date:20190101..20201231", "q1 q2"},
    {"date:20210101..", "q3 q5"},
    {"date:..20181231", "q4"},
    {"smuggling date:20190101..", "q1 q5"},
    /* Numbers stored with sortable_serialise. */
    {"suspects:10..20", "q3"},
    {"suspects:10..", "q3 q5"},
    {"suspects:..2", "q1 q4"},
    {"suspects:-5..1.5", "q4"},
};

START_TEST(queries_find_what_they_should)
{
    const query_case *c = &query_cases[_i];
    bl_xdb *db = open_read(index_path);
    char got[256];
    search_ids(db, c->query, got, sizeof got);
    ck_assert_msg(strcmp(got, c->ids) == 0, "query '%s': got '%s', want '%s'", c->query, got,
                  c->ids);
    bl_xdb_close(db);
}
END_TEST

static const char *const bad_queries[] = {"AND", "fraud AND", "OR fraud", "NOT", "fraud AND OR port",
                                          "偷渡 smuggling arrested AND"};

START_TEST(queries_xapian_rejects_give_a_query_error)
{
    bl_error err = {0};
    bl_xdb *db = open_read(index_path);
    bl_xqp *qp = parser_for(db);
    bl_xquery *q = (bl_xquery *)&err; /* must be reset to NULL */
    ck_assert_int_eq(bl_xqp_parse(qp, bad_queries[_i], &q, &err), BL_EQUERY);
    ck_assert_ptr_null(q);
    ck_assert_int_eq(err.code, BL_EQUERY);
    ck_assert_msg(strstr(err.msg, "Syntax") != NULL, "query '%s': message '%s'", bad_queries[_i],
                  err.msg);
    bl_xqp_free(qp);
    bl_xdb_close(db);
}
END_TEST

/* Text no one should type still parses or fails with a reason. */
static const char *const odd_queries[] = {
    "", " ", "-", "--", "- -", "\"", "\"\"", "(((", ")))", "偷", "-\"", ":偷渡", "title:",
    "title:-", "a:偷渡", "\x80\xff", "\xe5\x81", "偷\xe5\x81渡 smuggling x", "date:..", "date:",
    "suspects:..", "-(", "NOT", "AND 偷渡 OR", "\"偷渡 smuggling", "偷渡\" smuggling \"a",
    "*", "a*b*", "+-a", "-+a", "title:(偷渡 smuggling) x", "NEAR 偷渡", "偷渡 NEAR", "x 偷渡 NEAR/3 y",
};

START_TEST(odd_query_text_parses_or_fails_with_a_reason)
{
    bl_error err = {0};
    bl_xdb *db = open_read(index_path);
    bl_xqp *qp = parser_for(db);
    bl_xquery *q = NULL;
    int rc = bl_xqp_parse(qp, odd_queries[_i], &q, &err);
    if (rc == 0) {
        char got[256];
        ids_of(db, q, got, sizeof got);
    } else {
        ck_assert_msg(rc == BL_EQUERY, "'%s': rc %d: %s", odd_queries[_i], rc, err.msg);
        ck_assert_str_ne(err.msg, "");
        ck_assert_ptr_null(q);
    }
    bl_xquery_free(q);
    bl_xqp_free(qp);
    bl_xdb_close(db);
}
END_TEST

START_TEST(an_overlong_query_is_refused)
{
    bl_error err = {0};
    bl_xdb *db = open_read(index_path);
    bl_xqp *qp = parser_for(db);
    size_t n = BL_XQUERY_MAX + 1;
    char *text = malloc(n + 1);
    ck_assert_ptr_nonnull(text);
    for (size_t i = 0; i < n; i++)
        text[i] = i % 2 ? ' ' : 'a';
    text[n] = '\0';
    bl_xquery *q = NULL;
    ck_assert_int_eq(bl_xqp_parse(qp, text, &q, &err), BL_ETOOBIG);
    ck_assert_ptr_null(q);
    text[BL_XQUERY_MAX] = '\0';
    bl_error_clear(&err);
    ck_assert_msg(bl_xqp_parse(qp, text, &q, &err) == 0, "%s", err.msg);
    bl_xquery_free(q);
    free(text);
    bl_xqp_free(qp);
    bl_xdb_close(db);
}
END_TEST

START_TEST(a_failing_range_converter_gives_a_query_error_with_its_reason)
{
    static const char *const cases[][2] = {
        {"date:2019..20201231", "'2019' is not a YYYYMMDD date"},
        {"smuggling date:20190101..soon", "'soon' is not a YYYYMMDD date"},
        {"suspects:many..", "'many' is not a number"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bl_error err = {0};
        bl_xdb *db = open_read(index_path);
        bl_xqp *qp = parser_for(db);
        bl_xquery *q = NULL;
        ck_assert_int_eq(bl_xqp_parse(qp, cases[i][0], &q, &err), BL_EQUERY);
        ck_assert_msg(strstr(err.msg, cases[i][1]) != NULL, "query '%s': message '%s'",
                      cases[i][0], err.msg);
        bl_xqp_free(qp);
        bl_xdb_close(db);
    }
}
END_TEST

START_TEST(a_range_field_needs_no_prefix_and_builds_value_queries)
{
    bl_error err = {0};
    bl_xdb *db = open_read(index_path);
    bl_xqp *qp = NULL;
    ck_assert_int_eq(bl_xqp_new(db, &qp, &err), 0);
    ck_assert_int_eq(bl_xqp_add_range(qp, "date", SLOT_DATE, convert_date, NULL, &err), 0);
    static const char *const cases[][2] = {
        {"date:20190101..20201231", "VALUE_RANGE 0 20190101 20201231"},
        {"date:20190101..", "VALUE_GE 0 20190101"},
        {"date:..20201231", "VALUE_LE 0 20201231"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bl_xquery *q = NULL;
        ck_assert_int_eq(bl_xqp_parse(qp, cases[i][0], &q, &err), 0);
        char *d = bl_xquery_describe(q);
        ck_assert_msg(strstr(d, cases[i][1]) != NULL, "'%s' became %s", cases[i][0], d);
        free(d);
        bl_xquery_free(q);
    }
    bl_xqp_free(qp);
    bl_xdb_close(db);
}
END_TEST

typedef struct seen_bounds {
    char begin[32];
    char end[32];
    int calls;
} seen_bounds;

static int record_bounds(void *ctx, const char *begin, const char *end, char *lo, size_t *lo_len,
                         char *hi, size_t *hi_len, char *why, size_t why_size)
{
    seen_bounds *seen = ctx;
    snprintf(seen->begin, sizeof seen->begin, "%s", begin);
    snprintf(seen->end, sizeof seen->end, "%s", end);
    seen->calls++;
    return convert_date(NULL, "", "", lo, lo_len, hi, hi_len, why, why_size);
}

START_TEST(the_converter_sees_the_bounds_as_typed)
{
    static const char *const cases[][3] = {
        {"date:2019-01-01..2020-12-31", "2019-01-01", "2020-12-31"},
        {"date:2019..", "2019", ""},
        {"date:..2020-06", "", "2020-06"},
        {"smuggling date:2019..2020 偷渡", "2019", "2020"},
    };
    bl_error err = {0};
    bl_xdb *db = open_read(index_path);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        seen_bounds seen = {.calls = 0};
        bl_xqp *qp = NULL;
        ck_assert_int_eq(bl_xqp_new(db, &qp, &err), 0);
        ck_assert_int_eq(bl_xqp_add_range(qp, "date", SLOT_DATE, record_bounds, &seen, &err), 0);
        bl_xquery *q = NULL;
        ck_assert_msg(bl_xqp_parse(qp, cases[i][0], &q, &err) == 0, "%s", err.msg);
        ck_assert_int_ge(seen.calls, 1);
        ck_assert_str_eq(seen.begin, cases[i][1]);
        ck_assert_str_eq(seen.end, cases[i][2]);
        bl_xquery_free(q);
        bl_xqp_free(qp);
    }
    bl_xdb_close(db);
}
END_TEST

START_TEST(a_query_outlives_its_parser_and_combines_with_filters)
{
    bl_error err = {0};
    bl_xdb *db = open_read(index_path);
    bl_xqp *qp = parser_for(db);
    bl_xquery *words = NULL, *filter = NULL, *both = NULL, *all = NULL, *all_cbp = NULL;
    ck_assert_int_eq(bl_xqp_parse(qp, "smuggling", &words, &err), 0);
    ck_assert_int_eq(bl_xqp_parse(qp, "agency:cbp", &filter, &err), 0);
    bl_xqp_free(qp);
    ck_assert_int_eq(bl_xquery_and(words, filter, 1, &both, &err), 0);
    char got[256];
    ids_of(db, both, got, sizeof got);
    ck_assert_str_eq(got, "q4 q5");
    char *d = bl_xquery_describe(both);
    ck_assert_ptr_nonnull(strstr(d, "FILTER"));
    free(d);
    ck_assert_int_eq(bl_xquery_all(&all, &err), 0);
    ids_of(db, all, got, sizeof got);
    ck_assert_str_eq(got, "q1 q2 q3 q4 q5");
    ck_assert_int_eq(bl_xquery_and(all, filter, 0, &all_cbp, &err), 0);
    ids_of(db, all_cbp, got, sizeof got);
    ck_assert_str_eq(got, "q4 q5");

    /* One exact term, as stored: no stemming, no parsing. */
    bl_xquery *term = NULL;
    ck_assert_int_eq(bl_xquery_term("Afbi", &term, &err), 0);
    ids_of(db, term, got, sizeof got);
    ck_assert_str_eq(got, "q2");
    bl_xquery_free(term);
    ck_assert_int_eq(bl_xquery_term("Aborder patrol", &term, &err), 0);
    ids_of(db, term, got, sizeof got);
    ck_assert_str_eq(got, "q1");
    bl_xquery_free(term);
    ck_assert_int_eq(bl_xquery_term("smuggled", &term, &err), 0);
    ids_of(db, term, got, sizeof got);
    ck_assert_str_eq(got, "q4");
    bl_xquery_free(term);
    term = (bl_xquery *)&err;
    ck_assert_int_eq(bl_xquery_term("", &term, &err), BL_EINVAL);
    ck_assert_ptr_null(term);
    bl_xquery_free(words);
    bl_xquery_free(filter);
    bl_xquery_free(both);
    bl_xquery_free(all);
    bl_xquery_free(all_cbp);
    bl_xdb_close(db);
}
END_TEST

/* ---- searching ---------------------------------------------------------- */

static bl_xmset *search_all(bl_xdb *db, const bl_xsearch_opts *opts)
{
    bl_error err = {0};
    bl_xquery *all = NULL;
    ck_assert_int_eq(bl_xquery_all(&all, &err), 0);
    bl_xmset *ms = NULL;
    ck_assert_msg(bl_xsearch(db, all, opts, &ms, &err) == 0, "%s", err.msg);
    bl_xquery_free(all);
    return ms;
}

static void value_of(const bl_xmset *ms, unsigned i, unsigned slot, char *out, size_t out_size)
{
    bl_error err = {0};
    char *v = NULL;
    size_t len = 0;
    ck_assert_int_eq(bl_xmset_value(ms, i, slot, &v, &len, &err), 0);
    snprintf(out, out_size, "%.*s", (int)len, v);
    free(v);
}

START_TEST(sorting_by_value_ascending_and_descending)
{
    bl_xdb *db = open_read(index_path);
    bl_xsearch_opts opts;
    bl_xsearch_opts_init(&opts);
    opts.sort_slot = SLOT_DATE;
    opts.sort_descending = 0;
    bl_xmset *ms = search_all(db, &opts);
    ck_assert_uint_eq(bl_xmset_size(ms), N_SAMPLES);
    char prev[16] = "", cur[16];
    for (unsigned i = 0; i < bl_xmset_size(ms); i++) {
        value_of(ms, i, SLOT_DATE, cur, sizeof cur);
        ck_assert_msg(strcmp(prev, cur) <= 0, "ascending: %s before %s", prev, cur);
        memcpy(prev, cur, sizeof prev);
    }
    value_of(ms, 0, SLOT_DATE, cur, sizeof cur);
    ck_assert_str_eq(cur, "20181120");
    bl_xmset_free(ms);

    opts.sort_descending = 1;
    ms = search_all(db, &opts);
    value_of(ms, 0, SLOT_DATE, prev, sizeof prev);
    ck_assert_str_eq(prev, "20220505");
    for (unsigned i = 1; i < bl_xmset_size(ms); i++) {
        value_of(ms, i, SLOT_DATE, cur, sizeof cur);
        ck_assert_msg(strcmp(prev, cur) >= 0, "descending: %s before %s", prev, cur);
        memcpy(prev, cur, sizeof prev);
    }
    bl_xmset_free(ms);

    /* Numbers sort by their serialised bytes: largest suspects first. */
    opts.sort_slot = SLOT_SUSPECTS;
    ms = search_all(db, &opts);
    bl_error err = {0};
    char *v = NULL;
    size_t len = 0;
    ck_assert_int_eq(bl_xmset_value(ms, 0, SLOT_SUSPECTS, &v, &len, &err), 0);
    ck_assert_double_eq(bl_sortable_unserialise(v, len), 30);
    free(v);
    bl_xmset_free(ms);
    bl_xdb_close(db);
}
END_TEST

START_TEST(collapsing_keeps_one_hit_per_key_and_counts_the_rest)
{
    bl_error err = {0};
    bl_xdb *db = open_read(index_path);
    bl_xsearch_opts opts;
    bl_xsearch_opts_init(&opts);
    opts.collapse_slot = SLOT_DIGEST;
    opts.exact_count = 1;
    bl_xmset *ms = search_all(db, &opts);
    ck_assert_uint_eq(bl_xmset_size(ms), N_SAMPLES - 1);
    uint64_t lower = 0, est = 0, upper = 0, collapsed = 0;
    bl_xmset_total(ms, &lower, &est, &upper);
    ck_assert_uint_eq(est, N_SAMPLES - 1);
    for (unsigned i = 0; i < bl_xmset_size(ms); i++) {
        char digest[16];
        uint64_t c = 0;
        value_of(ms, i, SLOT_DIGEST, digest, sizeof digest);
        ck_assert_int_eq(bl_xmset_collapse_count(ms, i, &c, &err), 0);
        ck_assert_uint_eq(c, strcmp(digest, "d-a") == 0 ? 1 : 0);
        collapsed += c;
    }
    ck_assert_uint_eq(collapsed, 1);
    bl_xmset_free(ms);

    bl_xsearch_opts_init(&opts);
    ms = search_all(db, &opts);
    uint64_t c = 9;
    ck_assert_int_eq(bl_xmset_collapse_count(ms, 0, &c, &err), 0);
    ck_assert_uint_eq(c, 0);
    bl_xmset_free(ms);
    bl_xdb_close(db);
}
END_TEST

START_TEST(hits_out_of_range_are_refused)
{
    bl_error err = {0};
    bl_xdb *db = open_read(index_path);
    bl_xsearch_opts opts;
    bl_xsearch_opts_init(&opts);
    opts.offset = 3;
    bl_xmset *ms = search_all(db, &opts);
    ck_assert_uint_eq(bl_xmset_size(ms), N_SAMPLES - 3);
    char *data = NULL;
    ck_assert_int_eq(bl_xmset_data(ms, 2, &data, NULL, &err), BL_EINVAL);
    ck_assert_ptr_null(data);
    double w = 0;
    ck_assert_int_eq(bl_xmset_weight(ms, 0, &w, &err), 0);
    ck_assert_uint_eq(bl_xmset_facet_size(ms, 0), 0);
    ck_assert_ptr_null(bl_xmset_facet_name(ms, 0, 0, NULL));
    bl_xmset_free(ms);
    bl_xmset_free(NULL);
    ck_assert_uint_eq(bl_xmset_size(NULL), 0);
    bl_xdb_close(db);
}
END_TEST

/* Brute-force facet count over every match of query: how many documents
 * carry name in slot (as a whole value, or as one of the names of a
 * multi-valued one). */
static uint64_t count_by_hand(bl_xdb *db, const bl_xquery *q, unsigned slot, int multi,
                              const char *name, size_t name_len)
{
    bl_error err = {0};
    bl_xsearch_opts opts;
    bl_xsearch_opts_init(&opts);
    opts.limit = 1000;
    bl_xmset *ms = NULL;
    ck_assert_int_eq(bl_xsearch(db, q, &opts, &ms, &err), 0);
    uint64_t n = 0;
    for (unsigned i = 0; i < bl_xmset_size(ms); i++) {
        char *v = NULL;
        size_t len = 0;
        ck_assert_int_eq(bl_xmset_value(ms, i, slot, &v, &len, &err), 0);
        int found = 0;
        if (!multi) {
            found = len == name_len && memcmp(v, name, len) == 0;
        } else {
            for (size_t start = 0; start <= len && !found;) {
                const char *sep = memchr(v + start, BL_XFACET_SEP, len - start);
                size_t end = sep ? (size_t)(sep - v) : len;
                found = end - start == name_len && memcmp(v + start, name, name_len) == 0;
                start = end + 1;
            }
        }
        n += found;
        free(v);
    }
    bl_xmset_free(ms);
    return n;
}

static void check_facets(bl_xdb *db, const char *query)
{
    bl_error err = {0};
    bl_xqp *qp = parser_for(db);
    bl_xquery *q = NULL;
    ck_assert_int_eq(bl_xqp_parse(qp, query, &q, &err), 0);
    bl_xsearch_opts opts;
    bl_xsearch_opts_init(&opts);
    opts.limit = 1;
    opts.n_facets = 3;
    opts.facet_slots[0] = SLOT_AGENCY;
    opts.facet_slots[1] = SLOT_CAMPAIGNS;
    opts.facet_multi[1] = 1;
    opts.facet_slots[2] = SLOT_DATE;
    bl_xmset *ms = NULL;
    ck_assert_msg(bl_xsearch(db, q, &opts, &ms, &err) == 0, "%s", err.msg);
    uint64_t lower = 0, est = 0, upper = 0;
    bl_xmset_total(ms, &lower, &est, &upper);
    ck_assert_uint_eq(lower, upper);
    for (unsigned k = 0; k < opts.n_facets; k++) {
        uint64_t total = 0;
        for (unsigned j = 0; j < bl_xmset_facet_size(ms, k); j++) {
            size_t len = 0;
            const char *name = bl_xmset_facet_name(ms, k, j, &len);
            uint64_t count = bl_xmset_facet_count(ms, k, j);
            ck_assert_uint_eq(count, count_by_hand(db, q, opts.facet_slots[k], opts.facet_multi[k],
                                                   name, len));
            ck_assert_ptr_null(memchr(name, BL_XFACET_SEP, len));
            if (j > 0) {
                size_t prev_len = 0;
                const char *prev = bl_xmset_facet_name(ms, k, j - 1, &prev_len);
                uint64_t prev_count = bl_xmset_facet_count(ms, k, j - 1);
                int order = memcmp(prev, name, prev_len < len ? prev_len : len);
                ck_assert(prev_count > count ||
                          (prev_count == count && (order < 0 || (order == 0 && prev_len < len))));
            }
            total += count;
        }
        if (!opts.facet_multi[k])
            ck_assert_uint_le(total, upper);
    }
    bl_xmset_free(ms);
    bl_xquery_free(q);
    bl_xqp_free(qp);
}

START_TEST(facet_counts_are_exact_over_all_matches)
{
    bl_xdb *db = open_read(index_path);
    check_facets(db, "NOT nothingatall");
    check_facets(db, "smuggling");
    check_facets(db, "偷渡 OR fraud");
    bl_xdb_close(db);
}
END_TEST

/* A search with facets sees every match and ranks its collapsed page itself;
 * it must show the hits, weights and collapse counts of the plain collapsed
 * search, page by page, and its total is the number of distinct keys. */
static const char *const counted_queries[] = {"smuggling", "NOT nothingatall", "偷渡 OR fraud",
                                              "arrested OR drugs OR fraud"};

START_TEST(a_counted_search_ranks_and_collapses_as_a_plain_one)
{
    bl_error err = {0};
    bl_xdb *db = open_read(index_path);
    bl_xqp *qp = parser_for(db);
    bl_xquery *q = NULL;
    ck_assert_int_eq(bl_xqp_parse(qp, counted_queries[_i], &q, &err), 0);
    const unsigned pages[][2] = {{0, 10}, {0, 1}, {1, 2}, {3, 10}};
    for (size_t p = 0; p < sizeof pages / sizeof pages[0]; p++) {
        bl_xsearch_opts plain, counted;
        bl_xsearch_opts_init(&plain);
        plain.offset = pages[p][0];
        plain.limit = pages[p][1];
        plain.collapse_slot = SLOT_DIGEST;
        plain.exact_count = 1; /* exact collapse counts to compare with */
        counted = plain;
        counted.n_facets = 1;
        counted.facet_slots[0] = SLOT_AGENCY;
        bl_xmset *a = NULL, *b = NULL;
        ck_assert_int_eq(bl_xsearch(db, q, &plain, &a, &err), 0);
        ck_assert_int_eq(bl_xsearch(db, q, &counted, &b, &err), 0);
        ck_assert_uint_eq(bl_xmset_size(a), bl_xmset_size(b));
        for (unsigned i = 0; i < bl_xmset_size(a); i++) {
            char da[16], db_[16];
            double wa = 0, wb = 0;
            uint64_t ca = 9, cb = 9;
            value_of(a, i, SLOT_DATE, da, sizeof da);
            value_of(b, i, SLOT_DATE, db_, sizeof db_);
            ck_assert_str_eq(da, db_);
            ck_assert_int_eq(bl_xmset_weight(a, i, &wa, &err), 0);
            ck_assert_int_eq(bl_xmset_weight(b, i, &wb, &err), 0);
            ck_assert(wa == wb);
            ck_assert_int_eq(bl_xmset_collapse_count(a, i, &ca, &err), 0);
            ck_assert_int_eq(bl_xmset_collapse_count(b, i, &cb, &err), 0);
            ck_assert_uint_eq(ca, cb);
        }
        uint64_t la, ea, ua, lb, eb, ub;
        bl_xmset_total(a, &la, &ea, &ua);
        bl_xmset_total(b, &lb, &eb, &ub);
        ck_assert_uint_eq(lb, ub);
        ck_assert_uint_eq(eb, ea);
        bl_xmset_free(a);
        bl_xmset_free(b);
    }
    /* The total counts each key once: d-a is held by q1 and q4. */
    bl_xsearch_opts opts;
    bl_xsearch_opts_init(&opts);
    opts.collapse_slot = SLOT_DIGEST;
    opts.n_facets = 1;
    opts.facet_slots[0] = SLOT_AGENCY;
    bl_xquery *all = NULL;
    ck_assert_int_eq(bl_xquery_all(&all, &err), 0);
    bl_xmset *ms = NULL;
    ck_assert_int_eq(bl_xsearch(db, all, &opts, &ms, &err), 0);
    uint64_t lower, est, upper;
    bl_xmset_total(ms, &lower, &est, &upper);
    ck_assert_uint_eq(est, N_SAMPLES - 1);
    ck_assert_uint_eq(lower, upper);
    bl_xmset_free(ms);
    bl_xquery_free(all);
    bl_xquery_free(q);
    bl_xqp_free(qp);
    bl_xdb_close(db);
}
END_TEST

START_TEST(a_multi_valued_facet_counts_each_name_once_per_document)
{
    bl_xdb *db = open_read(index_path);
    bl_xsearch_opts opts;
    bl_xsearch_opts_init(&opts);
    opts.limit = 1;
    opts.n_facets = 2;
    opts.facet_slots[0] = SLOT_CAMPAIGNS;
    opts.facet_multi[0] = 1;
    opts.facet_slots[1] = SLOT_AGENCY;
    bl_xmset *ms = search_all(db, &opts);
    static const char *const names[] = {"Operation Guardian", "Operation Lone Star", "百日行动"};
    ck_assert_uint_eq(bl_xmset_facet_size(ms, 0), 3);
    for (unsigned j = 0; j < 3; j++) {
        size_t len = 0;
        const char *name = bl_xmset_facet_name(ms, 0, j, &len);
        ck_assert_uint_eq(len, strlen(names[j]));
        ck_assert_mem_eq(name, names[j], len);
        ck_assert_uint_eq(bl_xmset_facet_count(ms, 0, j), 2);
    }
    ck_assert_uint_eq(bl_xmset_facet_size(ms, 1), 4);
    ck_assert_str_eq(bl_xmset_facet_name(ms, 1, 0, NULL), "CBP");
    ck_assert_uint_eq(bl_xmset_facet_count(ms, 1, 0), 2);
    ck_assert_str_eq(bl_xmset_facet_name(ms, 1, 1, NULL), "Border Patrol");
    bl_xmset_free(ms);
    bl_xdb_close(db);
}
END_TEST

static char *snippet_for(bl_xdb *db, const char *query, const char *text)
{
    bl_error err = {0};
    bl_xqp *qp = parser_for(db);
    bl_xquery *q = NULL;
    ck_assert_int_eq(bl_xqp_parse(qp, query, &q, &err), 0);
    bl_xsearch_opts opts;
    bl_xsearch_opts_init(&opts);
    bl_xmset *ms = NULL;
    ck_assert_int_eq(bl_xsearch(db, q, &opts, &ms, &err), 0);
    char *out = NULL;
    ck_assert_msg(bl_xmset_snippet(ms, text, strlen(text), 200, "[[", "]]", &out, &err) == 0, "%s",
                  err.msg);
    bl_xmset_free(ms);
    bl_xquery_free(q);
    bl_xqp_free(qp);
    return out;
}

START_TEST(snippets_mark_the_query_terms)
{
    bl_xdb *db = open_read(index_path);
    char *s = snippet_for(db, "smuggling", samples[3].body);
    ck_assert_msg(strstr(s, "[[smuggled]]") != NULL, "%s", s);
    free(s);
    s = snippet_for(db, "fbi", samples[1].body);
    ck_assert_msg(strstr(s, "[[FBI]] &amp; local") != NULL, "%s", s);
    free(s);
    s = snippet_for(db, "偷渡", samples[2].body);
    ck_assert_msg(strstr(s, "[[偷渡]]") != NULL || strstr(s, "[[偷]][[渡]]") != NULL, "%s", s);
    free(s);
    /* A long text is cut to the length asked for, with "..." marks. */
    char long_text[4000] = "";
    for (int i = 0; i < 60; i++)
        strcat(long_text, i == 30 ? "and the smuggled cargo, " : "nothing to see here, ");
    s = snippet_for(db, "smuggling", long_text);
    ck_assert_uint_le(strlen(s), 200 + 2 * 10);
    ck_assert_msg(strstr(s, "[[smuggled]]") != NULL, "%s", s);
    ck_assert_msg(strstr(s, "...") != NULL, "%s", s);
    free(s);
    bl_xdb_close(db);
}
END_TEST

/* Every term of a query is marked in its own inflected forms, whatever its
 * first letter, and a wildcard marks the words it expands to. */
START_TEST(snippets_mark_every_term_in_any_form)
{
    bl_xdb *db = open_read(index_path);
    const char *text = "Officers arrested two men dying of thirst under clear skies "
                       "while they were smuggling water.";
    char *s = snippet_for(db, "arrest OR die OR sky OR water", text);
    ck_assert_msg(strstr(s, "[[arrested]]") != NULL, "%s", s);
    ck_assert_msg(strstr(s, "[[dying]]") != NULL, "%s", s);
    ck_assert_msg(strstr(s, "[[skies]]") != NULL, "%s", s);
    ck_assert_msg(strstr(s, "[[water]]") != NULL, "%s", s);
    ck_assert_msg(strstr(s, "[[Officers]]") == NULL && strstr(s, "[[thirst]]") == NULL, "%s", s);
    free(s);
    s = snippet_for(db, "smugg* OR thirst", text);
    ck_assert_msg(strstr(s, "[[smuggling]]") != NULL, "%s", s);
    ck_assert_msg(strstr(s, "[[thirst]]") != NULL, "%s", s);
    free(s);
    bl_xdb_close(db);
}
END_TEST

/* A snippet is the first window that holds the query, which in a bulletin is
 * its lead, with the figures; not a later paragraph that repeats the word. */
START_TEST(a_snippet_comes_from_the_lead_of_a_bulletin)
{
    bl_xdb *db = open_read(index_path);
    char text[6000] = "Officers arrested 14 suspects for smuggling 300 kilograms of cocaine "
                      "at the port on Tuesday. ";
    for (int i = 0; i < 40; i++)
        strcat(text, "The investigation continues and more details will follow. ");
    strcat(text, "Smuggling, smuggling and smuggling: the agency warns that smuggling "
                 "networks adapt quickly. ");
    char *s = snippet_for(db, "smuggling", text);
    ck_assert_msg(strstr(s, "[[smuggling]] 300 kilograms of cocaine") != NULL, "%s", s);
    free(s);
    bl_xdb_close(db);
}
END_TEST

/* ---- maintenance -------------------------------------------------------- */

START_TEST(compaction_writes_a_searchable_copy)
{
    bl_error err = {0};
    char dest[400];
    snprintf(dest, sizeof dest, "%s/compact", tmp_dir);
    bl_xdb *db = open_read(index_path);
    ck_assert_msg(bl_xdb_compact(db, dest, &err) == 0, "%s", err.msg);
    ck_assert_int_eq(bl_xdb_compact(db, dest, &err), BL_EEXISTS);
    bl_xdb_close(db);
    bl_xdb *copy = open_read(dest);
    uint64_t n = 0;
    ck_assert_int_eq(bl_xdb_doccount(copy, &n, &err), 0);
    ck_assert_uint_eq(n, N_SAMPLES);
    char got[256];
    search_ids(copy, "smuggling 偷渡 arrested", got, sizeof got);
    ck_assert_str_eq(got, "q5");
    bl_xdb_close(copy);
    ck_assert_int_eq(bl_xdb_check(dest, &err), 0);
}
END_TEST

START_TEST(a_good_index_passes_the_check)
{
    bl_error err = {0};
    ck_assert_msg(bl_xdb_check(index_path, &err) == 0, "%s", err.msg);
    ck_assert_int_eq(err.code, 0);
}
END_TEST

/* Overwrites every 8 KiB block of a table file from byte `keep` of the block
 * on, so the file keeps its size but its blocks are garbage (keep 0: the
 * block headers too; keep 11: the headers survive, the items do not). */
static void corrupt_table(const char *dir, const char *table, off_t keep)
{
    char path[400];
    snprintf(path, sizeof path, "%s/%s", dir, table);
    int fd = open(path, O_RDWR);
    ck_assert_msg(fd >= 0, "open %s: %s", path, strerror(errno));
    struct stat st;
    ck_assert_int_eq(fstat(fd, &st), 0);
    ck_assert_int_gt(st.st_size, 0);
    char junk[8192];
    memset(junk, 0x5a, sizeof junk);
    for (off_t block = 0; block < st.st_size; block += 8192) {
        off_t end = block + 8192 < st.st_size ? block + 8192 : st.st_size;
        size_t n = (size_t)(end - block - keep);
        ck_assert_int_eq(pwrite(fd, junk, n, block + keep), (ssize_t)n);
    }
    close(fd);
}

typedef struct corruption {
    const char *table;
    off_t keep;
} corruption;

static const corruption corruptions[] = {
    {"postlist.glass", 0}, {"termlist.glass", 0}, {"docdata.glass", 0}, {"position.glass", 0},
    {"postlist.glass", 11}, {"termlist.glass", 11}, {"docdata.glass", 11}, {"position.glass", 11},
};

/* Opens, looks up, searches and reads hits until something fails; returns
 * that code (0 when the damage went unnoticed). */
static int use_index(const char *path, bl_error *err)
{
    bl_xdb *db = NULL;
    int rc = bl_xdb_open(path, BL_XDB_READ, &db, err);
    if (rc)
        return rc;
    char *data = NULL;
    rc = bl_xdb_get_data_by_term(db, "Qq1", &data, NULL, err);
    free(data);
    if (rc == BL_ENOTFOUND) /* the damage hid the term */
        rc = 0;
    bl_xqp *qp = NULL;
    bl_xquery *q = NULL;
    bl_xmset *ms = NULL;
    if (rc == 0)
        rc = bl_xqp_new(db, &qp, err);
    if (rc == 0)
        rc = bl_xqp_parse(qp, "\"smuggling aliens\" OR 偷渡 OR arrests", &q, err);
    if (rc == 0) {
        bl_xsearch_opts opts;
        bl_xsearch_opts_init(&opts);
        opts.n_facets = 1;
        opts.facet_slots[0] = SLOT_AGENCY;
        rc = bl_xsearch(db, q, &opts, &ms, err);
    }
    for (unsigned i = 0; rc == 0 && i < bl_xmset_size(ms); i++) {
        rc = bl_xmset_data(ms, i, &data, NULL, err);
        free(data);
    }
    bl_xmset_free(ms);
    bl_xquery_free(q);
    bl_xqp_free(qp);
    bl_xdb_close(db);
    return rc;
}

START_TEST(a_corrupted_index_gives_errors_not_crashes)
{
    const corruption *c = &corruptions[_i];
    corrupt_table(index_path, c->table, c->keep);
    bl_error err = {0};
    int rc = bl_xdb_check(index_path, &err);
    ck_assert_msg(rc == BL_ECORRUPT, "%s from %lld: rc %d: %s", c->table, (long long)c->keep, rc,
                  err.msg);
    ck_assert_ptr_nonnull(strstr(err.msg, index_path));

    bl_error_clear(&err);
    if (c->keep != 0) {
        /* Block headers intact, items garbage: libxapian 1.4 trusts the item
         * lengths inside a sound block when it reads (only the check above
         * weighs them), so reading such a table may fault inside the
         * library, as it does under AddressSanitizer's heap layout. That is
         * damage to the medium, not anything a page, query or killed process
         * can cause; the check is what finds it. Read it in a child so the
         * outcome is seen either way: an error with its reason, or a fault
         * confined to libxapian's reading. */
        pid_t pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
            rc = use_index(index_path, &err);
            _exit(rc != 0 && err.msg[0] == '\0' ? 3 : 0);
        }
        int ws;
        ck_assert_int_eq(waitpid(pid, &ws, 0), pid);
        /* A fault is a signal, or exit 1 from AddressSanitizer's handler. */
        ck_assert_msg(!WIFEXITED(ws) || WEXITSTATUS(ws) != 3,
                      "%s from %lld: a failure without its reason", c->table, (long long)c->keep);
        return;
    }
    /* Broken block headers are noticed on opening. */
    rc = use_index(index_path, &err);
    ck_assert_msg(rc == BL_ECORRUPT, "%s: rc %d: %s", c->table, rc, err.msg);
    ck_assert_ptr_nonnull(strstr(err.msg, "DatabaseCorruptError"));
    ck_assert_ptr_nonnull(strstr(err.msg, index_path));
}
END_TEST

/* ---- errors ------------------------------------------------------------- */

START_TEST(opening_a_missing_index_names_the_path)
{
    static const int modes[] = {BL_XDB_READ, BL_XDB_WRITE_OPEN};
    for (size_t i = 0; i < 2; i++) {
        char path[400];
        snprintf(path, sizeof path, "%s/no-such-index", tmp_dir);
        bl_error err = {0};
        bl_xdb *db = (bl_xdb *)&err;
        ck_assert_int_eq(bl_xdb_open(path, modes[i], &db, &err), BL_ENOTFOUND);
        ck_assert_ptr_null(db);
        ck_assert_msg(strstr(err.msg, path) != NULL, "%s", err.msg);
        ck_assert_ptr_null(strchr(err.msg, '\n'));
    }
    bl_error err = {0};
    char missing[400];
    snprintf(missing, sizeof missing, "%s/nothing", tmp_dir);
    ck_assert_int_eq(bl_xdb_check(missing, &err), BL_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(err.msg, missing));
}
END_TEST

START_TEST(a_second_writer_is_locked_out)
{
    bl_error err = {0};
    bl_xdb *first = NULL, *second = NULL;
    ck_assert_int_eq(bl_xdb_open(index_path, BL_XDB_WRITE_OPEN, &first, &err), 0);
    ck_assert_int_eq(bl_xdb_open(index_path, BL_XDB_WRITE_CREATE, &second, &err), BL_ELOCKED);
    ck_assert_ptr_null(second);
    ck_assert_ptr_nonnull(strstr(err.msg, "DatabaseLockError"));
    ck_assert_ptr_nonnull(strstr(err.msg, index_path));
    bl_xdb_close(first);
    bl_error_clear(&err);
    ck_assert_int_eq(bl_xdb_open(index_path, BL_XDB_WRITE_OPEN, &second, &err), 0);
    bl_xdb_close(second);
}
END_TEST

START_TEST(a_writable_database_takes_no_extra_shards)
{
    bl_error err = {0};
    bl_xdb *w = NULL;
    ck_assert_int_eq(bl_xdb_open(index_path, BL_XDB_WRITE_OPEN, &w, &err), 0);
    bl_xdb *r = open_read(index_path);
    ck_assert_int_eq(bl_xdb_add(w, r, &err), BL_EINVAL);
    bl_xdb *bad_mode = NULL;
    ck_assert_int_eq(bl_xdb_open(index_path, 7, &bad_mode, &err), BL_EINVAL);
    ck_assert_ptr_null(bad_mode);
    bl_xdb_close(r);
    bl_xdb_close(w);
    bl_xdb_close(NULL);
}
END_TEST

START_TEST(added_shards_outlive_their_own_handle)
{
    bl_error err = {0};
    char other[400];
    snprintf(other, sizeof other, "%s/other", tmp_dir);
    write_index(other, samples, 2);
    bl_xdb *db = open_read(index_path);
    bl_xdb *more = open_read(other);
    ck_assert_int_eq(bl_xdb_add(db, more, &err), 0);
    bl_xdb_close(more);
    uint64_t n = 0;
    ck_assert_int_eq(bl_xdb_doccount(db, &n, &err), 0);
    ck_assert_uint_eq(n, N_SAMPLES + 2);
    char got[256];
    search_ids(db, "fraud", got, sizeof got);
    ck_assert_str_eq(got, "q2 q2");

    /* Compaction merges the shards into one index. */
    char merged[400];
    snprintf(merged, sizeof merged, "%s/merged", tmp_dir);
    ck_assert_msg(bl_xdb_compact(db, merged, &err) == 0, "%s", err.msg);
    bl_xdb_close(db);
    db = open_read(merged);
    ck_assert_int_eq(bl_xdb_doccount(db, &n, &err), 0);
    ck_assert_uint_eq(n, N_SAMPLES + 2);
    bl_xdb_close(db);

    /* A stub file lists shards one a line. */
    char stub[400];
    snprintf(stub, sizeof stub, "%s/all.stub", tmp_dir);
    FILE *f = fopen(stub, "w");
    ck_assert_ptr_nonnull(f);
    fprintf(f, "auto %s\nauto %s\n", index_path, other);
    fclose(f);
    db = open_read(stub);
    ck_assert_int_eq(bl_xdb_doccount(db, &n, &err), 0);
    ck_assert_uint_eq(n, N_SAMPLES + 2);
    bl_xdb_close(db);

    /* A writable database is never shared as a shard. */
    bl_xdb *writer = NULL;
    db = open_read(index_path);
    ck_assert_int_eq(bl_xdb_open(other, BL_XDB_WRITE_OPEN, &writer, &err), 0);
    ck_assert_int_eq(bl_xdb_add(db, writer, &err), BL_EINVAL);
    bl_xdb_close(writer);
    bl_xdb_close(db);
}
END_TEST

/* A port on 127.0.0.1 that nothing listens on (bound, then released). */
static unsigned free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    ck_assert_int_ge(fd, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    socklen_t len = sizeof a;
    ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    close(fd);
    return ntohs(a.sin_port);
}

START_TEST(a_remote_database_on_a_closed_port_is_a_network_error)
{
    bl_error err = {0};
    bl_xdb *db = (bl_xdb *)&err;
    int rc = bl_xdb_open_remote("127.0.0.1", free_port(), 2000, &db, &err);
    ck_assert_msg(rc == BL_ENETWORK || rc == BL_ETIMEOUT, "rc %d: %s", rc, err.msg);
    ck_assert_ptr_null(db);
    ck_assert_ptr_nonnull(strstr(err.msg, "127.0.0.1:"));
    bl_error_clear(&err);
    ck_assert_int_eq(bl_xdb_open_remote("127.0.0.1", 0, 2000, &db, &err), BL_EINVAL);
}
END_TEST

static const char *const tcpsrv_candidates[] = {"/usr/bin/xapian-tcpsrv",
                                                "/usr/local/bin/xapian-tcpsrv"};

static pid_t server_pid = -1;

/* Runs at exit too, so a failed assertion does not leave the server behind
 * (it runs in its own process group, out of Check's reach). */
static void stop_server(void)
{
    if (server_pid > 0) {
        kill(server_pid, SIGTERM);
        waitpid(server_pid, NULL, 0);
        server_pid = -1;
    }
}

START_TEST(a_remote_shard_served_by_tcpsrv_joins_a_local_one)
{
    const char *tcpsrv = NULL;
    for (size_t i = 0; i < sizeof tcpsrv_candidates / sizeof tcpsrv_candidates[0]; i++)
        if (access(tcpsrv_candidates[i], X_OK) == 0)
            tcpsrv = tcpsrv_candidates[i];
    if (!tcpsrv) {
        fprintf(stderr, "SKIP: xapian-tcpsrv is not installed (package xapian-tools)\n");
        return;
    }
    char local_path[400];
    snprintf(local_path, sizeof local_path, "%s/local", tmp_dir);
    write_index(local_path, samples + 3, 2); /* q4, q5 again, locally */

    unsigned port = free_port();
    char port_arg[16];
    snprintf(port_arg, sizeof port_arg, "%u", port);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid > 0) {
        server_pid = pid;
        atexit(stop_server);
    }
    if (pid == 0) {
        /* Its own process group: on SIGTERM the server signals its whole
         * group (its connection children), which must not include us. */
        setpgid(0, 0);
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0) {
            dup2(null, 1);
            dup2(null, 2);
        }
        /* --one-shot: the server also ends when our connection does. */
        execl(tcpsrv, tcpsrv, "--port", port_arg, "--interface", "127.0.0.1", "--one-shot",
              "--quiet", index_path, (char *)NULL);
        _exit(127);
    }

    /* Wait for the server to listen: retry the connection for up to ~10 s. */
    bl_error err = {0};
    bl_xdb *remote = NULL;
    int rc = -1;
    for (int attempt = 0; attempt < 100 && rc != 0; attempt++) {
        bl_error_clear(&err);
        rc = bl_xdb_open_remote("127.0.0.1", port, 5000, &remote, &err);
        if (rc != 0) {
            struct timespec pause = {0, 100 * 1000 * 1000};
            nanosleep(&pause, NULL);
        }
    }
    if (rc != 0) {
        stop_server();
        ck_abort_msg("xapian-tcpsrv on port %u never answered: %s", port, err.msg);
    }
    bl_xdb *db = open_read(local_path);
    rc = bl_xdb_add(db, remote, &err);
    bl_xdb_close(remote);
    uint64_t n = 0;
    if (rc == 0)
        rc = bl_xdb_doccount(db, &n, &err);
    char got[256] = "";
    if (rc == 0)
        search_ids(db, "smuggling 偷渡", got, sizeof got);
    /* Facets over a remote shard, the multi-valued one included. */
    if (rc == 0)
        check_facets(db, "NOT nothingatall");
    char *s = rc == 0 ? snippet_for(db, "cocaine", samples[3].body) : NULL;
    bl_xdb_close(db);
    stop_server();

    ck_assert_msg(rc == 0, "%s", err.msg);
    ck_assert_uint_eq(n, N_SAMPLES + 2);
    ck_assert_str_eq(got, "q5 q5");
    ck_assert_ptr_nonnull(strstr(s, "[[cocaine]]"));
    free(s);
}
END_TEST

/* ---- numbers ------------------------------------------------------------ */

START_TEST(serialised_numbers_sort_like_the_numbers)
{
    static const double values[] = {-1e9, -2.5, -1, 0, 0.5, 1, 2, 12, 1461, 1.16e9};
    char prev[16];
    size_t prev_len = 0;
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        char buf[16];
        size_t len = bl_sortable_serialise(values[i], buf);
        ck_assert_uint_ge(len, 1);
        ck_assert_uint_le(len, 9);
        ck_assert_double_eq(bl_sortable_unserialise(buf, len), values[i]);
        if (i > 0) {
            int order = memcmp(prev, buf, prev_len < len ? prev_len : len);
            ck_assert(order < 0 || (order == 0 && prev_len < len));
        }
        memcpy(prev, buf, len);
        prev_len = len;
    }
    ck_assert_ptr_nonnull(bl_xapian_version());
    ck_assert_int_eq(bl_xapian_version()[0], '1');
}
END_TEST

static Suite *shim_suite(void)
{
    Suite *s = suite_create("xapian_shim");
    TCase *tc = tcase_create("index");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, a_created_index_counts_its_documents);
    tcase_add_test(tc, replacing_by_id_term_keeps_one_document);
    tcase_add_test(tc, deleting_by_id_term_removes_the_document);
    tcase_add_test(tc, a_reader_sees_commits_after_reopen);
    tcase_add_test(tc, a_committed_transaction_is_kept_and_a_cancelled_one_is_not);
    tcase_add_test(tc, closing_a_writer_commits_its_changes);
    tcase_add_test(tc, a_reader_left_behind_by_the_writer_is_told_to_reopen);
    tcase_add_test(tc, writes_to_a_read_only_database_are_refused);
    tcase_add_test(tc, terms_are_walked_in_order_with_their_frequencies);
    tcase_add_test(tc, metadata_survives_a_round_trip);
    tcase_add_loop_test(tc, queries_find_what_they_should, 0,
                        (int)(sizeof query_cases / sizeof query_cases[0]));
    tcase_add_loop_test(tc, queries_xapian_rejects_give_a_query_error, 0,
                        (int)(sizeof bad_queries / sizeof bad_queries[0]));
    tcase_add_loop_test(tc, odd_query_text_parses_or_fails_with_a_reason, 0,
                        (int)(sizeof odd_queries / sizeof odd_queries[0]));
    tcase_add_test(tc, an_overlong_query_is_refused);
    tcase_add_test(tc, a_failing_range_converter_gives_a_query_error_with_its_reason);
    tcase_add_test(tc, a_range_field_needs_no_prefix_and_builds_value_queries);
    tcase_add_test(tc, the_converter_sees_the_bounds_as_typed);
    tcase_add_test(tc, a_query_outlives_its_parser_and_combines_with_filters);
    tcase_add_test(tc, sorting_by_value_ascending_and_descending);
    tcase_add_test(tc, collapsing_keeps_one_hit_per_key_and_counts_the_rest);
    tcase_add_test(tc, hits_out_of_range_are_refused);
    tcase_add_test(tc, facet_counts_are_exact_over_all_matches);
    tcase_add_loop_test(tc, a_counted_search_ranks_and_collapses_as_a_plain_one, 0,
                        sizeof counted_queries / sizeof counted_queries[0]);
    tcase_add_test(tc, a_multi_valued_facet_counts_each_name_once_per_document);
    tcase_add_test(tc, snippets_mark_the_query_terms);
    tcase_add_test(tc, snippets_mark_every_term_in_any_form);
    tcase_add_test(tc, a_snippet_comes_from_the_lead_of_a_bulletin);
    tcase_add_test(tc, compaction_writes_a_searchable_copy);
    tcase_add_test(tc, a_good_index_passes_the_check);
    tcase_add_loop_test(tc, a_corrupted_index_gives_errors_not_crashes, 0,
                        (int)(sizeof corruptions / sizeof corruptions[0]));
    tcase_add_test(tc, opening_a_missing_index_names_the_path);
    tcase_add_test(tc, a_second_writer_is_locked_out);
    tcase_add_test(tc, a_writable_database_takes_no_extra_shards);
    tcase_add_test(tc, added_shards_outlive_their_own_handle);
    tcase_add_test(tc, a_remote_database_on_a_closed_port_is_a_network_error);
    tcase_add_test(tc, a_remote_shard_served_by_tcpsrv_joins_a_local_one);
    tcase_add_test(tc, serialised_numbers_sort_like_the_numbers);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(shim_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
