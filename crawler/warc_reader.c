/* blotter: WARC reader (see warc_reader.h).
 *
 * zlib's gz* functions read plain files and concatenated gzip members alike,
 * so one loop serves both. A record is: "WARC/1.x" line, header fields,
 * blank line, Content-Length bytes, "\r\n\r\n".
 */
#include "warc_reader.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <zlib.h>

struct bl_warc_reader {
    gzFile gz;
    char *path;
    unsigned long long offset, record_offset;
    int rc;  /* sticky */
    bl_error err;
};

int bl_warc_reader_open(const char *path, bl_warc_reader **out, bl_error *err)
{
    *out = NULL;
    bl_warc_reader *r = calloc(1, sizeof *r);
    if (!r || !(r->path = strdup(path))) {
        free(r);
        return bl_error_set(err, BL_ENOMEM, "out of memory");
    }
    errno = 0;
    if (!(r->gz = gzopen(path, "rb"))) {
        int e = errno;
        free(r->path);
        free(r);
        return bl_error_set_errno(err, e == ENOENT ? BL_ENOTFOUND : BL_EIO, e ? e : EIO,
                                  "cannot open %s", path);
    }
    gzbuffer(r->gz, 128 * 1024);
    *out = r;
    return 0;
}

void bl_warc_reader_close(bl_warc_reader *r)
{
    if (!r)
        return;
    gzclose(r->gz);
    free(r->path);
    free(r);
}

unsigned long long bl_warc_reader_offset(const bl_warc_reader *r)
{
    return r->record_offset;
}

void bl_warc_record_free(bl_warc_record *rec)
{
    if (!rec)
        return;
    free(rec->block);
    free(rec->header_storage);
    free(rec->http_content_type);
    free(rec);
}

static int stop(bl_warc_reader *r, int code, const char *what)
{
    r->rc = bl_error_set(&r->err, code, "%s: %s at byte %llu", r->path, what, r->record_offset);
    return r->rc;
}

/* Did the stream end early (rather than fail)? gzread reports a cut gzip
 * member as an error; both mean the writer was stopped mid-record. */
static int truncated(bl_warc_reader *r)
{
    int zerr = 0;
    gzerror(r->gz, &zerr);
    if (zerr == Z_OK || zerr == Z_BUF_ERROR)
        return stop(r, BL_ECORRUPT, "truncated record (the archive ends inside it)");
    return stop(r, BL_ECORRUPT, "unreadable compressed data");
}

/* Reads one header line (without CR LF) into buf; 0 at EOF before any byte. */
static int read_line(bl_warc_reader *r, char *buf, size_t size, size_t *len, int *eof)
{
    size_t n = 0;
    *eof = 0;
    for (;;) {
        int c = gzgetc(r->gz);
        if (c < 0) {
            if (n == 0) {
                *eof = 1;
                return 0;
            }
            return truncated(r);
        }
        r->offset++;
        if (c == '\n')
            break;
        if (n + 1 >= size)
            return stop(r, BL_ETOOBIG, "header line too long");
        buf[n++] = (char)c;
    }
    if (n && buf[n - 1] == '\r')
        n--;
    buf[n] = '\0';
    *len = n;
    return 0;
}

static char *field_value(char *line, const char *name)
{
    size_t n = strlen(name);
    if (strncasecmp(line, name, n) || line[n] != ':')
        return NULL;
    char *v = line + n + 1;
    while (*v == ' ' || *v == '\t')
        v++;
    return v;
}

char *bl_content_type_charset(const char *ct)
{
    if (!ct)
        return NULL;
    const char *p = ct;
    while ((p = strchr(p, ';'))) {
        p++;
        while (*p == ' ' || *p == '\t')
            p++;
        if (strncasecmp(p, "charset=", 8) == 0) {
            p += 8;
            if (*p == '"')
                p++;
            size_t n = strcspn(p, "\"; \t");
            return n ? strndup(p, n) : NULL;
        }
    }
    return NULL;
}

/* Splits an HTTP response block into status, Content-Type and payload. */
static void parse_http(bl_warc_record *rec)
{
    const char *b = rec->block, *end = b + rec->block_len;
    if (rec->block_len < 12 || strncmp(b, "HTTP/", 5))
        return;
    const char *sp = memchr(b, ' ', (size_t)(end - b));
    if (!sp || end - sp < 4 || !isdigit((unsigned char)sp[1]))
        return;
    int status = atoi(sp + 1);
    const char *p = b;
    while (p < end) {
        const char *e = memchr(p, '\n', (size_t)(end - p));
        if (!e)
            return;
        size_t n = (size_t)(e - p);
        if (n && p[n - 1] == '\r')
            n--;
        if (n == 0) {
            rec->payload = e + 1;
            rec->payload_len = (size_t)(end - (e + 1));
            rec->http_status = status;
            return;
        }
        if (n > 13 && strncasecmp(p, "Content-Type:", 13) == 0 && !rec->http_content_type) {
            const char *v = p + 13;
            while (v < p + n && (*v == ' ' || *v == '\t'))
                v++;
            rec->http_content_type = strndup(v, (size_t)(p + n - v));
        }
        p = e + 1;
    }
}

