/* blotter-COMMAND: one of blotter's subcommands as a program of its own,
 * which `blotter COMMAND` runs in its place (see command_exec.h for why).
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * cli/CMakeLists.txt builds this file once per command, defining
 * BL_COMMAND_NAME ("index"), BL_COMMAND_RUN (bl_cmd_index) and
 * BL_COMMAND_HEADER ("index_cmd.h", which declares it).
 */
#include "bl_cli.h"
#include BL_COMMAND_HEADER

int main(int argc, char **argv)
{
    /* The command sees itself as argv[0], as when blotter called it
     * directly: getopt's messages read "index: ...", not a path. */
    static char name[] = BL_COMMAND_NAME;
    argv[0] = name;
    bl_cli_set_command(name);
    return BL_COMMAND_RUN(argc, argv);
}
