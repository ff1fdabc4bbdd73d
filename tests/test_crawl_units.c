/* The crawler's lower layers on their own: the sources file, robots.txt
 * matching, URL normalisation, and the WARC archive written and read back
 * (including a file cut short the way a killed crawl leaves it). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include "crawl_config.h"
#include "crawl_state.h"
#include "links.h"
#include "regex_cost.h"
#include "robots.h"
#include "url_norm.h"
#include "warc_bulletins.h"
#include "warc_reader.h"
#include "warc_writer.h"

/* ---- sources file ---- */

static bl_crawl_config *parse_ok(const char *text)
{
    bl_crawl_config *cfg = NULL;
    bl_error err = {0};
    int rc = bl_crawl_config_parse(text, strlen(text), "/etc/blotter/sources.ini", &cfg, &err);
    ck_assert_msg(rc == 0, "parse failed: %s", err.msg);
    return cfg;
}

START_TEST(a_sources_file_gives_every_key_of_a_source)
{
    bl_crawl_config *cfg = parse_ok(
        "; example\n"
        "[crawl]\n"
        "user_agent = blotter-test/1.0\n"
        "concurrency = 3\n"
        "timeout = 2.5\n"
        "\n"
        "[source nia]\n"
        "agency = National Immigration Administration\n"
        "lang = zh   ; trailing comment\n"
        "seed = https://www.nia.gov.cn/n741440/n741567/index.html\n"
        "seed = https://www.nia.gov.cn/other.html\n"
        "feed = https://example.org/rss.xml\n"
        "sitemap = https://example.org/sitemap.xml.gz\n"
        "follow = /index_[0-9]+\\.html$\n"
        "article = /art/[0-9]{4}/\n"
        "delay = 2\n"
        "max_pages = 50\n"
        "[source local]\n"
        "seed = site/index.html\n");
    ck_assert_str_eq(cfg->crawl.user_agent, "blotter-test/1.0");
    ck_assert_uint_eq(cfg->crawl.concurrency, 3);
    ck_assert_double_eq_tol(cfg->crawl.timeout, 2.5, 1e-9);
    ck_assert_uint_eq(cfg->n_sources, 2);
    bl_crawl_source *s = &cfg->sources[0];
    ck_assert_str_eq(s->name, "nia");
    ck_assert_str_eq(s->agency, "National Immigration Administration");
    ck_assert_str_eq(s->lang, "zh");
    ck_assert_uint_eq(s->seeds.n, 2);
    ck_assert_uint_eq(s->feeds.n, 1);
    ck_assert_uint_eq(s->sitemaps.n, 1);
    ck_assert_uint_eq(s->max_pages, 50);
    ck_assert_double_eq_tol(s->delay, 2, 1e-9);
    ck_assert(bl_regex_list_match(&s->follow, "https://x/index_3.html"));
    ck_assert(!bl_regex_list_match(&s->follow, "https://x/index_3.html?x"));
    ck_assert(bl_regex_list_match(&s->article, "https://x/art/2024/1.html"));
    /* A path without a scheme is a file next to the sources file. */
    ck_assert_str_eq(cfg->sources[1].seeds.items[0], "file:///etc/blotter/site/index.html");
    ck_assert_double_eq_tol(cfg->sources[1].delay, 1.0, 1e-9);
    bl_crawl_config_free(cfg);
}
END_TEST

static const struct {
    const char *text;
    const char *expected; /* a piece of the message, including the line */
} bad_configs[] = {
    {"[source a]\nseed = http://x/\ncolour = red\n", "sources.ini:3: unknown key 'colour'"},
    {"[source a]\nseed = http://x/\nfollow = ([a-z\n", "sources.ini:3: bad follow regex"},
    {"[source a]\nseed = http://x/\n\n\narticle = a{2,1}\n", "sources.ini:5: bad article regex"},
    {"[crawl]\nconcurrency = 0\n", "sources.ini:2: concurrency must be"},
    {"[crawl]\ntimeout = fast\n", "sources.ini:2: timeout must be"},
    {"[crawl]\nspeed = 3\n", "sources.ini:2: unknown key 'speed' in [crawl]"},
    {"seed = http://x/\n", "sources.ini:1: 'seed' outside any section"},
    {"[sauce a]\n", "sources.ini:1: unknown section [sauce a]"},
    {"[source a\n", "sources.ini:1: malformed section header"},
    {"[source a]\nseed http://x/\n", "sources.ini:2: expected 'key = value'"},
    {"[source a]\nseed = ftp://x/\n", "sources.ini:2: ftp://x/: only http, https and file"},
    {"[source a]\nseed = http://x/\n[source a]\n", "sources.ini:3: source 'a' is defined twice"},
    {"[source a]\nmax_pages = -4\n", "sources.ini:2: max_pages must be"},
    {"[source a]\nagency = Police\n", "source 'a' has no seed, feed or sitemap"},
    /* Patterns that would make regcomp allocate gigabytes are refused first. */
    {"[source a]\nseed = http://x/\nfollow = a{1,32767}\n",
     "sources.ini:3: follow regex refused: repetition bound 32767"},
    {"[source a]\nseed = http://x/\nfollow = h++++++++++++++++++++++\n",
     "sources.ini:3: follow regex refused: too complex"},
    {"[source a]\nseed = http://x/\narticle = ((x{200}){200})\n",
     "sources.ini:3: article regex refused: too complex"},
    /* Repeating what can match nothing made regcomp run for minutes. */
    {"[source a]\nseed = http://x/\nfollow = x????????????????????????++++++++\n",
     "sources.ini:3: follow regex refused: too complex (x+ or x{m,} where x can match nothing"},
    {"[source a]\nseed = http://x/\nfollow = /page((-[0-9]+)?){2,}\n",
     "sources.ini:3: follow regex refused: too complex (x+ or x{m,}"},
    {"[source a]\nseed = http://x/\nfollow = ((((((((((((x?)?)?)?)?)?)?){3}){3}){3}){3}){3}){3}\n",
     "sources.ini:3: follow regex refused: too complex (repetitions"},
};

