/* Test support: running the built `blotter` binary as a shell user would,
 * and cleaning up after it. For end-to-end suites only. */
#ifndef BL_BLOTTER_RUN_H
#define BL_BLOTTER_RUN_H

#include <sys/resource.h>
#include <sys/types.h>

typedef struct bl_run_result {
    int status;   /* exit status (a death by signal fails the test instead) */
    char *out;    /* everything written to stdout */
    char *err;    /* everything written to stderr */
} bl_run_result;

/* Runs BL_TEST_BINARY with args (NULL-terminated, without the program name),
 * stdin from /dev/null, capturing output through files in work_dir. */
bl_run_result bl_run_blotter(const char *work_dir, const char *const *args);
void bl_run_free(bl_run_result *r);

/* Runs any program (argv[0] is its path) with stdout and stderr into the
 * given files; returns its pid without waiting. */
int bl_spawn(const char *const *argv, const char *out_path, const char *err_path);

/* What bl_spawn_limited sets in the child before exec; 0 or NULL: nothing. */
typedef struct bl_run_limits {
    rlim_t address_space;      /* RLIMIT_AS, bytes */
    rlim_t file_size;          /* RLIMIT_FSIZE, bytes (SIGXFSZ ignored: write() fails with EFBIG) */
    uid_t as_uid;              /* drop to this user and group */
    const char *lsan_options;  /* LSAN_OPTIONS for the child */
} bl_run_limits;

/* As bl_spawn, with limits (NULL: none). fork + exec, since posix_spawn can
 * neither set rlimits nor drop privileges. */
pid_t bl_spawn_limited(const char *const *argv, const char *out_path, const char *err_path,
                       const bl_run_limits *limits);

/* Waits at most limit_s seconds for pid: one still running then is killed and
 * the test fails with "WHAT still running", since that is a hang whatever the
 * machine's speed. Returns the wait status; *max_rss_kb (when not NULL) gets
 * the child's peak RSS. */
int bl_wait_bounded(pid_t pid, int limit_s, const char *what, long *max_rss_kb);

/* Sends pid SIGKILL after delay_ms and reaps it; returns the wait status
 * (a child that finished first exited on its own). */
int bl_kill_after(pid_t pid, unsigned delay_ms);

/* A small seeded generator (24-bit values), so kill points repeat from run to
 * run. */
unsigned bl_next_random(unsigned *state);

/* The whole content of a file, NUL-terminated (the test fails if unreadable). */
char *bl_slurp(const char *path);

/* A new temporary directory named after the suite ("/tmp/blotter-NAME-XXXXXX"),
 * written into dir (at least 256 bytes), and its removal with all inside. */
void bl_make_work_dir(const char *name, char *dir);
void bl_remove_tree(const char *dir);

#endif
