# Writes OUT, a C file defining bl_lexicon_builtin[] with the bytes of IN.
# Bytes are written as hex, so quotes, backslashes and UTF-8 need no escaping.
file(READ ${IN} hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "(([^,]*,){16})" "\\1\n" bytes "${bytes}")
file(WRITE ${OUT} "/* Generated from data/lexicon.txt; do not edit. */\n#include <stddef.h>\n"
  "const unsigned char bl_lexicon_builtin[] = {\n${bytes}0x00};\n"
  "const size_t bl_lexicon_builtin_len = sizeof bl_lexicon_builtin - 1;\n")