START_TEST(a_bad_sources_file_is_an_error_naming_the_file_and_line)
{
    bl_crawl_config *cfg = NULL;
    bl_error err = {0};
    const char *text = bad_configs[_i].text;
    int rc = bl_crawl_config_parse(text, strlen(text), "/etc/sources.ini", &cfg, &err);
    ck_assert_int_eq(rc, BL_EINVAL);
    ck_assert_ptr_null(cfg);
    ck_assert_msg(strstr(err.msg, bad_configs[_i].expected), "case %d: got '%s', want '%s'", _i,
                  err.msg, bad_configs[_i].expected);
}
END_TEST

/* The bound on regex cost must leave every pattern a real site needs. */
START_TEST(ordinary_url_patterns_pass_the_regex_cost_check)
{
    static const char *const fine[] = {
        "^https?://www\\.mps\\.gov\\.cn/n2254098/n4904352/c[0-9]+/content\\.html$",
        "/(news|press|pr)/[0-9]{4}/[0-9]{2}/[^/?#]+(\\.html?)?$",
        "[[:alnum:]_-]{1,64}\\.shtml",
        "^(https?://[^/]+)?/[a-z]{2}(/[a-z0-9-]+){1,8}/?(\\?page=[0-9]{1,3})?$",
        "a{255}",
        "(/[a-z]+(-[0-9]+)?)+/?$",
        "(\\.s?html?)?(\\?.*)?$",
    };
    for (size_t i = 0; i < sizeof fine / sizeof fine[0]; i++) {
        char why[120] = "";
        ck_assert_msg(bl_regex_check_cost(fine[i], why, sizeof why) == 0, "%s refused: %s",
                      fine[i], why);
    }
}
END_TEST

START_TEST(a_missing_sources_file_is_not_found)
{
    bl_crawl_config *cfg = NULL;
    bl_error err = {0};
    ck_assert_int_eq(bl_crawl_config_load("/nonexistent/sources.ini", &cfg, &err), BL_ENOTFOUND);
    ck_assert(strstr(err.msg, "/nonexistent/sources.ini"));
}
END_TEST

/* ---- robots.txt ---- */

static const char robots_text[] =
    "# comment\n"
    "User-agent: *\n"
    "Disallow: /private/\n"
    "Allow: /private/public.html\n"
    "Disallow: /*.pdf$\n"
    "Disallow: /tmp\n"
    "Crawl-delay: 2\n"
    "\n"
    "User-agent: otherbot\n"
    "Disallow: /\n"
    "\n"
    "User-agent: Googlebot\n"
    "User-agent: BLOTTER\n"
    "Disallow: /nosearch\n"
    "Allow: /nosearch/ok\n"
    "Disallow: /page\n"
    "Allow: /page\n"
    "Disallow: /a*b$\n"
    "Sitemap: https://example.org/sitemap.xml\n"
    "Crawl-delay: 0.5\n"
    "User-agent: blotter\n"
    "Disallow: /second-group\n"
    "Disallow: /新闻/\n"
    "Disallow: /%7Ejoe/\n"
    "Disallow: /x%2fy\n";

static const struct {
    const char *agent;
    const char *path;
    int allowed;
} robots_cases[] = {
    /* Our own groups (both of them, merged) apply, not '*'. */
    {"blotter/0.1 (+https://x)", "/private/x.html", 1},
    {"blotter/0.1", "/nosearch", 0},
    {"blotter/0.1", "/nosearch/other", 0},
    {"blotter/0.1", "/nosearch/ok/deeper", 1},   /* longer allow wins */
    {"blotter/0.1", "/page", 1},                  /* allow wins a tie */
    {"blotter/0.1", "/aXXb", 0},                  /* * and $ */
    {"blotter/0.1", "/aXXbc", 1},                 /* $ anchors */
    {"blotter/0.1", "/second-group/x", 0},
    {"blotter/0.1", "/robots.txt", 1},
    {"blotter/0.1", "/", 1},
    /* Paths compare percent-encoded (RFC 9309 2.2.2). */
    {"blotter/0.1", "/%E6%96%B0%E9%97%BB/1.html", 0},
    {"blotter/0.1", "/%e6%96%b0%e9%97%bb/1.html", 0},
    {"blotter/0.1", "/~joe/index.html", 0},
    {"blotter/0.1", "/x%2Fy", 0},
    {"blotter/0.1", "/x/y", 1},   /* an encoded slash is not a slash */
    /* Anyone else gets the '*' group. */
    {"somebot/2", "/private/x.html", 0},
    {"somebot/2", "/private/public.html", 1},
    {"somebot/2", "/docs/file.pdf", 0},
    {"somebot/2", "/docs/file.pdf?x=1", 1},
    {"somebot/2", "/tmpfile", 0},                 /* prefix match */
    {"somebot/2", "/Tmp", 1},                     /* paths are case-sensitive */
    {"somebot/2", "/news/1.html", 1},
    {"otherbot", "/anything", 0},
};

