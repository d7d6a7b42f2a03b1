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

/* --live: tools/live.c captures and hands back one line per settled
 * handshake, in the report's columns; they make one report_file.  Returns
 * -1 when there is a report to print, else the exit status. */
static int
run_live(const report_options *opt, GPtrArray *files)
{
    sipmtls_live_result result = { 0 };
    char *out = sipmtls_live_run(&opt->live, opt->tshark, opt->keylog, opt->ports, report_column_fields,
                                 report_n_columns, opt->format->print != report_print_text, &result);
    report_file *f;
    char **lines;

    if (out == NULL) {
        sipmtls_live_result_clear(&result);
        return REPORT_EXIT_ERROR;
    }
    f = report_file_new(result.name != NULL ? result.name : "live capture", "-", 0);
    lines = g_strsplit(out, "\n", -1);
    for (char **l = lines; *l != NULL; l++) {
        if (**l != '\0')
            report_file_take_line(f, opt, *l);
    }
    g_strfreev(lines);
    g_free(out);
    f->any_frame = result.packets > 0;
    if (result.incomplete) {
        f->state = REPORT_FILE_TSHARK_DIED;
        f->message = g_strdup("the live capture is incomplete (see above): only what was read is reported");
    }
    report_file_settle(f, opt);
    g_ptr_array_add(files, f);
    sipmtls_live_result_clear(&result);
    return -1;
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
    if (opt.live.interfaces != NULL) {
        status = run_live(&opt, files);
        if (status >= 0) {
            g_ptr_array_free(files, TRUE);
            report_options_clear(&opt);
            return status;
        }
        /* Ctrl-C is how a live capture ends: the summary is whole. */
        status = report_finish(&opt, files, false);
        report_options_clear(&opt);
        return status;
    }
    for (guint i = 0; i < opt.inputs->len; i++) {
        const char *name = g_ptr_array_index(opt.inputs, i);
        g_ptr_array_add(files, report_file_new(name, name, i));
    }
    report_read_files(&opt, files);
    status = report_finish(&opt, files, report_stop_requested());
    report_options_clear(&opt);
    return status;
}
