/* blotter: the HTTP side of `blotter serve` (libmicrohttpd).
 *
 * One thread per connection (at most BL_HTTP_MAX_CONNECTIONS at once), each
 * request answered from the API (api.h) under /api/ or from the compiled-in
 * page (static_files.h); GET and HEAD only. Every response carries security
 * headers (a Content-Security-Policy of 'self' only, nosniff, no framing, no
 * referrer). When bound to a loopback address, requests naming another Host
 * are refused, so that web pages elsewhere cannot read the API through DNS
 * rebinding. One access-log line per request goes to stderr.
 *
 * Ownership: the server copies nothing from cfg (see bl_http_server_start).
 */
#ifndef BL_HTTP_SERVER_H
#define BL_HTTP_SERVER_H

#include <sys/socket.h>

#include "api.h"
#include "bl_error.h"

#define BL_HTTP_MAX_CONNECTIONS 64
#define BL_HTTP_IDLE_TIMEOUT_S 30 /* a connection silent this long is closed */
#define BL_HTTP_MAX_WORKERS 128   /* API requests running at once, late ones included */

typedef struct bl_http_server bl_http_server;

/* Listens on addr (IPv4 or IPv6, port 0 for any free port) and serves until
 * bl_http_server_stop. An API request not answered within timeout_ms gets a
 * 503 (its work finishes in the background). BL_EIO when the address cannot
 * be bound. cfg must outlive the process's last request (late ones too): keep
 * it in static storage. */
int bl_http_server_start(const bl_api_config *cfg, const struct sockaddr *addr,
                         socklen_t addr_len, unsigned timeout_ms, bl_http_server **out,
                         bl_error *err);

/* The port actually bound. */
unsigned bl_http_server_port(const bl_http_server *s);

/* Whether it listens on a loopback address only. */
int bl_http_server_loopback(const bl_http_server *s);

/* Stops listening, waits for the requests in progress, frees. NULL is fine. */
void bl_http_server_stop(bl_http_server *s);

#endif
