/* format-html.c
 * The report as one self-contained HTML page, to look at or to send: the
 * answer first, then the TLS server endpoints in order of urgency (fix now,
 * then requests, then what the capture cannot answer, then the rest), each
 * with its verdicts, a timeline of its handshakes (inline SVG), its peers
 * and their certificates, the frames that prove it, and what to change.
 * No script, no external style sheet, font or image: the page shows the
 * same anywhere, offline, and fetches nothing.
 *
 * Copyright 2026 the sipmtls authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <math.h>
#include <string.h>

#include "report.h"

/* Text into HTML: the five characters that matter, and control characters
 * (a certificate subject from a hostile capture may hold anything) as
 * U+FFFD. */
static void
esc(GString *out, const char *s)
{
    for (; s != NULL && *s != '\0'; s++) {
        unsigned char ch = (unsigned char)*s;
        switch (ch) {
        case '&': g_string_append(out, "&amp;"); break;
        case '<': g_string_append(out, "&lt;"); break;
        case '>': g_string_append(out, "&gt;"); break;
        case '"': g_string_append(out, "&quot;"); break;
        case '\'': g_string_append(out, "&#39;"); break;
        default:
            if (ch < 0x20 || ch == 0x7f)
                g_string_append(out, "\xef\xbf\xbd");
            else
                g_string_append_c(out, (char)ch);
        }
    }
}

/* A verdict's colour: red to fix, orange for reliance on clientAuth (or not
 * visible), yellow for requests that do not insist, grey for what cannot be
 * told, green for the rest. */
static const char *
verdict_colour(sipmtls_verdict v)
{
    switch (v) {
    case SIPMTLS_VERDICT_REJECTED:                return "#b00020";
    case SIPMTLS_VERDICT_CLIENT_AUTH_ACCEPTED:    return "#e65c00";
    case SIPMTLS_VERDICT_CHAIN_ACCEPTED_UNSEEN:   return "#f08c00";
    case SIPMTLS_VERDICT_NO_EKU_ACCEPTED:         return "#c9a400";
    case SIPMTLS_VERDICT_OPTIONAL_NONE_SENT:      return "#8fa800";
    case SIPMTLS_VERDICT_NO_CLIENT_AUTH_ACCEPTED: return "#2e8b57";
    case SIPMTLS_VERDICT_NO_REQUEST:              return "#1b7a3a";
    case SIPMTLS_VERDICT_UNDETERMINED:            return "#777777";
    default:                                      return "#999999";
    }
}

static void
badge(GString *out, const report_verdict *v)
{
    char *label = report_verdict_label(v);
    g_string_append_printf(out, "<span class=\"badge\" style=\"background:%s\">",
                           verdict_colour(v->verdict));
    esc(out, label);
    g_string_append(out, "</span>");
    g_free(label);
}

