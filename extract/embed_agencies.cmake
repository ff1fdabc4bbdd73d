# Writes OUT, a C file defining bl_agencies_builtin[] with the bytes of IN.
file(READ ${IN} hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "(([^,]*,){16})" "\\1\n" bytes "${bytes}")
file(WRITE ${OUT} "/* Generated from data/agencies.txt; do not edit. */\n#include <stddef.h>\n"
  "const unsigned char bl_agencies_builtin[] = {\n${bytes}0x00};\n"
  "const size_t bl_agencies_builtin_len = sizeof bl_agencies_builtin - 1;\n")
