/* tshark.c
 * Running tshark for sipmtls-report and reading what it prints.
 *
 * One tshark per capture, two passes (so every verdict carries its links),
 * as many at once as --jobs says.  Each prints one line per frame that
 * sipmtls has something to say about, that carries a TLS hello,
 * CertificateRequest or a handshake message only a key shows (Finished,
 * EncryptedExtensions), and frame 1 (the file's start time).  The lines go
 * into one report_file per capture: TLS connections (tcp.stream), their
 * verdicts, the client's certificates, and the TLS that sipmtls did not
 * audit.  The report does no TLS analysis of its own: verdicts are the
 * plugin's; it only settles, at the end of a file, handshakes the plugin
 * could not finish because the capture ends.
 *
 * Copyright 2026 the sipmtls authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "report.h"

/* The columns asked of tshark, in order; several values of one field in
 * one frame are joined by AGGREGATOR. */
enum column {
    COL_FRAME, COL_TIME, COL_STREAM, COL_IP_SRC, COL_IP6_SRC, COL_SRCPORT, COL_IP_DST,
    COL_IP6_DST, COL_DSTPORT, COL_HS_TYPE, COL_HANDSHAKE, COL_KIND, COL_VERDICT, COL_ALERT,
    COL_REASON, COL_SERVER, COL_CLIENT, COL_SUBJECT, COL_INFERRED, COL_REQUEST_IN,
    COL_ANSWER_IN, COL_CALL_ID, COL_CERT_REQUEST, COL_CHAIN_LENGTH, COL_CERT_SENDER,
    COL_CERT_SUBJECT, COL_CERT_ISSUER, COL_CERT_NOT_AFTER, COL_CLIENT_CERT_INFERRED, COL_CA_TRUST,
    COL_CA_ROOT_OWNER, COL_CA_NAME, COL_DEADLINE, COL_DEADLINE_PAST, COL_DEADLINE_TEXT, COL_COUNT
};

const char *const report_column_fields[COL_COUNT] = {
    [COL_FRAME] = "frame.number",
    [COL_TIME] = "frame.time_epoch",
    [COL_STREAM] = "tcp.stream",
    [COL_IP_SRC] = "ip.src",
    [COL_IP6_SRC] = "ipv6.src",
    [COL_SRCPORT] = "tcp.srcport",
    [COL_IP_DST] = "ip.dst",
    [COL_IP6_DST] = "ipv6.dst",
    [COL_DSTPORT] = "tcp.dstport",
    [COL_HS_TYPE] = "tls.handshake.type",
    [COL_HANDSHAKE] = "sipmtls.handshake",
    [COL_KIND] = "sipmtls.handshake.kind",
    [COL_VERDICT] = "sipmtls.verdict",
    [COL_ALERT] = "sipmtls.alert",
    [COL_REASON] = "sipmtls.reason",
    [COL_SERVER] = "sipmtls.server",
    [COL_CLIENT] = "sipmtls.client",
    [COL_SUBJECT] = "sipmtls.client_cert.subject",
    [COL_INFERRED] = "sipmtls.verdict.inferred",
    [COL_REQUEST_IN] = "sipmtls.request_in",
    [COL_ANSWER_IN] = "sipmtls.answer_in",
    [COL_CALL_ID] = "sipmtls.sip.call_id",
    [COL_CERT_REQUEST] = "sipmtls.cert_request",
    [COL_CHAIN_LENGTH] = "sipmtls.chain.length",
    [COL_CERT_SENDER] = "sipmtls.cert.sender",
    [COL_CERT_SUBJECT] = "sipmtls.cert.subject",
    [COL_CERT_ISSUER] = "sipmtls.cert.issuer",
    [COL_CERT_NOT_AFTER] = "sipmtls.cert.not_after",
    [COL_CLIENT_CERT_INFERRED] = "sipmtls.client_cert.inferred",
    /* On a verdict: the client certificate's CA and, when the connection
     * relies on clientAuth from a public CA, when it breaks (issue 16). */
    [COL_CA_TRUST] = "sipmtls.client_cert.trust",
    [COL_CA_ROOT_OWNER] = "sipmtls.client_cert.root_owner",
    [COL_CA_NAME] = "sipmtls.client_cert.ca",
    [COL_DEADLINE] = "sipmtls.deadline",
    [COL_DEADLINE_PAST] = "sipmtls.deadline.past",
    [COL_DEADLINE_TEXT] = "sipmtls.deadline.text",
};

const int report_n_columns = COL_COUNT;

#define AGGREGATOR "\x1f"

/* Frames worth a line: sipmtls's, TLS hellos and CertificateRequests (for
 * the TLS sipmtls does not audit), and what only a key shows (Finished 20,
 * EncryptedExtensions 8: did the key log decrypt anything?).  Not frame 1:
 * a test of a frame field costs 3% of the whole run (callgrind); when and
 * whether a capture starts comes from capinfos (capture_info). */
static const char display_filter[] =
    "sipmtls || tls.handshake.type == 1 || tls.handshake.type == 2 || tls.handshake.type == 13"
    " || tls.handshake.type == 8 || tls.handshake.type == 20";

