/* blotter: text blocks and the choice of a page's main text.
 *
 * Both HTML pages and plain text are reduced to a sequence of blocks (a
 * paragraph, a list item, a heading, a line of text) that carry their text
 * and how much of it sits inside links. bl_blocks_main() then classifies each
 * block as content (long, sentence-like, few links), boilerplate (link lists,
 * "Skip to content", copyright and share lines, cookie notices) or neutral
 * (short lines), and keeps the contiguous run of blocks with the highest
 * score: content counts for its length, boilerplate and neutral lines against
 * it, and a list heading such as "Latest News", "Related Posts" or an end
 * mark such as "# # #" ends a run. This is the same idea for markup (where
 * the DOM already removed navigation, scripts and sidebars) and for text
 * saved from web pages (where the menu lines are still there).
 *
 * Ownership: a bl_blocks owns its text; the caller frees it with
 * bl_blocks_free(). Appends are sticky on allocation failure (see bl_buf.h).
 */
#ifndef BL_BLOCKS_H
#define BL_BLOCKS_H

#include <stddef.h>

#include "bl_buf.h"

enum bl_block_kind { BL_BLOCK_PARA = 0, BL_BLOCK_HEADING = 1, BL_BLOCK_ITEM = 2, BL_BLOCK_LINE = 3 };

typedef struct bl_block {
    size_t off, len;    /* the block's text in the list's buffer */
    size_t link_len;    /* bytes of that text inside links */
    int kind;           /* enum bl_block_kind */
    int level;          /* heading level 1..6, else 0 */
    int para_break;     /* text input: a blank line came before this line */
} bl_block;

typedef struct bl_blocks {
    bl_buf text;
    bl_block *v;
    size_t n, cap;
    int failed;
} bl_blocks;

/* Appends a block; s is normalised (whitespace collapsed, trimmed) and an
 * empty result adds nothing. link_len is scaled down if trimming shrank s. */
void bl_blocks_push(bl_blocks *bs, const char *s, size_t len, size_t link_len, int kind, int level,
                    int para_break);
void bl_blocks_free(bl_blocks *bs);

/* Plain text: one block per line, para_break set after blank lines. */
void bl_text_to_blocks(const char *s, size_t len, bl_blocks *bs);

static inline const char *bl_block_text(const bl_blocks *bs, size_t i)
{
    return bs->text.p + bs->v[i].off;
}

/* What bl_blocks_main found: [first, last] of the chosen run (first > last
 * when nothing qualified) and the main text. */
typedef struct bl_main {
    size_t first, last;
    char *text;        /* malloc'd, owned by the caller; "" when nothing */
    size_t text_len;
} bl_main;

/* Chooses the main run. text_mode joins broken lines of text input; blocks
 * are separated by a blank line ("\n\n"). Returns 0 or BL_ENOMEM. */
int bl_blocks_main(const bl_blocks *bs, int text_mode, bl_main *out);

/* 1 when a block's text is a site furniture line ("Skip to content",
 * "© 2024 ...", "Share", "Read More", a cookie notice...). */
int bl_line_is_boilerplate(const char *s, size_t len);

/* 1 when a line heads a list of other items or ends a release ("Latest
 * News", "Related Posts", "相关新闻", "# # #"). */
int bl_line_is_barrier(const char *s, size_t len);

/* Word count with CJK ideographs counted two to a word. */
size_t bl_text_words(const char *s, size_t len, size_t *cjk, size_t *latin_letters);

#endif
