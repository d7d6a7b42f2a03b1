/* format-text.c
 * The report for people: the answer first, then per TLS server endpoint,
 * most urgent first (rejecting now, then the earliest deadline), its
 * verdict, counts, peers (their certificate, its CA and deadline, verdict
 * and the frames that prove it) and what to change; or, with --connections,
 * per connection.
 * Notes (what the capture does not show) and warnings come last.
 *
 * Copyright 2026 the sipmtls authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "report.h"

static void
header(const report_findings *f, GString *out)
{
    if (f->files->len == 1) {
        const report_file *file = g_ptr_array_index(f->files, 0);
        g_string_append_printf(out, "sipmtls report for %s\n", file->name);
    } else {
        g_string_append_printf(out, "sipmtls report for %u captures\n", f->files->len);
    }
    g_string_append_printf(out, "Answer (exit status %d, --fail-on %s): %s\n", f->exit_status,
                           report_policy_name(f->opt->policy), f->answer);
    g_string_append_printf(out, "%u TLS server endpoint%s, %u audited TLS connection%s (ports %s)\n\n",
                           f->endpoints->len, f->endpoints->len == 1 ? "" : "s", f->audited,
                           f->audited == 1 ? "" : "s", f->opt->ports);
}

static void
cert_line(GString *out, const char *indent, const report_cert *c)
{
    if (c->subject[0] == '\0')
        return;
    g_string_append_printf(out, "%scertificate: %s", indent, c->subject);
    if (c->issuer[0] != '\0')
        g_string_append_printf(out, ", issued by %s", c->issuer);
    g_string_append_c(out, '\n');
}

/* The CA of the client's certificate (of ca_v) and when the connection
 * breaks (deadline_v's deadline, else ca_v's words for why it has none). */
static void
ca_lines(GString *out, const char *indent, const report_verdict *ca_v, const report_verdict *deadline_v)
{
    char *ca = report_ca_text(ca_v), *deadline = report_deadline_words(deadline_v != NULL ? deadline_v : ca_v);

    if (ca[0] != '\0')
        g_string_append_printf(out, "%sCA: %s\n", indent, ca);
    if (deadline[0] != '\0')
        g_string_append_printf(out, "%sdeadline: %s\n", indent, deadline);
    g_free(ca);
    g_free(deadline);
}

static void
verdict_line(GString *out, const char *lead, const report_verdict *v)
{
    char *label = report_verdict_label(v), *cause = report_cause(v);
    g_string_append_printf(out, "%s%s%s%s\n", lead, label, cause[0] ? ": " : "", cause);
    g_free(label);
    g_free(cause);
}

/* What to change: the advice of the endpoint's verdict, or, when its
 * connections with that verdict have different causes, each one with the
 * frames it comes from. */
static void
print_advice(const report_findings *f, GString *out, const report_endpoint *e, const char *advice)
{
    GPtrArray *texts, *where;

    report_advice_by_cause(f, e, &texts, &where);
    if (texts->len <= 1) {
        g_string_append_printf(out, "  what to change: %s\n\n", advice);
    } else {
        g_string_append(out, "  what to change, by cause:\n");
        for (guint j = 0; j < texts->len; j++)
            g_string_append_printf(out, "    - (%s) %s\n", ((GString *)g_ptr_array_index(where, j))->str,
                                   (const char *)g_ptr_array_index(texts, j));
        g_string_append_c(out, '\n');
    }
    g_ptr_array_free(texts, TRUE);
    g_ptr_array_free(where, TRUE);
}