GPtrArray *
report_tshark_argv(const report_options *opt, const char *path)
{
    GPtrArray *argv = g_ptr_array_new_with_free_func(g_free);

    g_ptr_array_add(argv, g_strdup(opt->tshark));
    g_ptr_array_add(argv, g_strdup("-n"));
    g_ptr_array_add(argv, g_strdup("-2"));
    g_ptr_array_add(argv, g_strdup("-r"));
    g_ptr_array_add(argv, g_strdup(path));
    if (opt->keylog != NULL) {
        g_ptr_array_add(argv, g_strdup("-o"));
        g_ptr_array_add(argv, g_strdup_printf("tls.keylog_file:%s", opt->keylog));
    }
    if (opt->root_store != NULL) {
        g_ptr_array_add(argv, g_strdup("-o"));
        g_ptr_array_add(argv, g_strdup_printf("sipmtls.root_store:%s", opt->root_store));
    }
    g_ptr_array_add(argv, g_strdup("-o"));
    g_ptr_array_add(argv, g_strdup_printf("sipmtls.ports:%s", opt->ports));
    g_ptr_array_add(argv, g_strdup("-Y"));
    g_ptr_array_add(argv, g_strdup(display_filter));
    g_ptr_array_add(argv, g_strdup("-T"));
    g_ptr_array_add(argv, g_strdup("fields"));
    g_ptr_array_add(argv, g_strdup("-E"));
    g_ptr_array_add(argv, g_strdup("occurrence=a"));
    g_ptr_array_add(argv, g_strdup("-E"));
    g_ptr_array_add(argv, g_strdup("aggregator=" AGGREGATOR));
    for (int k = 0; k < COL_COUNT; k++) {
        g_ptr_array_add(argv, g_strdup("-e"));
        g_ptr_array_add(argv, g_strdup(report_column_fields[k]));
    }
    g_ptr_array_add(argv, NULL);
    return argv;
}

/* ---- one file's lines ------------------------------------------------- */

static void
cert_clear(report_cert *c)
{
    g_free(c->subject);
    g_free(c->issuer);
    g_free(c->not_after);
    c->subject = c->issuer = c->not_after = NULL;
}

static void
cert_copy(report_cert *dst, const report_cert *src)
{
    dst->subject = g_strdup(src->subject != NULL ? src->subject : "");
    dst->issuer = g_strdup(src->issuer != NULL ? src->issuer : "");
    dst->not_after = g_strdup(src->not_after != NULL ? src->not_after : "");
    dst->n_certs = src->n_certs;
}

static void
verdict_free(gpointer p)
{
    report_verdict *v = p;
    cert_clear(&v->cert);
    g_free(v->call_id);
    g_free(v->ca_name);
    g_free(v->root_owner);
    g_free(v->deadline);
    g_free(v->deadline_text);
    g_free(v);
}

static void
conn_free(gpointer p)
{
    report_conn *c = p;
    g_free(c->server);
    g_free(c->client);
    g_ptr_array_free(c->verdicts, TRUE);
    cert_clear(&c->last_chain);
    g_free(c->call_id);
    g_free(c);
}

report_file *
report_file_new(const char *name, const char *path, guint index)
{
    report_file *f = g_new0(report_file, 1);

    f->name = g_strdup(name);
    f->path = g_strdup(path);
    f->index = index;
    f->conns = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, conn_free);
    f->pending = g_string_new(NULL);
    f->errors = g_string_new(NULL);
    return f;
}

void
report_file_free(report_file *f)
{
    if (f == NULL)
        return;
    g_free(f->name);
    g_free(f->path);
    g_free(f->message);
    g_hash_table_destroy(f->conns);
    g_string_free(f->pending, TRUE);
    g_string_free(f->errors, TRUE);
    g_free(f);
}

/* The first of several values ("a\x1fb" -> "a"), in place. */
static char *
first_value(char *s)
{
    char *sep = strchr(s, AGGREGATOR[0]);
    if (sep != NULL)
        *sep = '\0';
    return s;
}

/* The last of several values (the innermost IP header). */
static const char *
last_value(const char *s)
{
    const char *sep = strrchr(s, AGGREGATOR[0]);
    return sep != NULL ? sep + 1 : s;
}

/* A certificate time as one spelling, ISO 8601 UTC: Wireshark 4.0 and 4.4
 * print "Sep 25, 2122 02:44:56.000000000 UTC", 4.6 prints
 * "2122-09-25T02:44:56.000000000Z". */
static char *
iso_time(const char *s)
{
    static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
    char mon[4];
    int day, year, hh, mm, ss;

    if (sscanf(s, "%3s %d, %d %d:%d:%d", mon, &day, &year, &hh, &mm, &ss) == 6) {
        for (int m = 0; m < 12; m++) {
            if (strcmp(mon, months[m]) == 0)
                return g_strdup_printf("%04d-%02d-%02dT%02d:%02d:%02dZ", year, m + 1, day, hh, mm, ss);
        }
    }
    if (sscanf(s, "%d-%d-%dT%d:%d:%d", &year, &day, &mm, &hh, &ss, &ss) == 6 && strlen(s) >= 19)
        return g_strdup_printf("%.19sZ", s);
    return g_strdup(s);
}

