/* format-csv.c
 * The report as CSV: a header line, then quoted rows.  The first column says
 * what a row is: "answer" (the answer and the exit status), "peer" (one
 * endpoint and one of its peers: everything the text shows of both), or
 * with --connections "connection"; then "note" and "warning" rows.
 *
 * Copyright 2026 the sipmtls authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "report.h"

static const char *const endpoint_header[] = {
    "record", "file", "server", "endpoint_verdict", "endpoint_verdict_code", "endpoint_class",
    "endpoint_connections", "count_verdict_1", "count_verdict_2", "count_verdict_3",
    "count_verdict_4", "count_verdict_5", "count_verdict_6", "count_verdict_7", "count_verdict_8",
    "peer", "peer_connections", "peer_verdict", "peer_verdict_code", "inferred", "cause",
    "certificate_subject", "certificate_issuer", "evidence", "advice", "exit_status", "message"
};
#define N_ENDPOINT G_N_ELEMENTS(endpoint_header)

static const char *const connection_header[] = {
    "record", "file", "stream", "client", "server", "verdict", "verdict_code", "inferred", "cause",
    "client_certificate", "client_certificate_issuer", "call_id", "frame", "request_frame",
    "answer_frame", "handshakes", "advice", "exit_status", "message"
};
#define N_CONNECTION G_N_ELEMENTS(connection_header)

static void
row(GString *out, char **values, guint n)
{
    for (guint k = 0; k < n; k++)
        report_csv_field(out, values[k] != NULL ? values[k] : "", k + 1 == n);
}

static void
message_rows(const report_findings *f, GString *out, guint n)
{
    char **values = g_new0(char *, n);
    char status[16];

    g_snprintf(status, sizeof status, "%d", f->exit_status);
    values[0] = (char *)"answer";
    values[n - 2] = status;
    values[n - 1] = f->answer;
    row(out, values, n);
    values[n - 2] = NULL;
    for (guint i = 0; i < f->notes->len; i++) {
        values[0] = (char *)"note";
        values[n - 1] = g_ptr_array_index(f->notes, i);
        row(out, values, n);
    }
    for (guint i = 0; i < f->warnings->len; i++) {
        values[0] = (char *)"warning";
        values[n - 1] = g_ptr_array_index(f->warnings, i);
        row(out, values, n);
    }
    g_free(values);
}

static char *
files_of(const report_endpoint *e)
{
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < e->files->len; i++)
        g_string_append_printf(s, "%s%s", i ? ";" : "", (const char *)g_ptr_array_index(e->files, i));
    return g_string_free(s, FALSE);
}

static void
print_peers(const report_findings *f, GString *out)
{
    for (guint i = 0; i < f->endpoints->len; i++) {
        const report_endpoint *e = g_ptr_array_index(f->endpoints, i);
        char *files = files_of(e), *e_label = report_verdict_label(e->top), e_code[8], e_conns[16];
        char counts[SIPMTLS_VERDICT_MAX][16];

        g_snprintf(e_code, sizeof e_code, "%d", e->verdict);
        g_snprintf(e_conns, sizeof e_conns, "%u", e->connections);
        for (int v = 1; v <= SIPMTLS_VERDICT_MAX; v++)
            g_snprintf(counts[v - 1], sizeof counts[v - 1], "%u", e->by_verdict[v]);
        for (guint k = 0; k < e->peers->len; k++) {
            const report_peer *p = g_ptr_array_index(e->peers, k);
            char *values[N_ENDPOINT] = { NULL };
            char p_conns[16], p_code[8];
            char *label = report_verdict_label(p->top), *cause = report_cause(p->top),
                 *advice = report_advice(p->top);
            GString *subjects = g_string_new(NULL), *issuers = g_string_new(NULL),
                    *evidence = g_string_new(NULL);
            guint c = 0;

            g_snprintf(p_conns, sizeof p_conns, "%u", p->connections);
            g_snprintf(p_code, sizeof p_code, "%d", p->verdict);
            for (guint j = 0; j < p->certs->len; j++) {
                const report_cert *cert = g_ptr_array_index(p->certs, j);
                g_string_append_printf(subjects, "%s%s", j ? ";" : "", cert->subject);
                g_string_append_printf(issuers, "%s%s", j ? ";" : "", cert->issuer);
            }
            for (guint j = 0; j < p->evidence->len; j++) {
                char *ev = report_evidence_text(f, g_ptr_array_index(p->evidence, j));
                g_string_append_printf(evidence, "%s%s", j ? ";" : "", ev);
                g_free(ev);
            }
            if (p->n_evidence > p->evidence->len)
                g_string_append_printf(evidence, ";and %u more", p->n_evidence - p->evidence->len);
            values[c++] = (char *)"peer";
            values[c++] = files;
            values[c++] = e->server;
            values[c++] = e_label;
            values[c++] = e_code;
            values[c++] = (char *)report_class_word(e->class);
            values[c++] = e_conns;
            for (int v = 0; v < SIPMTLS_VERDICT_MAX; v++)
                values[c++] = counts[v];
            values[c++] = p->client;
            values[c++] = p_conns;
            values[c++] = label;
            values[c++] = p_code;
            values[c++] = (char *)(p->top->inferred ? "1" : "0");
            values[c++] = cause;
            values[c++] = subjects->str;
            values[c++] = issuers->str;
            values[c++] = evidence->str;
            values[c++] = advice;
            row(out, values, N_ENDPOINT);
            g_free(label);
            g_free(cause);
            g_free(advice);
            g_string_free(subjects, TRUE);
            g_string_free(issuers, TRUE);
            g_string_free(evidence, TRUE);
        }
        g_free(files);
        g_free(e_label);
    }
}

/* A frame number as a cell: empty for 0, "not seen". */
static void
frame_cell(char *buf, size_t size, guint frame)
{
    if (frame == 0)
        buf[0] = '\0';
    else
        g_snprintf(buf, size, "%u", frame);
}

static void
print_connections(const report_findings *f, GString *out)
{
    for (guint i = 0; i < f->conns->len; i++) {
        const report_conn *c = g_ptr_array_index(f->conns, i);
        const report_verdict *v = c->top;
        char stream[16], code[8], frame[16], req[16], ans[16], hs[16];
        char *label = report_verdict_label(v), *cause = report_cause(v), *advice = report_advice(v);
        char *values[N_CONNECTION] = {
            (char *)"connection", (char *)report_file_name(f, c->file), stream, c->client, c->server,
            label, code, (char *)(v->inferred ? "1" : "0"), cause, v->cert.subject, v->cert.issuer,
            v->call_id, frame, req, ans, hs, advice, NULL, NULL
        };

        g_snprintf(stream, sizeof stream, "%u", c->stream);
        g_snprintf(code, sizeof code, "%d", v->verdict);
        frame_cell(frame, sizeof frame, v->frame);
        frame_cell(req, sizeof req, v->request_frame);
        frame_cell(ans, sizeof ans, v->answer_frame);
        g_snprintf(hs, sizeof hs, "%u", c->verdicts->len);
        row(out, values, N_CONNECTION);
        g_free(label);
        g_free(cause);
        g_free(advice);
    }
}

void
report_print_csv(const report_findings *f, GString *out)
{
    const char *const *header = f->opt->per_connection ? connection_header : endpoint_header;
    guint n = f->opt->per_connection ? N_CONNECTION : N_ENDPOINT;

    for (guint k = 0; k < n; k++)
        report_csv_field(out, header[k], k + 1 == n);
    message_rows(f, out, n);
    if (f->opt->per_connection)
        print_connections(f, out);
    else
        print_peers(f, out);
}
