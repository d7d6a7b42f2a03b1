/* options.c
 * The command line of sipmtls-report: every value is checked here, before
 * any tshark runs, and a bad one is said in one line with a pointer to
 * --help.  Directories and quoted globs become the files they hold.
 *
 * Copyright 2026 the sipmtls authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <glob.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report.h"

void
report_usage_error(const char *fmt, ...)
{
    va_list ap;
    char *msg;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    fprintf(stderr, "sipmtls-report: %s (see sipmtls-report --help)\n", msg);
    g_free(msg);
}

/* Wireshark's range syntax as sipmtls.ports takes it: "5061", "5061,5071",
 * "5060-5070"; ports 1-65535.  Fills ranges; false when it is not one. */
static bool
parse_ports(const char *text, GArray *ranges)
{
    char **items = g_strsplit(text, ",", -1);
    bool ok = items[0] != NULL;

    for (char **it = items; ok && *it != NULL; it++) {
        char *item = g_strstrip(*it), *end;
        report_port_range r;
        unsigned long lo, hi;

        errno = 0;
        lo = strtoul(item, &end, 10);
        if (end == item || errno != 0) {
            ok = false;
            break;
        }
        hi = lo;
        if (*end == '-') {
            char *second = end + 1;
            hi = strtoul(second, &end, 10);
            if (end == second || errno != 0)
                ok = false;
        }
        if (!ok || *end != '\0' || lo < 1 || hi > 65535 || lo > hi) {
            ok = false;
            break;
        }
        r.lo = (guint)lo;
        r.hi = (guint)hi;
        g_array_append_val(ranges, r);
    }
    g_strfreev(items);
    return ok;
}

bool
report_port_audited(const report_options *opt, guint port)
{
    for (guint i = 0; i < opt->port_ranges->len; i++) {
        const report_port_range *r = &g_array_index(opt->port_ranges, report_port_range, i);
        if (port >= r->lo && port <= r->hi)
            return true;
    }
    return false;
}

/* Names in a directory that look like captures, sorted. */
static bool
capture_name(const char *name)
{
    static const char *const endings[] = { ".pcapng", ".pcap", ".cap", ".ntar", ".pcapng.gz",
                                           ".pcap.gz", ".cap.gz", ".pcapng.zst", ".pcap.zst" };
    if (name[0] == '.')
        return false;
    for (guint i = 0; i < G_N_ELEMENTS(endings); i++) {
        if (g_str_has_suffix(name, endings[i]))
            return true;
    }
    return false;
}

