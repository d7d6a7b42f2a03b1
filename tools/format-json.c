/* format-json.c
 * The report as one JSON object, schema docs/report.schema.json (its
 * "schema_version" is REPORT_JSON_SCHEMA_VERSION: raise it when a field
 * changes meaning or goes away; adding a field keeps it).
 *
 * Copyright 2026 the sipmtls authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "report.h"

#define REPORT_JSON_SCHEMA_VERSION 1

static void
key(GString *out, const char *name)
{
    report_json_string(out, name);
    g_string_append(out, ": ");
}

static void
str(GString *out, const char *name, const char *value, bool comma)
{
    key(out, name);
    report_json_string(out, value);
    if (comma)
        g_string_append(out, ", ");
}

static void
num(GString *out, const char *name, long value, bool comma)
{
    key(out, name);
    g_string_append_printf(out, "%ld%s", value, comma ? ", " : "");
}

static void
boolean(GString *out, const char *name, bool value, bool comma)
{
    key(out, name);
    g_string_append_printf(out, "%s%s", value ? "true" : "false", comma ? ", " : "");
}

static void
strings(GString *out, const char *name, GPtrArray *values, bool comma)
{
    key(out, name);
    g_string_append_c(out, '[');
    for (guint i = 0; i < values->len; i++) {
        if (i)
            g_string_append(out, ", ");
        report_json_string(out, g_ptr_array_index(values, i));
    }
    g_string_append_printf(out, "]%s", comma ? ", " : "");
}

static void
counts(GString *out, const guint *by_verdict)
{
    bool first = true;

    key(out, "counts");
    g_string_append_c(out, '[');
    for (int v = 1; v <= SIPMTLS_VERDICT_MAX; v++) {
        if (by_verdict[v] == 0)
            continue;
        g_string_append_printf(out, "%s{", first ? "" : ", ");
        num(out, "verdict_code", v, true);
        str(out, "verdict", sipmtls_verdict_name((sipmtls_verdict)v), true);
        num(out, "count", by_verdict[v], false);
        g_string_append_c(out, '}');
        first = false;
    }
    g_string_append(out, "], ");
}

static void
cert(GString *out, const report_cert *c)
{
    g_string_append_c(out, '{');
    str(out, "subject", c->subject, true);
    str(out, "issuer", c->issuer, true);
    str(out, "not_after", c->not_after, false);
    g_string_append_c(out, '}');
}

/* A verdict: what it is, why, what to change, and the frames. */
static void
verdict(const report_findings *f, GString *out, const report_verdict *v)
{
    char *label = report_verdict_label(v), *cause = report_cause(v), *advice = report_advice(v);

    g_string_append_c(out, '{');
    str(out, "file", report_file_name(f, v->file), true);
    num(out, "frame", v->frame, true);
    num(out, "handshake", v->handshake, true);
    num(out, "verdict_code", v->verdict, true);
    str(out, "verdict", label, true);
    str(out, "class", report_class_word(report_classify(f->opt->policy, v->verdict)), true);
    boolean(out, "inferred", v->inferred, true);
    boolean(out, "no_outcome", v->no_outcome, true);
    num(out, "alert", v->alert, true);
    num(out, "reason", v->reason, true);
    str(out, "cause", cause, true);
    num(out, "request_frame", v->request_frame, true);
    num(out, "answer_frame", v->answer_frame, true);
    str(out, "request_file", v->request_file >= 0 ? report_file_name(f, (guint)v->request_file) : "", true);
    num(out, "answer_certificates", v->answer_certs, true);
    key(out, "client_certificate");
    cert(out, &v->cert);
    g_string_append(out, ", ");
    str(out, "call_id", v->call_id, true);
    str(out, "advice", advice, false);
    g_string_append_c(out, '}');
    g_free(label);
    g_free(cause);
    g_free(advice);
}

