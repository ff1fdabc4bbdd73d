/* `blotter serve` end to end: the built binary serves an index made from the
 * research fixtures on 127.0.0.1 (an ephemeral port, never any other
 * address) and every endpoint of the JSON API, its errors and limits, the
 * page's files, concurrent requests, an index commit under a running server,
 * a missing index and SIGTERM are checked with real HTTP requests (libcurl). */
#include <check.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <json-c/json.h>

#include "blotter_run.h"

#define FIXTURES BL_TEST_SOURCE_DIR "/tests/fixtures/research"
#define MORE_FIXTURES BL_TEST_SOURCE_DIR "/tests/fixtures/cli/bulletins.jsonl"

static char work[256], data[300], log_path[300];
static pid_t server_pid;
static unsigned port;

/* ---- processes ------------------------------------------------------------ */

/* Runs blotter to its end; its exit status, and its stdout (caller frees). */
static int blotter(const char *const *args, char **out)
{
    bl_run_result r = bl_run_blotter(work, args);
    if (r.status > 1)
        fputs(r.err, stderr);
    if (out) {
        *out = r.out;
        r.out = NULL;
    }
    int status = r.status;
    bl_run_free(&r);
    return status;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Starts `blotter serve` on an ephemeral port and reads the port it prints;
 * extra may add options. Waits at most 20 s for the line. */
static void start_server(const char *data_dir, const char *extra)
{
    snprintf(log_path, sizeof log_path, "%s/serve.log", work);
    char out[320];
    snprintf(out, sizeof out, "%s/serve.out", work);
    const char *argv[] = {BL_TEST_BINARY, "serve", "--data", data_dir, "--listen", "127.0.0.1:0",
                          extra, NULL};
    server_pid = bl_spawn(argv, out, log_path);
    port = 0;
    for (int i = 0; i < 400 && !port; i++) {
        char *log = bl_slurp(log_path);
        const char *p = strstr(log, "listening on http://127.0.0.1:");
        if (p)
            port = (unsigned)atoi(p + strlen("listening on http://127.0.0.1:"));
        free(log);
        if (!port) {
            int ws;
            ck_assert_msg(waitpid(server_pid, &ws, WNOHANG) == 0, "the server exited early");
            sleep_ms(50);
        }
    }
    ck_assert_msg(port > 0, "the server printed no address");
}

/* sig (SIGTERM, SIGINT); the server must exit by itself: its status. */
static int stop_server_with(int sig)
{
    if (server_pid <= 0)
        return -1;
    kill(server_pid, sig);
    int ws;
    ck_assert_int_eq(waitpid(server_pid, &ws, 0), server_pid);
    server_pid = 0;
    return WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
}

static int stop_server(void)
{
    return stop_server_with(SIGTERM);
}

static void make_work(void)
{
    bl_make_work_dir("serve", work);
    snprintf(data, sizeof data, "%s/data", work);
}

static void setup(void)
{
    make_work();
    const char *a[] = {"index", "--data", data, FIXTURES, NULL};
    ck_assert_int_eq(blotter(a, NULL), 0);
    start_server(data, NULL);
}

static void teardown(void)
{
    if (server_pid > 0)
        stop_server();
    bl_remove_tree(work);
}

/* ---- HTTP ----------------------------------------------------------------- */

typedef struct http_reply {
    long status;
    char *body;
    size_t len;
    char type[128];
    char headers[4096];
} http_reply;

static size_t on_body(char *p, size_t size, size_t n, void *ctx)
{
    http_reply *r = ctx;
    char *grown = realloc(r->body, r->len + size * n + 1);
    if (!grown)
        return 0;
    memcpy(grown + r->len, p, size * n);
    r->body = grown;
    r->len += size * n;
    r->body[r->len] = '\0';
    return size * n;
}

static size_t on_header(char *p, size_t size, size_t n, void *ctx)
{
    http_reply *r = ctx;
    size_t have = strlen(r->headers);
    if (have + size * n < sizeof r->headers)
        memcpy(r->headers + have, p, size * n), r->headers[have + size * n] = '\0';
    return size * n;
}

/* method NULL is GET; host, when not NULL, replaces the Host header. */
static http_reply request(const char *method, const char *path_and_query, const char *host)
{
    http_reply r;
    memset(&r, 0, sizeof r);
    r.body = calloc(1, 1);
    char url[8192];
    snprintf(url, sizeof url, "http://127.0.0.1:%u%s", port, path_and_query);
    CURL *c = curl_easy_init();
    ck_assert_ptr_nonnull(c);
    struct curl_slist *hdrs = NULL;
    char host_header[256];
    if (host) {
        snprintf(host_header, sizeof host_header, "Host: %s", host);
        hdrs = curl_slist_append(hdrs, host_header);
        curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
    }
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &r);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &r);
    if (method && strcmp(method, "HEAD") == 0)
        curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    else if (method && strcmp(method, "POST") == 0)
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, "q=x");
    else if (method)
        curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    CURLcode rc = curl_easy_perform(c);
    ck_assert_msg(rc == CURLE_OK, "%s: %s", url, curl_easy_strerror(rc));
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
    char *type = NULL;
    curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &type);
    snprintf(r.type, sizeof r.type, "%s", type ? type : "");
    curl_slist_free_all(hdrs);
    curl_easy_cleanup(c);
    return r;
}

