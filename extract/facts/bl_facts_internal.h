/* blotter: private interface shared by the files of extract/facts/.
 *
 * bl_number.c   written numbers (digits, English words, Chinese numerals)
 * bl_lexicon.c  the lexicon data file: loading, lookup order, phrase matching
 * bl_facts.c    numeric facts: a number, the words around it, a category
 * bl_campaigns.c named campaigns and operations
 * bl_text.c     byte-level UTF-8 helpers the others share
 *
 * Nothing here is part of the public contract (bl_facts.h); it may change
 * with the code that uses it.
 */
#ifndef BL_FACTS_INTERNAL_H
#define BL_FACTS_INTERNAL_H

#include <stddef.h>

#include "bl_facts.h"

/* ---- interface to code in bl_number.c ---- */

enum bl_num_form {
    BL_NUM_DIGITS = 1, /* Arabic digits, ASCII or full width, maybe with a scale */
    BL_NUM_WORDS = 2,  /* English number words */
    BL_NUM_CJK = 3     /* Chinese numerals, possibly mixed with digits */
};

typedef struct bl_num {
    double value;
    size_t len;        /* bytes consumed */
    int form;          /* enum bl_num_form */
    int more;          /* a 多/余 inside the number ("3千多万"): at least */
    int n_digits;      /* Arabic digits before any decimal point (0 if none) */
    int has_decimal;
    int has_scale;     /* million, 万, ... */
    int grouped;       /* written with thousands separators */
} bl_num;

/* Parses a number at s[0..len); returns bytes consumed (0: no number). */
size_t bl_num_scan(const char *s, size_t len, bl_num *out);

/* ---- interface to code in bl_text.c ---- */

/* Length of the UTF-8 sequence at s (1 for an invalid byte, never 0 when
 * len > 0), and its code point in *cp (0xFFFD when invalid). */
size_t bl_utf8_next(const char *s, size_t len, unsigned *cp);
/* Start of the code point that ends just before s[pos] (pos > 0). */
size_t bl_utf8_prev(const char *s, size_t pos);
int bl_is_cjk(unsigned cp);
int bl_is_ascii_alpha(int c);
int bl_is_ascii_alnum(int c);

/* ---- interface to code in bl_lexicon.c ---- */

enum bl_lex_kind {
    BL_LEX_NOUN = 1,    /* the thing counted: fixes the category */
    BL_LEX_MEASURE,     /* a weak noun (Chinese measure word such as 起) */
    BL_LEX_PERSON,      /* a count of people: the category comes from a verb */
    BL_LEX_VERB,        /* an action that gives people counts a category */
    BL_LEX_UNIT,        /* a measure after the number with a conversion factor */
    BL_LEX_CURRENCY,    /* a money marker before or after the number */
    BL_LEX_CONTEXT,     /* words a unit's category needs nearby */
    BL_LEX_UNLESS,      /* words before a number that make it no fact of a
                           category ("faces up to 20 years": a maximum) */
    BL_LEX_QUALIFIER,   /* more than, up to, 多, 余, 近 ... */
    BL_LEX_VETO,        /* words beside a number that make it no fact */
    BL_LEX_CAMPAIGN,    /* a known campaign name or alias */
    BL_LEX_CAMPAIGN_WORD, /* a word that ends a campaign name: Action, 行动 */
    BL_LEX_CAMPAIGN_DROP, /* words dropped when a campaign name is normalised */
    BL_LEX_CAMPAIGN_STOP, /* words that end an "Operation X" name: headline verbs, places */
    BL_LEX_KIND_COUNT
};

enum bl_lex_place { BL_PLACE_ANY = 0, BL_PLACE_BEFORE = 1, BL_PLACE_AFTER = 2 };
enum bl_lex_lang { BL_LANG_ANY = 0, BL_LANG_EN = 1, BL_LANG_ZH = 2 };

typedef struct bl_lex_entry {
    int kind;         /* enum bl_lex_kind */
    int category;     /* index into bl_fact_categories[], or -1 */
    int lang;         /* enum bl_lex_lang */
    int place;        /* enum bl_lex_place */
    double factor;    /* unit and currency conversion */
    char tag[8];      /* currency code or qualifier ("USD", ">=") */
    const char *phrase; /* lowercased for ASCII letters; owned by the lexicon */
    size_t phrase_len;
    const char *canonical; /* campaigns: the one name; owned by the lexicon */
    int word_bounded;  /* phrase starts/ends with ASCII letters: match whole words */
} bl_lex_entry;

/* The longest entry of kind (or any kind when kind is 0) whose phrase starts
 * at text[pos] (ASCII case-insensitive, whole words for English phrases) and
 * whose language fits lang; NULL when none. */
const bl_lex_entry *bl_lex_match(const bl_lexicon *lex, const char *text, size_t len,
                                 size_t pos, int kind, int lang);
/* Like bl_lex_match, among entries of one category (BL_ANY_CATEGORY: all). */
#define BL_ANY_CATEGORY (-2)
const bl_lex_entry *bl_lex_match_category(const bl_lexicon *lex, const char *text, size_t len,
                                          size_t pos, int kind, int lang, int category);
/* Like bl_lex_match, for a phrase that ends exactly at text[end]. */
const bl_lex_entry *bl_lex_match_ending(const bl_lexicon *lex, const char *text,
                                        size_t len, size_t end, int kind, int lang);

/* All entries (for scanning campaigns). */
size_t bl_lex_count(const bl_lexicon *lex);
const bl_lex_entry *bl_lex_entry_at(const bl_lexicon *lex, size_t i);

int bl_lang_code(const char *lang);

/* The copy of data/lexicon.txt compiled into the library (the last step of
 * the default lookup), loaded on its own. */
int bl_lexicon_load_builtin(bl_lexicon **out, bl_error *err); /* "en" -> BL_LANG_EN, NULL/other -> ANY */

#endif
