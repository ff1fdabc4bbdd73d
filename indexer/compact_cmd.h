/* blotter: the `blotter compact` subcommand. */
#ifndef BL_COMPACT_CMD_H
#define BL_COMPACT_CMD_H

int bl_cmd_compact(int argc, char **argv);

#endif