static bool
true_value(const char *s)
{
    return strcmp(s, "1") == 0 || g_ascii_strcasecmp(s, "true") == 0;
}

static char *
address(const char *ip, const char *ip6, const char *port)
{
    if (ip[0] != '\0')
        return g_strdup_printf("%s:%s", last_value(ip), last_value(port));
    if (ip6[0] != '\0')
        return g_strdup_printf("[%s]:%s", last_value(ip6), last_value(port));
    return NULL;
}

static void
set_string(char **dst, char *value)
{
    if (value == NULL)
        return;
    g_free(*dst);
    *dst = value;
}

static guint
port_of(const char *addr)
{
    const char *colon = addr != NULL ? strrchr(addr, ':') : NULL;
    return colon != NULL ? (guint)strtoul(colon + 1, NULL, 10) : 0;
}

static report_conn *
conn_get(report_file *f, guint stream, double t)
{
    report_conn *c = g_hash_table_lookup(f->conns, GUINT_TO_POINTER(stream + 1));

    if (c == NULL) {
        c = g_new0(report_conn, 1);
        c->file = f->index;
        c->stream = stream;
        c->first_time = t;
        c->verdicts = g_ptr_array_new_with_free_func(verdict_free);
        c->call_id = g_strdup("");
        g_hash_table_insert(f->conns, GUINT_TO_POINTER(stream + 1), c);
    }
    c->last_time = t;
    return c;
}

static void
add_verdict(report_conn *c, report_verdict *v)
{
    g_ptr_array_add(c->verdicts, v);
    if (c->top == NULL || sipmtls_verdict_weight(v->verdict) > sipmtls_verdict_weight(c->top->verdict))
        c->top = v;
}

static int
int_or(const char *s, int none)
{
    return s[0] != '\0' ? atoi(s) : none;
}

