/* blotter: the `blotter serve` subcommand (the JSON API and the search page). */
#ifndef BL_SERVE_CMD_H
#define BL_SERVE_CMD_H

#include <sys/socket.h>

int bl_cmd_serve(int argc, char **argv);

/* Parses "HOST:PORT", "[IPV6]:PORT" or "PORT" (host 127.0.0.1) into addr;
 * HOST is a numeric address. Returns 0, or BL_EINVAL. */
int bl_serve_parse_listen(const char *text, struct sockaddr_storage *addr, socklen_t *len);

#endif
