# Numbers, numeric facts, campaigns and the lexicon (extract/facts/).
bl_add_check_test(test_numbers SOURCES test_numbers.c LIBS bl_facts)
bl_add_check_test(test_facts SOURCES test_facts.c LIBS bl_facts)
bl_add_check_test(test_campaigns SOURCES test_campaigns.c LIBS bl_facts)
bl_add_check_test(test_lexicon SOURCES test_lexicon.c LIBS bl_facts)
bl_add_check_test(test_facts_dev SOURCES test_facts_dev.c LIBS bl_facts PkgConfig::JSONC)
