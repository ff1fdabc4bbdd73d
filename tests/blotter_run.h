/* Test support: running the built `blotter` binary as a shell user would,
 * and cleaning up after it. For end-to-end suites only. */
#ifndef BL_BLOTTER_RUN_H
#define BL_BLOTTER_RUN_H

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

/* The whole content of a file, NUL-terminated (the test fails if unreadable). */
char *bl_slurp(const char *path);

/* A new temporary directory named after the suite ("/tmp/blotter-NAME-XXXXXX"),
 * written into dir (at least 256 bytes), and its removal with all inside. */
void bl_make_work_dir(const char *name, char *dir);
void bl_remove_tree(const char *dir);

#endif
