/* blotter: URL normalisation (see url_norm.h). */
#include "url_norm.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

int bl_url_is_file(const char *url)
{
    return url && strncasecmp(url, "file:", 5) == 0;
}

static int scheme_ok(const char *scheme)
{
    return !strcmp(scheme, "http") || !strcmp(scheme, "https") || !strcmp(scheme, "file");
}

int bl_url_resolve(const char *base, const char *href, char **out, bl_error *err)
{
    *out = NULL;
    int rc = 0;
    char *scheme = NULL, *host = NULL, *url = NULL, *trimmed = NULL;
    CURLU *h = curl_url();
    if (!h)
        return bl_error_set(err, BL_ENOMEM, "out of memory");
    /* Links in pages often carry surrounding whitespace. */
    while (isspace((unsigned char)*href))
        href++;
    size_t n = strlen(href);
    while (n > 0 && isspace((unsigned char)href[n - 1]))
        n--;
    if (n == 0 || n > BL_URL_MAX) {
        rc = bl_error_set(err, BL_EINVAL, "empty or overlong URL");
        goto done;
    }
    if (!(trimmed = strndup(href, n))) {
        rc = bl_error_set(err, BL_ENOMEM, "out of memory");
        goto done;
    }
    if (base && curl_url_set(h, CURLUPART_URL, base, 0) != CURLUE_OK) {
        rc = bl_error_set(err, BL_EINVAL, "bad base URL %s", base);
        goto done;
    }
    if (curl_url_set(h, CURLUPART_URL, trimmed, 0) != CURLUE_OK) {
        rc = bl_error_set(err, BL_EINVAL, "bad URL %s", trimmed);
        goto done;
    }
    if (curl_url_get(h, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK || !scheme_ok(scheme)) {
        rc = bl_error_set(err, BL_EINVAL, "not an http, https or file URL: %s", trimmed);
        goto done;
    }
    curl_url_set(h, CURLUPART_FRAGMENT, NULL, 0);
    if (curl_url_get(h, CURLUPART_HOST, &host, 0) == CURLUE_OK) {
        for (char *c = host; *c; c++)
            *c = (char)tolower((unsigned char)*c);
        curl_url_set(h, CURLUPART_HOST, host, 0);
    }
    if (curl_url_get(h, CURLUPART_URL, &url, CURLU_NO_DEFAULT_PORT) != CURLUE_OK) {
        rc = bl_error_set(err, BL_EINVAL, "bad URL %s", trimmed);
        goto done;
    }
    if (strlen(url) > BL_URL_MAX) {
        rc = bl_error_set(err, BL_EINVAL, "overlong URL");
        goto done;
    }
    if (!(*out = strdup(url)))
        rc = bl_error_set(err, BL_ENOMEM, "out of memory");
done:
    curl_free(scheme);
    curl_free(host);
    curl_free(url);
    free(trimmed);
    curl_url_cleanup(h);
    return rc;
}

char *bl_url_origin(const char *url)
{
    char *scheme = NULL, *host = NULL, *port = NULL, *res = NULL;
    CURLU *h = curl_url();
    if (!h || bl_url_is_file(url) || curl_url_set(h, CURLUPART_URL, url, 0) != CURLUE_OK)
        goto done;
    if (curl_url_get(h, CURLUPART_SCHEME, &scheme, 0) || curl_url_get(h, CURLUPART_HOST, &host, 0) ||
        curl_url_get(h, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT))
        goto done;
    size_t n = strlen(scheme) + strlen(host) + strlen(port) + 5;
    if ((res = malloc(n))) {
        snprintf(res, n, "%s://%s:%s", scheme, host, port);
        for (char *c = res; *c; c++)
            *c = (char)tolower((unsigned char)*c);
    }
done:
    curl_free(scheme);
    curl_free(host);
    curl_free(port);
    curl_url_cleanup(h);
    return res;
}

char *bl_url_path_query(const char *url)
{
    char *path = NULL, *query = NULL, *res = NULL;
    CURLU *h = curl_url();
    if (!h || curl_url_set(h, CURLUPART_URL, url, 0) != CURLUE_OK ||
        curl_url_get(h, CURLUPART_PATH, &path, 0) != CURLUE_OK)
        goto done;
    curl_url_get(h, CURLUPART_QUERY, &query, 0);
    size_t n = strlen(path) + (query ? strlen(query) + 1 : 0) + 2;
    if ((res = malloc(n)))
        snprintf(res, n, "%s%s%s", path, query ? "?" : "", query ? query : "");
done:
    curl_free(path);
    curl_free(query);
    curl_url_cleanup(h);
    return res;
}
