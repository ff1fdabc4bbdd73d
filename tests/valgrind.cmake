# The main job under valgrind (memcheck): no invalid access, no leak. Not in
# sanitizer builds, where AddressSanitizer already watches every test.
find_program(VALGRIND valgrind)
if(VALGRIND AND NOT BLOTTER_SANITIZE AND TARGET blotter)
  add_test(NAME valgrind_main_job
           COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/valgrind_main_job.sh
                   $<TARGET_FILE:blotter> ${PROJECT_SOURCE_DIR})
  set_tests_properties(valgrind_main_job PROPERTIES TIMEOUT 900)
elseif(NOT BLOTTER_SANITIZE)
  message(STATUS "valgrind not found: the valgrind run of the main job is not registered")
endif()
