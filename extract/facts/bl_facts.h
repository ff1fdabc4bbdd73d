/* blotter: numeric facts and named campaigns in a bulletin's main text.
 *
 * Categories and the words that signal them come from a lexicon data file
 * (data/lexicon.txt, format documented at its top) that users can read and
 * extend without recompiling. The lexicon is looked up, in order: the path
 * given to bl_lexicon_load; $BLOTTER_LEXICON; the copy installed with
 * blotter; the copy in the source tree; and finally the copy compiled into
 * the binary from the same file, so the tool works from any directory.
 *
 * Ownership: a bl_lexicon is immutable once loaded and may be shared by
 * threads; facts and campaigns are appended to the caller's record.
 */
#ifndef BL_FACTS_H
#define BL_FACTS_H

#include <stddef.h>

#include "bl_error.h"
#include "bl_record.h"

typedef struct bl_lexicon bl_lexicon;

/* path NULL: the default lookup above. Errors name the file and line. */
int bl_lexicon_load(const char *path, bl_lexicon **out, bl_error *err);
void bl_lexicon_free(bl_lexicon *lex);

/* The default lexicon, loaded once per process (thread-safe); NULL with err
 * set when it cannot be loaded. */
const bl_lexicon *bl_lexicon_default(bl_error *err);

/* Appends the numeric facts found in text[0..len) (UTF-8) to rec->facts,
 * with offsets into that same text. lang is "en", "zh" or NULL (both). */
int bl_facts_find(const bl_lexicon *lex, const char *text, size_t len, const char *lang,
                  bl_record *rec, bl_error *err);

/* Appends the named campaigns found in text (normalised: one campaign, one
 * name) to rec->campaigns. */
int bl_campaigns_find(const bl_lexicon *lex, const char *text, size_t len,
                      const char *lang, bl_record *rec, bl_error *err);

/* Parses a written number at s ("1,461", "1.2 million", "three", "two dozen",
 * full-width digits, "一千四百六十一", "1.2万", "11.6亿"); on success returns
 * the bytes consumed and stores the value, else returns 0. */
size_t bl_number_parse(const char *s, size_t len, double *value);

#endif
