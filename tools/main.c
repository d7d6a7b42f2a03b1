/* main.c
 * sipmtls-report: captures in, per TLS server endpoint an answer and what to
 * change out, with an exit status a script can rely on (report.h,
 * docs/sipmtls-report.1).
 *
 * Copyright 2026 the sipmtls authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <signal.h>
#include <string.h>

#include "report.h"

static void
on_signal(int sig)
{
    (void)sig;
    report_stop();
}

int
main(int argc, char **argv)
{
    report_options opt;
    GPtrArray *files;
    struct sigaction sa;
    int status = report_parse_options(&argc, &argv, &opt);

    if (status >= 0) {
        report_options_clear(&opt);
        return status;
    }
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    files = g_ptr_array_new();
    for (guint i = 0; i < opt.inputs->len; i++) {
        const char *name = g_ptr_array_index(opt.inputs, i);
        g_ptr_array_add(files, report_file_new(name, name, i));
    }
    report_read_files(&opt, files);
    status = report_finish(&opt, files, report_stop_requested());
    report_options_clear(&opt);
    return status;
}
