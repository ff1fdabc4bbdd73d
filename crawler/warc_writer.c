/* blotter: WARC 1.1 writer (see warc_writer.h). */
#include "warc_writer.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <zlib.h>

struct bl_warc_writer {
    FILE *f;
    char *path;
    int rc;            /* sticky error */
    bl_error err;
};

void bl_warc_sha1_digest(const void *data, size_t len, char out[38])
{
    static const char b32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    EVP_Digest(data, len, md, &n, EVP_sha1(), NULL);
    memcpy(out, "sha1:", 5);
    /* 20 bytes = 160 bits = 32 base32 digits, no padding. */
    size_t o = 5;
    unsigned buffer = 0;
    int bits = 0;
    for (unsigned i = 0; i < 20; i++) {
        buffer = (buffer << 8) | md[i];
        bits += 8;
        while (bits >= 5) {
            out[o++] = b32[(buffer >> (bits - 5)) & 31];
            bits -= 5;
        }
    }
    out[o] = '\0';
}

static void format_date(time_t t, char out[32])
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void new_record_id(char out[64])
{
    unsigned char b[16];
    if (RAND_bytes(b, sizeof b) != 1) {
        /* Fall back to something unique enough within one process. */
        static unsigned long counter;
        unsigned long c = ++counter;
        for (unsigned i = 0; i < 16; i++)
            b[i] = (unsigned char)((c >> (i % 8) * 8) ^ (unsigned long)getpid() ^ i);
    }
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    snprintf(out, 64,
             "<urn:uuid:%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x>",
             b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
             b[13], b[14], b[15]);
}

/* Writes one record (header text, then block pieces) as one gzip member. */
static int write_record(bl_warc_writer *w, const char *header, size_t header_len,
                        const char *const *parts, const size_t *lens, size_t n_parts)
{
    if (w->rc)
        return w->rc;
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return w->rc = bl_error_set(&w->err, BL_ENOMEM, "out of memory");
    unsigned char out[65536];
    const char *chunks[8];
    size_t sizes[8], n = 0;
    chunks[n] = header;
    sizes[n++] = header_len;
    for (size_t i = 0; i < n_parts && n < 7; i++) {
        chunks[n] = parts[i];
        sizes[n++] = lens[i];
    }
    chunks[n] = "\r\n\r\n";
    sizes[n++] = 4;
    for (size_t i = 0; i < n && !w->rc; i++) {
        const unsigned char *p = (const unsigned char *)chunks[i];
        size_t left = sizes[i];
        int last = i + 1 == n;
        do {
            uInt take = left > (1u << 30) ? (1u << 30) : (uInt)left;
            z.next_in = (unsigned char *)p;
            z.avail_in = take;
            p += take;
            left -= take;
            int flush = (last && left == 0) ? Z_FINISH : Z_NO_FLUSH;
            do {
                z.next_out = out;
                z.avail_out = sizeof out;
                deflate(&z, flush);
                size_t have = sizeof out - z.avail_out;
                if (have && fwrite(out, 1, have, w->f) != have)
                    w->rc = bl_error_set_errno(&w->err, BL_EIO, errno, "cannot write %s", w->path);
            } while (z.avail_out == 0 && !w->rc);
        } while (left > 0 && !w->rc);
    }
    deflateEnd(&z);
    if (!w->rc && fflush(w->f) != 0)
        w->rc = bl_error_set_errno(&w->err, BL_EIO, errno, "cannot write %s", w->path);
    return w->rc;
}

static int fail_with(bl_warc_writer *w, bl_error *err)
{
    if (w->rc)
        bl_error_set(err, w->rc, "%s", w->err.msg);
    return w->rc;
}

