/* blotter: a bulletin record -> a Xapian document, following bl_schema.h.
 *
 * The document carries the record's JSON as its data, so `data` is passed in
 * (the caller computed it to compare with the indexed version) rather than
 * serialised twice. *out is a new document the caller frees.
 */
#ifndef BL_DOC_BUILDER_H
#define BL_DOC_BUILDER_H

#include "bl_error.h"
#include "bl_record.h"
#include "bl_xapian.h"

int bl_doc_build(const bl_record *rec, const char *key, const char *data, bl_xdoc **out,
                 bl_error *err);

/* The host of a URL, lowercase, into out ("" when the key has none). */
void bl_url_host(const char *url, char *out, size_t size);

#endif
