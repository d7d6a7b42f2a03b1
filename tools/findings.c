/* findings.c
 * From the files read to one answer: connections merged across files (a
 * connection that continues into the next file of a ring buffer is one
 * connection), endpoints and their peers, what the reader must know (no
 * TLS, TLS on ports not audited, keys that decrypt nothing, files that
 * could not be read to their end), and the exit status.
 *
 * What a verdict means for the exit status depends on the policy
 * (--fail-on); the table is report_classify's.  Verdicts the plugin calls
 * undetermined, whatever their reason, and handshakes the capture shows no
 * outcome of, are "cannot answer".
 *
 * Copyright 2026 the sipmtls authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report.h"

report_class
report_classify(report_policy policy, sipmtls_verdict v)
{
    switch (v) {
    case SIPMTLS_VERDICT_NO_REQUEST:
        return REPORT_CLASS_PASS;
    case SIPMTLS_VERDICT_OPTIONAL_NONE_SENT:
    case SIPMTLS_VERDICT_NO_CLIENT_AUTH_ACCEPTED:
        return policy == REPORT_POLICY_REQUEST ? REPORT_CLASS_REQUEST : REPORT_CLASS_PASS;
    case SIPMTLS_VERDICT_NO_EKU_ACCEPTED:
    case SIPMTLS_VERDICT_CHAIN_ACCEPTED_UNSEEN:
        /* A request, certainly; whether clientAuth is checked, the capture
         * cannot show. */
        return policy == REPORT_POLICY_REQUEST ? REPORT_CLASS_REQUEST
               : policy == REPORT_POLICY_CLIENT_AUTH ? REPORT_CLASS_UNKNOWN
                                                     : REPORT_CLASS_PASS;
    case SIPMTLS_VERDICT_CLIENT_AUTH_ACCEPTED:
        return policy == REPORT_POLICY_REJECTED ? REPORT_CLASS_PASS : REPORT_CLASS_FIX;
    case SIPMTLS_VERDICT_REJECTED:
        return REPORT_CLASS_FIX;
    case SIPMTLS_VERDICT_UNDETERMINED:
    default:
        /* Undetermined for any reason, and any verdict this report does not
         * know (a newer plugin). */
        return REPORT_CLASS_UNKNOWN;
    }
}

const char *
report_policy_name(report_policy policy)
{
    switch (policy) {
    case REPORT_POLICY_CLIENT_AUTH: return "client-auth";
    case REPORT_POLICY_REJECTED:    return "rejected";
    case REPORT_POLICY_REQUEST:
    default:                        return "request";
    }
}

const char *
report_class_word(report_class c)
{
    switch (c) {
    case REPORT_CLASS_FIX:     return "fix now";
    case REPORT_CLASS_REQUEST: return "requests a client certificate";
    case REPORT_CLASS_UNKNOWN: return "cannot tell";
    case REPORT_CLASS_PASS:
    default:                   return "pass";
    }
}

const char *
report_file_name(const report_findings *f, guint index)
{
    for (guint i = 0; i < f->files->len; i++) {
        const report_file *file = g_ptr_array_index(f->files, i);
        if (file->index == index)
            return file->name;
    }
    return "?";
}

static void
peer_free(gpointer p)
{
    report_peer *peer = p;
    g_free(peer->client);
    g_ptr_array_free(peer->certs, TRUE);
    g_ptr_array_free(peer->evidence, TRUE);
    g_free(peer);
}

static void
endpoint_free(gpointer p)
{
    report_endpoint *e = p;
    g_free(e->server);
    g_ptr_array_free(e->peers, TRUE);
    g_ptr_array_free(e->files, TRUE);
    g_free(e);
}

static void
cert_free(gpointer p)
{
    report_cert *c = p;
    g_free(c->subject);
    g_free(c->issuer);
    g_free(c->not_after);
    g_free(c);
}

/* The host part of "address:port" or "[v6]:port". */
static char *
host_of(const char *addr)
{
    const char *colon = strrchr(addr, ':');
    if (addr[0] == '[') {
        const char *close = strchr(addr, ']');
        if (close != NULL)
            return g_strndup(addr + 1, (gsize)(close - addr - 1));
    }
    return colon != NULL ? g_strndup(addr, (gsize)(colon - addr)) : g_strdup(addr);
}

