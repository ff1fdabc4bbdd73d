/* Test support: running the built binary (see blotter_run.h). */
#include "blotter_run.h"

#include <check.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

char *bl_slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot read %s", path);
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        fwrite(chunk, 1, n, mem);
    fclose(mem);
    fclose(f);
    return buf;
}

int bl_spawn(const char *const *argv, const char *out_path, const char *err_path)
{
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&fa, 2, err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    pid_t pid;
    int rc = posix_spawn(&pid, argv[0], &fa, NULL, (char **)argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    ck_assert_msg(rc == 0, "cannot run %s: %s", argv[0], strerror(rc));
    return pid;
}

pid_t bl_spawn_limited(const char *const *argv, const char *out_path, const char *err_path,
                       const bl_run_limits *limits)
{
    int fo = open(out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    int fe = open(err_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    int fi = open("/dev/null", O_RDONLY | O_CLOEXEC);
    ck_assert(fo >= 0 && fe >= 0 && fi >= 0);
    const bl_run_limits none = {0};
    const bl_run_limits *l = limits ? limits : &none;
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        dup2(fi, 0);
        dup2(fo, 1);
        dup2(fe, 2);
        if (l->address_space) {
            struct rlimit rl = {l->address_space, l->address_space};
            if (setrlimit(RLIMIT_AS, &rl))
                _exit(126);
        }
        if (l->file_size) {
            signal(SIGXFSZ, SIG_IGN);
            struct rlimit rl = {l->file_size, l->file_size};
            if (setrlimit(RLIMIT_FSIZE, &rl))
                _exit(126);
        }
        if (l->lsan_options)
            setenv("LSAN_OPTIONS", l->lsan_options, 1);
        if (l->as_uid && (setgroups(0, NULL) || setgid(l->as_uid) || setuid(l->as_uid)))
            _exit(126);
        execv(argv[0], (char **)argv);
        _exit(127);
    }
    close(fo);
    close(fe);
    close(fi);
    return pid;
}

int bl_wait_bounded(pid_t pid, int limit_s, const char *what, long *max_rss_kb)
{
    int ws = 0;
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    for (long waited_ms = 0;; waited_ms += 10) {
        pid_t r = wait4(pid, &ws, WNOHANG, &ru);
        ck_assert_int_ge(r, 0);
        if (r == pid)
            break;
        if (waited_ms >= limit_s * 1000L) {
            kill(pid, SIGKILL);
            waitpid(pid, &ws, 0);
            ck_abort_msg("%s still running after %d s", what, limit_s);
        }
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    if (max_rss_kb)
        *max_rss_kb = ru.ru_maxrss;
    return ws;
}

int bl_kill_after(pid_t pid, unsigned delay_ms)
{
    struct timespec ts = {delay_ms / 1000, (long)(delay_ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
    kill(pid, SIGKILL);
    int ws;
    ck_assert_int_eq(waitpid(pid, &ws, 0), pid);
    return ws;
}

unsigned bl_next_random(unsigned *state)
{
    *state = *state * 1103515245u + 12345u;
    return (*state >> 8) & 0xffffff;
}

bl_run_result bl_run_blotter(const char *work_dir, const char *const *args)
{
    const char *argv[64] = {BL_TEST_BINARY};
    int n = 1;
    for (; args[n - 1] && n < 63; n++)
        argv[n] = args[n - 1];
    argv[n] = NULL;
    char out[512], err[512];
    snprintf(out, sizeof out, "%s/stdout", work_dir);
    snprintf(err, sizeof err, "%s/stderr", work_dir);
    pid_t pid = bl_spawn(argv, out, err);
    int ws;
    ck_assert_int_eq(waitpid(pid, &ws, 0), pid);
    ck_assert_msg(WIFEXITED(ws), "blotter %s was killed by signal %d", args[0],
                  WIFSIGNALED(ws) ? WTERMSIG(ws) : 0);
    bl_run_result r = {WEXITSTATUS(ws), bl_slurp(out), bl_slurp(err)};
    return r;
}

void bl_run_free(bl_run_result *r)
{
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}

void bl_make_work_dir(const char *name, char *dir)
{
    snprintf(dir, 256, "/tmp/blotter-%s-XXXXXX", name);
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st; (void)flag; (void)ftw;
    return remove(path);
}

void bl_remove_tree(const char *dir)
{
    nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}
