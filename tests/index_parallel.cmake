# Building a new index on every core: scratch shards merged into one database.
bl_add_check_test(test_index_parallel SOURCES test_index_parallel.c blotter_run.c
                  LIBS bl_indexer bl_xapian bl_common)
if(TARGET test_index_parallel AND TARGET blotter)
  add_dependencies(test_index_parallel blotter)
endif()
