/* blotter fuzzing: the query language (searcher/query_build.h).
 *
 * A real, tiny Xapian index is built once per process in a temporary
 * directory (a few bulletins with titles, filter terms and the date value),
 * so that wildcard expansion and field prefixes have terms to work on; it is
 * opened read-only and removed at exit. Each input is one query string:
 * bl_query_normalise, then bl_query_parse, then the parsed query is described
 * and run. A query may be refused (BL_EQUERY, BL_ETOOBIG) but never crash.
 */
#include <ftw.h>
#include <stdio.h>
#include <unistd.h>

#include "bl_schema.h"
#include "bl_xapian.h"
#include "fuzz_util.h"
#include "query_build.h"

static bl_xdb *fuzz_db;
static char fuzz_dir[] = "/tmp/blotter-fuzz-query-XXXXXX";

static const struct {
    const char *id, *title, *text, *site, *lang, *agency, *year, *date;
} docs[] = {
    {"Qdoc1", "Hundred Days Action against illegal immigration",
     "The National Immigration Administration caught 1,461 criminal suspects in the summer "
     "Hundred Days Action.", "Hnia.gov.cn", "Len", "Anational immigration administration",
     "Y2019", "20190707"},
    {"Qdoc2", "公安部开展夏季治安打击整治行动",
     "公安部部署全国公安机关开展夏季治安打击整治行动，破获刑事案件一千四百六十一起。",
     "Hmps.gov.cn", "Lzh", "A公安部", "Y2020", "20201208"},
    {"Qdoc3", "Defendant sentenced for wire fraud conspiracy",
     "WASHINGTON - A man was sentenced to 60 months in prison and ordered to pay $1.2 million "
     "in restitution.", "Hjustice.gov", "Len", "Aus department of justice", "Y2014",
     "20140319"},
};

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void cleanup(void)
{
    bl_xdb_close(fuzz_db);
    fuzz_db = NULL;
    nftw(fuzz_dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
}

static int build_index(void)
{
    bl_error err = {0};
    bl_xdb *w = NULL;
    char path[sizeof fuzz_dir + 8];
    if (!mkdtemp(fuzz_dir))
        return -1;
    snprintf(path, sizeof path, "%s/db", fuzz_dir);
    if (bl_xdb_open(path, BL_XDB_WRITE_CREATE, &w, &err))
        goto fail;
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        bl_xdoc *d = NULL;
        int rc = bl_xdoc_new(&d, &err);
        if (!rc)
            rc = bl_xdoc_index_text(d, docs[i].title, strlen(docs[i].title), 1, BL_PREFIX_TITLE, &err);
        if (!rc)
            rc = bl_xdoc_index_text(d, docs[i].title, strlen(docs[i].title), 1, "", &err);
        if (!rc)
            rc = bl_xdoc_index_text(d, docs[i].text, strlen(docs[i].text), 1, "", &err);
        const char *terms[] = {docs[i].id, docs[i].site, docs[i].lang, docs[i].agency, docs[i].year};
        for (size_t t = 0; !rc && t < sizeof terms / sizeof terms[0]; t++)
            rc = bl_xdoc_add_boolean_term(d, terms[t], &err);
        if (!rc)
            rc = bl_xdoc_set_value(d, BL_SLOT_DATE, docs[i].date, 8, &err);
        if (!rc)
            rc = bl_xdoc_set_value_number(d, BL_SLOT_FACT0, 1461.0 * (double)(i + 1), &err);
        if (!rc)
            rc = bl_xdoc_set_data(d, docs[i].text, strlen(docs[i].text), &err);
        if (!rc)
            rc = bl_xdb_replace(w, docs[i].id, d, &err);
        bl_xdoc_free(d);
        if (rc)
            goto fail;
    }
    if (bl_xdb_commit(w, &err))
        goto fail;
    bl_xdb_close(w);
    w = NULL;
    if (bl_xdb_open(path, BL_XDB_READ, &fuzz_db, &err))
        goto fail;
    atexit(cleanup);
    return 0;
fail:
    fprintf(stderr, "fuzz_query: cannot build the index: %s\n", err.msg);
    bl_xdb_close(w);
    nftw(fuzz_dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
    return -1;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (build_index())
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* Past BL_QUERY_MAX the parser refuses at once: a little over it is
     * enough to test that refusal. */
    if (size > 2 * BL_QUERY_MAX)
        return 0;
    char *text = fuzz_strndup(data, size);
    if (!text)
        return 0;
    free(bl_query_normalise(text));

    bl_xquery *q = NULL;
    bl_xmset *ms = NULL;
    bl_error err = {0};
    int rc = bl_query_parse(fuzz_db, text, &q, &err);
    if (rc == 0) {
        free(bl_xquery_describe(q));
        bl_xsearch_opts opts;
        bl_xsearch_opts_init(&opts);
        if (bl_xsearch(fuzz_db, q, &opts, &ms, &err) == 0 && bl_xmset_size(ms) > 0) {
            char *snip = NULL;
            if (bl_xmset_snippet(ms, docs[0].text, strlen(docs[0].text), 200, "<b>", "</b>",
                                 &snip, &err) == 0)
                free(snip);
        }
    } else if (rc != BL_EQUERY && rc != BL_ETOOBIG && rc != BL_ENOMEM) {
        fprintf(stderr, "bl_query_parse: unexpected error %d: %s\n", rc, err.msg);
        abort();
    }
    bl_xmset_free(ms);
    bl_xquery_free(q);
    free(text);
    return 0;
}
