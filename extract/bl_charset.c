/* blotter: charset detection and conversion to UTF-8 (see bl_charset.h).
 *
 * Why validity first: a declared charset is often wrong (CMS templates copied
 * from gb2312 sites keep their meta tag after the move to UTF-8), while text
 * in GBK, Big5 or Latin-1 with a few non-ASCII bytes is almost never valid
 * UTF-8 by accident. So valid UTF-8 wins over any declaration but a BOM.
 */
#include "bl_charset.h"

#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bl_buf.h"

/* Counts valid multi-byte sequences and bytes that start no valid sequence. */
static void utf8_census(const char *s, size_t len, size_t *good, size_t *bad)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    *good = *bad = 0;
    while (i < len) {
        if (u[i] < 0x80) {
            i++;
            continue;
        }
        unsigned cp;
        size_t n = bl_utf8_decode(u + i, len - i, &cp);
        if (n) {
            (*good)++;
            i += n;
        } else {
            (*bad)++;
            i++;
        }
    }
}

static int has_utf16_bom(const unsigned char *u, size_t len)
{
    return len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF));
}

int bl_looks_binary(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    if (has_utf16_bom(u, len))
        return 0;
    size_t n = len < 8192 ? len : 8192;
    size_t ctl = 0;
    for (size_t i = 0; i < n; i++) {
        if (u[i] == 0)
            return 1;
        if (u[i] < 0x20 && u[i] != '\n' && u[i] != '\r' && u[i] != '\t' && u[i] != '\f' && u[i] != 0x1B)
            ctl++;
    }
    return n && ctl * 10 > n;  /* more than 10% control bytes */
}

struct label {
    const char *label;
    const char *iconv_name;
};

/* WHATWG-style label folding for the charsets bulletins actually use. */
static const struct label labels[] = {
    {"utf-8", "UTF-8"}, {"utf8", "UTF-8"}, {"unicode-1-1-utf-8", "UTF-8"},
    {"gb2312", "GB18030"}, {"gbk", "GB18030"}, {"gb18030", "GB18030"}, {"x-gbk", "GB18030"},
    {"cp936", "GB18030"}, {"ms936", "GB18030"}, {"windows-936", "GB18030"}, {"euc-cn", "GB18030"},
    {"csgb2312", "GB18030"}, {"chinese", "GB18030"}, {"gb_2312-80", "GB18030"}, {"hz-gb-2312", "GB18030"},
    {"big5", "BIG5-HKSCS"}, {"big5-hkscs", "BIG5-HKSCS"}, {"cn-big5", "BIG5-HKSCS"}, {"x-x-big5", "BIG5-HKSCS"},
    {"csbig5", "BIG5-HKSCS"}, {"cp950", "BIG5-HKSCS"},
    {"iso-8859-1", "WINDOWS-1252"}, {"iso8859-1", "WINDOWS-1252"}, {"latin1", "WINDOWS-1252"},
    {"latin-1", "WINDOWS-1252"}, {"l1", "WINDOWS-1252"}, {"us-ascii", "WINDOWS-1252"}, {"ascii", "WINDOWS-1252"},
    {"windows-1252", "WINDOWS-1252"}, {"cp1252", "WINDOWS-1252"}, {"x-cp1252", "WINDOWS-1252"},
    {"iso-8859-15", "ISO-8859-15"}, {"latin9", "ISO-8859-15"}, {"windows-1251", "WINDOWS-1251"},
    {"koi8-r", "KOI8-R"}, {"shift_jis", "SHIFT_JIS"}, {"sjis", "SHIFT_JIS"}, {"euc-jp", "EUC-JP"},
    {"euc-kr", "EUC-KR"}, {"utf-16", "UTF-16"}, {"utf-16le", "UTF-16LE"}, {"utf-16be", "UTF-16BE"},
};

const char *bl_charset_canonical(const char *label, size_t len)
{
    while (len && (*label == ' ' || *label == '"' || *label == '\'')) {
        label++;
        len--;
    }
    while (len && (label[len - 1] == ' ' || label[len - 1] == '"' || label[len - 1] == '\'' ||
                   label[len - 1] == ';'))
        len--;
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
        if (strlen(labels[i].label) == len && strncasecmp(labels[i].label, label, len) == 0)
            return labels[i].iconv_name;
    return NULL;
}

/* The charset named by "charset=" in s[0..len), or NULL. */
static const char *charset_param(const char *s, size_t len)
{
    for (size_t i = 0; i + 8 <= len; i++) {
        if (strncasecmp(s + i, "charset", 7) != 0)
            continue;
        size_t j = i + 7;
        while (j < len && (s[j] == ' ' || s[j] == '\t'))
            j++;
        if (j >= len || s[j] != '=')
            continue;
        j++;
        while (j < len && (s[j] == ' ' || s[j] == '"' || s[j] == '\''))
            j++;
        size_t k = j;
        while (k < len && k - j < 40 && s[k] != '"' && s[k] != '\'' && s[k] != ';' && s[k] != ' ' &&
               s[k] != '>' && s[k] != '/')
            k++;
        const char *name = bl_charset_canonical(s + j, k - j);
        if (name)
            return name;
    }
    return NULL;
}

/* The encoding-sniffing prescan (as in the HTML standard, simplified): the
 * first <meta ...> tags of the first 4 KiB that carry "charset". This reads
 * one attribute value out of a byte prefix before any parsing is possible;
 * the document itself is parsed by libxml2. */
