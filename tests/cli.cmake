# The searcher's pieces, and the blotter binary end to end.
bl_add_check_test(test_query_language SOURCES test_query_language.c LIBS bl_searcher)
bl_add_check_test(test_printer SOURCES test_printer.c LIBS bl_searcher)
bl_add_check_test(test_record SOURCES test_record.c LIBS bl_common)
bl_add_check_test(test_cli SOURCES test_cli.c LIBS bl_common)
if(TARGET test_cli AND TARGET blotter)
  add_dependencies(test_cli blotter)
endif()