static http_reply get(const char *path_and_query)
{
    return request(NULL, path_and_query, NULL);
}

/* "/api/v1/search?q=" + the escaped query + rest. */
static http_reply get_search(const char *query, const char *rest)
{
    char *esc = curl_easy_escape(NULL, query, 0);
    char path[8192];
    snprintf(path, sizeof path, "/api/v1/search?q=%s%s", esc, rest ? rest : "");
    curl_free(esc);
    return get(path);
}

static void reply_free(http_reply *r)
{
    free(r->body);
}

static json_object *parse(const http_reply *r)
{
    json_object *o = json_tokener_parse(r->body);
    ck_assert_msg(o != NULL, "not JSON: %s", r->body);
    return o;
}

static json_object *member(json_object *o, const char *key)
{
    json_object *v = NULL;
    ck_assert_msg(json_object_object_get_ex(o, key, &v), "no member %s in %s", key,
                  json_object_to_json_string(o));
    return v;
}

/* ---- search ---------------------------------------------------------------- */

START_TEST(search_answers_with_the_object_blotter_search_prints)
{
    const char *args[] = {"search", "--data", data, "--format", "json", "--facet", "year",
                          "--facet", "campaign", "suspects:1000..", NULL};
    char *cli = NULL;
    ck_assert_int_eq(blotter(args, &cli), 0);
    http_reply r = get_search("suspects:1000..", "&facet=year&facet=campaign");
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(r.type, "application/json; charset=utf-8");
    ck_assert_str_eq(r.body, cli);
    /* a comma list of facets is the same request */
    http_reply r2 = get_search("suspects:1000..", "&facet=year,campaign");
    ck_assert_str_eq(r2.body, cli);
    free(cli);
    reply_free(&r);
    reply_free(&r2);
}
END_TEST

START_TEST(search_pages_with_limit_and_offset_and_sorts_by_a_fact)
{
    http_reply r = get_search("suspects:1000..", "&sort=-suspects&limit=2&offset=1");
    ck_assert_int_eq(r.status, 200);
    json_object *o = parse(&r);
    json_object *hits = member(o, "hits");
    ck_assert_int_eq(json_object_get_int(member(o, "total")), 4);
    ck_assert_int_eq(json_object_get_int(member(o, "offset")), 1);
    ck_assert_int_eq((int)json_object_array_length(hits), 2);
    json_object *first = json_object_array_get_idx(hits, 0);
    ck_assert_int_eq(json_object_get_int(member(first, "rank")), 2);
    /* largest first: 6,000 (legend-results) is rank 1, 1,500 rank 2, 1,461 rank 3 */
    ck_assert_ptr_nonnull(strstr(json_object_get_string(member(first, "url")), "legend-update"));
    json_object *second = json_object_array_get_idx(hits, 1);
    ck_assert_ptr_nonnull(strstr(json_object_get_string(member(second, "url")), "seed-bulletin"));
    json_object_put(o);
    reply_free(&r);
}
END_TEST

START_TEST(a_query_that_matches_nothing_is_an_empty_answer_not_an_error)
{
    http_reply r = get_search("zebrafishzzz", NULL);
    ck_assert_int_eq(r.status, 200);
    json_object *o = parse(&r);
    ck_assert_int_eq(json_object_get_int(member(o, "total")), 0);
    ck_assert_int_eq((int)json_object_array_length(member(o, "hits")), 0);
    json_object_put(o);
    reply_free(&r);
}
END_TEST