int bl_warc_writer_open(const char *path, const char *software, bl_warc_writer **out,
                        bl_error *err)
{
    *out = NULL;
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0)
        return bl_error_set_errno(err, errno == EEXIST ? BL_EEXISTS : BL_EIO, errno,
                                  "cannot create %s", path);
    bl_warc_writer *w = calloc(1, sizeof *w);
    if (!w || !(w->path = strdup(path)) || !(w->f = fdopen(fd, "wb"))) {
        close(fd);
        if (w)
            free(w->path);
        free(w);
        return bl_error_set(err, BL_ENOMEM, "out of memory");
    }
    char body[512], header[1024], date[32], id[64];
    int blen = snprintf(body, sizeof body,
                        "software: %s\r\nformat: WARC File Format 1.1\r\n"
                        "conformsTo: http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\n",
                        software ? software : "blotter");
    format_date(time(NULL), date);
    new_record_id(id);
    const char *slash = strrchr(path, '/');
    int hlen = snprintf(header, sizeof header,
                        "WARC/1.1\r\nWARC-Type: warcinfo\r\nWARC-Record-ID: %s\r\n"
                        "WARC-Date: %s\r\nWARC-Filename: %s\r\n"
                        "Content-Type: application/warc-fields\r\nContent-Length: %d\r\n\r\n",
                        id, date, slash ? slash + 1 : path, blen);
    const char *parts[1] = {body};
    size_t lens[1] = {(size_t)blen};
    write_record(w, header, (size_t)hlen, parts, lens, 1);
    *out = w;
    return fail_with(w, err);
}

/* Copies the status line and headers, dropping the ones that describe the
 * encoded transfer rather than the stored payload; ends with a blank line. */
static char *clean_headers(const char *h, size_t len, size_t body_len, size_t *out_len)
{
    char *res = malloc(len + 64);
    if (!res)
        return NULL;
    size_t o = 0;
    const char *p = h, *end = h + len;
    while (p < end) {
        const char *e = memchr(p, '\n', (size_t)(end - p));
        const char *next = e ? e + 1 : end;
        size_t n = (size_t)((e ? e : end) - p);
        if (n && p[n - 1] == '\r')
            n--;
        if (n > 0 && strncasecmp(p, "Content-Encoding:", 17) && strncasecmp(p, "Transfer-Encoding:", 18) &&
            strncasecmp(p, "Content-Length:", 15)) {
            memcpy(res + o, p, n);
            o += n;
            res[o++] = '\r';
            res[o++] = '\n';
        }
        p = next;
    }
    o += (size_t)snprintf(res + o, 64, "Content-Length: %zu\r\n\r\n", body_len);
    *out_len = o;
    return res;
}

static int extension_fields(char *buf, size_t size, const bl_warc_page *page)
{
    int n = 0;
    if (page->kind)
        n += snprintf(buf + n, size - (size_t)n, "Blotter-Kind: %s\r\n", page->kind);
    if (page->agency && (size_t)n < size)
        n += snprintf(buf + n, size - (size_t)n, "Blotter-Agency: %s\r\n", page->agency);
    if (page->lang && (size_t)n < size)
        n += snprintf(buf + n, size - (size_t)n, "Blotter-Lang: %s\r\n", page->lang);
    return (size_t)n < size ? n : (int)size - 1;
}

/* A header value must stay on one line. */
static int one_line(const char *s)
{
    return !s || !strpbrk(s, "\r\n");
}

/* The request record that goes with the response record response_id. */
static void write_request(bl_warc_writer *w, const bl_warc_page *page, const char *response_id,
                          const char *date)
{
    char id[64], digest[38], header[12288];
    new_record_id(id);
    bl_warc_sha1_digest(page->http_request, page->http_request_len, digest);
    int hlen = snprintf(header, sizeof header,
                        "WARC/1.1\r\nWARC-Type: request\r\nWARC-Record-ID: %s\r\nWARC-Date: %s\r\n"
                        "WARC-Target-URI: %s\r\nWARC-Concurrent-To: %s\r\n"
                        "Content-Type: application/http;msgtype=request\r\n"
                        "WARC-Block-Digest: %s\r\nContent-Length: %zu\r\n\r\n",
                        id, date, page->target_uri, response_id, digest, page->http_request_len);
    const char *parts[1] = {page->http_request};
    size_t lens[1] = {page->http_request_len};
    write_record(w, header, (size_t)hlen, parts, lens, 1);
}