void
report_file_take_line(report_file *f, const report_options *opt, char *line)
{
    char **col = g_strsplit(line, "\t", COL_COUNT);
    report_conn *c;
    guint frame, stream;
    double t;

    (void)opt;
    if (g_strv_length(col) != COL_COUNT || col[COL_FRAME][0] == '\0') {
        g_strfreev(col);
        return;
    }
    frame = (guint)strtoul(col[COL_FRAME], NULL, 10);
    t = g_ascii_strtod(col[COL_TIME], NULL);
    if (!f->any_frame) {
        f->any_frame = true;
        f->first_time = t;
    }
    if (col[COL_STREAM][0] == '\0') {
        g_strfreev(col);
        return;
    }
    stream = (guint)strtoul(first_value(col[COL_STREAM]), NULL, 10);
    c = conn_get(f, stream, t);

    /* TLS as stock dissection shows it. */
    if (col[COL_HS_TYPE][0] != '\0') {
        char **types = g_strsplit(col[COL_HS_TYPE], AGGREGATOR, -1);
        bool request = false;
        for (char **ty = types; *ty != NULL; ty++) {
            int type = atoi(*ty);
            if (type == SIPMTLS_HS_CLIENT_HELLO && !c->hello) {
                c->hello = true;
                if (c->server == NULL) {
                    c->server = address(col[COL_IP_DST], col[COL_IP6_DST], col[COL_DSTPORT]);
                    c->client = address(col[COL_IP_SRC], col[COL_IP6_SRC], col[COL_SRCPORT]);
                }
            } else if (type == SIPMTLS_HS_SERVER_HELLO) {
                c->hello = true;
                if (!c->audited) {
                    set_string(&c->server, address(col[COL_IP_SRC], col[COL_IP6_SRC], col[COL_SRCPORT]));
                    set_string(&c->client, address(col[COL_IP_DST], col[COL_IP6_DST], col[COL_DSTPORT]));
                }
            } else if (type == SIPMTLS_HS_CERTIFICATE_REQUEST) {
                request = true;
            } else if (type == SIPMTLS_HS_FINISHED || type == SIPMTLS_HS_ENCRYPTED_EXTENSIONS) {
                f->decrypted++;
            }
        }
        if (request)
            c->stock_requests++;
        g_strfreev(types);
    }

    /* What sipmtls says. */
    if (col[COL_HANDSHAKE][0] || col[COL_VERDICT][0] || col[COL_CERT_REQUEST][0]
        || col[COL_CHAIN_LENGTH][0] || col[COL_CALL_ID][0])
        c->audited = true;
    if (col[COL_SERVER][0] != '\0') {
        set_string(&c->server, g_strdup(first_value(col[COL_SERVER])));
        set_string(&c->client, g_strdup(first_value(col[COL_CLIENT])));
    }
    if (col[COL_CALL_ID][0] != '\0' && c->call_id[0] == '\0')
        set_string(&c->call_id, g_strdup(first_value(col[COL_CALL_ID])));
    if (col[COL_CHAIN_LENGTH][0] != '\0' && atoi(first_value(col[COL_CERT_SENDER])) == SIPMTLS_ROLE_CLIENT) {
        cert_clear(&c->last_chain);
        c->last_chain.subject = g_strdup(first_value(col[COL_CERT_SUBJECT]));
        c->last_chain.issuer = g_strdup(first_value(col[COL_CERT_ISSUER]));
        c->last_chain.not_after = iso_time(first_value(col[COL_CERT_NOT_AFTER]));
        c->last_chain.n_certs = atoi(first_value(col[COL_CHAIN_LENGTH]));
        c->last_chain_frame = frame;
    } else if (col[COL_CHAIN_LENGTH][0] != '\0' && col[COL_CERT_SENDER][0] == '\0'
               && atoi(first_value(col[COL_CHAIN_LENGTH])) == 0) {
        /* An empty Certificate lists no certificate, hence no sender. */
        cert_clear(&c->last_chain);
        c->last_chain.n_certs = 0;
        c->last_chain_frame = frame;
    }
    if (true_value(first_value(col[COL_CERT_REQUEST])) && col[COL_VERDICT][0] == '\0') {
        guint hs = (guint)int_or(first_value(col[COL_HANDSHAKE]), 1);
        if (hs >= 1 && hs <= SIPMTLS_MAX_HANDSHAKES && c->open_request[hs] == 0)
            c->open_request[hs] = frame;
    }
    if (col[COL_VERDICT][0] != '\0') {
        char **verdicts = g_strsplit(col[COL_VERDICT], AGGREGATOR, -1);
        char **hs = g_strsplit(col[COL_HANDSHAKE], AGGREGATOR, -1);
        guint n = g_strv_length(verdicts);
        /* Optional columns belong to a verdict only when the frame holds one. */
        bool one = n == 1;

        for (guint i = 0; i < n; i++) {
            report_verdict *v = g_new0(report_verdict, 1);
            guint answer;

            v->file = f->index;
            v->request_file = -1;
            v->frame = frame;
            v->verdict = (sipmtls_verdict)atoi(verdicts[i]);
            v->handshake = i < g_strv_length(hs) ? (guint)atoi(hs[i]) : 1;
            v->kind = one ? (guint)int_or(first_value(col[COL_KIND]), 0) : 0;
            v->alert = one ? int_or(col[COL_ALERT], -1) : -1;
            v->reason = one ? int_or(col[COL_REASON], -1) : -1;
            v->inferred = one && true_value(col[COL_INFERRED]);
            v->request_frame = one ? (guint)int_or(first_value(col[COL_REQUEST_IN]), 0) : 0;
            answer = one ? (guint)int_or(first_value(col[COL_ANSWER_IN]), 0) : 0;
            v->answer_frame = answer;
            v->answer_certs = -1;
            if (answer != 0 && answer == c->last_chain_frame) {
                cert_copy(&v->cert, &c->last_chain);
                v->answer_certs = c->last_chain.n_certs;
            } else {
                report_cert none = { NULL, NULL, NULL, -1 };
                cert_copy(&v->cert, &none);
                if (one && col[COL_SUBJECT][0] != '\0') {
                    g_free(v->cert.subject);
                    v->cert.subject = g_strdup(first_value(col[COL_SUBJECT]));
                }
            }
            if (one && col[COL_CLIENT_CERT_INFERRED][0] != '\0' && v->answer_certs < 0)
                v->answer_certs = true_value(col[COL_CLIENT_CERT_INFERRED]) ? 1 : 0;
            v->call_id = g_strdup(c->call_id);
            if (one) {
                char *deadline = iso_time(first_value(col[COL_DEADLINE]));
                report_verdict_set_ca(v, int_or(first_value(col[COL_CA_TRUST]), 0),
                                      first_value(col[COL_CA_NAME]), first_value(col[COL_CA_ROOT_OWNER]),
                                      deadline, true_value(first_value(col[COL_DEADLINE_PAST])),
                                      first_value(col[COL_DEADLINE_TEXT]));
                g_free(deadline);
            } else {
                report_verdict_set_ca(v, 0, "", "", "", false, "");
            }
            if (v->handshake >= 1 && v->handshake <= SIPMTLS_MAX_HANDSHAKES) {
                if (v->request_frame == 0)
                    v->request_frame = c->open_request[v->handshake];
                c->open_request[v->handshake] = 0;
            }
            add_verdict(c, v);
        }
        g_strfreev(verdicts);
        g_strfreev(hs);
    }
    g_strfreev(col);
}

void
report_verdict_set_ca(report_verdict *v, int trust, const char *ca_name, const char *root_owner,
                      const char *deadline, bool past, const char *text)
{
    v->trust = trust;
    set_string(&v->ca_name, g_strdup(ca_name));
    set_string(&v->root_owner, g_strdup(root_owner));
    set_string(&v->deadline, g_strdup(deadline));
    v->deadline_past = past;
    set_string(&v->deadline_text, g_strdup(text));
}

/* A handshake the capture shows no outcome of: undetermined, settled here. */
static void
settle_open(report_conn *c, guint handshake, guint request_frame)
{
    report_verdict *v = g_new0(report_verdict, 1);
    report_cert none = { NULL, NULL, NULL, -1 };

    v->file = c->file;
    v->request_file = -1;
    v->verdict = SIPMTLS_VERDICT_UNDETERMINED;
    v->handshake = handshake;
    v->alert = -1;
    v->reason = -1;
    v->no_outcome = true;
    v->request_frame = request_frame;
    v->answer_certs = -1;
    cert_copy(&v->cert, &none);
    v->call_id = g_strdup(c->call_id);
    report_verdict_set_ca(v, 0, "", "", "", false, "");
    add_verdict(c, v);
}