/* ---- errors and limits ------------------------------------------------------ */

typedef struct error_case {
    const char *path;
    long status;
    const char *says; /* part of the message */
} error_case;

static const error_case error_cases[] = {
    {"/api/v1/search", 400, "missing parameter q"},
    {"/api/v1/search?q=AND", 400, "bad query"},
    {"/api/v1/search?q=fraud%20date:2019-13..", 400, "is not a date"},
    {"/api/v1/search?q=suspects:abc..", 400, "is not a number"},
    {"/api/v1/search?q=fraud&limit=101", 400, "limit"},
    {"/api/v1/search?q=fraud&limit=ten", 400, "limit"},
    {"/api/v1/search?q=fraud&offset=10001", 400, "offset"},
    {"/api/v1/search?q=fraud&offset=-1", 400, "offset"},
    {"/api/v1/search?q=fraud&sort=sideways", 400, "sort"},
    {"/api/v1/search?q=fraud&facet=colour", 400, "facet"},
    {"/api/v1/search?q=fraud&facet=year,colour", 400, "facet"},
    {"/api/v1/bulletin", 400, "missing parameter url"},
    {"/api/v1/bulletin?url=", 400, "missing parameter url"},
    {"/api/v1/bulletin?url=https://nowhere.example/never", 404, "no bulletin"},
    {"/api/v1/campaigns?fact=weight", 400, "fact"},
    {"/api/v1/campaigns?q=AND", 400, "bad query"},
    {"/api/v1/campaigns/chart.svg?campaign=no%20such%20campaign", 404, "no dated bulletin"},
    {"/api/v1/nothing", 404, "no such API endpoint"},
    {"/api/v2/search?q=fraud", 404, "no such API endpoint"},
    {"/api/v1/search/?q=fraud", 404, "no such API endpoint"},
    {"/no-such-page.html", 404, "no such page"},
    {"/../../etc/passwd", 404, "no such page"},
};

START_TEST(errors_are_json_with_a_fitting_status)
{
    const error_case *c = &error_cases[_i];
    http_reply r = get(c->path);
    ck_assert_msg(r.status == c->status, "%s: status %ld, want %ld: %s", c->path, r.status,
                  c->status, r.body);
    ck_assert_str_eq(r.type, "application/json; charset=utf-8");
    json_object *o = parse(&r);
    json_object *e = member(o, "error");
    ck_assert_int_eq(json_object_get_int(member(e, "status")), (int)c->status);
    ck_assert_msg(strstr(json_object_get_string(member(e, "message")), c->says), "%s: %s",
                  c->path, r.body);
    json_object_put(o);
    reply_free(&r);
}
END_TEST

START_TEST(a_query_over_4096_bytes_is_refused_and_one_at_the_limit_is_not)
{
    char q[4098];
    memset(q, 'a', 4097);
    q[4097] = '\0';
    http_reply over = get_search(q, NULL);
    ck_assert_int_eq(over.status, 400);
    ck_assert_ptr_nonnull(strstr(over.body, "longer than 4096 bytes"));
    q[4096] = '\0';
    http_reply at = get_search(q, NULL);
    ck_assert_msg(at.status == 200, "%ld: %s", at.status, at.body);
    reply_free(&over);
    reply_free(&at);
}
END_TEST

START_TEST(a_page_of_at_most_100_hits_is_served)
{
    http_reply r = get_search("suspects:0..", "&limit=100");
    ck_assert_int_eq(r.status, 200);
    reply_free(&r);
}
END_TEST

START_TEST(more_than_32_parameters_are_refused)
{
    char path[2048] = "/api/v1/search?q=fraud";
    for (int i = 0; i < 40; i++)
        snprintf(path + strlen(path), sizeof path - strlen(path), "&x%d=1", i);
    http_reply r = get(path);
    ck_assert_int_eq(r.status, 400);
    ck_assert_ptr_nonnull(strstr(r.body, "parameters"));
    reply_free(&r);
}
END_TEST