int bl_warc_write_page(bl_warc_writer *w, const bl_warc_page *page, bl_error *err)
{
    if (w->rc)
        return fail_with(w, err);
    if (!one_line(page->target_uri) || !one_line(page->content_type) || !one_line(page->kind) ||
        !one_line(page->agency) || !one_line(page->lang) || strlen(page->target_uri) > 8192)
        return bl_error_set(err, BL_EINVAL, "a WARC field contains a line break");
    char date[32], id[64], payload_digest[38], block_digest[38], ext[1024];
    format_date(page->date ? page->date : time(NULL), date);
    new_record_id(id);
    bl_warc_sha1_digest(page->body, page->body_len, payload_digest);
    extension_fields(ext, sizeof ext, page);

    char *hdrs = NULL;
    size_t hdrs_len = 0;
    const char *type = "resource";
    const char *ctype = page->content_type ? page->content_type : "application/octet-stream";
    if (page->http_headers) {
        if (!(hdrs = clean_headers(page->http_headers, page->http_headers_len, page->body_len,
                                   &hdrs_len)))
            return bl_error_set(err, BL_ENOMEM, "out of memory");
        type = "response";
        ctype = "application/http;msgtype=response";
    }
    /* The block digest covers the headers and the payload. */
    if (hdrs) {
        char *all = malloc(hdrs_len + page->body_len + 1);
        if (!all) {
            free(hdrs);
            return bl_error_set(err, BL_ENOMEM, "out of memory");
        }
        memcpy(all, hdrs, hdrs_len);
        if (page->body_len)
            memcpy(all + hdrs_len, page->body, page->body_len);
        bl_warc_sha1_digest(all, hdrs_len + page->body_len, block_digest);
        free(all);
    } else {
        memcpy(block_digest, payload_digest, sizeof block_digest);
    }

    char header[12288];
    int hlen = snprintf(header, sizeof header,
                        "WARC/1.1\r\nWARC-Type: %s\r\nWARC-Record-ID: %s\r\nWARC-Date: %s\r\n"
                        "WARC-Target-URI: %s\r\nContent-Type: %s\r\n"
                        "WARC-Payload-Digest: %s\r\nWARC-Block-Digest: %s\r\n%s"
                        "Content-Length: %zu\r\n\r\n",
                        type, id, date, page->target_uri, ctype, payload_digest, block_digest, ext,
                        hdrs_len + page->body_len);
    const char *parts[2] = {hdrs ? hdrs : "", page->body ? page->body : ""};
    size_t lens[2] = {hdrs_len, page->body_len};
    write_record(w, header, (size_t)hlen, parts, lens, 2);
    free(hdrs);
    if (page->http_headers && page->http_request && page->http_request_len)
        write_request(w, page, id, date);
    return fail_with(w, err);
}

int bl_warc_write_revisit(bl_warc_writer *w, const char *target_uri, const char *refers_to_uri,
                          int profile, const char *payload_digest, time_t date, bl_error *err)
{
    if (w->rc)
        return fail_with(w, err);
    if (!one_line(target_uri) || !one_line(refers_to_uri) || !one_line(payload_digest) ||
        strlen(target_uri) > 8192 || (refers_to_uri && strlen(refers_to_uri) > 8192))
        return bl_error_set(err, BL_EINVAL, "a WARC field contains a line break");
    char d[32], id[64], header[20000];
    format_date(date ? date : time(NULL), d);
    new_record_id(id);
    const char *prof = profile == BL_WARC_NOT_MODIFIED
                           ? "http://netpreserve.org/warc/1.1/revisit/server-not-modified"
                           : "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest";
    int hlen = snprintf(header, sizeof header,
                        "WARC/1.1\r\nWARC-Type: revisit\r\nWARC-Record-ID: %s\r\nWARC-Date: %s\r\n"
                        "WARC-Target-URI: %s\r\nWARC-Profile: %s\r\n"
                        "WARC-Refers-To-Target-URI: %s\r\n%s%s%s"
                        "Content-Length: 0\r\n\r\n",
                        id, d, target_uri, prof, refers_to_uri ? refers_to_uri : target_uri,
                        payload_digest ? "WARC-Payload-Digest: " : "",
                        payload_digest ? payload_digest : "", payload_digest ? "\r\n" : "");
    write_record(w, header, (size_t)hlen, NULL, NULL, 0);
    return fail_with(w, err);
}

int bl_warc_writer_close(bl_warc_writer *w, bl_error *err)
{
    if (!w)
        return 0;
    int rc = fail_with(w, err);
    if (fsync(fileno(w->f)) != 0 && !rc)
        rc = bl_error_set_errno(err, BL_EIO, errno, "cannot sync %s", w->path);
    if (fclose(w->f) != 0 && !rc)
        rc = bl_error_set_errno(err, BL_EIO, errno, "cannot close %s", w->path);
    free(w->path);
    free(w);
    return rc;
}