START_TEST(robots_rules_follow_rfc_9309)
{
    bl_robots *r = NULL;
    ck_assert_int_eq(bl_robots_parse(robots_text, strlen(robots_text), robots_cases[_i].agent, &r,
                                     NULL), 0);
    ck_assert_msg(bl_robots_allowed(r, robots_cases[_i].path) == robots_cases[_i].allowed,
                  "%s %s: expected %s", robots_cases[_i].agent, robots_cases[_i].path,
                  robots_cases[_i].allowed ? "allowed" : "disallowed");
    bl_robots_free(r);
}
END_TEST

START_TEST(robots_crawl_delay_comes_from_the_group_that_applies)
{
    bl_robots *r = NULL;
    bl_robots_parse(robots_text, strlen(robots_text), "blotter/0.1", &r, NULL);
    ck_assert_double_eq_tol(bl_robots_crawl_delay(r), 0.5, 1e-9);
    bl_robots_free(r);
    bl_robots_parse(robots_text, strlen(robots_text), "somebot", &r, NULL);
    ck_assert_double_eq_tol(bl_robots_crawl_delay(r), 2, 1e-9);
    bl_robots_free(r);
    const char none[] = "User-agent: *\nDisallow:\n";
    bl_robots_parse(none, strlen(none), "blotter", &r, NULL);
    ck_assert_double_eq_tol(bl_robots_crawl_delay(r), -1, 1e-9);
    ck_assert(bl_robots_allowed(r, "/anything")); /* empty Disallow allows all */
    bl_robots_free(r);
}
END_TEST

START_TEST(an_empty_or_missing_robots_txt_allows_everything)
{
    bl_robots *r = NULL;
    bl_robots_parse("", 0, "blotter", &r, NULL);
    ck_assert(bl_robots_allowed(r, "/private/"));
    bl_robots_free(r);
    ck_assert(bl_robots_allowed(NULL, "/private/"));
}
END_TEST

START_TEST(robots_patterns_with_many_stars_match_without_blowing_up)
{
    char path[4096];
    memset(path, 'a', sizeof path - 1);
    path[sizeof path - 1] = '\0';
    const char *pat = "/*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b";
    ck_assert(!bl_robots_pattern_match(pat, strlen(pat), path));
    ck_assert(bl_robots_pattern_match("/*", 2, "/x"));
    ck_assert(bl_robots_pattern_match("$", 1, "") == 1);
}
END_TEST

/* ---- URLs ---- */

static const struct {
    const char *base, *href, *expected; /* expected NULL: rejected */
} url_cases[] = {
    {NULL, "HTTP://Example.COM:80/a/b.html#frag", "http://example.com/a/b.html"},
    {NULL, "https://example.com:443/", "https://example.com/"},
    {NULL, "https://example.com:8443/x", "https://example.com:8443/x"},
    {NULL, "http://example.com", "http://example.com/"},
    {"http://e.com/a/b/c.html", "../d.html", "http://e.com/a/d.html"},
    {"http://e.com/a/b/c.html", "./d.html?x=1#y", "http://e.com/a/b/d.html?x=1"},
    {"http://e.com/a/b/c.html", "/root.html", "http://e.com/root.html"},
    {"http://e.com/a/b/c.html", "//Other.org/x", "http://other.org/x"},
    {"http://e.com/a/b/c.html", "  page 2.html  ", "http://e.com/a/b/page%202.html"},
    {"http://e.com/a/b/c.html", "?page=2", "http://e.com/a/b/c.html?page=2"},
    {"file:///srv/site/index.html", "news/a.html#top", "file:///srv/site/news/a.html"},
    {"http://e.com/", "mailto:someone@e.com", NULL},
    {"http://e.com/", "javascript:void(0)", NULL},
    {"http://e.com/", "ftp://e.com/file", NULL},
    {NULL, "not a url", NULL},
    {"http://e.com/", "", NULL},
};

START_TEST(urls_are_resolved_and_normalised)
{
    char *out = NULL;
    bl_error err = {0};
    int rc = bl_url_resolve(url_cases[_i].base, url_cases[_i].href, &out, &err);
    if (url_cases[_i].expected) {
        ck_assert_msg(rc == 0, "%s: %s", url_cases[_i].href, err.msg);
        ck_assert_str_eq(out, url_cases[_i].expected);
    } else {
        ck_assert_msg(rc == BL_EINVAL, "%s accepted as %s", url_cases[_i].href, out);
        ck_assert_ptr_null(out);
    }
    free(out);
}
END_TEST

START_TEST(an_origin_names_scheme_host_and_port_and_files_have_none)
{
    char *o = bl_url_origin("http://e.com/a");
    ck_assert_str_eq(o, "http://e.com:80");
    free(o);
    o = bl_url_origin("https://127.0.0.1:8443/a?b");
    ck_assert_str_eq(o, "https://127.0.0.1:8443");
    free(o);
    ck_assert_ptr_null(bl_url_origin("file:///srv/x.html"));
    char *p = bl_url_path_query("http://e.com/a/b.html?x=1&y=2");
    ck_assert_str_eq(p, "/a/b.html?x=1&y=2");
    free(p);
}
END_TEST