START_TEST(only_get_and_head_are_answered)
{
    http_reply post = request("POST", "/api/v1/search", NULL);
    ck_assert_int_eq(post.status, 405);
    ck_assert_ptr_nonnull(strstr(post.headers, "Allow: GET, HEAD"));
    http_reply del = request("DELETE", "/api/v1/stats", NULL);
    ck_assert_int_eq(del.status, 405);
    http_reply head = request("HEAD", "/api/v1/stats", NULL);
    ck_assert_int_eq(head.status, 200);
    ck_assert_uint_eq(head.len, 0);
    reply_free(&post);
    reply_free(&del);
    reply_free(&head);
}
END_TEST

START_TEST(a_request_for_another_host_name_is_refused_on_loopback)
{
    http_reply evil = request(NULL, "/api/v1/stats", "attacker.example:80");
    ck_assert_int_eq(evil.status, 403);
    http_reply local = request(NULL, "/api/v1/stats", "localhost");
    ck_assert_int_eq(local.status, 200);
    reply_free(&evil);
    reply_free(&local);
}
END_TEST

/* ---- bulletin ---------------------------------------------------------------- */

START_TEST(bulletin_returns_the_record_with_facts_at_their_byte_offsets)
{
    http_reply r =
        get("/api/v1/bulletin?url=https%3A%2F%2Fexample.gov%2Fpr%2F2020%2F08%2Flegend-update");
    ck_assert_msg(r.status == 200, "%ld: %s", r.status, r.body);
    json_object *o = parse(&r);
    ck_assert_str_eq(json_object_get_string(member(o, "title")),
                     "Operation Legend: federal agents arrest more than 1,500 suspects");
    const char *text = json_object_get_string(member(o, "text"));
    json_object *facts = member(o, "facts");
    ck_assert_int_gt((int)json_object_array_length(facts), 0);
    int saw_suspects = 0;
    for (size_t i = 0; i < json_object_array_length(facts); i++) {
        json_object *f = json_object_array_get_idx(facts, i);
        size_t off = (size_t)json_object_get_int(member(f, "offset"));
        size_t len = (size_t)json_object_get_int(member(f, "length"));
        ck_assert_uint_le(off + len, strlen(text));
        const char *words = json_object_get_string(member(f, "text"));
        ck_assert_msg(strlen(words) == len && memcmp(text + off, words, len) == 0,
                      "fact %zu: '%s' is not at %zu", i, words, off);
        if (strcmp(json_object_get_string(member(f, "category")), "suspects") == 0)
            saw_suspects = json_object_get_int(member(f, "value")) == 1500;
    }
    ck_assert(saw_suspects);
    json_object_put(o);
    reply_free(&r);
}
END_TEST

START_TEST(bulletin_finds_a_local_file_by_the_url_search_gives_it)
{
    http_reply s = get_search("suspects:1461", NULL);
    json_object *o = parse(&s);
    json_object *hit = json_object_array_get_idx(member(o, "hits"), 0);
    const char *url = json_object_get_string(member(hit, "url"));
    ck_assert_ptr_nonnull(strstr(url, "seed-bulletin.txt"));
    char *esc = curl_easy_escape(NULL, url, 0);
    char path[4096];
    snprintf(path, sizeof path, "/api/v1/bulletin?url=%s", esc);
    curl_free(esc);
    http_reply b = get(path);
    ck_assert_msg(b.status == 200, "%s: %ld %s", url, b.status, b.body);
    json_object *rec = parse(&b);
    ck_assert_str_eq(json_object_get_string(member(rec, "url")), url);
    json_object_put(rec);
    json_object_put(o);
    reply_free(&s);
    reply_free(&b);
}
END_TEST

/* ---- campaigns and stats ----------------------------------------------------- */

START_TEST(campaigns_answer_with_the_object_blotter_campaigns_prints_with_timeline)
{
    const char *args[] = {"campaigns", "--data", data, "--format", "json", "--timeline", NULL};
    char *cli = NULL;
    ck_assert_int_eq(blotter(args, &cli), 0);
    http_reply r = get("/api/v1/campaigns");
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(r.body, cli);
    json_object *o = parse(&r);
    json_object *first = json_object_array_get_idx(member(o, "campaigns"), 0);
    ck_assert_int_gt((int)json_object_array_length(member(first, "timeline")), 0);
    json_object_put(o);
    free(cli);
    reply_free(&r);

    const char *filtered[] = {"campaigns", "--data", data, "--format", "json", "--timeline",
                              "lang:zh", NULL};
    ck_assert_int_eq(blotter(filtered, &cli), 0);
    r = get("/api/v1/campaigns?q=lang%3Azh");
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(r.body, cli);
    free(cli);
    reply_free(&r);
}
END_TEST

