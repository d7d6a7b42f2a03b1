/* test_report_order.c
 * sipmtls-report's order by urgency (issue 16): endpoints and the peers of
 * each come rejecting now first, then by the earliest deadline, then the
 * rest; each peer keeps its earliest deadline even when a rejection orders
 * it.  Fed tshark lines in the report's own columns (tools/tshark.c), as a
 * capture with several peers per endpoint would give them: the bundled
 * captures have one client address only.
 *
 * Copyright 2026 the sipmtls authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <criterion/criterion.h>
#include <string.h>

#include "report.h"

static int
column(const char *field)
{
    for (int k = 0; k < report_n_columns; k++) {
        if (strcmp(report_column_fields[k], field) == 0)
            return k;
    }
    cr_assert_fail("no column %s", field);
    return -1;
}

/* One verdict line: stream, client host, server, verdict, and the CA
 * columns (trust 0: none). */
static void
verdict_line(report_file *f, const report_options *opt, unsigned frame, unsigned stream,
             const char *client, const char *server, int verdict, int trust, const char *deadline,
             bool past)
{
    char **col = g_new0(char *, (gsize)report_n_columns + 1);
    char *line;

    for (int k = 0; k < report_n_columns; k++)
        col[k] = g_strdup("");
#define SET(field, ...) do { int k_ = column(field); g_free(col[k_]); col[k_] = g_strdup_printf(__VA_ARGS__); } while (0)
    SET("frame.number", "%u", frame);
    SET("frame.time_epoch", "%u.0", 1764547200u + frame);
    SET("tcp.stream", "%u", stream);
    SET("sipmtls.handshake", "1");
    SET("sipmtls.verdict", "%d", verdict);
    SET("sipmtls.server", "%s", server);
    SET("sipmtls.client", "%s:%u", client, 40000 + stream);
    if (trust != 0)
        SET("sipmtls.client_cert.trust", "%d", trust);
    if (deadline != NULL) {
        SET("sipmtls.client_cert.ca", "DigiCert");
        SET("sipmtls.client_cert.root_owner", "DigiCert Inc");
        SET("sipmtls.deadline", "%s", deadline);
        SET("sipmtls.deadline.past", "%s", past ? "1" : "0");
        SET("sipmtls.deadline.text", "breaks at the latest");
    }
#undef SET
    line = g_strjoinv("\t", col);
    report_file_take_line(f, opt, line);
    g_free(line);
    g_strfreev(col);
}

static report_findings *
findings(report_options *opt)
{
    GPtrArray *files = g_ptr_array_new();
    report_file *f = report_file_new("synthetic", "synthetic", 0);
    static const report_port_range all = { 1, 65535 };

    memset(opt, 0, sizeof *opt);
    opt->ports = (char *)"5061";
    opt->port_ranges = g_array_new(FALSE, FALSE, sizeof(report_port_range));
    g_array_append_val(opt->port_ranges, all);
    opt->policy = REPORT_POLICY_REQUEST;
    f->any_frame = true;
    /* Endpoint 10.0.0.1:5061: a peer that accepts with a deadline, one
     * already past, one rejected (and with a later deadline on another
     * connection), one without request. */
    verdict_line(f, opt, 10, 0, "10.0.0.2", "10.0.0.1:5061", 3, 1, "Feb 10, 2027 12:00:00.000000000 UTC", false);
    verdict_line(f, opt, 20, 1, "10.0.0.3", "10.0.0.1:5061", 3, 1, "2026-05-15T00:00:00.000000000Z", true);
    verdict_line(f, opt, 30, 2, "10.0.0.4", "10.0.0.1:5061", 6, 2, NULL, false);
    verdict_line(f, opt, 35, 3, "10.0.0.4", "10.0.0.1:5061", 3, 1, "Mar 15, 2027 00:00:00.000000000 UTC", false);
    verdict_line(f, opt, 40, 4, "10.0.0.5", "10.0.0.1:5061", 1, 0, NULL, false);
    /* Three more endpoints: a deadline; a private CA (the rest, fix now);
     * no request (the rest, pass), whose address sorts first. */
    verdict_line(f, opt, 50, 5, "10.0.0.2", "10.0.0.8:5061", 3, 1, "Jan 01, 2027 00:00:00.000000000 UTC", false);
    verdict_line(f, opt, 60, 6, "10.0.0.2", "10.0.0.9:5061", 3, 2, NULL, false);
    verdict_line(f, opt, 70, 7, "10.0.0.2", "10.0.0.0:5061", 1, 0, NULL, false);
    report_file_settle(f, opt);
    g_ptr_array_add(files, f);
    return report_findings_build(opt, files, false);
}

Test(report_order, endpoints_rejecting_then_by_deadline_then_by_class)
{
    report_options opt;
    report_findings *f = findings(&opt);
    const char *want[] = { "10.0.0.1:5061", "10.0.0.8:5061", "10.0.0.9:5061", "10.0.0.0:5061" };

    cr_assert_eq(f->endpoints->len, 4);
    for (guint i = 0; i < 4; i++)
        cr_assert_str_eq(((report_endpoint *)g_ptr_array_index(f->endpoints, i))->server, want[i]);
    cr_assert_eq(f->exit_status, REPORT_EXIT_FIX_NOW);
    cr_assert_str_eq(f->answer, "FIX NOW: 3 endpoints rely on clientAuth or reject the peer's certificate: "
                                "10.0.0.1:5061, 10.0.0.8:5061, 10.0.0.9:5061.");
}

Test(report_order, peers_rejecting_then_by_deadline_then_the_rest)
{
    report_options opt;
    report_findings *f = findings(&opt);
    const report_endpoint *e = g_ptr_array_index(f->endpoints, 0);
    const char *want[] = { "10.0.0.4", "10.0.0.3", "10.0.0.2", "10.0.0.5" };
    const report_peer *rejecting;

    cr_assert_eq(e->peers->len, 4);
    for (guint i = 0; i < 4; i++)
        cr_assert_str_eq(((report_peer *)g_ptr_array_index(e->peers, i))->client, want[i]);
    /* The endpoint's earliest deadline is the past one; the rejecting peer
     * keeps its own deadline beside its rejection. */
    cr_assert_str_eq(e->earliest->deadline, "2026-05-15T00:00:00Z");
    cr_assert(e->earliest->deadline_past);
    rejecting = g_ptr_array_index(e->peers, 0);
    cr_assert_eq(rejecting->urgent->verdict, SIPMTLS_VERDICT_REJECTED);
    cr_assert_str_eq(rejecting->earliest->deadline, "2027-03-15T00:00:00Z");
    cr_assert_null(((report_peer *)g_ptr_array_index(e->peers, 3))->earliest);
}