void
report_file_settle(report_file *f, const report_options *opt)
{
    GHashTableIter it;
    gpointer value;

    g_hash_table_iter_init(&it, f->conns);
    while (g_hash_table_iter_next(&it, NULL, &value)) {
        report_conn *c = value;

        if (c->server == NULL) {
            c->server = g_strdup("?");
            c->client = g_strdup("?");
        }
        /* A TLS hello on an audited port is audited even when sipmtls had
         * nothing to say yet (the capture ends first). */
        if (!c->audited && c->hello && report_port_audited(opt, port_of(c->server)))
            c->audited = true;
        if (!c->audited)
            continue;
        for (guint hs = 1; hs <= SIPMTLS_MAX_HANDSHAKES; hs++) {
            if (c->open_request[hs] != 0) {
                settle_open(c, hs, c->open_request[hs]);
                c->open_request[hs] = 0;
            }
        }
        if (c->verdicts->len == 0 && c->hello)
            settle_open(c, 1, 0);
    }
}

/* ---- running tshark --------------------------------------------------- */

static volatile sig_atomic_t stop_flag;
static int stop_pipe[2] = { -1, -1 };

void
report_stop(void)
{
    stop_flag = 1;
    if (stop_pipe[1] >= 0) {
        ssize_t n = write(stop_pipe[1], "x", 1);
        (void)n;
    }
}

bool
report_stop_requested(void)
{
    return stop_flag != 0;
}

static void
take_output(report_file *f, const report_options *opt, const char *buf, gssize n)
{
    gssize start = 0;

    for (gssize i = 0; i < n; i++) {
        if (buf[i] != '\n')
            continue;
        g_string_append_len(f->pending, buf + start, i - start);
        report_file_take_line(f, opt, f->pending->str);
        g_string_truncate(f->pending, 0);
        start = i + 1;
    }
    g_string_append_len(f->pending, buf + start, n - start);
}

/* tshark's first meaningful line of standard error. */
static char *
tshark_error_line(const GString *errors)
{
    char **lines = g_strsplit(errors->str, "\n", -1);
    char *found = NULL;

    for (char **l = lines; *l != NULL && found == NULL; l++) {
        char *s = g_strstrip(*l);
        if (s[0] == '\0' || strstr(s, "Running as user") != NULL)
            continue;
        if (g_str_has_prefix(s, "tshark: "))
            s += strlen("tshark: ");
        /* 'The file "PATH" isn't ...': the report names the file already. */
        if (g_str_has_prefix(s, "The file \"") && strstr(s + 10, "\" ") != NULL)
            s = strstr(s + 10, "\" ") + 2;
        found = g_strdup(s);
    }
    g_strfreev(lines);
    return found != NULL ? found : g_strdup("no message");
}

static void
fail(report_file *f, report_file_state state, char *message)
{
    f->state = state;
    g_free(f->message);
    f->message = message;
}

static guint capture_info(const char *path, double *first, bool *whole);