static gint
file_by_time(gconstpointer a, gconstpointer b)
{
    const report_file *x = *(report_file *const *)a, *y = *(report_file *const *)b;
    if (x->any_frame != y->any_frame)
        return x->any_frame ? -1 : 1;
    if (x->first_time != y->first_time)
        return x->first_time < y->first_time ? -1 : 1;
    return (x->index > y->index) - (x->index < y->index);
}

static gint
conn_by_stream(gconstpointer a, gconstpointer b)
{
    const report_conn *x = *(report_conn *const *)a, *y = *(report_conn *const *)b;
    return (x->stream > y->stream) - (x->stream < y->stream);
}

static gint
endpoint_by_server(gconstpointer a, gconstpointer b)
{
    const report_endpoint *x = *(report_endpoint *const *)a, *y = *(report_endpoint *const *)b;
    return strcmp(x->server, y->server);
}

static gint
peer_by_client(gconstpointer a, gconstpointer b)
{
    const report_peer *x = *(report_peer *const *)a, *y = *(report_peer *const *)b;
    return strcmp(x->client, y->client);
}

static gint
port_by_number(gconstpointer a, gconstpointer b)
{
    const report_port *x = a, *y = b;
    return (x->port > y->port) - (x->port < y->port);
}

static void
retop(report_conn *c)
{
    c->top = NULL;
    for (guint i = 0; i < c->verdicts->len; i++) {
        const report_verdict *v = g_ptr_array_index(c->verdicts, i);
        if (c->top == NULL || sipmtls_verdict_weight(v->verdict) > sipmtls_verdict_weight(c->top->verdict))
            c->top = v;
    }
}

/* A connection of a later file that continues one of an earlier file (same
 * addresses, no TLS hello of its own in the later file): its verdicts join
 * the earlier one's; "undetermined" ones, which only say that the later
 * file starts inside the connection, give way to what the earlier file
 * settled. */
static void
continue_conn(report_conn *earlier, report_conn *later)
{
    bool earlier_settled = false;

    for (guint i = 0; i < earlier->verdicts->len; i++) {
        const report_verdict *v = g_ptr_array_index(earlier->verdicts, i);
        earlier_settled = earlier_settled || !v->no_outcome;
    }
    for (guint i = 0; i < later->verdicts->len;) {
        const report_verdict *v = g_ptr_array_index(later->verdicts, i);
        if (v->verdict == SIPMTLS_VERDICT_UNDETERMINED && earlier_settled)
            i++;   /* stays with the later connection, which is left out */
        else
            g_ptr_array_add(earlier->verdicts, g_ptr_array_steal_index(later->verdicts, i));
    }
    /* A handshake open at the end of the earlier file and settled in the
     * later one: the earlier "no outcome" gives way. */
    for (guint i = 0; i < earlier->verdicts->len;) {
        const report_verdict *v = g_ptr_array_index(earlier->verdicts, i);
        bool superseded = false;
        if (v->no_outcome) {
            for (guint k = 0; k < earlier->verdicts->len; k++) {
                const report_verdict *w = g_ptr_array_index(earlier->verdicts, k);
                superseded = superseded || (w != v && !w->no_outcome && w->file != v->file
                                            && w->verdict != SIPMTLS_VERDICT_UNDETERMINED);
            }
        }
        if (superseded)
            g_ptr_array_remove_index(earlier->verdicts, i);
        else
            i++;
    }
    earlier->last_time = later->last_time;
    later->continued = true;
    retop(earlier);
    retop(later);
}

