# Extraction: charsets, main text, title, date, agency, language, and the
# `blotter extract` command. Fixtures live in tests/fixtures/extract/.
bl_add_check_test(test_extract_parts SOURCES test_extract_parts.c LIBS bl_extract)
bl_add_check_test(test_extract SOURCES test_extract.c LIBS bl_extract)
bl_add_check_test(test_extract_cmd SOURCES test_extract_cmd.c LIBS bl_extract PkgConfig::JSONC)
if(TARGET test_extract_cmd AND TARGET blotter)
  add_dependencies(test_extract_cmd blotter)
endif()