/* Runs tshark on one file, feeding its lines as they come. */
static void
read_file(report_file *f, const report_options *opt)
{
    GPtrArray *argv;
    GError *error = NULL;
    GPid pid;
    int out_fd, err_fd, status = 0;
    struct stat st;
    int fd;
    bool killed = false;
    char buf[65536];

    fd = open(f->path, O_RDONLY);
    if (fd < 0) {
        fail(f, REPORT_FILE_FAILED,
             g_strdup_printf(errno == ENOENT ? "no such file" : "cannot read it: %s", g_strerror(errno)));
        return;
    }
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        close(fd);
        fail(f, REPORT_FILE_FAILED, g_strdup("is a directory"));
        return;
    }
    close(fd);
    if (st.st_size == 0) {
        fail(f, REPORT_FILE_FAILED, g_strdup("empty file (0 bytes): not a capture"));
        return;
    }
    if (report_stop_requested()) {
        fail(f, REPORT_FILE_INTERRUPTED, g_strdup("interrupted before it was read"));
        return;
    }

    argv = report_tshark_argv(opt, f->path);
    if (!g_spawn_async_with_pipes(NULL, (char **)argv->pdata, NULL,
                                  G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid,
                                  NULL, &out_fd, &err_fd, &error)) {
        fail(f, REPORT_FILE_FAILED, g_strdup_printf("cannot run %s: %s", opt->tshark, error->message));
        g_error_free(error);
        g_ptr_array_free(argv, TRUE);
        return;
    }
    g_ptr_array_free(argv, TRUE);

    for (bool out_open = true, err_open = true; out_open || err_open;) {
        struct pollfd p[3] = { { out_fd, POLLIN, 0 }, { err_fd, POLLIN, 0 }, { stop_pipe[0], POLLIN, 0 } };

        p[0].fd = out_open ? out_fd : -1;
        p[1].fd = err_open ? err_fd : -1;
        if (poll(p, 3, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (p[2].revents != 0 && !killed) {
            kill(pid, SIGTERM);
            killed = true;
        }
        if (p[0].revents != 0) {
            ssize_t n = read(out_fd, buf, sizeof buf);
            if (n > 0)
                take_output(f, opt, buf, n);
            else if (n == 0 || errno != EINTR)
                out_open = false;
        }
        if (p[1].revents != 0) {
            ssize_t n = read(err_fd, buf, sizeof buf);
            if (n > 0) {
                if (f->errors->len < 16384)
                    g_string_append_len(f->errors, buf, n);
            } else if (n == 0 || errno != EINTR) {
                err_open = false;
            }
        }
    }
    close(out_fd);
    close(err_fd);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    g_spawn_close_pid(pid);
    /* A last line without its newline is one tshark did not finish. */
    g_string_truncate(f->pending, 0);

    if (killed || (WIFSIGNALED(status) && (WTERMSIG(status) == SIGINT) && report_stop_requested())) {
        fail(f, REPORT_FILE_INTERRUPTED, g_strdup("interrupted: only the part read so far is reported"));
    } else if (WIFSIGNALED(status)) {
        fail(f, REPORT_FILE_TSHARK_DIED,
             g_strdup_printf("tshark died (%s) part way: only the part read so far is reported",
                             g_strsignal(WTERMSIG(status))));
    } else if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
        char *why = tshark_error_line(f->errors);
        if (strstr(why, "cut short") != NULL) {
            fail(f, REPORT_FILE_TRUNCATED,
                 g_strdup("truncated: the file is cut short in the middle of a packet; the packets "
                          "before the cut are reported"));
            g_free(why);
        } else if (strstr(why, "damaged or corrupt") != NULL) {
            fail(f, REPORT_FILE_TRUNCATED,
                 g_strdup("damaged part way: the packets before the damage are reported"));
            g_free(why);
        } else if (strstr(f->errors->str, "sipmtls") != NULL
                   && (strstr(f->errors->str, "neither a field") != NULL
                       || strstr(f->errors->str, "aren't valid") != NULL
                       || strstr(f->errors->str, "isn't a valid") != NULL
                       || strstr(f->errors->str, "unknown preference") != NULL)) {
            fail(f, REPORT_FILE_FAILED,
                 g_strdup("tshark does not know the sipmtls fields: is the plugin installed for "
                          "this Wireshark (and for this user)?"));
            g_free(why);
        } else {
            fail(f, REPORT_FILE_FAILED, why);
        }
    }
    /* No line at all: no packets, or none that tshark had to show (frame 1
     * is not asked for, see display_filter); capinfos tells which, and
     * when the capture starts (files are joined in time order). */
    if (!f->any_frame && f->state != REPORT_FILE_FAILED && f->state != REPORT_FILE_INTERRUPTED) {
        bool whole;

        f->any_frame = capture_info(f->path, &f->first_time, &whole) > 0;
        if (!f->any_frame && f->state == REPORT_FILE_OK)
            fail(f, REPORT_FILE_FAILED, g_strdup("no packets in this capture"));
    }
    if (f->state != REPORT_FILE_FAILED)
        report_file_settle(f, opt);
}

/* ---- many files ------------------------------------------------------- */

typedef struct pool_state {
    const report_options *opt;
    GMutex                lock;
    GCond                 done_cond;
    guint                 done;
} pool_state;

static void
pool_work(gpointer data, gpointer user)
{
    pool_state *ps = user;

    read_file(data, ps->opt);
    g_mutex_lock(&ps->lock);
    ps->done++;
    g_cond_signal(&ps->done_cond);
    g_mutex_unlock(&ps->lock);
}

/* Standard input into a temporary file: tshark reads a file twice. */
static bool
spool_stdin(report_file *f)
{
    GError *error = NULL;
    char *tmp = NULL;
    int fd = g_file_open_tmp("sipmtls-report-stdin-XXXXXX", &tmp, &error);
    char buf[65536];
    ssize_t n;
    bool ok = true;

    if (fd < 0) {
        fail(f, REPORT_FILE_FAILED, g_strdup_printf("cannot keep standard input: %s", error->message));
        g_error_free(error);
        return false;
    }
    while ((n = read(STDIN_FILENO, buf, sizeof buf)) != 0) {
        if (n < 0) {
            if (errno == EINTR && !report_stop_requested())
                continue;
            ok = false;
            break;
        }
        for (ssize_t w = 0; w < n;) {
            ssize_t k = write(fd, buf + w, (size_t)(n - w));
            if (k < 0) {
                if (errno == EINTR)
                    continue;
                fail(f, REPORT_FILE_FAILED,
                     g_strdup_printf("cannot keep standard input in %s: %s", tmp, g_strerror(errno)));
                close(fd);
                unlink(tmp);
                g_free(tmp);
                return false;
            }
            w += k;
        }
    }
    close(fd);
    if (!ok) {
        fail(f, REPORT_FILE_FAILED, g_strdup_printf("cannot read standard input: %s", g_strerror(errno)));
        unlink(tmp);
        g_free(tmp);
        return false;
    }
    chmod(tmp, 0600);
    g_free(f->path);
    f->path = tmp;
    return true;
}

static gint
file_by_time(gconstpointer a, gconstpointer b)
{
    const report_file *x = *(report_file *const *)a, *y = *(report_file *const *)b;
    if (x->first_time != y->first_time)
        return x->first_time < y->first_time ? -1 : 1;
    return (x->index > y->index) - (x->index < y->index);
}