static void
endpoints(const report_findings *f, GString *out)
{
    key(out, "endpoints");
    g_string_append(out, "[");
    for (guint i = 0; i < f->endpoints->len; i++) {
        const report_endpoint *e = g_ptr_array_index(f->endpoints, i);

        g_string_append(out, i ? ",\n    {" : "\n    {");
        str(out, "server", e->server, true);
        num(out, "connections", e->connections, true);
        str(out, "class", report_class_word(e->class), true);
        strings(out, "files", e->files, true);
        counts(out, e->by_verdict);
        key(out, "top");
        verdict(f, out, e->top);
        g_string_append(out, ",\n     ");
        key(out, "peers");
        g_string_append_c(out, '[');
        for (guint k = 0; k < e->peers->len; k++) {
            const report_peer *p = g_ptr_array_index(e->peers, k);

            g_string_append(out, k ? ",\n       {" : "\n       {");
            str(out, "client", p->client, true);
            num(out, "connections", p->connections, true);
            counts(out, p->by_verdict);
            key(out, "certificates");
            g_string_append_c(out, '[');
            for (guint c = 0; c < p->certs->len; c++) {
                if (c)
                    g_string_append(out, ", ");
                cert(out, g_ptr_array_index(p->certs, c));
            }
            g_string_append(out, "], ");
            key(out, "top");
            verdict(f, out, p->top);
            g_string_append(out, ", ");
            num(out, "evidence_total", p->n_evidence, true);
            key(out, "evidence");
            g_string_append_c(out, '[');
            for (guint c = 0; c < p->evidence->len; c++) {
                if (c)
                    g_string_append(out, ", ");
                verdict(f, out, g_ptr_array_index(p->evidence, c));
            }
            g_string_append(out, "]}");
        }
        g_string_append(out, "]}");
    }
    g_string_append(out, f->endpoints->len ? "\n  ]" : "]");
}

static void
connections(const report_findings *f, GString *out)
{
    key(out, "connections");
    g_string_append_c(out, '[');
    for (guint i = 0; i < f->conns->len; i++) {
        const report_conn *c = g_ptr_array_index(f->conns, i);

        g_string_append(out, i ? ",\n    {" : "\n    {");
        str(out, "file", report_file_name(f, c->file), true);
        num(out, "stream", c->stream, true);
        str(out, "client", c->client, true);
        str(out, "server", c->server, true);
        key(out, "top");
        verdict(f, out, c->top);
        g_string_append(out, ", ");
        key(out, "verdicts");
        g_string_append_c(out, '[');
        for (guint k = 0; k < c->verdicts->len; k++) {
            if (k)
                g_string_append(out, ", ");
            verdict(f, out, g_ptr_array_index(c->verdicts, k));
        }
        g_string_append(out, "]}");
    }
    g_string_append(out, f->conns->len ? "\n  ]" : "]");
}

void
report_print_json(const report_findings *f, GString *out)
{
    g_string_append(out, "{\n  ");
    num(out, "schema_version", REPORT_JSON_SCHEMA_VERSION, true);
    str(out, "generator", "sipmtls-report " SIPMTLS_VERSION, true);
    g_string_append(out, "\n  ");
    str(out, "policy", report_policy_name(f->opt->policy), true);
    str(out, "ports", f->opt->ports, true);
    num(out, "exit_status", f->exit_status, true);
    str(out, "answer", f->answer, true);
    g_string_append(out, "\n  ");
    boolean(out, "complete", f->complete, true);
    boolean(out, "interrupted", f->interrupted, true);
    num(out, "tls_connections", f->tls_connections, true);
    num(out, "audited_connections", f->audited, true);
    g_string_append(out, "\n  ");
    key(out, "files");
    g_string_append_c(out, '[');
    for (guint i = 0; i < f->files->len; i++) {
        const report_file *file = g_ptr_array_index(f->files, i);
        g_string_append(out, i ? ",\n    {" : "\n    {");
        str(out, "name", file->name, true);
        str(out, "state", report_file_state_name(file->state), true);
        str(out, "message", file->message != NULL ? file->message : "", false);
        g_string_append_c(out, '}');
    }
    g_string_append(out, "\n  ],\n  ");
    key(out, "unaudited_tls_ports");
    g_string_append_c(out, '[');
    for (guint i = 0; i < f->ports->len; i++) {
        const report_port *p = &g_array_index(f->ports, report_port, i);
        g_string_append(out, i ? ", {" : "{");
        num(out, "port", p->port, true);
        num(out, "connections", p->connections, true);
        num(out, "cert_requests", p->cert_requests, false);
        g_string_append_c(out, '}');
    }
    g_string_append(out, "],\n  ");
    strings(out, "notes", f->notes, true);
    g_string_append(out, "\n  ");
    strings(out, "warnings", f->warnings, true);
    g_string_append(out, "\n  ");
    endpoints(f, out);
    if (f->opt->per_connection) {
        g_string_append(out, ",\n  ");
        connections(f, out);
    }
    g_string_append(out, "\n}\n");
}