static gint
by_name(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Adds the files a command line argument names; false after saying why. */
static bool
add_input(GPtrArray *inputs, const char *arg, bool *stdin_seen)
{
    if (strcmp(arg, "-") == 0) {
        if (*stdin_seen) {
            report_usage_error("'-' (standard input) can be named only once");
            return false;
        }
        *stdin_seen = true;
        g_ptr_array_add(inputs, g_strdup(arg));
        return true;
    }
    if (g_file_test(arg, G_FILE_TEST_IS_DIR)) {
        GDir *dir = g_dir_open(arg, 0, NULL);
        GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
        const char *name;

        if (dir == NULL) {
            fprintf(stderr, "sipmtls-report: %s: cannot read the directory: %s\n", arg,
                    g_strerror(errno));
            g_ptr_array_free(names, TRUE);
            return false;
        }
        while ((name = g_dir_read_name(dir)) != NULL) {
            if (capture_name(name))
                g_ptr_array_add(names, g_build_filename(arg, name, NULL));
        }
        g_dir_close(dir);
        if (names->len == 0) {
            fprintf(stderr, "sipmtls-report: %s: no capture files in this directory "
                            "(*.pcapng, *.pcap, *.cap)\n", arg);
            g_ptr_array_free(names, TRUE);
            return false;
        }
        g_ptr_array_sort(names, by_name);
        for (guint i = 0; i < names->len; i++)
            g_ptr_array_add(inputs, g_strdup(g_ptr_array_index(names, i)));
        g_ptr_array_free(names, TRUE);
        return true;
    }
    if (!g_file_test(arg, G_FILE_TEST_EXISTS) && strpbrk(arg, "*?[") != NULL) {
        glob_t g;
        int rc = glob(arg, 0, NULL, &g);

        if (rc != 0) {
            fprintf(stderr, "sipmtls-report: %s: no file matches\n", arg);
            if (rc != GLOB_NOMATCH)
                globfree(&g);
            return false;
        }
        for (size_t i = 0; i < g.gl_pathc; i++) {
            if (!g_file_test(g.gl_pathv[i], G_FILE_TEST_IS_DIR))
                g_ptr_array_add(inputs, g_strdup(g.gl_pathv[i]));
        }
        globfree(&g);
        return true;
    }
    /* Missing or unreadable files are said when they are read: one bad
     * file in a batch does not stop the others. */
    g_ptr_array_add(inputs, g_strdup(arg));
    return true;
}

int
report_parse_options(int *argc, char ***argv, report_options *opt)
{
    gboolean per_connection = FALSE, all_ports = FALSE, version = FALSE;
    char *format_name = NULL, *keylog = NULL, *ports = NULL, *tshark = NULL, *jobs = NULL,
         *fail_on = NULL, *root_store = NULL, *output = NULL;
    GOptionEntry entries[] = {
        { "connections", 'c', 0, G_OPTION_ARG_NONE, &per_connection,
          "One entry per TLS connection instead of per server endpoint", NULL },
        { "format", 'f', 0, G_OPTION_ARG_STRING, &format_name, "Output: text (default), csv, json or html",
          "FORMAT" },
        { "fail-on", 0, 0, G_OPTION_ARG_STRING, &fail_on,
          "What makes the exit status fail: request (default), client-auth or rejected", "WHAT" },
        { "keylog", 'k', 0, G_OPTION_ARG_FILENAME, &keylog,
          "TLS key log file, to see TLS 1.3 and renegotiations", "FILE" },
        { "root-store", 0, 0, G_OPTION_ARG_FILENAME, &root_store,
          "PEM bundle of the roots that count as public CAs (default: the built-in Mozilla roots)",
          "FILE" },
        { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
          "Write the report to FILE (whole, or not at all) instead of standard output", "FILE" },
        { "ports", 'p', 0, G_OPTION_ARG_STRING, &ports,
          "SIP-TLS ports to audit (default 5061), e.g. 5061,5071 or 5060-5070", "RANGE" },
        { "all-ports", 'a', 0, G_OPTION_ARG_NONE, &all_ports, "Audit TLS on every port", NULL },
        { "jobs", 'j', 0, G_OPTION_ARG_STRING, &jobs,
          "tshark runs at once (default: one per core)", "N" },
        { "tshark", 0, 0, G_OPTION_ARG_FILENAME, &tshark, "tshark to run (default: tshark)", "PATH" },
        { "version", 'V', 0, G_OPTION_ARG_NONE, &version,
          "Versions of the report, the plugin and Wireshark", NULL },
        { NULL, 0, 0, 0, NULL, NULL, NULL }
    };
    GOptionContext *ctx = g_option_context_new("CAPTURE|DIRECTORY|- ... | --live IFACE - which SIP-TLS "
                                               "endpoints ask for client certificates");
    GError *error = NULL;
    bool stdin_seen = false;
    int rc = -1;

    memset(opt, 0, sizeof *opt);
    opt->inputs = g_ptr_array_new_with_free_func(g_free);
    opt->port_ranges = g_array_new(FALSE, FALSE, sizeof(report_port_range));
    g_option_context_add_main_entries(ctx, entries, NULL);
    opt->live_entries = sipmtls_live_entries(&opt->live);
    g_option_context_add_main_entries(ctx, opt->live_entries, NULL);
    g_option_context_set_summary(ctx,
        "Runs tshark with the sipmtls plugin on each capture (files, directories, globs, or - for\n"
        "standard input) and says, per TLS server endpoint and its peers, whether it asks for\n"
        "client certificates, what happened, and what to change.");
    g_option_context_set_description(ctx,
        "Exit status: 0 pass (no audited endpoint requests a client certificate); 1 some endpoint\n"
        "requests one; 2 error; 3 some endpoint relies on clientAuth or rejects (fix now);\n"
        "4 the capture cannot answer (nothing audited, undetermined, incomplete); 130 interrupted.\n"
        "--fail-on client-auth or rejected narrows what fails.  See man sipmtls-report.");

    if (!g_option_context_parse(ctx, argc, argv, &error)) {
        report_usage_error("%s", error->message);
        g_error_free(error);
        rc = REPORT_EXIT_ERROR;
        goto done;
    }
    opt->tshark = tshark != NULL ? tshark : g_strdup("tshark");
    tshark = NULL;
    if (version) {
        rc = report_print_versions(opt);
        goto done;
    }
    opt->format = report_format_find(format_name != NULL ? format_name : "text");
    if (opt->format == NULL) {
        GString *names = g_string_new(NULL);
        for (const report_format *f = report_formats; f->name != NULL; f++)
            g_string_append_printf(names, "%s%s", names->len ? ", " : "", f->name);
        report_usage_error("--format '%s': unknown format (%s)", format_name, names->str);
        g_string_free(names, TRUE);
        rc = REPORT_EXIT_ERROR;
        goto done;
    }
    if (fail_on == NULL || strcmp(fail_on, "request") == 0)
        opt->policy = REPORT_POLICY_REQUEST;
    else if (strcmp(fail_on, "client-auth") == 0)
        opt->policy = REPORT_POLICY_CLIENT_AUTH;
    else if (strcmp(fail_on, "rejected") == 0)
        opt->policy = REPORT_POLICY_REJECTED;
    else {
        report_usage_error("--fail-on '%s': request, client-auth or rejected", fail_on);
        rc = REPORT_EXIT_ERROR;
        goto done;
    }
    if (all_ports && ports != NULL) {
        report_usage_error("--all-ports and --ports exclude each other");
        rc = REPORT_EXIT_ERROR;
        goto done;
    }
    opt->ports = g_strdup(all_ports ? "1-65535" : ports != NULL ? ports : "5061");
    if (!parse_ports(opt->ports, opt->port_ranges)) {
        report_usage_error("--ports '%s': not a port range (e.g. 5061,5071 or 5060-5070, ports 1-65535)",
                           ports);
        rc = REPORT_EXIT_ERROR;
        goto done;
    }
    opt->jobs = g_get_num_processors();
    if (jobs != NULL) {
        char *end;
        unsigned long n = strtoul(jobs, &end, 10);
        if (end == jobs || *end != '\0' || n < 1 || n > 256) {
            report_usage_error("--jobs '%s': a number from 1 to 256", jobs);
            rc = REPORT_EXIT_ERROR;
            goto done;
        }
        opt->jobs = (guint)n;
    }
    if (keylog != NULL) {
        FILE *k = fopen(keylog, "r");
        /* --live: the client under test may create its key log only when it
         * connects (tshark opens it when it is there) */
        bool later = k == NULL && errno == ENOENT && opt->live.interfaces != NULL;
        if (!later && (k == NULL || g_file_test(keylog, G_FILE_TEST_IS_DIR))) {
            fprintf(stderr, "sipmtls-report: --keylog %s: cannot read the key log: %s\n", keylog,
                    k == NULL ? g_strerror(errno) : "it is a directory");
            if (k != NULL)
                fclose(k);
            rc = REPORT_EXIT_ERROR;
            goto done;
        }
        if (k != NULL)
            fclose(k);
        opt->keylog = keylog;
        keylog = NULL;
    }
    if (root_store != NULL) {
        gchar *pem = NULL;
        GError *err = NULL;
        FILE *r;
        if (opt->live.interfaces != NULL) {
            report_usage_error("--root-store does not go with --live");
            rc = REPORT_EXIT_ERROR;
            goto done;
        }
        r = fopen(root_store, "r");
        if (r == NULL || g_file_test(root_store, G_FILE_TEST_IS_DIR)
            || !g_file_get_contents(root_store, &pem, NULL, &err)) {
            fprintf(stderr, "sipmtls-report: --root-store %s: cannot read the root store: %s\n", root_store,
                    r == NULL ? g_strerror(errno) : err == NULL ? "it is a directory" : err->message);
            if (r != NULL)
                fclose(r);
            if (err != NULL)
                g_error_free(err);
            rc = REPORT_EXIT_ERROR;
            goto done;
        }
        if (strstr(pem, "-----BEGIN CERTIFICATE-----") == NULL) {
            fprintf(stderr, "sipmtls-report: --root-store %s: no PEM certificate in it\n", root_store);
            fclose(r);
            g_free(pem);
            rc = REPORT_EXIT_ERROR;
            goto done;
        }
        fclose(r);
        g_free(pem);
        opt->root_store = root_store;
        root_store = NULL;
    }
    if (output != NULL) {
        if (opt->live.interfaces != NULL) {
            report_usage_error("--output does not go with --live");
            rc = REPORT_EXIT_ERROR;
            goto done;
        }
        if (g_file_test(output, G_FILE_TEST_IS_DIR)) {
            fprintf(stderr, "sipmtls-report: --output %s: is a directory\n", output);
            rc = REPORT_EXIT_ERROR;
            goto done;
        }
        {
            /* A device or a pipe is written in place; a file is written
             * beside it and renamed (findings.c, write_output). */
            struct stat st;
            bool in_place = stat(output, &st) == 0 && !S_ISREG(st.st_mode);
            char *dir = in_place ? g_strdup(output) : g_path_get_dirname(output);
            bool writable = access(dir, in_place ? W_OK : W_OK | X_OK) == 0;
            int saved = errno;
            if (!writable) {
                fprintf(stderr, "sipmtls-report: --output %s: cannot write in %s: %s\n", output, dir,
                        g_strerror(saved));
                g_free(dir);
                rc = REPORT_EXIT_ERROR;
                goto done;
            }
            g_free(dir);
        }
        opt->output = output;
        output = NULL;
    }
    if (opt->live.interfaces != NULL && *argc > 1) {
        report_usage_error("--live captures: name no capture file with it");
        rc = REPORT_EXIT_ERROR;
        goto done;
    }
    if (*argc < 2 && opt->live.interfaces == NULL) {
        report_usage_error("no capture named");
        rc = REPORT_EXIT_ERROR;
        goto done;
    }
    for (int i = 1; i < *argc; i++) {
        if (!add_input(opt->inputs, (*argv)[i], &stdin_seen)) {
            rc = REPORT_EXIT_ERROR;
            goto done;
        }
    }
    opt->per_connection = per_connection;
    opt->progress = isatty(STDERR_FILENO) && g_getenv("SIPMTLS_REPORT_NO_PROGRESS") == NULL;

done:
    g_option_context_free(ctx);
    g_free(format_name);
    g_free(keylog);
    g_free(ports);
    g_free(tshark);
    g_free(jobs);
    g_free(fail_on);
    g_free(root_store);
    g_free(output);
    return rc;
}

void
report_options_clear(report_options *opt)
{
    if (opt->inputs != NULL)
        g_ptr_array_free(opt->inputs, TRUE);
    if (opt->port_ranges != NULL)
        g_array_free(opt->port_ranges, TRUE);
    g_free(opt->tshark);
    g_free(opt->keylog);
    g_free(opt->root_store);
    g_free(opt->output);
    g_free(opt->ports);
    sipmtls_live_options_clear(&opt->live);
    g_free(opt->live_entries);
    memset(opt, 0, sizeof *opt);
}
