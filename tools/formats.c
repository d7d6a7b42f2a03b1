/* formats.c
 * The output formats of sipmtls-report, one line each; a format is one
 * function over report_findings (format-<name>.c), so another format is one
 * more file and one more line here.  Also the helpers they share.
 *
 * Copyright 2026 the sipmtls authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "report.h"

const report_format report_formats[] = {
    { "text", report_print_text },
    { "csv",  report_print_csv },
    { "json", report_print_json },
    { "html", report_print_html },
    { NULL, NULL }
};

static void
gstring_free(gpointer p)
{
    g_string_free(p, TRUE);
}

void
report_advice_by_cause(const report_findings *f, const report_endpoint *e, GPtrArray **texts_out,
                       GPtrArray **where_out)
{
    GPtrArray *texts = g_ptr_array_new_with_free_func(g_free);
    GPtrArray *where = g_ptr_array_new_with_free_func(gstring_free);

    for (guint k = 0; k < e->peers->len; k++) {
        const report_peer *p = g_ptr_array_index(e->peers, k);
        if (p->verdict != e->verdict)
            continue;
        for (guint c = 0; c < p->evidence->len; c++) {
            const report_verdict *v = g_ptr_array_index(p->evidence, c);
            char *a = report_advice(v);
            guint j = 0;
            GString *w;

            while (j < texts->len && strcmp(g_ptr_array_index(texts, j), a) != 0)
                j++;
            if (j == texts->len) {
                g_ptr_array_add(texts, a);
                g_ptr_array_add(where, g_string_new(NULL));
            } else {
                g_free(a);
            }
            w = g_ptr_array_index(where, j);
            g_string_append(w, w->len ? ", " : "");
            if (f->files->len > 1)
                g_string_append_printf(w, "%s ", report_file_name(f, v->file));
            if (v->frame != 0)
                g_string_append_printf(w, "frame %u", v->frame);
            else
                g_string_append(w, "no outcome");
        }
    }
    *texts_out = texts;
    *where_out = where;
}

const report_format *
report_format_find(const char *name)
{
    for (const report_format *f = report_formats; f->name != NULL; f++) {
        if (strcmp(f->name, name) == 0)
            return f;
    }
    return NULL;
}

void
report_csv_field(GString *out, const char *s, bool last)
{
    g_string_append_c(out, '"');
    for (; *s != '\0'; s++) {
        if (*s == '"')
            g_string_append_c(out, '"');
        g_string_append_c(out, *s);
    }
    g_string_append(out, last ? "\"\n" : "\",");
}

void
report_json_string(GString *out, const char *s)
{
    g_string_append_c(out, '"');
    for (; *s != '\0'; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            g_string_append_printf(out, "\\%c", ch);
        else if (ch < 0x20 || ch == 0x7f)
            g_string_append_printf(out, "\\u%04x", ch);
        else
            g_string_append_c(out, (char)ch);
    }
    g_string_append_c(out, '"');
}

char *
report_evidence_text(const report_findings *f, const report_verdict *v)
{
    GString *s = g_string_new(NULL);
    char *cause;

    if (f->files->len > 1)
        g_string_append_printf(s, "%s ", report_file_name(f, v->file));
    if (v->frame != 0)
        g_string_append_printf(s, "frame %u", v->frame);
    else
        g_string_append(s, "no outcome");
    if (v->request_frame != 0 || v->answer_frame != 0) {
        g_string_append(s, " (");
        if (v->request_frame != 0)
            g_string_append_printf(s, "request %u", v->request_frame);
        if (v->answer_frame != 0)
            g_string_append_printf(s, "%sanswer %u", v->request_frame ? ", " : "", v->answer_frame);
        if (v->request_file >= 0)
            g_string_append_printf(s, " in %s", report_file_name(f, (guint)v->request_file));
        g_string_append_c(s, ')');
    }
    cause = report_cause(v);
    if (cause[0] != '\0')
        g_string_append_printf(s, ": %s", cause);
    if (v->inferred)
        g_string_append(s, " (inferred)");
    g_free(cause);
    return g_string_free(s, FALSE);
}

const char *
report_trust_name(const report_verdict *v)
{
    switch (v->trust) {
    case 1: return "public";
    case 2: return "private";
    case 3: return "private, named like a public root";
    default:
        return v->verdict == SIPMTLS_VERDICT_CHAIN_ACCEPTED_UNSEEN ? "not visible" : "";
    }
}

char *
report_ca_text(const report_verdict *v)
{
    switch (v->trust) {
    case 1:
        return g_strdup_printf("public CA %s (root owner %s)", v->ca_name, v->root_owner);
    case 2:
        return g_strdup("private CA");
    case 3:
        return g_strdup("private CA named like a public root (another key)");
    default:
        /* Verdict 8: a chain was sent and accepted, but without keys
         * neither it nor its issuer is visible, so no deadline either. */
        if (v->verdict == SIPMTLS_VERDICT_CHAIN_ACCEPTED_UNSEEN)
            return g_strdup("not visible (TLS 1.3 without keys: a key log shows the certificate, "
                            "its CA and its deadline)");
        return g_strdup("");
    }
}

char *
report_deadline_words(const report_verdict *v)
{
    if (v->deadline[0] != '\0')
        return g_strdup_printf("%s: %s", v->deadline, v->deadline_text);
    if (v->deadline_text[0] != '\0')
        return g_strdup_printf("none: %s", v->deadline_text);
    return g_strdup("");
}

const char *
report_file_state_name(report_file_state state)
{
    switch (state) {
    case REPORT_FILE_OK:          return "complete";
    case REPORT_FILE_TRUNCATED:   return "truncated";
    case REPORT_FILE_FAILED:      return "unreadable";
    case REPORT_FILE_TSHARK_DIED: return "tshark died";
    case REPORT_FILE_INTERRUPTED: return "interrupted";
    default:                      return "?";
    }
}
