/* A web server on 127.0.0.1 that misbehaves on purpose, for the crawler's
 * hostile-server tests. Plain sockets, one thread per connection, so it can
 * send what no HTTP library would: bytes trickling forever, endless bodies,
 * gzip bombs, 20,000 header lines, redirect loops, broken chunked encoding,
 * garbage and silence, and a 50 MB robots.txt.
 *
 * Well-behaved pages, served beside the hostile ones:
 *   /list.html         a listing linking every path of cfg.hostile first,
 *                      then /private/secret.html, then /news/1.html ...
 *                      /news/N.html
 *   /news/K.html       a bulletin whose text holds the unique word
 *                      hs_bulletin_word(K) and the word "rev<revision>q"
 *   /robots.txt        "Disallow: /private/" (and, with HS_ROBOTS_HUGE or
 *                      HS_ROBOTS_ENDLESS, comment lines after it, 50 MB or
 *                      without end, with "Disallow: /private/more" across
 *                      byte HS_ROBOTS_CUT: cut there, it would read
 *                      "Disallow: /")
 * The hostile paths (all under /bad/) are listed in hostile_server.c, each
 * with what it does.
 *
 * The server listens on an ephemeral port of 127.0.0.1 only. Every request
 * is logged with when it came, when its connection ended and how many bytes
 * were sent; hs_stop ends every connection and joins every thread.
 */
#ifndef TEST_HOSTILE_SERVER_H
#define TEST_HOSTILE_SERVER_H

#include <pthread.h>
#include <stddef.h>

enum hs_robots {
    HS_ROBOTS_SMALL = 0,
    HS_ROBOTS_HUGE,    /* 50 MB with a Content-Length */
    HS_ROBOTS_ENDLESS  /* no Content-Length, never ends */
};

#define HS_ROBOTS_HUGE_SIZE (50u * 1024u * 1024u)
/* 500 KiB: the least of a robots.txt RFC 9309 asks a crawler to read. */
#define HS_ROBOTS_CUT (500u * 1024u)
#define HS_MAX_LOG 4096
#define HS_MAX_HOSTILE 16

typedef struct hs_config {
    int n_bulletins;                        /* /news/1.html .. /news/N.html */
    const char *hostile[HS_MAX_HOSTILE];    /* paths the listing links to first; NULL ends */
    int robots;                             /* enum hs_robots */
    int latency_ms;                         /* pause before each well-behaved answer */
    volatile unsigned revision;             /* in every bulletin's text */
} hs_config;

typedef struct hs_request {
    char path[128];
    double start, end;   /* monotonic seconds: request read, connection over */
    size_t bytes_sent;
    int status;          /* what the answer claimed; 0 for no HTTP answer */
} hs_request;

typedef struct hostile_server hostile_server;

/* Starts a server with a copy of cfg; NULL when it cannot listen. */
hostile_server *hs_start(const hs_config *cfg);
/* Ends every connection, joins every thread, frees the server. NULL is fine. */
void hs_stop(hostile_server *s);

unsigned short hs_port(const hostile_server *s);
/* The server's copy of its configuration: a test may change the revision
 * between crawls. */
hs_config *hs_config_of(hostile_server *s);

/* Requests for path seen so far. */
int hs_count(hostile_server *s, const char *path);
/* Bytes sent over all requests for path. */
size_t hs_bytes_sent(hostile_server *s, const char *path);
/* The longest time a connection for path stayed open (its handler ran),
 * in seconds; -1 when path was never asked for or a connection is still
 * open. */
double hs_longest(hostile_server *s, const char *path);
/* Waits until every logged connection is over (a handler notices a client
 * that left at its next write); -1 if some are still open after seconds. */
int hs_wait_idle(hostile_server *s, double seconds);
/* Bulletins (/news/K.html) answered with 200 so far. */
int hs_bulletins_served(hostile_server *s);

/* The unique word of bulletin k, e.g. "kq007z", into out (at least 16 bytes). */
void hs_bulletin_word(int k, char *out);

#endif