int bl_warc_reader_next(bl_warc_reader *r, bl_warc_record **out, bl_error *err)
{
    *out = NULL;
    if (r->rc) {
        bl_error_set(err, r->rc, "%s", r->err.msg);
        return r->rc;
    }
    bl_warc_record *rec = calloc(1, sizeof *rec);
    char *hdr = malloc(BL_WARC_MAX_HEADER);
    char line[16384];
    size_t used = 0, len = 0, content_length = 0;
    int eof = 0, have_length = 0, rc = 0;
    if (!rec || !hdr) {
        rc = stop(r, BL_ENOMEM, "out of memory");
        goto done;
    }
    r->record_offset = r->offset;
    /* Version line; blank lines between records are tolerated. */
    do {
        if ((rc = read_line(r, line, sizeof line, &len, &eof)))
            goto done;
        if (eof)
            goto done; /* clean end */
    } while (len == 0);
    if (strncmp(line, "WARC/1.", 7)) {
        rc = stop(r, BL_ECORRUPT, "not a WARC record");
        goto done;
    }
    for (;;) {
        if ((rc = read_line(r, line, sizeof line, &len, &eof)))
            goto done;
        if (eof) {
            rc = truncated(r);
            goto done;
        }
        if (len == 0)
            break;
        if (used + len + 1 > BL_WARC_MAX_HEADER) {
            rc = stop(r, BL_ETOOBIG, "WARC header too large");
            goto done;
        }
        char *f = hdr + used;
        memcpy(f, line, len + 1);
        used += len + 1;
        char *v;
        if ((v = field_value(f, "WARC-Type")))
            rec->type = v;
        else if ((v = field_value(f, "WARC-Target-URI")))
            rec->target_uri = v;
        else if ((v = field_value(f, "WARC-Date")))
            rec->date = v;
        else if ((v = field_value(f, "WARC-Record-ID")))
            rec->record_id = v;
        else if ((v = field_value(f, "WARC-Concurrent-To")))
            rec->concurrent_to = v;
        else if ((v = field_value(f, "Content-Type")))
            rec->content_type = v;
        else if ((v = field_value(f, "WARC-Payload-Digest")))
            rec->payload_digest = v;
        else if ((v = field_value(f, "Blotter-Kind")))
            rec->kind = v;
        else if ((v = field_value(f, "Blotter-Agency")))
            rec->agency = v;
        else if ((v = field_value(f, "Blotter-Lang")))
            rec->lang = v;
        else if ((v = field_value(f, "Content-Length"))) {
            char *e;
            errno = 0;
            unsigned long long cl = strtoull(v, &e, 10);
            if (errno || e == v || *e || *v == '-') {
                rc = stop(r, BL_ECORRUPT, "bad Content-Length");
                goto done;
            }
            if (cl > BL_WARC_MAX_BLOCK) {
                rc = stop(r, BL_ETOOBIG, "record larger than the limit");
                goto done;
            }
            content_length = (size_t)cl;
            have_length = 1;
        }
    }
    if (!have_length || !rec->type) {
        rc = stop(r, BL_ECORRUPT, "record without WARC-Type or Content-Length");
        goto done;
    }
    if (!(rec->block = malloc(content_length + 1))) {
        rc = stop(r, BL_ENOMEM, "out of memory");
        goto done;
    }
    size_t got = 0;
    while (got < content_length) {
        size_t want = content_length - got;
        int n = gzread(r->gz, rec->block + got, want > (1u << 30) ? (1u << 30) : (unsigned)want);
        if (n <= 0) {
            rc = truncated(r);
            goto done;
        }
        got += (size_t)n;
    }
    r->offset += content_length;
    rec->block[content_length] = '\0';
    rec->block_len = content_length;
    char tail[4];
    int tn = gzread(r->gz, tail, 4);
    if (tn != 4) {
        rc = truncated(r);
        goto done;
    }
    r->offset += 4;
    if (memcmp(tail, "\r\n\r\n", 4)) {
        rc = stop(r, BL_ECORRUPT, "record not followed by CR LF CR LF");
        goto done;
    }
    rec->header_storage = hdr;
    hdr = NULL;
    if (!strcmp(rec->type, "response")) {
        parse_http(rec);
    } else if (!strcmp(rec->type, "resource")) {
        rec->http_status = 200;
        rec->payload = rec->block;
        rec->payload_len = rec->block_len;
        if (rec->content_type && !(rec->http_content_type = strdup(rec->content_type))) {
            rc = stop(r, BL_ENOMEM, "out of memory");
            goto done;
        }
    }
    *out = rec;
    rec = NULL;
    rc = 1;
done:
    free(hdr);
    bl_warc_record_free(rec);
    if (rc < 0)
        bl_error_set(err, r->rc, "%s", r->err.msg);
    return rc;
}
