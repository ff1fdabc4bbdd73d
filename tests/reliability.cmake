# Reliability of the blotter binary: indexing killed at random points, a full
# disk, a read-only index, and hostile queries.
bl_add_check_test(test_reliability SOURCES test_reliability.c blotter_run.c
                  LIBS bl_xapian bl_common PkgConfig::JSONC)
if(TARGET test_reliability AND TARGET blotter)
  add_dependencies(test_reliability blotter)
endif()
# Only the headers of the indexer (its batch size): nothing of it is linked.
if(TARGET test_reliability)
  target_include_directories(test_reliability PRIVATE
    ${PROJECT_SOURCE_DIR}/indexer ${PROJECT_SOURCE_DIR}/extract)
endif()
