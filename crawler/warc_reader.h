/* blotter: reading WARC files (plain or gzip, one or many gzip members).
 *
 * bl_warc_reader_next returns the records in order. Every size read from the
 * file is checked: a header block over BL_WARC_MAX_HEADER or a content block
 * over BL_WARC_MAX_BLOCK is BL_ETOOBIG, bytes that are not WARC are
 * BL_ECORRUPT, and a file that ends inside a record (a killed writer) is
 * BL_ECORRUPT with a message that says "truncated"; the records before it
 * were already returned, so callers keep what they got.
 *
 * bl_warc_index_file (warc_index.c) puts the bulletins of a crawl archive
 * into an index, the way `blotter index FILE.warc.gz` rebuilds an index with
 * no network.
 *
 * Ownership: records are owned by the caller (bl_warc_record_free; NULL is
 * fine); a record's strings point into its own storage.
 */
#ifndef BL_WARC_READER_H
#define BL_WARC_READER_H

#include <stddef.h>

#include "bl_error.h"

#define BL_WARC_MAX_HEADER (64u * 1024u)
#define BL_WARC_MAX_BLOCK (80u * 1024u * 1024u)

typedef struct bl_warc_reader bl_warc_reader;

typedef struct bl_warc_record {
    char *type;            /* WARC-Type: "response", "resource", "revisit", ... */
    char *target_uri;      /* may be NULL */
    char *date;            /* WARC-Date; may be NULL */
    char *record_id;       /* may be NULL */
    char *concurrent_to;   /* WARC-Concurrent-To; may be NULL */
    char *content_type;    /* of the block; may be NULL */
    char *payload_digest;  /* may be NULL */
    char *kind, *agency, *lang; /* Blotter-* extension fields; may be NULL */
    char *block;           /* Content-Length bytes, NUL-terminated */
    size_t block_len;
    /* For response records whose block is an HTTP response, and for
     * resource records (status 200, content_type as given): */
    int http_status;       /* 0 when the block is not an HTTP response */
    char *http_content_type; /* the payload's Content-Type; may be NULL */
    const char *payload;   /* into block */
    size_t payload_len;
    char *header_storage;  /* owns the strings above */
} bl_warc_record;

int bl_warc_reader_open(const char *path, bl_warc_reader **out, bl_error *err);

/* 1 and *rec set for a record, 0 at the clean end of the file, < 0 on error
 * (after which the reader returns the same error). */
int bl_warc_reader_next(bl_warc_reader *r, bl_warc_record **rec, bl_error *err);

/* Byte offset (uncompressed) where the last returned record started. */
unsigned long long bl_warc_reader_offset(const bl_warc_reader *r);

void bl_warc_reader_close(bl_warc_reader *r);
void bl_warc_record_free(bl_warc_record *rec);

/* The charset parameter of a Content-Type value, malloc'd, or NULL. */
char *bl_content_type_charset(const char *content_type);

/* What re-indexing an archive did (warc_index.c, in bl_crawler). */
typedef struct bl_warc_index_stats {
    unsigned long records;    /* records read */
    unsigned long added, updated, unchanged;
    unsigned long skipped;    /* not bulletins: listings, feeds, revisits, errors, non-text */
    unsigned long failed;     /* bulletins the extractor refused (too large, corrupt) */
    char first_failure[256];  /* "URI: reason" of the first of them */
} bl_warc_index_stats;

#endif