static const char *meta_charset(const char *s, size_t len)
{
    size_t n = len < 4096 ? len : 4096;
    for (size_t i = 0; i + 5 < n; i++) {
        if (s[i] != '<' || strncasecmp(s + i + 1, "meta", 4) != 0)
            continue;
        const char *end = memchr(s + i, '>', n - i);
        if (!end)
            break;
        const char *name = charset_param(s + i, (size_t)(end - (s + i)));
        if (name)
            return name;
        i = (size_t)(end - s);
    }
    return NULL;
}

/* Converts with iconv, turning undecodable bytes into U+FFFD. */
static int convert(const char *in, size_t len, const char *from, bl_buf *out)
{
    iconv_t cd = iconv_open("UTF-8", from);
    if (cd == (iconv_t)-1)
        return -1;
    char chunk[16384];
    char *ip = (char *)in;
    size_t ileft = len;
    while (ileft > 0 && !out->failed) {
        char *op = chunk;
        size_t oleft = sizeof chunk;
        size_t r = iconv(cd, &ip, &ileft, &op, &oleft);
        bl_buf_add(out, chunk, (size_t)(op - chunk));
        if (r == (size_t)-1) {
            if (errno == E2BIG)
                continue;
            bl_buf_add_cp(out, 0xFFFD);
            if (errno == EINVAL) /* truncated sequence at the end */
                break;
            ip++;
            ileft--;
            iconv(cd, NULL, NULL, NULL, NULL);
        }
    }
    char *op = chunk;
    size_t oleft = sizeof chunk;
    iconv(cd, NULL, NULL, &op, &oleft);
    bl_buf_add(out, chunk, (size_t)(op - chunk));
    iconv_close(cd);
    return 0;
}

/* Copies UTF-8, replacing each byte that starts no valid sequence by U+FFFD. */
static void utf8_repair(const char *s, size_t len, bl_buf *out)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, run = 0;
    while (i < len) {
        unsigned cp;
        size_t n = u[i] < 0x80 ? 1 : bl_utf8_decode(u + i, len - i, &cp);
        if (n) {
            i += n;
            continue;
        }
        bl_buf_add(out, s + run, i - run);
        bl_buf_add_cp(out, 0xFFFD);
        i++;
        run = i;
    }
    bl_buf_add(out, s + run, len - run);
}

/* Share of CJK-looking double-byte pairs when read as GB18030: used only when
 * nothing is declared and the bytes are not UTF-8. */
static int looks_gb(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n = len < 65536 ? len : 65536, pairs = 0, high = 0;
    for (size_t i = 0; i < n; i++) {
        if (u[i] < 0x80)
            continue;
        high++;
        if (i + 1 < n && u[i] >= 0x81 && u[i] <= 0xFE && u[i + 1] >= 0x40 && u[i + 1] <= 0xFE &&
            u[i + 1] != 0x7F) {
            pairs++;
            i++;
            high++;
        }
    }
    return high >= 4 && pairs * 2 * 10 >= high * 9;
}

static void set_used(char *used, size_t size, const char *name)
{
    if (used && size)
        snprintf(used, size, "%s", name);
}

int bl_to_utf8(const char *bytes, size_t len, const char *hint, int is_html,
               char **out, size_t *out_len, char *used, size_t used_size, bl_error *err)
{
    const unsigned char *u = (const unsigned char *)bytes;
    bl_buf b = {0};
    const char *from = NULL;
    *out = NULL;

    if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
        bytes += 3;
        len -= 3;
        from = "UTF-8";
    } else if (len >= 2 && u[0] == 0xFF && u[1] == 0xFE) {
        from = "UTF-16LE";
        bytes += 2;
        len -= 2;
    } else if (len >= 2 && u[0] == 0xFE && u[1] == 0xFF) {
        from = "UTF-16BE";
        bytes += 2;
        len -= 2;
    } else if (bl_looks_binary(bytes, len)) {
        return bl_error_set(err, BL_EINVAL, "not text");
    }

    if (!from && bl_utf8_valid(bytes, len))
        from = "UTF-8";
    if (!from) {
        /* Many valid multi-byte sequences and very few stray bytes: UTF-8
         * with some damage, whatever is declared. Text in a legacy charset
         * produces valid sequences only by accident. */
        size_t good, bad;
        utf8_census(bytes, len, &good, &bad);
        if (good >= 32 && bad * 50 <= good)
            from = "UTF-8";
    }
    if (!from && hint)
        from = charset_param(hint, strlen(hint));
    if (!from && hint)
        from = bl_charset_canonical(hint, strlen(hint));
    if (!from && is_html)
        from = meta_charset(bytes, len);
    if (!from || strcmp(from, "UTF-8") == 0) {
        /* Declared UTF-8 or undeclared: mostly valid UTF-8 means UTF-8 with
         * a few damaged bytes, which we repair rather than reinterpret. */
        size_t good, bad;
        utf8_census(bytes, len, &good, &bad);
        if (from || (good > 0 && bad * 3 <= good))
            from = "UTF-8";
        else
            from = looks_gb(bytes, len) ? "GB18030" : "WINDOWS-1252";
    }

    if (strcmp(from, "UTF-8") == 0)
        utf8_repair(bytes, len, &b);
    else if (convert(bytes, len, from, &b) != 0) {
        from = "UTF-8";
        utf8_repair(bytes, len, &b);
    }
    set_used(used, used_size, from);
    *out = bl_buf_take(&b, out_len);
    if (!*out)
        return bl_error_set(err, BL_ENOMEM, "out of memory converting %zu bytes to UTF-8", len);
    return 0;
}