/* ---- WARC ---- */

static char tmp_dir[256];

static void make_tmp(void)
{
    snprintf(tmp_dir, sizeof tmp_dir, "/tmp/blotter-crawl-test-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmp_dir));
}

static void remove_tmp(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp_dir);
    ck_assert_int_eq(system(cmd), 0);
}

static void write_sample_warc(const char *path)
{
    bl_warc_writer *w = NULL;
    bl_error err = {0};
    ck_assert_int_eq(bl_warc_writer_open(path, "blotter-test", &w, &err), 0);
    const char hdrs[] = "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=gbk\r\n"
                        "Content-Encoding: gzip\r\nContent-Length: 99\r\nETag: \"x\"\r\n\r\n";
    const char body[] = "<html><title>One</title><body>Arrested 3 people.</body></html>";
    const char req[] = "GET /news/1.html HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    bl_warc_page page = {.target_uri = "http://127.0.0.1/news/1.html", .date = 1700000000,
                         .http_headers = hdrs, .http_headers_len = strlen(hdrs), .body = body,
                         .http_request = req, .http_request_len = strlen(req),
                         .body_len = strlen(body), .kind = "article", .agency = "Test Police",
                         .lang = "en"};
    ck_assert_int_eq(bl_warc_write_page(w, &page, &err), 0);
    bl_warc_page res = {.target_uri = "file:///srv/site/news/2.html", .content_type = "text/html",
                        .body = "<p>two</p>", .body_len = 10, .kind = "article"};
    ck_assert_int_eq(bl_warc_write_page(w, &res, &err), 0);
    char digest[38];
    bl_warc_sha1_digest(body, strlen(body), digest);
    ck_assert_int_eq(bl_warc_write_revisit(w, "http://127.0.0.1/news/1.html", NULL,
                                           BL_WARC_NOT_MODIFIED, digest, 0, &err), 0);
    bl_warc_page bad = {.target_uri = "http://x/\r\nWARC-Type: evil", .body = "", .body_len = 0};
    ck_assert_int_eq(bl_warc_write_page(w, &bad, &err), BL_EINVAL);
    ck_assert_int_eq(bl_warc_writer_close(w, NULL), 0);
}

START_TEST(warc_records_written_are_read_back_field_for_field)
{
    make_tmp();
    char path[300];
    snprintf(path, sizeof path, "%s/a.warc.gz", tmp_dir);
    write_sample_warc(path);
    bl_warc_reader *r = NULL;
    bl_warc_record *rec = NULL;
    bl_error err = {0};
    ck_assert_int_eq(bl_warc_reader_open(path, &r, &err), 0);
    ck_assert_int_eq(bl_warc_reader_next(r, &rec, &err), 1);
    ck_assert_str_eq(rec->type, "warcinfo");
    bl_warc_record_free(rec);

    ck_assert_int_eq(bl_warc_reader_next(r, &rec, &err), 1);
    ck_assert_str_eq(rec->type, "response");
    ck_assert_str_eq(rec->target_uri, "http://127.0.0.1/news/1.html");
    ck_assert_str_eq(rec->date, "2023-11-14T22:13:20Z");
    ck_assert_str_eq(rec->kind, "article");
    ck_assert_str_eq(rec->agency, "Test Police");
    ck_assert_str_eq(rec->lang, "en");
    ck_assert_ptr_nonnull(rec->record_id);
    ck_assert_int_eq(strncmp(rec->record_id, "<urn:uuid:", 10), 0);
    ck_assert_int_eq(rec->http_status, 200);
    ck_assert_str_eq(rec->http_content_type, "text/html; charset=gbk");
    ck_assert_uint_eq(rec->payload_len, 62);
    ck_assert_int_eq(memcmp(rec->payload, "<html><title>One</title>", 24), 0);
    /* The transfer encoding is gone and the length is the stored one. */
    ck_assert_ptr_null(strstr(rec->block, "Content-Encoding"));
    ck_assert_ptr_nonnull(strstr(rec->block, "Content-Length: 62\r\n"));
    char digest[38];
    bl_warc_sha1_digest(rec->payload, rec->payload_len, digest);
    ck_assert_str_eq(rec->payload_digest, digest);
    char *cs = bl_content_type_charset(rec->http_content_type);
    ck_assert_str_eq(cs, "gbk");
    free(cs);
    char response_id[64];
    snprintf(response_id, sizeof response_id, "%s", rec->record_id);
    bl_warc_record_free(rec);

    /* The request as sent follows its response. */
    ck_assert_int_eq(bl_warc_reader_next(r, &rec, &err), 1);
    ck_assert_str_eq(rec->type, "request");
    ck_assert_str_eq(rec->target_uri, "http://127.0.0.1/news/1.html");
    ck_assert_str_eq(rec->concurrent_to, response_id);
    ck_assert_int_eq(strncmp(rec->block, "GET /news/1.html HTTP/1.1\r\n", 27), 0);
    bl_warc_record_free(rec);

    ck_assert_int_eq(bl_warc_reader_next(r, &rec, &err), 1);
    ck_assert_str_eq(rec->type, "resource");
    ck_assert_str_eq(rec->target_uri, "file:///srv/site/news/2.html");
    ck_assert_int_eq(rec->http_status, 200);
    ck_assert_uint_eq(rec->payload_len, 10);
    bl_warc_record_free(rec);

    ck_assert_int_eq(bl_warc_reader_next(r, &rec, &err), 1);
    ck_assert_str_eq(rec->type, "revisit");
    ck_assert_uint_eq(rec->block_len, 0);
    bl_warc_record_free(rec);

    ck_assert_int_eq(bl_warc_reader_next(r, &rec, &err), 0);
    ck_assert_ptr_null(rec);
    bl_warc_reader_close(r);
    remove_tmp();
}
END_TEST

