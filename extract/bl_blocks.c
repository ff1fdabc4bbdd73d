/* blotter: blocks and the main-text choice (see bl_blocks.h).
 *
 * The score of a run is a maximum-sum subarray (Kadane) over per-block
 * weights, computed separately between barriers. Weights are in words (CJK
 * ideographs two to a word), so a run of twenty one-word menu lines costs
 * about as much as one short sentence earns: enough to cut menus and lists
 * off the edges of the text, not enough to split a release at a photo
 * caption in its middle.
 */
#define _GNU_SOURCE /* memmem */
#include "bl_blocks.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bl_charset.h"
#include "bl_error.h"

/* Whitespace worth collapsing, beyond ASCII: NBSP, the Unicode spaces,
 * zero-width space and BOM, ideographic space. */
static int is_space_cp(unsigned cp)
{
    return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == '\v' ||
           cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x202F || cp == 0x205F ||
           cp == 0x3000 || cp == 0xFEFF;
}

void bl_blocks_push(bl_blocks *bs, const char *s, size_t len, size_t link_len, int kind, int level,
                    int para_break)
{
    if (bs->failed)
        return;
    if (bs->n == bs->cap) {
        size_t ncap = bs->cap ? bs->cap * 2 : 64;
        bl_block *nv = realloc(bs->v, ncap * sizeof *nv);
        if (!nv) {
            bs->failed = 1;
            return;
        }
        bs->v = nv;
        bs->cap = ncap;
    }
    size_t start = bs->text.len;
    const unsigned char *u = (const unsigned char *)s;
    int pending_space = 0;
    size_t i = 0;
    while (i < len) {
        /* Fast path: a run of printable ASCII other than space. */
        size_t run = i;
        while (run < len && u[run] > 0x20 && u[run] < 0x7F)
            run++;
        if (run > i) {
            if (pending_space)
                bl_buf_addc(&bs->text, ' ');
            pending_space = 0;
            bl_buf_add(&bs->text, s + i, run - i);
            i = run;
            continue;
        }
        unsigned cp;
        size_t n = u[i] < 0x80 ? (cp = u[i], 1) : bl_utf8_decode(u + i, len - i, &cp);
        if (!n) { /* callers pass UTF-8; be safe anyway */
            cp = 0xFFFD;
            n = 1;
        }
        if (is_space_cp(cp)) {
            pending_space = bs->text.len > start;
        } else if (cp < 0x20 || cp == 0x7F) {
            /* control characters carry nothing */
        } else {
            if (pending_space)
                bl_buf_addc(&bs->text, ' ');
            pending_space = 0;
            if (n == 1 || cp != 0xFFFD || u[i] == 0xEF)
                bl_buf_add(&bs->text, s + i, n);
            else
                bl_buf_add_cp(&bs->text, 0xFFFD);
        }
        i += n;
    }
    if (bl_buf_failed(&bs->text)) {
        bs->failed = 1;
        return;
    }
    size_t out_len = bs->text.len - start;
    if (out_len == 0)
        return;
    bl_buf_addc(&bs->text, '\0'); /* each block NUL-terminated for the matchers */
    if (bl_buf_failed(&bs->text)) {
        bs->failed = 1;
        return;
    }
    bl_block *b = &bs->v[bs->n++];
    b->off = start;
    b->len = out_len;
    b->link_len = link_len > out_len ? out_len : link_len;
    b->kind = kind;
    b->level = level;
    b->para_break = para_break;
}

void bl_blocks_free(bl_blocks *bs)
{
    if (!bs)
        return;
    bl_buf_free(&bs->text);
    free(bs->v);
    bs->v = NULL;
    bs->n = bs->cap = 0;
}

/* Text saved from web pages breaks lines at inline markup: "her 31" / "th" /
 * "birthday. Lynette..." or "Burke said" / ". “My administration...". Such
 * a line continues the one before it when it starts with closing
 * punctuation, with a lower-case letter after an unfinished line, or is an
 * ordinal suffix after a number. */
static int continues_line(const char *s, size_t len, const char *prev, size_t prev_len)
{
    if (!len || !prev_len)
        return 0;
    char c = s[0], p = prev[prev_len - 1];
    if (strchr(".,;:)", c))
        return 1;
    if (len == 2 && p >= '0' && p <= '9' &&
        (strncmp(s, "st", 2) == 0 || strncmp(s, "nd", 2) == 0 || strncmp(s, "rd", 2) == 0 ||
         strncmp(s, "th", 2) == 0))
        return 1;
    if (c >= 'a' && c <= 'z' && !strchr(".!?:", p))
        return 1;
    /* a quotation broken before its attribution: '...accountable,”' */
    if (p == ',' || (prev_len >= 4 && memcmp(prev + prev_len - 4, ",\xe2\x80\x9d", 4) == 0))
        return 1;
    return 0;
}

