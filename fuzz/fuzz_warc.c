/* blotter fuzzing: the WARC reader (crawler/warc_reader.h), plain or gzip.
 *
 * The reader takes a path, so each input is written to one temporary file
 * made at start-up (rewritten and truncated per run) and read back record by
 * record until the end or an error. Records are freed as they come, so no
 * state grows between runs. Content-Type charsets are parsed too.
 */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "fuzz_util.h"
#include "warc_reader.h"

static char warc_path[] = "/tmp/blotter-fuzz-warc-XXXXXX";
static int warc_fd = -1;

static void cleanup(void)
{
    if (warc_fd >= 0) {
        close(warc_fd);
        unlink(warc_path);
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    warc_fd = mkstemp(warc_path);
    if (warc_fd < 0) {
        perror("fuzz_warc: mkstemp");
        abort();
    }
    atexit(cleanup);
    return 0;
}

static int write_input(const uint8_t *data, size_t size)
{
    if (ftruncate(warc_fd, 0) != 0)
        return -1;
    size_t done = 0;
    while (done < size) {
        ssize_t n = pwrite(warc_fd, data + done, size - done, (off_t)done);
        if (n <= 0)
            return -1;
        done += (size_t)n;
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FUZZ_MAX_INPUT)
        return 0;
    if (write_input(data, size) != 0) {
        perror("fuzz_warc: write");
        abort();
    }
    bl_warc_reader *r = NULL;
    bl_error err = {0};
    if (bl_warc_reader_open(warc_path, &r, &err) != 0)
        return 0;
    for (int i = 0; i < 10000; i++) {
        bl_warc_record *rec = NULL;
        int rc = bl_warc_reader_next(r, &rec, &err);
        if (rc <= 0)
            break;
        if (rec->payload && (rec->payload < rec->block ||
                             rec->payload + rec->payload_len > rec->block + rec->block_len)) {
            fprintf(stderr, "payload outside its block\n");
            abort();
        }
        (void)bl_warc_reader_offset(r);
        if (rec->content_type)
            free(bl_content_type_charset(rec->content_type));
        if (rec->http_content_type)
            free(bl_content_type_charset(rec->http_content_type));
        bl_warc_record_free(rec);
    }
    bl_warc_reader_close(r);
    return 0;
}