static char *
conn_key(const report_conn *c)
{
    return g_strdup_printf("%s|%s", c->server, c->client);
}

static bool
has_no_outcome(const report_conn *c)
{
    for (guint i = 0; i < c->verdicts->len; i++) {
        const report_verdict *v = g_ptr_array_index(c->verdicts, i);
        if (v->no_outcome)
            return true;
    }
    return false;
}

/* What capinfos (which reads a capture without dissecting it) says of it:
 * its packets, 0 if it cannot say, and the time of the first packet.  A
 * file cut short gets the packets before the cut, and *whole FALSE. */
static guint
capture_info(const char *path, double *first, bool *whole)
{
    const char *argv[] = { "capinfos", "-c", "-a", "-S", "-M", "-T", "-r", path, NULL };
    char *out = NULL;
    gint status = 0;
    guint n = 0;

    *first = 0;
    *whole = false;
    if (g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL,
                     NULL, &out, NULL, &status, NULL)) {
        /* One line: the file name, the packets, the first time ("n/a" when
         * there are none); the name may hold a tab, the others do not. */
        char *time_tab = strrchr(out, '\t');

        *whole = g_spawn_check_wait_status(status, NULL);
        if (time_tab != NULL) {
            char *count_tab;

            *time_tab = '\0';
            count_tab = strrchr(out, '\t');
            n = count_tab != NULL ? (guint)strtoul(count_tab + 1, NULL, 10) : 0;
            *first = g_ascii_strtod(time_tab + 1, NULL);
        }
    }
    g_free(out);
    return n;
}

/* Packets in a whole capture; 0 if unknown or cut short. */
static guint
packet_count(const char *path)
{
    double first;
    bool whole;
    guint n = capture_info(path, &first, &whole);

    return whole ? n : 0;
}

/* A handshake open at the end of one file whose connection goes on in the
 * next file (a ring buffer cut in the middle of a handshake): the two files
 * are read again together, in time order (mergecap), and that connection's
 * verdicts come from the joint reading; its frames are given back to the
 * file each is in. */
static void
join_pair(const report_options *opt, report_file *a, report_file *b)
{
    GHashTable *open = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    GHashTable *later = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    GHashTableIter it;
    gpointer key, value;
    char *tmp = NULL;
    int fd;
    report_file *m;
    guint n_a;
    const char *argv[] = { "mergecap", "-w", NULL, a->path, b->path, NULL };
    gint status = 0;

    g_hash_table_iter_init(&it, b->conns);
    while (g_hash_table_iter_next(&it, NULL, &value)) {
        report_conn *c = value;
        if (!c->hello && c->server != NULL)
            g_hash_table_insert(later, conn_key(c), c);
    }
    g_hash_table_iter_init(&it, a->conns);
    while (g_hash_table_iter_next(&it, NULL, &value)) {
        report_conn *c = value;
        char *k;
        if (!c->audited || !has_no_outcome(c))
            continue;
        k = conn_key(c);
        if (g_hash_table_contains(later, k))
            g_hash_table_insert(open, k, c);
        else
            g_free(k);
    }
    if (g_hash_table_size(open) == 0 || (n_a = packet_count(a->path)) == 0)
        goto done;
    fd = g_file_open_tmp("sipmtls-report-joined-XXXXXX.pcapng", &tmp, NULL);
    if (fd < 0)
        goto done;
    close(fd);
    argv[2] = tmp;
    if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL,
                      NULL, NULL, NULL, &status, NULL) || !g_spawn_check_wait_status(status, NULL))
        goto done;
    chmod(tmp, 0644);
    m = report_file_new("joined", tmp, a->index);
    read_file(m, opt);
    if (m->state == REPORT_FILE_OK || m->state == REPORT_FILE_TRUNCATED) {
        g_hash_table_iter_init(&it, m->conns);
        while (g_hash_table_iter_next(&it, NULL, &value)) {
            report_conn *joint = value;
            char *k = conn_key(joint);
            report_conn *c = g_hash_table_lookup(open, k), *cont = g_hash_table_lookup(later, k);
            GHashTableIter bi;

            g_free(k);
            if (c == NULL || joint->verdicts->len == 0 || has_no_outcome(joint))
                continue;
            g_ptr_array_set_size(c->verdicts, 0);
            c->top = NULL;
            while (joint->verdicts->len > 0) {
                report_verdict *v = g_ptr_array_steal_index(joint->verdicts, 0);
                if (v->frame > n_a) {
                    v->file = b->index;
                    v->frame -= n_a;
                    if (v->request_frame > n_a || v->answer_frame > n_a) {
                        v->request_frame -= v->request_frame > n_a ? n_a : 0;
                        v->answer_frame -= v->answer_frame > n_a ? n_a : 0;
                    } else if (v->request_frame != 0 || v->answer_frame != 0) {
                        v->request_file = (int)a->index;
                    }
                } else {
                    v->file = a->index;
                }
                add_verdict(c, v);
            }
            c->last_time = joint->last_time;
            /* The later file's view of this connection is now in c. */
            b->joined++;
            g_hash_table_iter_init(&bi, b->conns);
            while (cont != NULL && g_hash_table_iter_next(&bi, &key, &value)) {
                if (value == cont) {
                    g_hash_table_iter_remove(&bi);
                    break;
                }
            }
        }
    }
    report_file_free(m);