START_TEST(the_campaign_chart_is_an_svg_of_the_timeline)
{
    http_reply r = get("/api/v1/campaigns/chart.svg?fact=suspects");
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(r.type, "image/svg+xml; charset=utf-8");
    ck_assert_ptr_nonnull(strstr(r.body, "<svg"));
    ck_assert_ptr_nonnull(strstr(r.body, "suspects per month"));
    ck_assert_ptr_nonnull(strstr(r.body, "Operation Legend"));
    reply_free(&r);
}
END_TEST

START_TEST(stats_count_the_bulletins_by_year_and_language)
{
    http_reply r = get("/api/v1/stats");
    ck_assert_int_eq(r.status, 200);
    json_object *o = parse(&r);
    int total = json_object_get_int(member(o, "bulletins"));
    ck_assert_int_eq(total, 6);
    int sum = 0;
    json_object *langs = member(o, "languages");
    for (size_t i = 0; i < json_object_array_length(langs); i++)
        sum += json_object_get_int(member(json_object_array_get_idx(langs, i), "count"));
    ck_assert_int_eq(sum, total);
    ck_assert_int_gt((int)json_object_array_length(member(o, "years")), 0);
    ck_assert_int_gt((int)json_object_array_length(member(o, "campaigns")), 0);
    json_object_put(o);
    reply_free(&r);
}
END_TEST

/* ---- the page ------------------------------------------------------------------ */

typedef struct page_case {
    const char *path, *type, *contains;
} page_case;

static const page_case page_cases[] = {
    {"/", "text/html; charset=utf-8", "<label for=\"q\""},
    {"/index.html", "text/html; charset=utf-8", "Query syntax"},
    {"/app.js", "text/javascript; charset=utf-8", "/api/v1/"},
    {"/style.css", "text/css; charset=utf-8", "@media"},
    {"/favicon.svg", "image/svg+xml", "<svg"},
};

START_TEST(the_page_is_served_from_the_binary_with_security_headers)
{
    const page_case *c = &page_cases[_i];
    http_reply r = get(c->path);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(r.type, c->type);
    ck_assert_ptr_nonnull(strstr(r.body, c->contains));
    ck_assert_ptr_nonnull(strstr(r.headers, "Content-Security-Policy: default-src 'self'"));
    ck_assert_ptr_nonnull(strstr(r.headers, "X-Content-Type-Options: nosniff"));
    /* nothing loaded from anywhere else */
    static const char *const remote[] = {"src=\"http", "href=\"http", "src=\"//", "href=\"//",
                                         "url(http", "url(//", "@import", "fetch('http"};
    for (size_t i = 0; i < sizeof remote / sizeof remote[0]; i++)
        ck_assert_msg(strstr(r.body, remote[i]) == NULL, "%s loads %s...", c->path, remote[i]);
    reply_free(&r);
}
END_TEST

/* ---- concurrency, a changing index, a missing index, logs, signals -------------- */

#define CLIENTS 6
#define ROUNDS 5

typedef struct client_result {
    int ok;
    char *first_body;
} client_result;

static void *client(void *arg)
{
    client_result *res = arg;
    res->ok = 1;
    for (int i = 0; i < ROUNDS; i++) {
        http_reply r = get_search("suspects:1000..", "&facet=year");
        if (r.status != 200 || (res->first_body && strcmp(r.body, res->first_body) != 0))
            res->ok = 0;
        if (!res->first_body)
            res->first_body = r.body;
        else
            reply_free(&r);
    }
    return NULL;
}

START_TEST(several_requests_at_once_get_the_same_answers)
{
    pthread_t t[CLIENTS];
    client_result res[CLIENTS];
    memset(res, 0, sizeof res);
    for (int i = 0; i < CLIENTS; i++)
        ck_assert_int_eq(pthread_create(&t[i], NULL, client, &res[i]), 0);
    for (int i = 0; i < CLIENTS; i++)
        pthread_join(t[i], NULL);
    for (int i = 0; i < CLIENTS; i++) {
        ck_assert_msg(res[i].ok, "client %d got a different or failed answer", i);
        ck_assert_str_eq(res[i].first_body, res[0].first_body);
    }
    for (int i = 0; i < CLIENTS; i++)
        free(res[i].first_body);
}
END_TEST

