/* blotter fuzzing: the sources file (crawler/crawl_config.h), through the
 * in-memory parser bl_crawl_config_parse.
 *
 * The input is the file's text (with its length, no NUL). A config that
 * parses has its regex lists tried on a URL; an error must carry a message.
 * Relative seeds resolve against a fixed, non-existent directory: parsing
 * never touches the file system for them.
 */
#include <stdio.h>

#include "crawl_config.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > BL_CRAWL_CONFIG_MAX_SIZE + 16)
        return 0;
    char *text = malloc(size ? size : 1);
    if (!text)
        return 0;
    if (size)
        memcpy(text, data, size);
    bl_crawl_config *cfg = NULL;
    bl_error err = {0};
    int rc = bl_crawl_config_parse(text, size, "/nonexistent/fuzz/sources.ini", &cfg, &err);
    if (rc == 0) {
        for (size_t i = 0; i < cfg->n_sources; i++) {
            (void)bl_regex_list_match(&cfg->sources[i].follow, "https://www.example.gov/news/page-2.html");
            (void)bl_regex_list_match(&cfg->sources[i].article, "https://www.example.gov/news/doj-001.html");
        }
    } else if (err.msg[0] == '\0') {
        fprintf(stderr, "bl_crawl_config_parse failed (%d) without a message\n", rc);
        abort();
    }
    bl_crawl_config_free(cfg);
    free(text);
    return 0;
}
