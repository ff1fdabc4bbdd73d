# blotter fuzzing: compile and link flags for the whole tree when the fuzz
# targets are built. Included by the top-level CMakeLists.txt (BLOTTER_FUZZ=ON)
# before any library is defined, and by fuzz/CMakeLists.txt when that file is
# configured on its own (cmake -S fuzz), so both ways build the same code.
#
# Libraries get coverage instrumentation without libFuzzer's main
# (fuzzer-no-link) and the address and undefined-behaviour sanitizers; any
# undefined behaviour aborts, so libFuzzer records it as a crash.
if(NOT CMAKE_C_COMPILER_ID STREQUAL "Clang" OR NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "BLOTTER_FUZZ needs clang (libFuzzer): configure with "
    "-DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14")
endif()
add_compile_options(-fsanitize=fuzzer-no-link,address,undefined
                    -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g)
add_link_options(-fsanitize=address,undefined)