START_TEST(a_sha1_payload_digest_is_base32_as_other_warc_tools_write_it)
{
    char d[38];
    bl_warc_sha1_digest("abc", 3, d);
    /* SHA-1("abc") = a9993e36...; in base 32: */
    ck_assert_str_eq(d, "sha1:VGMT4NSHA2AWVOR6EVYXQUGCNSONBWE5");
}
END_TEST

START_TEST(a_warc_cut_inside_its_last_record_gives_the_complete_records_then_truncated)
{
    make_tmp();
    char path[300], cut[300];
    snprintf(path, sizeof path, "%s/a.warc.gz", tmp_dir);
    snprintf(cut, sizeof cut, "%s/cut.warc.gz", tmp_dir);
    write_sample_warc(path);
    struct stat st;
    ck_assert_int_eq(stat(path, &st), 0);
    /* Drop the revisit record's end: a writer killed mid-record. */
    FILE *in = fopen(path, "rb"), *out = fopen(cut, "wb");
    char *buf = malloc((size_t)st.st_size);
    ck_assert_uint_eq(fread(buf, 1, (size_t)st.st_size, in), (size_t)st.st_size);
    fwrite(buf, 1, (size_t)st.st_size - 30, out);
    fclose(in);
    fclose(out);
    free(buf);

    bl_warc_reader *r = NULL;
    bl_warc_record *rec = NULL;
    bl_error err = {0};
    ck_assert_int_eq(bl_warc_reader_open(cut, &r, &err), 0);
    int n = 0, rc;
    while ((rc = bl_warc_reader_next(r, &rec, &err)) == 1) {
        n++;
        bl_warc_record_free(rec);
    }
    ck_assert_int_eq(n, 4);
    ck_assert_int_eq(rc, BL_ECORRUPT);
    ck_assert_msg(strstr(err.msg, "truncated"), "%s", err.msg);
    bl_warc_reader_close(r);
    remove_tmp();
}
END_TEST

typedef struct seen {
    char keys[4][128];
    char charset[16], agency[32];
    int n, stop_at;
} seen;

static int on_bulletin(void *ctx, const bl_extract_input *in, const char *key)
{
    seen *s = ctx;
    if (s->n < 4)
        snprintf(s->keys[s->n], sizeof s->keys[0], "%s", key);
    if (s->n == 0) {
        snprintf(s->charset, sizeof s->charset, "%s", in->charset_hint ? in->charset_hint : "");
        snprintf(s->agency, sizeof s->agency, "%s", in->agency_hint ? in->agency_hint : "");
        ck_assert_int_eq(in->kind, BL_CONTENT_HTML);
        ck_assert_ptr_nonnull(strstr(in->bytes, "Arrested 3 people"));
    }
    return ++s->n == s->stop_at ? 7 : 0;
}

START_TEST(an_archive_gives_its_bulletins_with_the_hints_the_crawl_had)
{
    make_tmp();
    char path[300];
    snprintf(path, sizeof path, "%s/a.warc.gz", tmp_dir);
    write_sample_warc(path);
    seen s = {0};
    bl_warc_index_stats st;
    bl_error err = {0};
    ck_assert_int_eq(bl_warc_each_bulletin(path, on_bulletin, &s, &st, &err), 0);
    ck_assert_int_eq(s.n, 2); /* the response and the resource; not warcinfo, not revisit */
    ck_assert_str_eq(s.keys[0], "http://127.0.0.1/news/1.html");
    ck_assert_str_eq(s.keys[1], "file:///srv/site/news/2.html");
    ck_assert_str_eq(s.charset, "gbk");
    ck_assert_str_eq(s.agency, "Test Police");
    ck_assert_uint_eq(st.records, 5);
    ck_assert_uint_eq(st.skipped, 3);
    /* The callback can stop the walk, and its value comes back. */
    seen t = {.stop_at = 1};
    ck_assert_int_eq(bl_warc_each_bulletin(path, on_bulletin, &t, &st, &err), 7);
    ck_assert_int_eq(t.n, 1);
    remove_tmp();
}
END_TEST