void bl_text_to_blocks(const char *s, size_t len, bl_blocks *bs)
{
    int blank_before = 0, pending_break = 0;
    bl_buf line = {0};
    bl_blocks one = {0}; /* normalises a single line */
    size_t i = 0;
    while (i <= len && !bs->failed) {
        const char *nl = i < len ? memchr(s + i, '\n', len - i) : NULL;
        size_t end = nl ? (size_t)(nl - s) : len;
        one.n = 0;
        one.text.len = 0;
        if (i < len)
            bl_blocks_push(&one, s + i, end - i, 0, BL_BLOCK_LINE, 0, 0);
        if (one.failed)
            bs->failed = 1;
        if (one.n) {
            const char *t = bl_block_text(&one, 0);
            size_t tl = one.v[0].len;
            if (line.len && !blank_before && continues_line(t, tl, line.p, line.len)) {
                if (!strchr(".,;:)", t[0]) && !(tl == 2 && line.p[line.len - 1] <= '9'))
                    bl_buf_addc(&line, ' ');
                bl_buf_add(&line, t, tl);
            } else {
                if (line.len)
                    bl_blocks_push(bs, line.p, line.len, 0, BL_BLOCK_LINE, 0, pending_break);
                line.len = 0;
                bl_buf_add(&line, t, tl);
                pending_break = blank_before;
            }
            blank_before = 0;
        } else if (i < len) {
            blank_before = 1;
        }
        if (!nl)
            break;
        i = end + 1;
    }
    if (line.len && !bs->failed)
        bl_blocks_push(bs, line.p, line.len, 0, BL_BLOCK_LINE, 0, pending_break);
    if (line.failed)
        bs->failed = 1;
    bl_buf_free(&line);
    bl_blocks_free(&one);
}

static int is_cjk(unsigned cp)
{
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
           (cp >= 0x20000 && cp <= 0x2FFFF) || (cp >= 0xF900 && cp <= 0xFAFF);
}

static int is_letter_or_digit(unsigned cp)
{
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
    /* Latin-1 letters, Latin Extended, Greek, Cyrillic, Vietnamese... */
    return (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) || (cp >= 0x370 && cp <= 0x52F) ||
           (cp >= 0x1E00 && cp <= 0x1EFF);
}

size_t bl_text_words(const char *s, size_t len, size_t *cjk_out, size_t *latin_out)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t words = 0, cjk = 0, latin = 0, i = 0;
    int in_word = 0;
    while (i < len) {
        unsigned cp;
        size_t n = u[i] < 0x80 ? (cp = u[i], 1) : bl_utf8_decode(u + i, len - i, &cp);
        if (!n) {
            cp = 0xFFFD;
            n = 1;
        }
        if (is_cjk(cp)) {
            cjk++;
            in_word = 0;
        } else if (is_letter_or_digit(cp) || (in_word && (cp == '\'' || cp == 0x2019 || cp == '-'))) {
            if (!in_word)
                words++;
            in_word = 1;
            if (cp >= 'A' && (cp < 0x250 || (cp >= 0x1E00 && cp <= 0x1EFF)))
                latin++; /* Latin script only: Greek and Cyrillic are words, not English */
        } else {
            in_word = 0;
        }
        i += n;
    }
    if (cjk_out)
        *cjk_out = cjk;
    if (latin_out)
        *latin_out = latin;
    return words + (cjk + 1) / 2;
}

/* Case-insensitive (ASCII) comparison of a whole line with a word list,
 * ignoring trailing ':' '|' '>' and spaces. */
static int line_in(const char *s, size_t len, const char *const *list)
{
    while (len && (s[len - 1] == ':' || s[len - 1] == '|' || s[len - 1] == '>' || s[len - 1] == ' ' ||
                   s[len - 1] == '.'))
        len--;
    while (len && (*s == '[' || *s == '|' || *s == ' ')) {
        s++;
        len--;
    }
    while (len && s[len - 1] == ']')
        len--;
    for (size_t i = 0; list[i]; i++)
        if (strlen(list[i]) == len && strncasecmp(list[i], s, len) == 0)
            return 1;
    return 0;
}

