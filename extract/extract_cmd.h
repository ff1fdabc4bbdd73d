/* blotter: `blotter extract`, the record blotter understands from one page.
 *
 *   blotter extract [--format json|text] [--url URL] [--charset CS]
 *                   [--html|--text] FILE|-
 *
 * Prints the record as JSON (the record's version-1 form, pretty-printed) or
 * as readable text. Exit status: 0 success, 2 on any error, reported on
 * stderr as "blotter extract: FILE: reason". argv[0] is "extract".
 */
#ifndef EXTRACT_CMD_H
#define EXTRACT_CMD_H

int bl_cmd_extract(int argc, char **argv);

#endif
