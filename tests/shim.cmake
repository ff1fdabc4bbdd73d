# The Xapian shim (common/bl_xapian.cc) on real indexes, and its header on its own.
bl_add_check_test(test_xapian_shim SOURCES test_xapian_shim.c LIBS bl_xapian)
bl_add_check_test(test_header_alone SOURCES test_header_alone.c LIBS bl_xapian)
bl_add_check_test(test_data_codec SOURCES test_data_codec.c blotter_run.c LIBS bl_xapian)
