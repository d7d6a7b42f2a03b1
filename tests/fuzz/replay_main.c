/* replay_main.c
 * A main() for core_fuzzer.c without libFuzzer: feeds every file named on
 * the command line (or found directly in a named folder) to the harness
 * once.  It turns the committed seed corpus and every input that once
 * broke the core into a plain regression test, built by any compiler, with
 * the sanitizers of the build if SIPMTLS_SANITIZE is on.
 *
 * Copyright 2026 the sipmtls authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned n_run;

/* Runs the harness on one file; a broken invariant aborts the process. */
static int
run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    uint8_t *data = NULL;
    size_t size = 0, cap = 0, got;

    if (f == NULL) {
        perror(path);
        return 1;
    }
    do {
        if (size == cap) {
            uint8_t *grown;

            cap = cap ? 2 * cap : 4096;
            grown = realloc(data, cap);
            if (grown == NULL) {
                free(data);
                fclose(f);
                return 1;
            }
            data = grown;
        }
        got = fread(data + size, 1, cap - size, f);
        size += got;
    } while (got > 0);
    fclose(f);
    LLVMFuzzerTestOneInput(data, size);
    free(data);
    n_run++;
    return 0;
}

static int
run_path(const char *path)
{
    struct stat st;
    DIR *dir;
    struct dirent *e;
    int failed = 0;

    if (stat(path, &st) != 0) {
        perror(path);
        return 1;
    }
    if (!S_ISDIR(st.st_mode))
        return run_file(path);
    dir = opendir(path);
    if (dir == NULL) {
        perror(path);
        return 1;
    }
    while ((e = readdir(dir)) != NULL) {
        char child[4096];

        if (e->d_name[0] == '.')
            continue;   /* ".", "..", and hidden files such as .gitkeep */
        snprintf(child, sizeof child, "%s/%s", path, e->d_name);
        if (stat(child, &st) == 0 && S_ISREG(st.st_mode))
            failed |= run_file(child);
    }
    closedir(dir);
    return failed;
}

int
main(int argc, char **argv)
{
    int failed = 0;

    for (int i = 1; i < argc; i++)
        failed |= run_path(argv[i]);
    printf("core_fuzz_replay: %u inputs replayed, no invariant broken\n", n_run);
    return failed;
}