static void
add_to_peer(report_endpoint *e, const report_conn *c, report_policy policy)
{
    char *host = host_of(c->client);
    report_peer *p = NULL;

    for (guint i = 0; i < e->peers->len && p == NULL; i++) {
        report_peer *q = g_ptr_array_index(e->peers, i);
        if (strcmp(q->client, host) == 0)
            p = q;
    }
    if (p == NULL) {
        p = g_new0(report_peer, 1);
        p->client = host;
        p->certs = g_ptr_array_new_with_free_func(cert_free);
        p->evidence = g_ptr_array_new();
        g_ptr_array_add(e->peers, p);
    } else {
        g_free(host);
    }
    p->connections++;
    if (c->top->verdict <= SIPMTLS_VERDICT_MAX)
        p->by_verdict[c->top->verdict]++;
    if (p->top == NULL || sipmtls_verdict_weight(c->top->verdict) > sipmtls_verdict_weight(p->verdict)) {
        p->top = c->top;
        p->verdict = c->top->verdict;
        g_ptr_array_set_size(p->evidence, 0);
        p->n_evidence = 0;
    }
    if (c->top->verdict == p->verdict) {
        if (p->evidence->len < REPORT_MAX_EVIDENCE)
            g_ptr_array_add(p->evidence, (gpointer)c->top);
        p->n_evidence++;
    }
    for (guint i = 0; i < c->verdicts->len; i++) {
        const report_verdict *v = g_ptr_array_index(c->verdicts, i);
        bool known = v->cert.subject[0] == '\0';
        for (guint k = 0; k < p->certs->len && !known; k++) {
            const report_cert *pc = g_ptr_array_index(p->certs, k);
            known = strcmp(pc->subject, v->cert.subject) == 0 && strcmp(pc->issuer, v->cert.issuer) == 0;
        }
        if (!known && p->certs->len < REPORT_MAX_EVIDENCE) {
            report_cert *copy = g_new0(report_cert, 1);
            copy->subject = g_strdup(v->cert.subject);
            copy->issuer = g_strdup(v->cert.issuer);
            copy->not_after = g_strdup(v->cert.not_after);
            copy->n_certs = v->cert.n_certs;
            g_ptr_array_add(p->certs, copy);
        }
    }
    (void)policy;
}

