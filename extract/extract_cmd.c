/* blotter: the extract subcommand (see extract_cmd.h). */
#include "extract_cmd.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bl_buf.h"
#include "bl_cli.h"
#include "bl_extract.h"

static void usage(FILE *out)
{
    fputs("usage: blotter extract [--format json|text] [--url URL] [--charset CS]\n"
          "                       [--html|--text] FILE|-\n\n"
          "Prints the bulletin record blotter extracts from one page or text file\n"
          "(- reads standard input): title, date, agency, language, main text,\n"
          "numeric facts and campaigns.\n\n"
          "  --format json|text  output form (default json: the record's JSON form)\n"
          "  --url URL           the page's address (a date in it counts as evidence)\n"
          "  --charset CS        the charset an HTTP server declared for the bytes\n"
          "  --html, --text      the input kind (default: sniffed)\n"
          "  -h, --help          this help\n", out);
}

/* Reads the whole file (or stdin for "-"), one byte over the extraction
 * limit at most, so an oversized input is reported rather than read. */
static int read_input(const char *path, char **out, size_t *len, char *why, size_t why_size)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) {
        snprintf(why, why_size, "%s", strerror(errno));
        return -1;
    }
    bl_buf b = {.limit = (size_t)BL_EXTRACT_MAX_INPUT + 1};
    char chunk[65536];
    size_t n;
    int rc = 0;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        size_t room = b.limit - b.len;
        bl_buf_add(&b, chunk, n < room ? n : room);
        if (b.failed || b.len >= b.limit)
            break;
    }
    if (ferror(f)) {
        snprintf(why, why_size, "read error: %s", strerror(errno));
        rc = -1;
    } else if (b.failed) {
        snprintf(why, why_size, "out of memory");
        rc = -1;
    }
    if (f != stdin)
        fclose(f);
    if (rc) {
        bl_buf_free(&b);
        return rc;
    }
    *out = bl_buf_take(&b, len);
    if (!*out) {
        snprintf(why, why_size, "out of memory");
        return -1;
    }
    return 0;
}

static void print_text(const bl_record *rec, FILE *out)
{
    fprintf(out, "Title:     %s\n", rec->title ? rec->title : "");
    fprintf(out, "Date:      %s\n", rec->date ? rec->date : "unknown");
    fprintf(out, "Agency:    %s\n", rec->agency ? rec->agency : "unknown");
    fprintf(out, "Language:  %s\n", rec->lang ? rec->lang : "und");
    if (rec->url)
        fprintf(out, "URL:       %s\n", rec->url);
    for (size_t i = 0; i < rec->n_facts; i++) {
        const bl_fact *f = &rec->facts[i];
        fprintf(out, "Fact:      %s %s %.15g%s%s (\"%s\")\n", f->category, f->qualifier, f->value,
                f->currency[0] ? " " : "", f->currency, f->text ? f->text : "");
    }
    for (size_t i = 0; i < rec->n_campaigns; i++)
        fprintf(out, "Campaign:  %s\n", rec->campaigns[i]);
    fprintf(out, "\n%s\n", rec->text ? rec->text : "");
}

int bl_cmd_extract(int argc, char **argv)
{
    static const struct option options[] = {
        {"format", required_argument, NULL, 'f'}, {"url", required_argument, NULL, 'u'},
        {"charset", required_argument, NULL, 'c'}, {"html", no_argument, NULL, 'H'},
        {"text", no_argument, NULL, 'T'},          {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    if (!bl_cli_command())
        bl_cli_set_command("extract");
    const char *format = "json", *url = NULL, *charset = NULL;
    int kind = BL_CONTENT_AUTO, c;
    optind = 0; /* full re-initialisation: the function may run more than once */
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+f:u:c:h", options, NULL)) != -1) {
        switch (c) {
        case 'f': format = optarg; break;
        case 'u': url = optarg; break;
        case 'c': charset = optarg; break;
        case 'H': kind = BL_CONTENT_HTML; break;
        case 'T': kind = BL_CONTENT_TEXT; break;
        case 'h': usage(stdout); return BL_EXIT_OK;
        default:
            bl_errorf("unknown or incomplete option '%s' (see 'blotter extract --help')",
                      argv[optind - 1] ? argv[optind - 1] : "");
            return BL_EXIT_ERROR;
        }
    }
    if (strcmp(format, "json") != 0 && strcmp(format, "text") != 0) {
        bl_errorf("unknown format '%s' (json or text)", format);
        return BL_EXIT_ERROR;
    }
    if (optind != argc - 1) {
        bl_errorf("%s (see 'blotter extract --help')", optind >= argc ? "no input file" : "one input file only");
        return BL_EXIT_ERROR;
    }
    const char *path = argv[optind];
    char why[256];
    char *bytes = NULL;
    size_t len = 0;
    if (read_input(path, &bytes, &len, why, sizeof why) != 0) {
        bl_errorf("%s: %s", path, why);
        return BL_EXIT_ERROR;
    }

    char *file_url = NULL;
    if (!url && strcmp(path, "-") != 0) {
        file_url = malloc(strlen(path) + 6);
        if (file_url)
            sprintf(file_url, "file:%s", path);
    }
    bl_extract_input in = {.bytes = bytes, .len = len, .kind = kind, .url = url ? url : file_url,
                           .charset_hint = charset};
    bl_record *rec = NULL;
    bl_error err = {0};
    int rc = bl_extract(&in, &rec, &err);
    free(bytes);
    free(file_url);
    if (rc != 0) {
        bl_errorf("%s: %s", path, err.msg[0] ? err.msg : bl_error_name(rc));
        return BL_EXIT_ERROR;
    }
    int status = BL_EXIT_OK;
    if (strcmp(format, "json") == 0) {
        char *json = bl_record_to_json(rec, 1);
        if (!json) {
            bl_errorf("%s: out of memory", path);
            status = BL_EXIT_ERROR;
        } else {
            fputs(json, stdout);
            fputc('\n', stdout);
            free(json);
        }
    } else {
        print_text(rec, stdout);
    }
    if (fflush(stdout) != 0 && status == BL_EXIT_OK) {
        bl_errorf("%s: writing output: %s", path, strerror(errno));
        status = BL_EXIT_ERROR;
    }
    bl_record_free(rec);
    return status;
}
