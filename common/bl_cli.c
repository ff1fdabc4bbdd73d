/* blotter: shared command-line plumbing (see bl_cli.h). */
#include "bl_cli.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bl_utf8.h"

static const char *command_name = NULL;
volatile int bl_interrupted = 0;
static int progress_shown = 0;
static struct timespec progress_last;
/* Threads report too (the indexing pipeline): one line at a time. */
static pthread_mutex_t output_lock = PTHREAD_MUTEX_INITIALIZER;

void bl_cli_set_command(const char *name) { command_name = name; }
const char *bl_cli_command(void) { return command_name; }

static void progress_clear_locked(void)
{
    if (progress_shown) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
        progress_shown = 0;
    }
}

static void vreport(const char *kind, const char *fmt, va_list ap)
{
    pthread_mutex_lock(&output_lock);
    progress_clear_locked();
    if (command_name)
        fprintf(stderr, "blotter %s: %s", command_name, kind);
    else
        fprintf(stderr, "blotter: %s", kind);
    /* Messages quote file names, URLs and queries that came from outside:
     * none of their control characters or invalid bytes reach the terminal. */
    char raw[4096], safe[4096];
    vsnprintf(raw, sizeof raw, fmt, ap);
    bl_utf8_excerpt(raw, sizeof safe - 1, safe, sizeof safe);
    fputs(safe, stderr);
    fputc('\n', stderr);
    pthread_mutex_unlock(&output_lock);
}

void bl_warnf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport("warning: ", fmt, ap);
    va_end(ap);
}

void bl_errorf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport("", fmt, ap);
    va_end(ap);
}

char *bl_join_args(int argc, char **argv, int from)
{
    size_t len = 1;
    for (int i = from; i < argc; i++)
        len += strlen(argv[i]) + 1;
    char *out = malloc(len), *p = out;
    if (!out)
        return NULL;
    for (int i = from; i < argc; i++) {
        size_t n = strlen(argv[i]);
        if (i > from)
            *p++ = ' ';
        memcpy(p, argv[i], n);
        p += n;
    }
    *p = '\0';
    return out;
}

int bl_parse_uint(const char *s, unsigned long max, unsigned long *out)
{
    if (!s || !*s || *s == '-' || *s == '+')
        return -1;
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || *end || v > max)
        return -1;
    *out = v;
    return 0;
}

void bl_progress(const char *fmt, ...)
{
    static int is_tty = -1;
    if (is_tty < 0)
        is_tty = isatty(STDERR_FILENO);
    if (!is_tty)
        return;
    pthread_mutex_lock(&output_lock);
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long ms = (now.tv_sec - progress_last.tv_sec) * 1000 + (now.tv_nsec - progress_last.tv_nsec) / 1000000;
    if (progress_shown && ms < 200) {
        pthread_mutex_unlock(&output_lock);
        return;
    }
    progress_last = now;
    va_list ap;
    va_start(ap, fmt);
    fputs("\r\033[K", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fflush(stderr);
    progress_shown = 1;
    pthread_mutex_unlock(&output_lock);
}

void bl_progress_done(void)
{
    pthread_mutex_lock(&output_lock);
    progress_clear_locked();
    pthread_mutex_unlock(&output_lock);
}

static void on_interrupt(int sig)
{
    (void)sig;
    bl_interrupted = 1;
}

void bl_cli_catch_interrupts(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_interrupt;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}