done:
    if (tmp != NULL) {
        unlink(tmp);
        g_free(tmp);
    }
    g_hash_table_destroy(open);
    g_hash_table_destroy(later);
}

static void
join_spanning(const report_options *opt, GPtrArray *files)
{
    GPtrArray *by_time = g_ptr_array_new();

    for (guint i = 0; i < files->len; i++) {
        report_file *f = g_ptr_array_index(files, i);
        if ((f->state == REPORT_FILE_OK || f->state == REPORT_FILE_TRUNCATED) && f->any_frame)
            g_ptr_array_add(by_time, f);
    }
    g_ptr_array_sort(by_time, file_by_time);
    for (guint i = 0; i + 1 < by_time->len && !report_stop_requested(); i++)
        join_pair(opt, g_ptr_array_index(by_time, i), g_ptr_array_index(by_time, i + 1));
    g_ptr_array_free(by_time, TRUE);
}

void
report_read_files(const report_options *opt, GPtrArray *files)
{
    pool_state ps = { .opt = opt };
    GThreadPool *pool;
    char *stdin_copy = NULL;
    gint64 t0 = g_get_monotonic_time();

    if (stop_pipe[0] < 0 && pipe(stop_pipe) == 0) {
        fcntl(stop_pipe[0], F_SETFD, FD_CLOEXEC);
        fcntl(stop_pipe[1], F_SETFD, FD_CLOEXEC);
    }
    for (guint i = 0; i < files->len; i++) {
        report_file *f = g_ptr_array_index(files, i);
        if (strcmp(f->name, "-") == 0 && spool_stdin(f))
            stdin_copy = f->path;
    }
    g_mutex_init(&ps.lock);
    g_cond_init(&ps.done_cond);
    pool = g_thread_pool_new(pool_work, &ps, (gint)MIN(opt->jobs, MAX(files->len, 1)), TRUE, NULL);
    for (guint i = 0; i < files->len; i++) {
        report_file *f = g_ptr_array_index(files, i);
        if (f->state == REPORT_FILE_OK)
            g_thread_pool_push(pool, f, NULL);
        else
            ps.done++;
    }
    g_mutex_lock(&ps.lock);
    while (ps.done < files->len) {
        if (opt->progress && files->len > 1)
            fprintf(stderr, "\rsipmtls-report: %u of %u captures read (%.0f s)", ps.done, files->len,
                    (double)(g_get_monotonic_time() - t0) / 1e6);
        g_cond_wait_until(&ps.done_cond, &ps.lock, g_get_monotonic_time() + G_TIME_SPAN_SECOND);
    }
    g_mutex_unlock(&ps.lock);
    g_thread_pool_free(pool, FALSE, TRUE);
    if (opt->progress && files->len > 1)
        fprintf(stderr, "\r%*s\r", 60, "");
    g_mutex_clear(&ps.lock);
    g_cond_clear(&ps.done_cond);
    if (files->len > 1)
        join_spanning(opt, files);
    if (stdin_copy != NULL)
        unlink(stdin_copy);
}

/* ---- versions --------------------------------------------------------- */

int
report_print_versions(const report_options *opt)
{
    char *out = NULL, *plugins = NULL;
    const char *argv_v[] = { opt->tshark, "-v", NULL };
    const char *argv_g[] = { opt->tshark, "-G", "plugins", NULL };
    char *ws = NULL, *plugin = NULL;
    gint status = 0;

    printf("sipmtls-report %s (built for Wireshark %s)\n", SIPMTLS_VERSION, SIPMTLS_WS_BUILT_FOR);
    if (g_spawn_sync(NULL, (char **)argv_v, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, &out, NULL, &status, NULL) && g_spawn_check_wait_status(status, NULL)) {
        char *nl = strchr(out, '\n');
        if (nl != NULL)
            *nl = '\0';
        ws = g_strdup(out);
    }
    if (g_spawn_sync(NULL, (char **)argv_g, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, &plugins, NULL, &status, NULL) && g_spawn_check_wait_status(status, NULL)) {
        char **lines = g_strsplit(plugins, "\n", -1);
        for (char **l = lines; *l != NULL && plugin == NULL; l++) {
            if (g_str_has_prefix(*l, "sipmtls")) {
                char **w = g_strsplit(*l, "\t", -1);
                guint n = g_strv_length(w);
                plugin = g_strdup_printf("%s (%s)", n > 1 ? w[1] : "?", n > 3 ? w[n - 1] : "?");
                g_strfreev(w);
            }
        }
        g_strfreev(lines);
    }
    printf("sipmtls plugin %s\n", plugin != NULL ? plugin : "not found: tshark does not load it for this user");
    printf("%s\n", ws != NULL ? ws : "tshark: cannot run it");
    /* What it could not find, it said: a ticket wants the rest anyway. */
    status = REPORT_EXIT_PASS;
    g_free(out);
    g_free(plugins);
    g_free(plugin);
    g_free(ws);
    return status;
}