START_TEST(bytes_that_are_not_warc_are_corrupt)
{
    make_tmp();
    char path[300];
    snprintf(path, sizeof path, "%s/x.warc", tmp_dir);
    FILE *f = fopen(path, "w");
    fputs("HTTP/1.1 200 OK\r\n\r\nhello", f);
    fclose(f);
    bl_warc_reader *r = NULL;
    bl_warc_record *rec = NULL;
    bl_error err = {0};
    ck_assert_int_eq(bl_warc_reader_open(path, &r, &err), 0);
    ck_assert_int_eq(bl_warc_reader_next(r, &rec, &err), BL_ECORRUPT);
    bl_warc_reader_close(r);
    f = fopen(path, "w");
    fputs("WARC/1.1\r\nWARC-Type: resource\r\nContent-Length: 999999999999\r\n\r\n", f);
    fclose(f);
    bl_error err2 = {0};
    ck_assert_int_eq(bl_warc_reader_open(path, &r, &err2), 0);
    ck_assert_int_eq(bl_warc_reader_next(r, &rec, &err2), BL_ETOOBIG);
    bl_warc_reader_close(r);
    remove_tmp();
}
END_TEST

/* ---- link discovery ---- */

typedef struct found {
    char urls[32][256];
    int hints[32];
    int n;
} found;

static int collect(void *ctx, const char *url, int hint)
{
    found *f = ctx;
    if (f->n < 32) {
        snprintf(f->urls[f->n], sizeof f->urls[0], "%s", url);
        f->hints[f->n++] = hint;
    }
    return 0;
}

static int has(const found *f, const char *url, int hint)
{
    for (int i = 0; i < f->n; i++)
        if (!strcmp(f->urls[i], url) && f->hints[i] == hint)
            return 1;
    return 0;
}

START_TEST(html_links_are_resolved_against_the_page_or_its_base)
{
    const char *html =
        "<html><head><link rel=\"next\" href=\"p2.html\"><link rel=\"stylesheet\" href=\"s.css\">"
        "</head><body><a href=\"a.html#x\">A</a><A HREF=\"/b.html\">B</A>"
        "<a href=\"mailto:x@y.z\">mail</a><a>no href</a><map><area href=\"c.html\"></map>"
        "<a href=\"https://Other.example:443/d\">D</a></body></html>";
    found f = {0};
    ck_assert_int_eq(bl_links_html(html, strlen(html), "http://e.com/dir/index.html", collect, &f,
                                   NULL), 0);
    ck_assert_int_eq(f.n, 5);
    ck_assert(has(&f, "http://e.com/dir/p2.html", BL_LINK_PAGE));
    ck_assert(has(&f, "http://e.com/dir/a.html", BL_LINK_PAGE));
    ck_assert(has(&f, "http://e.com/b.html", BL_LINK_PAGE));
    ck_assert(has(&f, "http://e.com/dir/c.html", BL_LINK_PAGE));
    ck_assert(has(&f, "https://other.example/d", BL_LINK_PAGE));

    const char *based = "<html><head><base href=\"http://cdn.e.com/x/\"></head>"
                        "<body><a href=\"y.html\">Y</a></body></html>";
    found g = {0};
    bl_links_html(based, strlen(based), "http://e.com/", collect, &g, NULL);
    ck_assert_int_eq(g.n, 1);
    ck_assert_str_eq(g.urls[0], "http://cdn.e.com/x/y.html");
}
END_TEST

START_TEST(feed_links_come_from_rss_items_and_atom_alternates)
{
    const char *rss = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title>"
                      "<item><link> /n/1.html </link></item><item><link>http://e.com/n/2.html"
                      "</link></item></channel></rss>";
    found f = {0};
    ck_assert_int_eq(bl_links_feed(rss, strlen(rss), "http://e.com/rss.xml", collect, &f, NULL),
                     0);
    ck_assert_int_eq(f.n, 2);
    ck_assert(has(&f, "http://e.com/n/1.html", BL_LINK_PAGE));
    const char *atom = "<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\">"
                       "<link rel=\"self\" href=\"/atom.xml\"/>"
                       "<entry><link href=\"/n/3.html\"/></entry>"
                       "<entry><link rel=\"alternate\" href=\"/n/4.html\"/>"
                       "<link rel=\"enclosure\" href=\"/n/4.mp3\"/></entry></feed>";
    found g = {0};
    bl_links_feed(atom, strlen(atom), "http://e.com/atom.xml", collect, &g, NULL);
    ck_assert_int_eq(g.n, 2);
    ck_assert(has(&g, "http://e.com/n/3.html", BL_LINK_PAGE));
    ck_assert(has(&g, "http://e.com/n/4.html", BL_LINK_PAGE));
    found h = {0};
    bl_error err = {0};
    ck_assert_int_eq(bl_links_feed("", 0, "http://e.com/x", collect, &h, &err), BL_ECORRUPT);
}
END_TEST

static size_t gzip_into(const char *in, size_t len, unsigned char *out, size_t cap)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    deflateInit2(&z, 9, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY);
    z.next_in = (unsigned char *)in;
    z.avail_in = (uInt)len;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    ck_assert_int_eq(deflate(&z, Z_FINISH), Z_STREAM_END);
    size_t n = cap - z.avail_out;
    deflateEnd(&z);
    return n;
}

