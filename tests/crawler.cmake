# The crawler: its lower layers on their own, then whole crawls against a
# real HTTP server on 127.0.0.1.
bl_add_check_test(test_crawl_units SOURCES test_crawl_units.c LIBS bl_crawl_core)
bl_add_check_test(test_crawl SOURCES test_crawl.c test_crawl_server.c blotter_run.c
  LIBS bl_crawler bl_xapian PkgConfig::MHD)
if(TARGET test_crawl AND TARGET blotter)
  add_dependencies(test_crawl blotter)
endif()
# The crawler against servers that misbehave on purpose, and killed at
# random moments: `blotter crawl` end to end.
bl_add_check_test(test_crawl_hostile SOURCES test_crawl_hostile.c hostile_server.c blotter_run.c
  LIBS bl_xapian bl_common PkgConfig::JSONC PkgConfig::ZLIB)
if(TARGET test_crawl_hostile AND TARGET blotter)
  add_dependencies(test_crawl_hostile blotter)
endif()