static void
note(GPtrArray *to, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

static void
note(GPtrArray *to, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    g_ptr_array_add(to, g_strdup_vprintf(fmt, ap));
    va_end(ap);
}

/* "A, B and 3 more" */
static char *
list_endpoints(const report_findings *f, report_class class)
{
    GString *s = g_string_new(NULL);
    guint n = 0;

    for (guint i = 0; i < f->endpoints->len; i++) {
        const report_endpoint *e = g_ptr_array_index(f->endpoints, i);
        if (e->class != class)
            continue;
        if (n < 5)
            g_string_append_printf(s, "%s%s", n ? ", " : "", e->server);
        n++;
    }
    if (n > 5)
        g_string_append_printf(s, " and %u more", n - 5);
    return g_string_free(s, FALSE);
}

static guint
count_class(const report_findings *f, report_class class)
{
    guint n = 0;
    for (guint i = 0; i < f->endpoints->len; i++) {
        const report_endpoint *e = g_ptr_array_index(f->endpoints, i);
        n += e->class == class;
    }
    return n;
}

static void
decide(report_findings *f, guint files_read)
{
    report_policy policy = f->opt->policy;
    guint n_fix = count_class(f, REPORT_CLASS_FIX), n_req = count_class(f, REPORT_CLASS_REQUEST),
          n_unknown = count_class(f, REPORT_CLASS_UNKNOWN);
    char *list;

    if (files_read == 0 && !f->interrupted) {
        f->exit_status = REPORT_EXIT_ERROR;
        f->answer = g_strdup("ERROR: no capture could be read.");
        return;
    }
    if (n_fix > 0) {
        list = list_endpoints(f, REPORT_CLASS_FIX);
        f->exit_status = REPORT_EXIT_FIX_NOW;
        if (policy == REPORT_POLICY_REJECTED)
            f->answer = g_strdup_printf("FIX NOW: %u endpoint%s reject%s the peer's answer: %s.", n_fix,
                                        n_fix == 1 ? "" : "s", n_fix == 1 ? "s" : "", list);
        else if (n_fix == 1)
            f->answer = g_strdup_printf("FIX NOW: 1 endpoint relies on clientAuth or rejects the "
                                        "peer's certificate: %s.", list);
        else
            f->answer = g_strdup_printf("FIX NOW: %u endpoints rely on clientAuth or reject the "
                                        "peer's certificate: %s.", n_fix, list);
        g_free(list);
    } else if (n_req > 0) {
        list = list_endpoints(f, REPORT_CLASS_REQUEST);
        f->exit_status = REPORT_EXIT_REQUEST;
        f->answer = g_strdup_printf("REQUEST: %u endpoint%s request%s a client certificate: %s.", n_req,
                                    n_req == 1 ? "" : "s", n_req == 1 ? "s" : "", list);
        g_free(list);
    } else if (f->audited == 0 || n_unknown > 0 || !f->complete) {
        GString *why = g_string_new(NULL);
        f->exit_status = REPORT_EXIT_CANNOT_ANSWER;
        if (f->audited == 0 && f->tls_connections == 0)
            g_string_append(why, "no TLS in the capture");
        else if (f->audited == 0)
            g_string_append(why, "TLS only on ports that are not audited (see the notes)");
        if (n_unknown > 0)
            g_string_append_printf(why, "%s%u endpoint%s with undetermined verdicts", why->len ? "; " : "",
                                   n_unknown, n_unknown == 1 ? "" : "s");
        if (!f->complete)
            g_string_append_printf(why, "%sthe input is incomplete (see the warnings)", why->len ? "; " : "");
        f->answer = g_strdup_printf("CANNOT ANSWER: %s.", why->str);
        g_string_free(why, TRUE);
    } else {
        f->exit_status = REPORT_EXIT_PASS;
        f->answer = g_strdup_printf(
            policy == REPORT_POLICY_REQUEST ? "PASS: no audited endpoint requests a client certificate (%u endpoint%s)."
            : policy == REPORT_POLICY_CLIENT_AUTH ? "PASS: no audited endpoint relies on clientAuth or rejects (%u endpoint%s)."
                                                  : "PASS: no audited endpoint rejects (%u endpoint%s).",
            f->endpoints->len, f->endpoints->len == 1 ? "" : "s");
    }
    if (f->interrupted) {
        char *a = f->answer;
        f->exit_status = REPORT_EXIT_INTERRUPTED;
        f->answer = g_strdup_printf("INTERRUPTED, partial report: %s", a);
        g_free(a);
    }
}

report_findings *
report_findings_build(const report_options *opt, GPtrArray *files, bool interrupted)
{
    report_findings *f = g_new0(report_findings, 1);
    GPtrArray *by_time = g_ptr_array_new();
    GHashTable *latest = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    GHashTable *endpoints = g_hash_table_new(g_str_hash, g_str_equal);
    GHashTable *ports = g_hash_table_new(g_direct_hash, g_direct_equal);
    guint files_read = 0;
    bool any_keyed_tls = false, any_decrypted = false;

    f->opt = opt;
    f->files = files;
    f->conns = g_ptr_array_new();
    f->endpoints = g_ptr_array_new_with_free_func(endpoint_free);
    f->ports = g_array_new(FALSE, FALSE, sizeof(report_port));
    f->notes = g_ptr_array_new_with_free_func(g_free);
    f->warnings = g_ptr_array_new_with_free_func(g_free);
    f->complete = true;
    f->interrupted = interrupted;

    for (guint i = 0; i < files->len; i++)
        g_ptr_array_add(by_time, g_ptr_array_index(files, i));
    g_ptr_array_sort(by_time, file_by_time);

    for (guint i = 0; i < by_time->len; i++) {
        report_file *file = g_ptr_array_index(by_time, i);
        GPtrArray *conns = g_ptr_array_new();
        GHashTableIter it;
        gpointer value;
        guint tls = 0;

        switch (file->state) {
        case REPORT_FILE_OK:
            break;
        case REPORT_FILE_FAILED:
            note(f->warnings, "%s: %s", file->name, file->message);
            f->complete = false;
            break;
        default:
            note(f->warnings, "%s: %s", file->name, file->message);
            f->complete = false;
            break;
        }
        if (file->state == REPORT_FILE_FAILED) {
            g_ptr_array_free(conns, TRUE);
            continue;
        }
        files_read++;
        g_hash_table_iter_init(&it, file->conns);
        while (g_hash_table_iter_next(&it, NULL, &value))
            g_ptr_array_add(conns, value);
        g_ptr_array_sort(conns, conn_by_stream);
        for (guint k = 0; k < conns->len; k++) {
            report_conn *c = g_ptr_array_index(conns, k);
            char *key;
            report_conn *earlier;

            if (c->hello || c->audited)
                tls++;
            if (!c->audited) {
                if (c->hello) {
                    guint port = 0;
                    const char *colon = strrchr(c->server, ':');
                    gpointer slot;
                    if (colon != NULL)
                        port = (guint)strtoul(colon + 1, NULL, 10);
                    slot = g_hash_table_lookup(ports, GUINT_TO_POINTER(port + 1));
                    if (slot == NULL) {
                        report_port p = { port, 0, 0 };
                        g_array_append_val(f->ports, p);
                        slot = GUINT_TO_POINTER(f->ports->len);
                        g_hash_table_insert(ports, GUINT_TO_POINTER(port + 1), slot);
                    }
                    g_array_index(f->ports, report_port, GPOINTER_TO_UINT(slot) - 1).connections++;
                    g_array_index(f->ports, report_port, GPOINTER_TO_UINT(slot) - 1).cert_requests
                        += c->stock_requests;
                }
                continue;
            }
            if (c->verdicts->len == 0)
                continue;
            key = g_strdup_printf("%s|%s", c->server, c->client);
            earlier = g_hash_table_lookup(latest, key);
            if (earlier != NULL && earlier->file != c->file && !c->hello) {
                continue_conn(earlier, c);
                g_free(key);
                continue;
            }
            g_hash_table_replace(latest, key, c);
            g_ptr_array_add(f->conns, c);
        }
        g_ptr_array_free(conns, TRUE);
        f->tls_connections += tls;
        if (tls == 0 && file->joined == 0 && file->any_frame)
            note(f->notes, "%s: no TLS in this capture", file->name);
        if (opt->keylog != NULL && tls > 0) {
            any_keyed_tls = true;
            any_decrypted = any_decrypted || file->decrypted > 0;
            if (file->decrypted == 0 && files->len > 1)
                note(f->warnings, "%s: the key log decrypts nothing in this capture", file->name);
        }
    }
    if (any_keyed_tls && !any_decrypted && files->len == 1)
        note(f->warnings, "the key log %s decrypts nothing in this capture (keys of other sessions?)",
             opt->keylog);
    if (any_keyed_tls && !any_decrypted && files->len > 1)
        note(f->warnings, "the key log %s decrypts nothing in these captures (keys of other sessions?)",
             opt->keylog);

    /* Endpoints and peers. */
    for (guint i = 0; i < f->conns->len; i++) {
        report_conn *c = g_ptr_array_index(f->conns, i);
        report_endpoint *e = g_hash_table_lookup(endpoints, c->server);
        const char *fname = report_file_name(f, c->file);
        bool listed = false;

        if (c->top == NULL)
            continue;
        f->audited++;
        if (e == NULL) {
            e = g_new0(report_endpoint, 1);
            e->server = g_strdup(c->server);
            e->peers = g_ptr_array_new_with_free_func(peer_free);
            e->files = g_ptr_array_new();
            g_hash_table_insert(endpoints, e->server, e);
            g_ptr_array_add(f->endpoints, e);
        }
        e->connections++;
        if (c->top->verdict <= SIPMTLS_VERDICT_MAX)
            e->by_verdict[c->top->verdict]++;
        if (e->top == NULL || sipmtls_verdict_weight(c->top->verdict) > sipmtls_verdict_weight(e->verdict)) {
            e->top = c->top;
            e->verdict = c->top->verdict;
        }
        for (guint k = 0; k < c->verdicts->len; k++) {
            const report_verdict *v = g_ptr_array_index(c->verdicts, k);
            report_class cl = report_classify(opt->policy, v->verdict);
            if (cl > e->class)
                e->class = cl;
            for (guint j = 0; j < e->files->len && !listed; j++)
                listed = strcmp(g_ptr_array_index(e->files, j), report_file_name(f, v->file)) == 0;
            if (!listed)
                g_ptr_array_add(e->files, (gpointer)report_file_name(f, v->file));
            listed = false;
            if (v->request_file >= 0) {
                const char *rname = report_file_name(f, (guint)v->request_file);
                for (guint j = 0; j < e->files->len && !listed; j++)
                    listed = strcmp(g_ptr_array_index(e->files, j), rname) == 0;
                if (!listed)
                    g_ptr_array_add(e->files, (gpointer)rname);
                listed = false;
            }
        }
        (void)fname;
        add_to_peer(e, c, opt->policy);
    }
    g_ptr_array_sort(f->endpoints, endpoint_by_server);
    for (guint i = 0; i < f->endpoints->len; i++) {
        report_endpoint *e = g_ptr_array_index(f->endpoints, i);
        g_ptr_array_sort(e->peers, peer_by_client);
    }

    /* TLS that sipmtls did not audit. */
    g_array_sort(f->ports, port_by_number);
    if (f->ports->len > 0) {
        GString *s = g_string_new(NULL), *all = g_string_new(opt->ports);
        for (guint i = 0; i < f->ports->len; i++) {
            const report_port *p = &g_array_index(f->ports, report_port, i);
            g_string_append_printf(s, "%s%u (%u connection%s, %u CertificateRequest%s seen)", i ? ", " : "",
                                   p->port, p->connections, p->connections == 1 ? "" : "s",
                                   p->cert_requests, p->cert_requests == 1 ? "" : "s");
            if (i < 8)
                g_string_append_printf(all, ",%u", p->port);
        }
        note(f->notes, "TLS on ports that are not audited: %s. Stock TLS dissection sees a "
                       "CertificateRequest only where it is in clear (TLS 1.2) or decrypted. "
                       "Audit them with --ports %s, or every TLS port with --all-ports.",
             s->str, all->str);
        g_string_free(s, TRUE);
        g_string_free(all, TRUE);
    }

    decide(f, files_read);
    g_ptr_array_free(by_time, TRUE);
    g_hash_table_destroy(latest);
    g_hash_table_destroy(endpoints);
    g_hash_table_destroy(ports);
    return f;
}

void
report_findings_free(report_findings *f)
{
    if (f == NULL)
        return;
    g_ptr_array_free(f->conns, TRUE);
    g_ptr_array_free(f->endpoints, TRUE);
    g_array_free(f->ports, TRUE);
    g_ptr_array_free(f->notes, TRUE);
    g_ptr_array_free(f->warnings, TRUE);
    g_free(f->answer);
    g_free(f);
}

int
report_finish(const report_options *opt, GPtrArray *files, bool interrupted)
{
    report_findings *f = report_findings_build(opt, files, interrupted);
    GString *out = g_string_new(NULL);
    int status;

    if (f->exit_status == REPORT_EXIT_ERROR) {
        /* Nothing to report: one line per file says why. */
        for (guint i = 0; i < f->warnings->len; i++)
            fprintf(stderr, "sipmtls-report: %s\n", (char *)g_ptr_array_index(f->warnings, i));
        if (f->warnings->len == 0)
            fprintf(stderr, "sipmtls-report: %s\n", f->answer);
    } else {
        /* The text report shows its warnings; say them on standard error
         * too when nobody reads it on the terminal. */
        if (opt->format->print != report_print_text || !isatty(STDOUT_FILENO)) {
            for (guint i = 0; i < f->warnings->len; i++)
                fprintf(stderr, "sipmtls-report: warning: %s\n", (char *)g_ptr_array_index(f->warnings, i));
        }
        opt->format->print(f, out);
        fputs(out->str, stdout);
        fflush(stdout);
    }
    status = f->exit_status;
    g_string_free(out, TRUE);
    report_findings_free(f);
    for (guint i = 0; i < files->len; i++)
        report_file_free(g_ptr_array_index(files, i));
    g_ptr_array_free(files, TRUE);
    return status;
}
