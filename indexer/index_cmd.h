/* blotter: the `blotter index` subcommand. */
#ifndef BL_INDEX_CMD_H
#define BL_INDEX_CMD_H

int bl_cmd_index(int argc, char **argv);

#endif