static int starts_with_any(const char *s, size_t len, const char *const *list)
{
    while (len && (*s == '[' || *s == '(' || *s == ' ')) {
        s++;
        len--;
    }
    for (size_t i = 0; list[i]; i++) {
        size_t n = strlen(list[i]);
        if (n <= len && strncasecmp(list[i], s, n) == 0)
            return 1;
    }
    return 0;
}

static const char *const furniture_lines[] = {
    "home", "menu", "main menu", "search", "search for", "share", "tweet", "print", "email", "e-mail",
    "facebook", "twitter", "instagram", "youtube", "linkedin", "flickr", "x", "rss", "feedburner",
    "read more", "more", "back", "next", "previous", "view all", "see all", "show more", "follow us",
    "follow", "connect", "stay connected", "scroll to top", "back to top", "top", "skip to content",
    "skip to main content", "skip navigation", "contact us", "contact", "tweet this", "print this page",
    "print friendly", "email this", "share this", "share this page", "close", "open", "toggle navigation",
    "subscribe", "sign in", "log in", "login", "register", "sign up", "loading", "loading...",
    "like", "comments", "leave a comment", "leave a reply", "quick links", "dept menu", "help",
    "privacy policy", "terms of use", "accessibility", "sitemap", "site map", "translate",
    "select language", "pardon our interruption", "please stand by", "you are here", "breadcrumb", "author", "published", "posted", "updated",
    "tagged with", "tags", "categories", "category", "filed under", "print article", "listen", "press",
    "press release", "news release", "news", "newsroom", "please leave this field empty", "meet",
    "首页", "返回顶部", "打印", "关闭", "关闭窗口", "分享", "分享到", "收藏", "登录", "注册", "评论",
    "上一篇", "下一篇", "返回", "更多", "字号", "大", "中", "小", "扫一扫", "打印本页", "微信", "微博",
    NULL};

static const char *const furniture_prefixes[] = {
    "skip to ", "copyright", "click here", "\xc2\xa9", "(c) 19", "(c) 20", "posted on", "link to:", "share this",
    "share on", "follow us", "click here to", "back to top", "scroll to top", "you are here",
    "sign up for", "subscribe to", "all rights reserved", "share:", "tags:", "filed under",
    "disclaimer:", "notice: the content above", "编辑|", "编辑：", "责编", "校对", "来源：", "来源:", "特别声明", "免责声明", "声明：", "版权声明",
    "版权所有", "责任编辑", "【责任编辑", "分享到", "本文来源", "扫一扫", "相关标签", "关键词：",
    NULL};

static const char *const barrier_lines[] = {
    "latest news", "recent posts", "related posts", "recent news", "more news", "latest posts",
    "related news", "related articles", "related stories", "related content", "related links",
    "you may also like", "you might also like", "read next", "more stories", "popular posts",
    "most read", "most popular", "trending", "newsletter sign-up", "newsletter signup", "top stories",
    "in other news", "other news", "more press releases", "recent press releases",
    "latest press releases", "related press releases", "news releases", "more from this office",
    "# # #", "###", "#", "-30-", "- 30 -", "-###-", "# # # #", "####",
    "相关新闻", "相关阅读", "相关文章", "相关链接", "热点推荐", "推荐阅读", "热门推荐", "延伸阅读",
    "更多新闻", "猜你喜欢", "热门文章", "最新文章", "热门新闻", "精彩推荐", "为您推荐", "相关推荐",
    "24小时排行", "热点新闻", "热门排行", "点击排行", "图片新闻", "相关报道",
    NULL};

static int only_digits(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!(s[i] >= '0' && s[i] <= '9') && s[i] != ' ' && s[i] != '/' && s[i] != '.')
            return 0;
    return 1;
}

