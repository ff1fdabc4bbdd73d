/* blotter: the `blotter campaigns` subcommand. */
#ifndef BL_CAMPAIGNS_CMD_H
#define BL_CAMPAIGNS_CMD_H

int bl_cmd_campaigns(int argc, char **argv);

#endif