START_TEST(sitemaps_and_sitemap_indexes_plain_or_gzipped_give_their_locations)
{
    const char *urlset = "<?xml version=\"1.0\"?>"
                         "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"
                         "<url><loc>http://e.com/n/1.html</loc><lastmod>2024-01-01</lastmod></url>"
                         "<url><loc>/n/2.html</loc></url></urlset>";
    unsigned char gz[1024];
    size_t n = gzip_into(urlset, strlen(urlset), gz, sizeof gz);
    found f = {0};
    ck_assert_int_eq(bl_links_sitemap((const char *)gz, n, "http://e.com/sitemap.xml.gz", collect,
                                      &f, NULL), 0);
    ck_assert_int_eq(f.n, 2);
    ck_assert(has(&f, "http://e.com/n/1.html", BL_LINK_PAGE));
    ck_assert(has(&f, "http://e.com/n/2.html", BL_LINK_PAGE));

    const char *index = "<?xml version=\"1.0\"?>"
                        "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"
                        "<sitemap><loc>http://e.com/sm-1.xml.gz</loc></sitemap></sitemapindex>";
    found g = {0};
    bl_links_sitemap(index, strlen(index), "http://e.com/sitemap.xml", collect, &g, NULL);
    ck_assert_int_eq(g.n, 1);
    ck_assert(has(&g, "http://e.com/sm-1.xml.gz", BL_LINK_SITEMAP));

    found h = {0};
    bl_error err = {0};
    ck_assert_int_eq(bl_links_sitemap("<html/>", 7, "http://e.com/s.xml", collect, &h, &err),
                     BL_ECORRUPT);
}
END_TEST

START_TEST(decompression_stops_at_its_limit_and_rejects_bad_data)
{
    size_t big = 4u * 1024 * 1024;
    char *zeros = calloc(1, big);
    unsigned char *gz = malloc(big);
    size_t n = gzip_into(zeros, big, gz, big);
    char *out = NULL;
    size_t len = 0;
    bl_error err = {0};
    ck_assert_int_eq(bl_gunzip((const char *)gz, n, 1024 * 1024, &out, &len, &err), BL_ETOOBIG);
    ck_assert_ptr_null(out);
    ck_assert_int_eq(bl_gunzip((const char *)gz, n, big, &out, &len, NULL), 0);
    ck_assert_uint_eq(len, big);
    free(out);
    out = NULL;
    ck_assert_int_eq(bl_gunzip((const char *)gz, n / 2, big, &out, &len, NULL), BL_ECORRUPT);
    gz[12] ^= 0xff;
    ck_assert_int_lt(bl_gunzip((const char *)gz, n, big, &out, &len, NULL), 0);
    free(zeros);
    free(gz);
}
END_TEST

/* ---- crawl state ---- */

static bl_crawl_state *open_state(void)
{
    char path[300];
    snprintf(path, sizeof path, "%s/crawl.db", tmp_dir);
    bl_crawl_state *st = NULL;
    bl_error err = {0};
    ck_assert_msg(bl_crawl_state_open(path, &st, &err) == 0, "%s", err.msg);
    return st;
}

static int count_pending(void *ctx, const char *url, const char *source, int kind)
{
    (*(int *)ctx)++;
    return 0;
}

START_TEST(a_url_is_queued_once_per_run_and_an_open_run_is_resumed)
{
    make_tmp();
    bl_crawl_state *st = open_state();
    long run = 0;
    int resumed = -1, queued = 0, n = 0;
    ck_assert_int_eq(bl_crawl_state_begin_run(st, &run, &resumed, NULL), 0);
    ck_assert_int_eq(run, 1);
    ck_assert_int_eq(resumed, 0);
    ck_assert_int_eq(bl_crawl_state_enqueue(st, "http://e.com/a", "s", BL_URL_ARTICLE, &queued, NULL), 0);
    ck_assert_int_eq(queued, 1);
    bl_crawl_state_enqueue(st, "http://e.com/a", "s", BL_URL_ARTICLE, &queued, NULL);
    ck_assert_int_eq(queued, 0);
    bl_crawl_state_enqueue(st, "http://e.com/b", "s", BL_URL_ARTICLE, &queued, NULL);
    bl_url_result ok = {.http_status = 200, .outcome = BL_OUTCOME_NEW, .etag = "\"e1\"",
                        .last_modified = "Tue, 05 Mar 2024 10:00:00 GMT", .digest = "d1"};
    ck_assert_int_eq(bl_crawl_state_finish_url(st, "http://e.com/a", &ok, NULL), 0);
    bl_crawl_state_each_pending(st, count_pending, &n, NULL);
    ck_assert_int_eq(n, 1); /* b */
    bl_crawl_state_close(st);

    /* Killed here: the next open continues run 1 with b still pending. */
    st = open_state();
    ck_assert_int_eq(bl_crawl_state_begin_run(st, &run, &resumed, NULL), 0);
    ck_assert_int_eq(run, 1);
    ck_assert_int_eq(resumed, 1);
    n = 0;
    bl_crawl_state_each_pending(st, count_pending, &n, NULL);
    ck_assert_int_eq(n, 1);
    bl_url_result fail = {.outcome = BL_OUTCOME_FAILED, .error = "HTTP 500"};
    bl_crawl_state_finish_url(st, "http://e.com/b", &fail, NULL);
    ck_assert_int_eq(bl_crawl_state_finish_run(st, NULL), 0);

    /* A new run queues the failure again, and a to be found again. */
    ck_assert_int_eq(bl_crawl_state_begin_run(st, &run, &resumed, NULL), 0);
    ck_assert_int_eq(run, 2);
    ck_assert_int_eq(resumed, 0);
    n = 0;
    bl_crawl_state_each_pending(st, count_pending, &n, NULL);
    ck_assert_int_eq(n, 1);
    bl_crawl_state_enqueue(st, "http://e.com/a", "s", BL_URL_ARTICLE, &queued, NULL);
    ck_assert_int_eq(queued, 1);

    bl_url_info info;
    ck_assert_int_eq(bl_crawl_state_get(st, "http://e.com/a", &info, NULL), 0);
    ck_assert_str_eq(info.etag, "\"e1\"");
    ck_assert_str_eq(info.last_modified, "Tue, 05 Mar 2024 10:00:00 GMT");
    ck_assert_str_eq(info.digest, "d1");
    ck_assert_int_eq(info.done_this_run, 0);
    bl_url_info_clear(&info);
    /* A 304 keeps the validators. */
    bl_url_result same = {.http_status = 304, .outcome = BL_OUTCOME_NOT_MODIFIED};
    bl_crawl_state_finish_url(st, "http://e.com/a", &same, NULL);
    bl_crawl_state_get(st, "http://e.com/a", &info, NULL);
    ck_assert_str_eq(info.etag, "\"e1\"");
    ck_assert_int_eq(info.done_this_run, 1);
    bl_url_info_clear(&info);
    ck_assert_int_eq(bl_crawl_state_get(st, "http://e.com/zzz", &info, NULL), BL_ENOTFOUND);

    char *owner = NULL;
    bl_crawl_state_digest_owner(st, "d1", &owner, NULL);
    ck_assert_str_eq(owner, "http://e.com/a");
    free(owner);
    bl_crawl_state_digest_owner(st, "d2", &owner, NULL);
    ck_assert_ptr_null(owner);
    bl_crawl_state_close(st);
    remove_tmp();
}
END_TEST