static void
print_endpoints(const report_findings *f, GString *out)
{
    for (guint i = 0; i < f->endpoints->len; i++) {
        const report_endpoint *e = g_ptr_array_index(f->endpoints, i);
        char *advice = report_advice(e->top);

        g_string_append_printf(out, "%s  (%u connection%s) - %s\n", e->server, e->connections,
                               e->connections == 1 ? "" : "s", report_class_word(e->class));
        if (f->files->len > 1) {
            g_string_append(out, "  in:");
            for (guint k = 0; k < e->files->len; k++)
                g_string_append_printf(out, " %s", (const char *)g_ptr_array_index(e->files, k));
            g_string_append_c(out, '\n');
        }
        verdict_line(out, "  verdict: ", e->top);
        for (int v = 1; v <= SIPMTLS_VERDICT_MAX; v++) {
            if (e->by_verdict[v] > 0)
                g_string_append_printf(out, "    %u x %s\n", e->by_verdict[v],
                                       sipmtls_verdict_name((sipmtls_verdict)v));
        }
        if (e->earliest != NULL) {
            const char *who = "?";
            for (guint k = 0; k < e->peers->len; k++) {
                const report_peer *p = g_ptr_array_index(e->peers, k);
                if (p->earliest == e->earliest)
                    who = p->client;
            }
            g_string_append_printf(out, "  earliest deadline: %s%s (peer %s)\n", e->earliest->deadline,
                                   e->earliest->deadline_past ? ", already past" : "", who);
        }
        for (guint k = 0; k < e->peers->len; k++) {
            const report_peer *p = g_ptr_array_index(e->peers, k);
            char *lead = g_strdup_printf("  peer %s  (%u connection%s): ", p->client, p->connections,
                                         p->connections == 1 ? "" : "s");

            verdict_line(out, lead, p->top);
            g_free(lead);
            for (guint c = 0; c < p->certs->len; c++)
                cert_line(out, "    ", g_ptr_array_index(p->certs, c));
            ca_lines(out, "    ", p->urgent, p->earliest);
            g_string_append(out, "    evidence:");
            for (guint c = 0; c < p->evidence->len; c++) {
                char *ev = report_evidence_text(f, g_ptr_array_index(p->evidence, c));
                g_string_append_printf(out, "%s %s", c ? ";" : "", ev);
                g_free(ev);
            }
            if (p->n_evidence > p->evidence->len)
                g_string_append_printf(out, "; and %u more", p->n_evidence - p->evidence->len);
            g_string_append_c(out, '\n');
        }
        print_advice(f, out, e, advice);
        g_free(advice);
    }
}

static void
print_connections(const report_findings *f, GString *out)
{
    for (guint i = 0; i < f->conns->len; i++) {
        const report_conn *c = g_ptr_array_index(f->conns, i);
        const report_verdict *v = c->top;
        char *advice = report_advice(v), *ev = report_evidence_text(f, v);

        if (f->files->len > 1)
            g_string_append_printf(out, "%s ", report_file_name(f, c->file));
        g_string_append_printf(out, "stream %u: %s -> %s\n", c->stream, c->client, c->server);
        verdict_line(out, "  verdict: ", v);
        g_string_append_printf(out, "  evidence: %s\n", ev);
        if (c->verdicts->len > 1)
            g_string_append_printf(out, "  handshakes with a verdict: %u\n", c->verdicts->len);
        cert_line(out, "  client ", &v->cert);
        ca_lines(out, "  ", v, NULL);
        if (v->call_id[0] != '\0')
            g_string_append_printf(out, "  first SIP request Call-ID: %s\n", v->call_id);
        g_string_append_printf(out, "  what to change: %s\n\n", advice);
        g_free(advice);
        g_free(ev);
    }
}

void
report_print_text(const report_findings *f, GString *out)
{
    header(f, out);
    if (f->opt->per_connection)
        print_connections(f, out);
    else
        print_endpoints(f, out);
    if (f->notes->len > 0) {
        g_string_append(out, "Notes:\n");
        for (guint i = 0; i < f->notes->len; i++)
            g_string_append_printf(out, "  - %s\n", (const char *)g_ptr_array_index(f->notes, i));
        g_string_append_c(out, '\n');
    }
    if (f->warnings->len > 0) {
        g_string_append(out, "Warnings:\n");
        for (guint i = 0; i < f->warnings->len; i++)
            g_string_append_printf(out, "  - %s\n", (const char *)g_ptr_array_index(f->warnings, i));
        g_string_append_c(out, '\n');
    }
}
