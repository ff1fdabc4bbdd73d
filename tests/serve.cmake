# `blotter serve`: the JSON API over HTTP on 127.0.0.1 (Check, libcurl), and
# the search page driven in headless Chromium (tests/browser/, skipped when
# Chromium and its driver are not installed).
bl_add_check_test(test_serve SOURCES test_serve.c blotter_run.c
  LIBS bl_common PkgConfig::JSONC PkgConfig::CURL Threads::Threads)
if(TARGET test_serve AND TARGET blotter)
  add_dependencies(test_serve blotter)
endif()

# Debian's own python3 first: the test needs only its standard library.
find_program(BL_PYTHON3 NAMES python3 HINTS /usr/bin)
if(BL_PYTHON3 AND TARGET blotter)
  add_test(NAME test_serve_browser
    COMMAND ${BL_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/browser/test_page.py
            --blotter $<TARGET_FILE:blotter>
            --fixtures ${CMAKE_CURRENT_SOURCE_DIR}/fixtures
            --screenshots ${PROJECT_BINARY_DIR})
  set_tests_properties(test_serve_browser PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300)
endif()

bl_add_check_test(test_serve_deadline SOURCES test_serve_deadline.c LIBS bl_server)