static void
head(const report_findings *f, GString *out)
{
    g_string_append(out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'; img-src data:\">\n<title>sipmtls report");
    if (f->files->len == 1) {
        g_string_append(out, ": ");
        esc(out, ((const report_file *)g_ptr_array_index(f->files, 0))->name);
    }
    g_string_append(out,
        "</title>\n<style>\n"
        "body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0;"
        "color:#1d1d1f;background:#f5f5f7}\n"
        "main{max-width:1100px;margin:0 auto;padding:24px}\n"
        "h1{font-size:24px;margin:0 0 4px}h2{font-size:19px;margin:0}h3{font-size:15px;margin:16px 0 6px}\n"
        ".answer{background:#fff;border-left:6px solid #444;padding:12px 16px;margin:16px 0;"
        "border-radius:4px}\n"
        ".endpoint{background:#fff;border-radius:6px;padding:16px 20px;margin:18px 0;"
        "box-shadow:0 1px 3px rgba(0,0,0,.12)}\n"
        ".endpoint header{display:flex;gap:12px;align-items:center;flex-wrap:wrap}\n"
        ".badge{color:#fff;border-radius:12px;padding:2px 10px;font-size:13px;font-weight:600}\n"
        ".class{font-size:13px;color:#555;text-transform:uppercase;letter-spacing:.04em}\n"
        "table{border-collapse:collapse;width:100%;font-size:14px}\n"
        "th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #e5e5ea;vertical-align:top}\n"
        "th{color:#555;font-weight:600}\n"
        ".advice{background:#fff8e1;border-radius:4px;padding:8px 12px}\n"
        ".muted{color:#666}.mono{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:13px}\n"
        "svg text{font:11px system-ui,sans-serif;fill:#555}\n"
        "footer{color:#777;font-size:12px;margin-top:24px}\n"
        "</style>\n</head>\n<body>\n<main>\n");
}

static void
summary(const report_findings *f, GString *out)
{
    g_string_append(out, "<h1>sipmtls report</h1>\n<div class=\"muted\">");
    if (f->files->len == 1) {
        esc(out, ((const report_file *)g_ptr_array_index(f->files, 0))->name);
    } else {
        g_string_append_printf(out, "%u captures: ", f->files->len);
        for (guint i = 0; i < f->files->len; i++) {
            g_string_append(out, i ? ", " : "");
            esc(out, ((const report_file *)g_ptr_array_index(f->files, i))->name);
        }
    }
    g_string_append_printf(out, " &middot; %u TLS server endpoint%s, %u audited TLS connection%s "
                           "(ports ", f->endpoints->len, f->endpoints->len == 1 ? "" : "s",
                           f->audited, f->audited == 1 ? "" : "s");
    esc(out, f->opt->ports);
    g_string_append(out, ")</div>\n<div class=\"answer\"><strong>Answer</strong> (exit status ");
    g_string_append_printf(out, "%d, --fail-on %s): ", f->exit_status,
                           report_policy_name(f->opt->policy));
    esc(out, f->answer);
    if (!f->complete)
        g_string_append(out, " <strong>Incomplete:</strong> see the warnings below.");
    g_string_append(out, "</div>\n");
}

/* The endpoint's handshakes over time: one row per peer, one mark per
 * verdict at the time of its connection, coloured by verdict; hovering a
 * mark names it (SVG <title>, no script). */
static void
timeline(const report_findings *f, GString *out, const report_endpoint *e)
{
    const double width = 1000, left = 150, right = 20, row = 22;
    double t0 = INFINITY, t1 = -INFINITY, span;
    guint rows = e->peers->len, marks = 0;

    for (guint i = 0; i < f->conns->len; i++) {
        const report_conn *c = g_ptr_array_index(f->conns, i);
        if (strcmp(c->server, e->server) != 0 || c->verdicts->len == 0)
            continue;
        t0 = MIN(t0, c->first_time);
        t1 = MAX(t1, c->last_time);
    }
    if (!isfinite(t0) || rows == 0)
        return;
    span = t1 > t0 ? t1 - t0 : 1.0;
    g_string_append_printf(out, "<h3>Timeline of its handshakes</h3>\n"
                           "<svg role=\"img\" viewBox=\"0 0 %.0f %.0f\" width=\"100%%\">"
                           "<title>Handshakes of ",
                           width, rows * row + 30);
    esc(out, e->server);
    g_string_append(out, " over time, by peer</title>\n");
    for (guint k = 0; k < rows; k++) {
        const report_peer *p = g_ptr_array_index(e->peers, k);
        double y = 10 + k * row;

        g_string_append_printf(out, "<text x=\"0\" y=\"%.0f\">", y + 13);
        esc(out, p->client);
        g_string_append_printf(out, "</text><line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" "
                               "stroke=\"#ddd\"/>\n", left, y + 9, width - right, y + 9);
        for (guint i = 0; i < f->conns->len; i++) {
            const report_conn *c = g_ptr_array_index(f->conns, i);
            const char *colon;
            size_t addr_len;

            if (strcmp(c->server, e->server) != 0)
                continue;
            colon = strrchr(c->client, ':');
            addr_len = colon != NULL ? (size_t)(colon - c->client) : strlen(c->client);
            if (strlen(p->client) != addr_len || strncmp(c->client, p->client, addr_len) != 0)
                continue;
            for (guint h = 0; h < c->verdicts->len; h++) {
                const report_verdict *v = g_ptr_array_index(c->verdicts, h);
                double x = left + (c->first_time - t0) / span * (width - left - right);
                char *label = report_verdict_label(v), *ev = report_evidence_text(f, v);

                g_string_append_printf(out, "<circle cx=\"%.1f\" cy=\"%.0f\" r=\"6\" fill=\"%s\" "
                                       "fill-opacity=\".85\"><title>", x + h * 4.0, y + 9,
                                       verdict_colour(v->verdict));
                esc(out, c->client);
                g_string_append(out, ": ");
                esc(out, label);
                g_string_append(out, " (");
                esc(out, ev);
                g_string_append(out, ")</title></circle>\n");
                g_free(label);
                g_free(ev);
                marks++;
            }
        }
    }
    g_string_append_printf(out, "<text x=\"%.0f\" y=\"%.0f\">+0 s</text>"
                           "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\">+%.3f s</text>\n"
                           "</svg>\n<div class=\"muted\">%u handshake%s; a mark per handshake, "
                           "at the start of its connection.</div>\n",
                           left, rows * row + 25, width - right, rows * row + 25, t1 - t0,
                           marks, marks == 1 ? "" : "s");
}

static void
peers(const report_findings *f, GString *out, const report_endpoint *e)
{
    g_string_append(out, "<h3>Peers, their certificates and the evidence</h3>\n<table>\n"
                         "<tr><th>Peer (TLS client)</th><th>Connections</th><th>Verdict</th>"
                         "<th>Client certificate, its CA and deadline</th><th>Evidence frames</th></tr>\n");
    for (guint k = 0; k < e->peers->len; k++) {
        const report_peer *p = g_ptr_array_index(e->peers, k);

        g_string_append(out, "<tr><td class=\"mono\">");
        esc(out, p->client);
        g_string_append_printf(out, "</td><td>%u</td><td>", p->connections);
        badge(out, p->top);
        g_string_append(out, "</td><td>");
        if (p->certs->len == 0)
            g_string_append(out, "<span class=\"muted\">none seen</span>");
        for (guint c = 0; c < p->certs->len; c++) {
            const report_cert *cert = g_ptr_array_index(p->certs, c);
            if (cert->subject[0] == '\0')
                continue;
            g_string_append(out, c ? "<br>" : "");
            g_string_append(out, "<span class=\"mono\">");
            esc(out, cert->subject);
            g_string_append(out, "</span>");
            if (cert->issuer[0] != '\0') {
                g_string_append(out, "<br><span class=\"muted\">issued by ");
                esc(out, cert->issuer);
                g_string_append(out, "</span>");
            }
            if (cert->not_after != NULL && cert->not_after[0] != '\0') {
                g_string_append(out, "<br><span class=\"muted\">valid until ");
                esc(out, cert->not_after);
                g_string_append(out, "</span>");
            }
        }
        {
            /* Its CA and when it breaks (issue 16), as the text says them. */
            char *ca = report_ca_text(p->urgent),
                 *deadline = report_deadline_words(p->earliest != NULL ? p->earliest : p->urgent);
            if (ca[0] != '\0') {
                g_string_append(out, "<br>CA: ");
                esc(out, ca);
            }
            if (deadline[0] != '\0') {
                g_string_append(out, p->earliest != NULL ? "<br><strong>deadline: " : "<br>deadline: ");
                esc(out, deadline);
                g_string_append(out, p->earliest != NULL ? "</strong>" : "");
            }
            g_free(ca);
            g_free(deadline);
        }
        g_string_append(out, "</td><td>");
        for (guint c = 0; c < p->evidence->len; c++) {
            char *ev = report_evidence_text(f, g_ptr_array_index(p->evidence, c));
            g_string_append(out, c ? "<br>" : "");
            esc(out, ev);
            g_free(ev);
        }
        if (p->n_evidence > p->evidence->len)
            g_string_append_printf(out, "<br><span class=\"muted\">and %u more</span>",
                                   p->n_evidence - p->evidence->len);
        g_string_append(out, "</td></tr>\n");
    }
    g_string_append(out, "</table>\n");
}

/* The advice of the endpoint's verdict, or one per cause with the frames
 * it comes from, as the text report gives it. */
static void
what_to_change(const report_findings *f, GString *out, const report_endpoint *e, const char *advice)
{
    GPtrArray *texts, *where;

    report_advice_by_cause(f, e, &texts, &where);
    g_string_append(out, "<h3>What to change</h3>\n<div class=\"advice\">");
    if (texts->len <= 1) {
        esc(out, advice);
    } else {
        g_string_append(out, "<ul>\n");
        for (guint j = 0; j < texts->len; j++) {
            g_string_append(out, "<li><span class=\"muted\">");
            esc(out, ((GString *)g_ptr_array_index(where, j))->str);
            g_string_append(out, ":</span> ");
            esc(out, g_ptr_array_index(texts, j));
            g_string_append(out, "</li>\n");
        }
        g_string_append(out, "</ul>");
    }
    g_string_append(out, "</div>\n");
    g_ptr_array_free(texts, TRUE);
    g_ptr_array_free(where, TRUE);
}

static void
endpoint_section(const report_findings *f, GString *out, const report_endpoint *e)
{
    char *advice = report_advice(e->top);

    g_string_append(out, "<section class=\"endpoint\">\n<header><h2 class=\"mono\">");
    esc(out, e->server);
    g_string_append(out, "</h2>");
    badge(out, e->top);
    g_string_append_printf(out, "<span class=\"class\">%s</span><span class=\"muted\">%u "
                           "connection%s</span></header>\n", report_class_word(e->class),
                           e->connections, e->connections == 1 ? "" : "s");
    g_string_append(out, "<h3>Verdicts</h3>\n<table>\n");
    for (int v = 1; v <= SIPMTLS_VERDICT_MAX; v++) {
        if (e->by_verdict[v] == 0)
            continue;
        g_string_append_printf(out, "<tr><td style=\"width:4em\">%u &times;</td><td>"
                               "<span class=\"badge\" style=\"background:%s\">&nbsp;</span> ",
                               e->by_verdict[v], verdict_colour((sipmtls_verdict)v));
        esc(out, sipmtls_verdict_name((sipmtls_verdict)v));
        g_string_append(out, "</td></tr>\n");
    }
    g_string_append(out, "</table>\n");
    timeline(f, out, e);
    peers(f, out, e);
    what_to_change(f, out, e, advice);
    g_string_append(out, "</section>\n");
    g_free(advice);
}

static void
list(GString *out, const char *title, const GPtrArray *items)
{
    if (items == NULL || items->len == 0)
        return;
    g_string_append(out, "<h3>");
    esc(out, title);
    g_string_append(out, "</h3>\n<ul>\n");
    for (guint i = 0; i < items->len; i++) {
        g_string_append(out, "<li>");
        esc(out, g_ptr_array_index(items, i));
        g_string_append(out, "</li>\n");
    }
    g_string_append(out, "</ul>\n");
}

void
report_print_html(const report_findings *f, GString *out)
{
    guint shown = 0;

    head(f, out);
    summary(f, out);
    /* Most urgent first, in the findings' own order (the text report's):
     * rejecting now, then the earliest deadline, then fix now, requests,
     * what the capture cannot answer, and the rest. */
    for (guint i = 0; i < f->endpoints->len; i++) {
        endpoint_section(f, out, g_ptr_array_index(f->endpoints, i));
        shown++;
    }
    if (shown == 0)
        g_string_append(out, "<p>No audited TLS server endpoint.</p>\n");
    list(out, "Notes", f->notes);
    list(out, "Warnings", f->warnings);
    g_string_append(out, "<footer>Written by sipmtls-report. Verdicts, colours and advice: "
                         "docs/verdicts.md of sipmtls.</footer>\n</main>\n</body>\n</html>\n");
}