START_TEST(bulletins_committed_while_serving_are_found)
{
    http_reply before = get_search("methamphetamine", NULL);
    json_object *o = parse(&before);
    ck_assert_int_eq(json_object_get_int(member(o, "total")), 0);
    json_object_put(o);
    const char *a[] = {"index", "--data", data, MORE_FIXTURES, NULL};
    ck_assert_int_eq(blotter(a, NULL), 0);
    http_reply after = get_search("methamphetamine", NULL);
    o = parse(&after);
    ck_assert_int_eq(json_object_get_int(member(o, "total")), 1);
    json_object_put(o);
    http_reply stats = get("/api/v1/stats");
    o = parse(&stats);
    ck_assert_int_eq(json_object_get_int(member(o, "bulletins")), 8);
    json_object_put(o);
    reply_free(&before);
    reply_free(&after);
    reply_free(&stats);
}
END_TEST

START_TEST(every_request_is_logged_on_stderr)
{
    http_reply r = get("/api/v1/search?q=fraud&limit=1");
    reply_free(&r);
    r = get("/api/v1/nothing");
    reply_free(&r);
    ck_assert_int_eq(stop_server(), 0);
    char *log = bl_slurp(log_path);
    ck_assert_msg(strstr(log, "127.0.0.1 \"/api/v1/search?q=fraud&limit=1\" 200 "), "%s", log);
    ck_assert_msg(strstr(log, "127.0.0.1 \"/api/v1/nothing\" 404 "), "%s", log);
    ck_assert_msg(strstr(log, "stopping on SIGTERM"), "%s", log);
    free(log);
}
END_TEST

START_TEST(sigterm_stops_the_server_with_status_0)
{
    http_reply r = get("/api/v1/stats");
    ck_assert_int_eq(r.status, 200);
    reply_free(&r);
    ck_assert_int_eq(stop_server(), 0);
}
END_TEST

START_TEST(ctrl_c_stops_the_server_with_status_0_too)
{
    ck_assert_int_eq(stop_server_with(SIGINT), 0);
    char *log = bl_slurp(log_path);
    ck_assert_msg(strstr(log, "stopping on SIGINT"), "%s", log);
    free(log);
}
END_TEST

static void setup_no_index(void)
{
    make_work();
    start_server(data, NULL); /* data holds no index */
}

typedef struct path_status {
    const char *path;
    long status;
} path_status;

static const path_status unavailable_cases[] = {
    {"/api/v1/search?q=fraud", 503},
    {"/api/v1/bulletin?url=https%3A%2F%2Fexample.gov%2Fx", 503},
    {"/api/v1/campaigns", 503},
    {"/api/v1/campaigns/chart.svg", 503},
    {"/api/v1/stats", 503},
    {"/api/v1/search", 400}, /* a bad request stays a bad request */
    {"/", 200},              /* the page itself still loads */
};

START_TEST(without_an_index_the_api_answers_503_and_the_page_still_loads)
{
    const path_status *c = &unavailable_cases[_i];
    http_reply r = get(c->path);
    ck_assert_msg(r.status == c->status, "%s: %ld: %s", c->path, r.status, r.body);
    if (r.status == 503) {
        ck_assert_ptr_nonnull(strstr(r.body, "\"status\":503"));
        ck_assert_ptr_null(strstr(r.body, work)); /* no server paths in answers */
    }
    reply_free(&r);
}
END_TEST

START_TEST(an_index_built_after_the_server_started_is_served)
{
    http_reply r = get("/api/v1/stats");
    ck_assert_int_eq(r.status, 503);
    reply_free(&r);
    const char *a[] = {"index", "--data", data, FIXTURES, NULL};
    ck_assert_int_eq(blotter(a, NULL), 0);
    r = get("/api/v1/stats");
    ck_assert_int_eq(r.status, 200);
    reply_free(&r);
}
END_TEST

typedef struct option_case {
    const char *option, *value;
} option_case;