int bl_line_is_boilerplate(const char *s, size_t len)
{
    if (len > 1200) /* over 60 words whatever the script: prose */
        return 0;
    size_t words = bl_text_words(s, len, NULL, NULL);
    if (len == 0 || words == 0 || only_digits(s, len))
        return 1;
    if (len < 64 && line_in(s, len, furniture_lines))
        return 1;
    if (words <= 60 && starts_with_any(s, len, furniture_prefixes))
        return 1;
    /* Notices about the site rather than the news: rights, cookies, and the
     * interstitial pages bot filters show instead of the article. */
    if (words <= 60) {
        char lower[1201];
        for (size_t i = 0; i < len; i++)
            lower[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
        lower[len] = '\0';
        static const char *const notices[] = {"all rights reserved", "cookie", "javascript", "your browser",
                                              "captcha", "版权所有", "二维码", "仅代表", "不代表",
                                              NULL};
        for (size_t k = 0; notices[k]; k++)
            if (strstr(lower, notices[k]))
                return 1;
    }
    return 0;
}

int bl_line_is_barrier(const char *s, size_t len)
{
    if (len > 64)
        return 0;
    if (line_in(s, len, barrier_lines))
        return 1;
    /* "[责任编辑：...]" closes a Chinese news article. */
    return starts_with_any(s, len, (const char *const[]){"责任编辑", "【责任编辑", NULL});
}

static int has_sentence_punct(const char *s, size_t len)
{
    if (len == 0)
        return 0;
    char last = s[len - 1];
    if (last == '.' || last == '!' || last == '?' || last == '"' || last == ';' || last == ':')
        return 1;
    size_t commas = 0;
    for (size_t i = 0; i + 1 < len; i++) {
        if ((s[i] == '.' || s[i] == '?' || s[i] == '!') && s[i + 1] == ' ')
            return 1;
        if (s[i] == ',')
            commas++;
    }
    if (commas >= 2)
        return 1;
    /* ” 。 ， ； ： ！ ？ */
    static const char *const marks[] = {"\xe2\x80\x9d", "\xe3\x80\x82", "\xef\xbc\x8c", "\xef\xbc\x9b",
                                        "\xef\xbc\x9a", "\xef\xbc\x81", "\xef\xbc\x9f", NULL};
    for (size_t m = 0; marks[m]; m++)
        if (memmem(s, len, marks[m], strlen(marks[m])))
            return 1;
    return 0;
}

#define MAX_NEUTRAL_GAP 30

enum { CLS_NEUTRAL = 0, CLS_GOOD = 1, CLS_BAD = 2, CLS_BARRIER = 3 };

/* Headlines: the longer words capitalised ("MAN SENTENCED FOR ...", "Man
 * Who Fled Charged With Murder in ..."; Title Case leaves short words
 * lower-case). Prose capitalises names, not most of its words. */
static int looks_like_headline(const char *s, size_t len)
{
    size_t eligible = 0, caps = 0;
    for (size_t i = 0; i < len; i++) {
        if (i > 0 && s[i - 1] != ' ')
            continue;
        size_t j = i;
        while (j < len && s[j] != ' ')
            j++;
        size_t n = j - i;
        unsigned char c = (unsigned char)s[i];
        if (n >= 4 && ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
            eligible++;
            caps += c >= 'A' && c <= 'Z';
        }
    }
    if (len && (s[len - 1] == '.' || s[len - 1] == '"')) /* sentences end so; headlines do not */
        return 0;
    return eligible >= 3 && caps * 4 >= eligible * 3;
}

/* "4 min read" */
static int reading_time(const char *s, size_t len)
{
    return len < 20 && len > 9 && s[0] >= '0' && s[0] <= '9' && memmem(s, len, "min read", 8);
}

static int classify(const bl_blocks *bs, size_t i, long *weight)
{
    const bl_block *b = &bs->v[i];
    const char *s = bl_block_text(bs, i);
    long words = (long)bl_text_words(s, b->len, NULL, NULL);
    double links = b->len ? (double)b->link_len / (double)b->len : 0.0;
    if (bl_line_is_barrier(s, b->len)) {
        *weight = 0;
        return CLS_BARRIER;
    }
    if (links > 0.5 || bl_line_is_boilerplate(s, b->len) || reading_time(s, b->len)) {
        *weight = -(words + 3);
        return CLS_BAD;
    }
    int punct = has_sentence_punct(s, b->len);
    if (links <= 0.3 && b->kind != BL_BLOCK_HEADING && !looks_like_headline(s, b->len) &&
        ((words >= 12 && punct) || words >= 40)) {
        *weight = words;
        return CLS_GOOD;
    }
    char last = s[b->len - 1];
    if (links <= 0.3 && words >= 5 && (last == '.' || last == '!' || last == '?' || last == '"')) {
        *weight = 1; /* a short sentence: keep it when it borders the text */
        return CLS_NEUTRAL;
    }
    *weight = -1 - words / 5;
    return CLS_NEUTRAL;
}

int bl_blocks_main(const bl_blocks *bs, int text_mode, bl_main *out)
{
    int rc = 0;
    unsigned char *cls = NULL;
    long *weights = NULL;
    bl_buf b = {0};
    out->first = 1;
    out->last = 0;
    out->text = NULL;
    out->text_len = 0;
    if (bs->n) {
        cls = malloc(bs->n);
        if (!cls) {
            rc = BL_ENOMEM;
            goto done;
        }
    }

    /* Maximum-sum run of weights, restarting at every barrier. */
    long best = 0, cur = 0;
    size_t cur_start = 0, best_first = 1, best_last = 0;
    weights = malloc(bs->n * sizeof *weights);
    if (bs->n && !weights) {
        rc = BL_ENOMEM;
        goto done;
    }
    for (size_t i = 0; i < bs->n; i++)
        cls[i] = (unsigned char)classify(bs, i, &weights[i]);
    /* After a list heading ("Latest Posts"), a long line standing alone
     * between short ones is a list item (a headline with its date), not
     * prose: prose comes in runs. The list ends at two content blocks in a
     * row. */
    int in_list = 0;
    for (size_t i = 0; i < bs->n; i++) {
        if (cls[i] == CLS_BARRIER) {
            in_list = 1;
            continue;
        }
        if (!in_list || cls[i] != CLS_GOOD)
            continue;
        int next_good = i + 1 < bs->n && cls[i + 1] == CLS_GOOD;
        int prev_good = i > 0 && cls[i - 1] == CLS_GOOD;
        if (next_good || prev_good) {
            in_list = 0;
        } else {
            cls[i] = CLS_NEUTRAL;
            weights[i] = -1;
        }
    }
    for (size_t i = 0; i < bs->n; i++) {
        long w = weights[i];
        if (cls[i] == CLS_BARRIER) {
            cur = 0;
            cur_start = i + 1;
            continue;
        }
        if (cur <= 0) {
            cur = 0;
            cur_start = i;
        }
        cur += w;
        if (cur > best) {
            best = cur;
            best_first = cur_start;
            best_last = i;
        }
    }

    size_t first = best_first, last = best_last;
    int fallback = best <= 0;
    /* Reach across short neutral lines (a table of charges, a photo
     * caption) to prose on the other side: the run's score would not pay
     * for them, but nothing in them is furniture. */
    while (!fallback && first > 0) {
        size_t k = first, gap = 0;
        while (k > 0 && cls[k - 1] == CLS_NEUTRAL && gap < MAX_NEUTRAL_GAP) {
            k--;
            gap++;
        }
        if (k == 0 || cls[k - 1] != CLS_GOOD)
            break;
        first = k - 1;
    }
    while (!fallback && last + 1 < bs->n) {
        size_t k = last, gap = 0;
        while (k + 1 < bs->n && cls[k + 1] == CLS_NEUTRAL && gap < MAX_NEUTRAL_GAP) {
            k++;
            gap++;
        }
        if (k + 1 >= bs->n || cls[k + 1] != CLS_GOOD)
            break;
        last = k + 1;
    }
    if (fallback) {
        /* Nothing reads like prose: keep the longer lines that are not
         * furniture, so short notices are not lost entirely. */
        first = 0;
        last = bs->n ? bs->n - 1 : 0;
    }
    int has_breaks = 0;
    for (size_t i = 0; text_mode && i < bs->n && !has_breaks; i++)
        has_breaks = bs->v[i].para_break;
    size_t prev = (size_t)-1;
    for (size_t i = first; bs->n && i <= last; i++) {
        if (cls[i] == CLS_BAD || cls[i] == CLS_BARRIER)
            continue;
        const char *s = bl_block_text(bs, i);
        size_t len = bs->v[i].len;
        if (fallback && (bl_text_words(s, len, NULL, NULL) < 6 || bs->v[i].kind == BL_BLOCK_HEADING))
            continue;
        if (prev != (size_t)-1) {
            /* Text with blank lines between paragraphs keeps its line
             * breaks inside them; elsewhere a block is a paragraph. */
            if (text_mode && has_breaks && !bs->v[i].para_break && i == prev + 1)
                bl_buf_addc(&b, '\n');
            else
                bl_buf_add(&b, "\n\n", 2);
        }
        bl_buf_add(&b, s, len);
        prev = i;
    }
    if (!fallback) {
        out->first = first;
        out->last = last;
    }
    out->text = bl_buf_take(&b, &out->text_len);
    if (!out->text)
        rc = BL_ENOMEM;
done:
    free(weights);
    free(cls);
    bl_buf_free(&b);
    return rc;
}
