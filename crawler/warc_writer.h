/* blotter: the crawl archive, written as WARC 1.1.
 *
 * One file per crawl run, each record its own gzip member (so a reader can
 * stop after any complete record, and a killed run loses at most the record
 * being written). The file starts with a warcinfo record. A fetched page is a
 * `response` record (HTTP status line and headers, then the payload) or, for
 * file:// sources, a `resource` record. A page that did not change (a 304, or
 * a body whose digest was archived before) is a `revisit` record with the
 * server-not-modified or identical-payload-digest profile. When the request
 * as sent is known, a `request` record follows its response, linked to it by
 * WARC-Concurrent-To.
 *
 * Payloads are stored as the crawler saw them after HTTP content decoding:
 * Content-Encoding, Transfer-Encoding and Content-Length are dropped from the
 * stored headers and a Content-Length of the stored payload is written, so the
 * record is self-consistent. WARC-Payload-Digest is SHA-1 in base 32, as
 * other WARC tools expect.
 *
 * blotter adds three extension fields a reader may use to re-index: 
 * Blotter-Kind (article, listing, feed, sitemap, robots), Blotter-Agency and
 * Blotter-Lang (from the source configuration).
 *
 * Errors are sticky: after a failed write every call returns the same error.
 * Ownership: inputs are borrowed; the writer owns its file.
 */
#ifndef BL_WARC_WRITER_H
#define BL_WARC_WRITER_H

#include <stddef.h>
#include <time.h>

#include "bl_error.h"

typedef struct bl_warc_writer bl_warc_writer;

typedef struct bl_warc_page {
    const char *target_uri;
    time_t date;
    const char *http_headers;  /* status line and headers as received; NULL: resource record */
    size_t http_headers_len;
    const char *http_request;  /* request line and headers as sent; may be NULL */
    size_t http_request_len;
    const char *content_type;  /* for resource records; may be NULL */
    const char *body;
    size_t body_len;
    const char *kind;          /* Blotter-Kind; may be NULL */
    const char *agency;        /* may be NULL */
    const char *lang;          /* may be NULL */
} bl_warc_page;

enum bl_warc_revisit_profile {
    BL_WARC_NOT_MODIFIED = 0,       /* the server answered 304 */
    BL_WARC_IDENTICAL_DIGEST = 1    /* same payload as an earlier record */
};

/* Creates path (it must not exist) and writes the warcinfo record. */
int bl_warc_writer_open(const char *path, const char *software, bl_warc_writer **out,
                        bl_error *err);

int bl_warc_write_page(bl_warc_writer *w, const bl_warc_page *page, bl_error *err);

/* refers_to_uri may be NULL (same as target); payload_digest may be NULL. */
int bl_warc_write_revisit(bl_warc_writer *w, const char *target_uri, const char *refers_to_uri,
                          int profile, const char *payload_digest, time_t date, bl_error *err);

/* Flushes and closes; returns the first error seen. NULL is fine. */
int bl_warc_writer_close(bl_warc_writer *w, bl_error *err);

/* "sha1:" + base32 SHA-1 of data, into out (at least 38 bytes). */
void bl_warc_sha1_digest(const void *data, size_t len, char out[38]);

#endif