static const option_case bad_options[] = {
    {"--listen", "nowhere:80"}, {"--listen", "127.0.0.1:99999"}, {"--listen", "127.0.0.1:"},
    {"--listen", "[::1:80"},    {"--listen", "localhost:80"},    {"--timeout", "0"},
    {"--timeout", "3601"},      {"--timeout", "soon"},
};

START_TEST(a_bad_listen_address_or_timeout_is_refused_with_status_2)
{
    make_work();
    const char *a[] = {"serve", "--data", data, bad_options[_i].option, bad_options[_i].value,
                       NULL};
    ck_assert_int_eq(blotter(a, NULL), 2);
    bl_remove_tree(work);
}
END_TEST

START_TEST(serve_help_describes_the_api_and_how_to_open_the_page)
{
    make_work();
    const char *help[] = {"serve", "--help", NULL};
    char *out = NULL;
    ck_assert_int_eq(blotter(help, &out), 0);
    ck_assert_ptr_nonnull(strstr(out, "http://127.0.0.1:8080/"));
    ck_assert_ptr_nonnull(strstr(out, "/api/v1/search"));
    free(out);
    const char *extra[] = {"serve", "--data", data, "stray", NULL};
    ck_assert_int_eq(blotter(extra, NULL), 2);
    bl_remove_tree(work);
}
END_TEST

static Suite *serve_suite(void)
{
    Suite *s = suite_create("serve");
    TCase *api = tcase_create("api");
    tcase_add_checked_fixture(api, setup, teardown);
    tcase_set_timeout(api, 120);
    tcase_add_test(api, search_answers_with_the_object_blotter_search_prints);
    tcase_add_test(api, search_pages_with_limit_and_offset_and_sorts_by_a_fact);
    tcase_add_test(api, a_query_that_matches_nothing_is_an_empty_answer_not_an_error);
    tcase_add_loop_test(api, errors_are_json_with_a_fitting_status, 0,
                        sizeof error_cases / sizeof error_cases[0]);
    tcase_add_test(api, a_query_over_4096_bytes_is_refused_and_one_at_the_limit_is_not);
    tcase_add_test(api, a_page_of_at_most_100_hits_is_served);
    tcase_add_test(api, more_than_32_parameters_are_refused);
    tcase_add_test(api, only_get_and_head_are_answered);
    tcase_add_test(api, a_request_for_another_host_name_is_refused_on_loopback);
    tcase_add_test(api, bulletin_returns_the_record_with_facts_at_their_byte_offsets);
    tcase_add_test(api, bulletin_finds_a_local_file_by_the_url_search_gives_it);
    tcase_add_test(api, campaigns_answer_with_the_object_blotter_campaigns_prints_with_timeline);
    tcase_add_test(api, the_campaign_chart_is_an_svg_of_the_timeline);
    tcase_add_test(api, stats_count_the_bulletins_by_year_and_language);
    tcase_add_loop_test(api, the_page_is_served_from_the_binary_with_security_headers, 0,
                        sizeof page_cases / sizeof page_cases[0]);
    tcase_add_test(api, several_requests_at_once_get_the_same_answers);
    tcase_add_test(api, bulletins_committed_while_serving_are_found);
    tcase_add_test(api, every_request_is_logged_on_stderr);
    tcase_add_test(api, sigterm_stops_the_server_with_status_0);
    tcase_add_test(api, ctrl_c_stops_the_server_with_status_0_too);
    suite_add_tcase(s, api);

    TCase *missing = tcase_create("missing index");
    tcase_add_checked_fixture(missing, setup_no_index, teardown);
    tcase_set_timeout(missing, 120);
    tcase_add_loop_test(missing, without_an_index_the_api_answers_503_and_the_page_still_loads, 0,
                        sizeof unavailable_cases / sizeof unavailable_cases[0]);
    tcase_add_test(missing, an_index_built_after_the_server_started_is_served);
    suite_add_tcase(s, missing);

    TCase *cmd = tcase_create("command line");
    tcase_set_timeout(cmd, 60);
    tcase_add_loop_test(cmd, a_bad_listen_address_or_timeout_is_refused_with_status_2, 0,
                        sizeof bad_options / sizeof bad_options[0]);
    tcase_add_test(cmd, serve_help_describes_the_api_and_how_to_open_the_page);
    suite_add_tcase(s, cmd);
    return s;
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    SRunner *sr = srunner_create(serve_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    curl_global_cleanup();
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
