/* blotter: the `blotter similar` subcommand. */
#ifndef BL_SIMILAR_CMD_H
#define BL_SIMILAR_CMD_H

int bl_cmd_similar(int argc, char **argv);

#endif
