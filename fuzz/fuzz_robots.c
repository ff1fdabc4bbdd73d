/* blotter fuzzing: robots.txt parsing and matching (crawler/robots.h).
 *
 * The input is a robots.txt. It is parsed for our product token, then a few
 * fixed paths and a path taken from the input itself are checked, and the
 * pattern matcher is run on the first line as a pattern against the rest.
 * Parsing never fails on content, only on memory.
 */
#include <stdio.h>

#include "fuzz_util.h"
#include "robots.h"

static const char *const paths[] = {
    "/", "/robots.txt", "/news/doj-001.html", "/private/secret.html?x=1",
    "/%E5%85%AC%E5%AE%89/a*b$", "/news/%7euser/",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FUZZ_MAX_INPUT)
        return 0;
    char *text = fuzz_strndup(data, size);
    if (!text)
        return 0;
    bl_robots *r = NULL;
    bl_error err = {0};
    int rc = bl_robots_parse(text, size, "blotter/0.1 (+https://example.org/bot)", &r, &err);
    if (rc == 0) {
        for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
            (void)bl_robots_allowed(r, paths[i]);
        (void)bl_robots_crawl_delay(r);
    } else if (rc != BL_ENOMEM) {
        fprintf(stderr, "bl_robots_parse failed on content (%d): %s\n", rc, err.msg);
        abort();
    }
    bl_robots_free(r);

    /* The matcher alone: "pattern\npath". */
    char *nl = memchr(text, '\n', size);
    if (nl) {
        *nl = '\0';
        char path[4096];
        snprintf(path, sizeof path, "/%s", nl + 1);
        (void)bl_robots_pattern_match(text, (size_t)(nl - text), path);
    }
    free(text);
    return 0;
}
