/* blotter crawl: the subcommand (argv[0] is "crawl"). */
#ifndef BL_CRAWL_CMD_H
#define BL_CRAWL_CMD_H

int bl_cmd_crawl(int argc, char **argv);

#endif
