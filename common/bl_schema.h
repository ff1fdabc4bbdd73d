/* blotter: the index format, written once.
 *
 * Every document in a blotter index is one bulletin. This header is the only
 * place that names its term prefixes and value slots; the indexer, searcher,
 * crawler and server all include it, so a change here is a format change and
 * must bump BL_SCHEMA_VERSION (stored in the index metadata key "blotter.schema").
 *
 * Terms
 *   (no prefix)  words of title and body, positional, English-stemmed with
 *                STEM_SOME (so "Z"-prefixed stems sit beside exact forms);
 *                Chinese as CJK n-grams (same flag at index and query time).
 *   S            title words, positional (query field "title:").
 *   Q            the unique id: the bulletin's key (URL, or "file:" + absolute
 *                path for local files); keys longer than BL_ID_MAX_KEY bytes
 *                are replaced by "#" + SHA-256 hex of the key (Xapian terms
 *                are limited to 245 bytes).
 *   H            host of the URL, lowercase, "www." kept (query "site:").
 *   L            language code, "en", "zh", "und" (query "lang:").
 *   A            agency, lowercase (query "agency:").
 *   K            campaign, lowercase normalised name (query "campaign:").
 *   Y            year "YYYY" of the publication date (query "year:").
 *   XD           content digest, hex (finds the same text under other URLs).
 *   XC           currency of a money fact, lowercase ISO 4217 (query "currency:").
 *
 * Values
 *   BL_SLOT_DATE     "YYYYMMDD" (string order is date order); absent if unknown.
 *   BL_SLOT_DIGEST   content digest, hex: finds the XD term of a collapsed hit.
 *   BL_SLOT_DUPKEY   the digest's first 8 bytes, binary: the collapse key for
 *                    duplicates (schema 2; a search reads it for every
 *                    candidate, and 8 bytes read faster than 64).
 *   BL_SLOT_URL      the bulletin's URL or path.
 *   BL_SLOT_CAMPAIGNS  the record's campaign names (as written in the record),
 *                    separated by BL_XFACET_SEP: the multi-valued facet.
 *   BL_SLOT_AGENCY   the agency as written in the record (facet).
 *   BL_SLOT_LANG     the language code (facet).
 *   BL_SLOT_YEAR     "YYYY" of the publication date (facet).
 *   BL_SLOT_FACT0+i  sortable_serialise(largest value of fact category i),
 *                    i in the order of bl_fact_categories[]; absent when the
 *                    bulletin states no such fact.
 *
 * Document data
 *   The whole extracted record as JSON (bl_record_to_json), version 1. From
 *   schema 2 the shim stores it as one zstd frame (bl_data_codec.h) and
 *   hands callers the JSON; schema 1's plain JSON reads the same.
 */
#ifndef BL_SCHEMA_H
#define BL_SCHEMA_H

#include <stddef.h>

/* Schema history: 1, the first; 2 added BL_SLOT_DUPKEY and zstd-packed
 * records. A schema-1 index is still read, and collapsed on BL_SLOT_DIGEST
 * (bl_dup_slot); updating it writes schema-2 bulletins beside the old. */
#define BL_SCHEMA_VERSION "2"
#define BL_SCHEMA_METADATA_KEY "blotter.schema"

#define BL_PREFIX_TITLE "S"
#define BL_PREFIX_ID "Q"
#define BL_PREFIX_SITE "H"
#define BL_PREFIX_LANG "L"
#define BL_PREFIX_AGENCY "A"
#define BL_PREFIX_CAMPAIGN "K"
#define BL_PREFIX_YEAR "Y"
#define BL_PREFIX_DIGEST "XD"
#define BL_PREFIX_CURRENCY "XC"

#define BL_ID_MAX_KEY 200

enum {
    BL_SLOT_DATE = 0,
    BL_SLOT_DIGEST = 1,
    BL_SLOT_URL = 2,
    BL_SLOT_CAMPAIGNS = 3,
    BL_SLOT_AGENCY = 4,
    BL_SLOT_LANG = 5,
    BL_SLOT_YEAR = 6,
    BL_SLOT_DUPKEY = 7,
    BL_SLOT_FACT0 = 10
};

/* Fact categories (docs/facts-taxonomy.md), in slot order: category i lives
 * in value slot BL_SLOT_FACT0 + i. Append only; never reorder. */
#define BL_FACT_CATEGORIES(X) \
    X(cases) X(gangs) X(suspects) X(defendants) X(intercepted) \
    X(victims) X(leads) X(money) X(prison_months) X(weight_kg)

enum {
#define BL_FACT_ENUM(name) BL_FACT_##name,
    BL_FACT_CATEGORIES(BL_FACT_ENUM)
#undef BL_FACT_ENUM
    BL_FACT_COUNT
};

extern const char *const bl_fact_categories[BL_FACT_COUNT];

/* Index of a category name in bl_fact_categories[], or -1. */
int bl_fact_category_index(const char *name);

/* The unique-id term for a bulletin key (see "Q" above), written into out. */
#define BL_ID_TERM_SIZE (BL_ID_MAX_KEY + 2)
void bl_id_term(const char *key, char out[BL_ID_TERM_SIZE]);

#endif
