/* blotter: the `blotter search` subcommand. */
#ifndef BL_SEARCH_CMD_H
#define BL_SEARCH_CMD_H

int bl_cmd_search(int argc, char **argv);

#endif