START_TEST(a_cached_robots_txt_expires)
{
    make_tmp();
    bl_crawl_state *st = open_state();
    int status = 0;
    char *body = NULL;
    size_t len = 0;
    time_t now = time(NULL);
    ck_assert_int_eq(bl_crawl_state_get_robots(st, "http://e.com:80", now, &status, &body, &len, NULL),
                     BL_ENOTFOUND);
    ck_assert_int_eq(bl_crawl_state_put_robots(st, "http://e.com:80", 200, "User-agent: *\n", 14,
                                               now + 100, NULL), 0);
    ck_assert_int_eq(bl_crawl_state_get_robots(st, "http://e.com:80", now, &status, &body, &len, NULL), 0);
    ck_assert_int_eq(status, 200);
    ck_assert_uint_eq(len, 14);
    free(body);
    ck_assert_int_eq(bl_crawl_state_get_robots(st, "http://e.com:80", now + 101, &status, &body,
                                               &len, NULL), BL_ENOTFOUND);
    bl_crawl_state_close(st);
    remove_tmp();
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("crawl_units");
    TCase *tc = tcase_create("config");
    tcase_add_test(tc, a_sources_file_gives_every_key_of_a_source);
    tcase_add_test(tc, ordinary_url_patterns_pass_the_regex_cost_check);
    tcase_add_loop_test(tc, a_bad_sources_file_is_an_error_naming_the_file_and_line, 0,
                        (int)(sizeof bad_configs / sizeof bad_configs[0]));
    tcase_add_test(tc, a_missing_sources_file_is_not_found);
    suite_add_tcase(s, tc);
    tc = tcase_create("robots");
    tcase_add_loop_test(tc, robots_rules_follow_rfc_9309, 0,
                        (int)(sizeof robots_cases / sizeof robots_cases[0]));
    tcase_add_test(tc, robots_crawl_delay_comes_from_the_group_that_applies);
    tcase_add_test(tc, an_empty_or_missing_robots_txt_allows_everything);
    tcase_add_test(tc, robots_patterns_with_many_stars_match_without_blowing_up);
    suite_add_tcase(s, tc);
    tc = tcase_create("url");
    tcase_add_loop_test(tc, urls_are_resolved_and_normalised, 0,
                        (int)(sizeof url_cases / sizeof url_cases[0]));
    tcase_add_test(tc, an_origin_names_scheme_host_and_port_and_files_have_none);
    suite_add_tcase(s, tc);
    tc = tcase_create("warc");
    tcase_add_test(tc, warc_records_written_are_read_back_field_for_field);
    tcase_add_test(tc, a_sha1_payload_digest_is_base32_as_other_warc_tools_write_it);
    tcase_add_test(tc, a_warc_cut_inside_its_last_record_gives_the_complete_records_then_truncated);
    tcase_add_test(tc, bytes_that_are_not_warc_are_corrupt);
    tcase_add_test(tc, an_archive_gives_its_bulletins_with_the_hints_the_crawl_had);
    suite_add_tcase(s, tc);
    tc = tcase_create("links");
    tcase_add_test(tc, html_links_are_resolved_against_the_page_or_its_base);
    tcase_add_test(tc, feed_links_come_from_rss_items_and_atom_alternates);
    tcase_add_test(tc, sitemaps_and_sitemap_indexes_plain_or_gzipped_give_their_locations);
    tcase_add_test(tc, decompression_stops_at_its_limit_and_rejects_bad_data);
    suite_add_tcase(s, tc);
    tc = tcase_create("state");
    tcase_add_test(tc, a_url_is_queued_once_per_run_and_an_open_run_is_resumed);
    tcase_add_test(tc, a_cached_robots_txt_expires);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
