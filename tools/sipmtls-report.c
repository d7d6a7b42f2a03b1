/* sipmtls-report.c
 * A report for support staff: which TLS servers in a capture ask for client
 * certificates, what happened, and what to change.
 *
 * It does no analysis of its own.  It runs tshark with the sipmtls plugin
 * (two passes, so every verdict carries its links and SIP request), reads
 * one line per verdict from `-T fields`, and groups the verdicts per TLS
 * connection and per TLS server endpoint.  The verdict that matters most
 * (sipmtls_verdict_weight) stands for a connection and for an endpoint.
 *
 * Exit status: 0 when no endpoint relies on or enforces clientAuth, 1 when
 * one does, 2 on error (unreadable file, not a capture, plugin missing).
 *
 * Copyright 2026 the sipmtls authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "live.h"
#include "sipmtls-version.h"
#include "sipmtls.h"
#include "sipmtls_tls.h"

#define EXIT_CLEAN      0
#define EXIT_DEPENDS    1
#define EXIT_ERROR      2

/* The columns asked of tshark, in order. */
enum column {
    COL_FRAME, COL_STREAM, COL_SERVER, COL_CLIENT, COL_VERDICT, COL_HANDSHAKE,
    COL_ALERT, COL_REASON, COL_SUBJECT, COL_CALL_ID, COL_COUNT
};

static const char *const column_fields[COL_COUNT] = {
    [COL_FRAME] = "frame.number",
    [COL_STREAM] = "tcp.stream",
    [COL_SERVER] = "sipmtls.server",
    [COL_CLIENT] = "sipmtls.client",
    [COL_VERDICT] = "sipmtls.verdict",
    [COL_HANDSHAKE] = "sipmtls.handshake",
    [COL_ALERT] = "sipmtls.alert",
    [COL_REASON] = "sipmtls.reason",
    [COL_SUBJECT] = "sipmtls.client_cert.subject",
    [COL_CALL_ID] = "sipmtls.sip.call_id",
};

typedef enum format { FORMAT_TEXT, FORMAT_CSV, FORMAT_JSON } format;

/* One TLS connection: the verdict that matters most, and why. */
typedef struct connection {
    guint           stream;
    char           *server;
    char           *client;
    sipmtls_verdict verdict;
    guint           frame;       /* where that verdict was settled */
    guint           handshakes;  /* verdicts seen on the connection */
    char           *why;         /* alert or reason, "" when none */
    char           *subject;     /* client certificate, "" when none */
    char           *call_id;     /* first SIP request, "" when unknown */
} connection;

/* One TLS server endpoint and its connections. */
typedef struct endpoint {
    char           *server;
    sipmtls_verdict verdict;
    guint           connections;
    guint           by_verdict[SIPMTLS_VERDICT_MAX + 1];
} endpoint;

static void
free_connection(gpointer p)
{
    connection *c = p;
    g_free(c->server);
    g_free(c->client);
    g_free(c->why);
    g_free(c->subject);
    g_free(c->call_id);
    g_free(c);
}

static void
free_endpoint(gpointer p)
{
    endpoint *e = p;
    g_free(e->server);
    g_free(e);
}

/* The words for an alert or a reason column: "alert unsupported_certificate". */
static char *
why_text(const char *alert, const char *reason)
{
    if (alert[0] != '\0') {
        const char *name = sipmtls_name_of(sipmtls_alert_names, (uint32_t)atoi(alert));
        return name != NULL ? g_strdup_printf("alert %s", name) : g_strdup_printf("alert %s", alert);
    }
    if (reason[0] != '\0') {
        const char *name = sipmtls_name_of(sipmtls_reason_names, (uint32_t)atoi(reason));
        return g_strdup(name != NULL ? name : reason);
    }
    return g_strdup("");
}

/* Reads one tshark line into the connections table. */
static void
take_line(GHashTable *connections, char *line)
{
    char **col = g_strsplit(line, "\t", COL_COUNT);
    sipmtls_verdict v;
    connection *c;
    guint stream;

    if (g_strv_length(col) != COL_COUNT || col[COL_VERDICT][0] == '\0') {
        g_strfreev(col);
        return;
    }
    v = (sipmtls_verdict)atoi(col[COL_VERDICT]);
    stream = (guint)strtoul(col[COL_STREAM], NULL, 10);
    c = g_hash_table_lookup(connections, GUINT_TO_POINTER(stream + 1));
    if (c == NULL) {
        c = g_new0(connection, 1);
        c->stream = stream;
        c->server = g_strdup(col[COL_SERVER]);
        c->client = g_strdup(col[COL_CLIENT]);
        g_hash_table_insert(connections, GUINT_TO_POINTER(stream + 1), c);
    }
    c->handshakes++;
    if (sipmtls_verdict_weight(v) > sipmtls_verdict_weight(c->verdict)) {
        c->verdict = v;
        c->frame = (guint)strtoul(col[COL_FRAME], NULL, 10);
        g_free(c->why);
        g_free(c->subject);
        c->why = why_text(col[COL_ALERT], col[COL_REASON]);
        c->subject = g_strdup(col[COL_SUBJECT]);
    }
    if (c->call_id == NULL || c->call_id[0] == '\0') {
        g_free(c->call_id);
        c->call_id = g_strdup(col[COL_CALL_ID]);
    }
    g_strfreev(col);
}

static gint
by_stream(gconstpointer a, gconstpointer b)
{
    const connection *x = *(connection *const *)a, *y = *(connection *const *)b;
    return (x->stream > y->stream) - (x->stream < y->stream);
}

static gint
by_server(gconstpointer a, gconstpointer b)
{
    const endpoint *x = *(endpoint *const *)a, *y = *(endpoint *const *)b;
    return strcmp(x->server, y->server);
}

/* ---- output ------------------------------------------------------------ */

static void
csv_field(GString *out, const char *s, gboolean last)
{
    g_string_append_c(out, '"');
    for (; *s != '\0'; s++) {
        if (*s == '"')
            g_string_append_c(out, '"');
        g_string_append_c(out, *s);
    }
    g_string_append(out, last ? "\"\n" : "\",");
}

static void
json_string(GString *out, const char *s)
{
    g_string_append_c(out, '"');
    for (; *s != '\0'; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            g_string_append_printf(out, "\\%c", ch);
        else if (ch < 0x20)
            g_string_append_printf(out, "\\u%04x", ch);
        else
            g_string_append_c(out, (char)ch);
    }
    g_string_append_c(out, '"');
}

static void
print_endpoints(GPtrArray *endpoints, format fmt, const char *capture)
{
    GString *out = g_string_new(NULL);

    switch (fmt) {
    case FORMAT_TEXT:
        g_string_append_printf(out, "sipmtls report for %s: %u TLS server endpoint%s\n\n", capture,
                               endpoints->len, endpoints->len == 1 ? "" : "s");
        for (guint i = 0; i < endpoints->len; i++) {
            endpoint *e = g_ptr_array_index(endpoints, i);
            g_string_append_printf(out, "%s  (%u connection%s)\n  verdict: %s\n", e->server,
                                   e->connections, e->connections == 1 ? "" : "s",
                                   sipmtls_verdict_name(e->verdict));
            for (int v = SIPMTLS_VERDICT_NO_REQUEST; v <= SIPMTLS_VERDICT_MAX; v++) {
                if (e->by_verdict[v] > 0)
                    g_string_append_printf(out, "    %u x %s\n", e->by_verdict[v],
                                           sipmtls_verdict_name((sipmtls_verdict)v));
            }
            g_string_append_printf(out, "  what to change: %s\n\n", sipmtls_verdict_advice(e->verdict));
        }
        break;
    case FORMAT_CSV:
        g_string_append(out, "\"server\",\"connections\",\"verdict\",\"verdict_code\",\"advice\"\n");
        for (guint i = 0; i < endpoints->len; i++) {
            endpoint *e = g_ptr_array_index(endpoints, i);
            char n[16], code[16];
            g_snprintf(n, sizeof n, "%u", e->connections);
            g_snprintf(code, sizeof code, "%d", e->verdict);
            csv_field(out, e->server, FALSE);
            csv_field(out, n, FALSE);
            csv_field(out, sipmtls_verdict_name(e->verdict), FALSE);
            csv_field(out, code, FALSE);
            csv_field(out, sipmtls_verdict_advice(e->verdict), TRUE);
        }
        break;
    case FORMAT_JSON:
        g_string_append(out, "[\n");
        for (guint i = 0; i < endpoints->len; i++) {
            endpoint *e = g_ptr_array_index(endpoints, i);
            g_string_append(out, "  {\"server\": ");
            json_string(out, e->server);
            g_string_append_printf(out, ", \"connections\": %u, \"verdict\": ", e->connections);
            json_string(out, sipmtls_verdict_name(e->verdict));
            g_string_append_printf(out, ", \"verdict_code\": %d, \"advice\": ", e->verdict);
            json_string(out, sipmtls_verdict_advice(e->verdict));
            g_string_append_printf(out, "}%s\n", i + 1 < endpoints->len ? "," : "");
        }
        g_string_append(out, "]\n");
        break;
    }
    fputs(out->str, stdout);
    g_string_free(out, TRUE);
}

static void
print_connections(GPtrArray *conns, format fmt, const char *capture)
{
    static const char *const header[] = { "stream", "client", "server", "verdict", "verdict_code",
                                          "why", "client_certificate", "call_id", "frame" };
    GString *out = g_string_new(NULL);

    if (fmt == FORMAT_TEXT)
        g_string_append_printf(out, "sipmtls report for %s: %u TLS connection%s\n\n", capture,
                               conns->len, conns->len == 1 ? "" : "s");
    if (fmt == FORMAT_CSV) {
        for (guint k = 0; k < G_N_ELEMENTS(header); k++)
            csv_field(out, header[k], k + 1 == G_N_ELEMENTS(header));
    }
    if (fmt == FORMAT_JSON)
        g_string_append(out, "[\n");
    for (guint i = 0; i < conns->len; i++) {
        connection *c = g_ptr_array_index(conns, i);
        char stream[16], code[16], frame[16];
        const char *values[G_N_ELEMENTS(header)];

        g_snprintf(stream, sizeof stream, "%u", c->stream);
        g_snprintf(code, sizeof code, "%d", c->verdict);
        g_snprintf(frame, sizeof frame, "%u", c->frame);
        values[0] = stream;
        values[1] = c->client;
        values[2] = c->server;
        values[3] = sipmtls_verdict_name(c->verdict);
        values[4] = code;
        values[5] = c->why;
        values[6] = c->subject;
        values[7] = c->call_id;
        values[8] = frame;
        switch (fmt) {
        case FORMAT_TEXT:
            g_string_append_printf(out, "stream %s: %s -> %s\n  verdict: %s%s%s (frame %s)\n",
                                   stream, c->client, c->server, values[3],
                                   c->why[0] ? ": " : "", c->why, frame);
            if (c->subject[0] != '\0')
                g_string_append_printf(out, "  client certificate: %s\n", c->subject);
            if (c->call_id[0] != '\0')
                g_string_append_printf(out, "  first SIP request Call-ID: %s\n", c->call_id);
            g_string_append_printf(out, "  what to change: %s\n\n", sipmtls_verdict_advice(c->verdict));
            break;
        case FORMAT_CSV:
            for (guint k = 0; k < G_N_ELEMENTS(header); k++)
                csv_field(out, values[k], k + 1 == G_N_ELEMENTS(header));
            break;
        case FORMAT_JSON:
            g_string_append(out, "  {");
            for (guint k = 0; k < G_N_ELEMENTS(header); k++) {
                g_string_append_printf(out, "%s\"%s\": ", k ? ", " : "", header[k]);
                if (k == 0 || k == 4 || k == 8)
                    g_string_append(out, values[k]);
                else
                    json_string(out, values[k]);
            }
            g_string_append_printf(out, "}%s\n", i + 1 < conns->len ? "," : "");
            break;
        }
    }
    if (fmt == FORMAT_JSON)
        g_string_append(out, "]\n");
    fputs(out->str, stdout);
    g_string_free(out, TRUE);
}

/* ---- running tshark ---------------------------------------------------- */

/* Runs tshark on the capture; its stdout, or NULL after saying why. */
static char *
run_tshark(const char *tshark, const char *capture, const char *keylog, const char *ports)
{
    GPtrArray *argv = g_ptr_array_new_with_free_func(g_free);
    char *out = NULL, *err = NULL;
    GError *error = NULL;
    gint status = 0;

    g_ptr_array_add(argv, g_strdup(tshark));
    g_ptr_array_add(argv, g_strdup("-n"));
    g_ptr_array_add(argv, g_strdup("-2"));
    g_ptr_array_add(argv, g_strdup("-r"));
    g_ptr_array_add(argv, g_strdup(capture));
    if (keylog != NULL) {
        g_ptr_array_add(argv, g_strdup("-o"));
        g_ptr_array_add(argv, g_strdup_printf("tls.keylog_file:%s", keylog));
    }
    if (ports != NULL) {
        g_ptr_array_add(argv, g_strdup("-o"));
        g_ptr_array_add(argv, g_strdup_printf("sipmtls.ports:%s", ports));
    }
    g_ptr_array_add(argv, g_strdup("-Y"));
    g_ptr_array_add(argv, g_strdup("sipmtls.verdict"));
    g_ptr_array_add(argv, g_strdup("-T"));
    g_ptr_array_add(argv, g_strdup("fields"));
    g_ptr_array_add(argv, g_strdup("-E"));
    g_ptr_array_add(argv, g_strdup("occurrence=f"));
    for (int k = 0; k < COL_COUNT; k++) {
        g_ptr_array_add(argv, g_strdup("-e"));
        g_ptr_array_add(argv, g_strdup(column_fields[k]));
    }
    g_ptr_array_add(argv, NULL);

    if (!g_spawn_sync(NULL, (char **)argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                      &out, &err, &status, &error)) {
        fprintf(stderr, "sipmtls-report: cannot run %s: %s\n", tshark, error->message);
        g_error_free(error);
    } else if (!g_spawn_check_wait_status(status, NULL)) {
        if (err != NULL && strstr(err, "sipmtls") != NULL && strstr(err, "aren't valid") != NULL)
            fprintf(stderr, "sipmtls-report: tshark does not know the sipmtls fields: is the "
                            "plugin installed for this Wireshark (and for this user)?\n");
        else
            fprintf(stderr, "sipmtls-report: tshark failed on %s:\n%s", capture, err ? err : "");
        g_free(out);
        out = NULL;
    }
    g_free(err);
    g_ptr_array_free(argv, TRUE);
    return out;
}

int
main(int argc, char **argv)
{
    gboolean per_connection = FALSE, show_version = FALSE;
    char *format_name = NULL, *keylog = NULL, *ports = NULL, *tshark = NULL;
    GOptionEntry entries[] = {
        { "connections", 'c', 0, G_OPTION_ARG_NONE, &per_connection,
          "One row per TLS connection instead of per server endpoint", NULL },
        { "format", 'f', 0, G_OPTION_ARG_STRING, &format_name, "Output: text, csv or json", "FORMAT" },
        { "keylog", 'k', 0, G_OPTION_ARG_FILENAME, &keylog,
          "TLS key log file, to see TLS 1.3 and renegotiations", "FILE" },
        { "ports", 'p', 0, G_OPTION_ARG_STRING, &ports,
          "SIP-TLS ports to audit (sipmtls.ports; default 5061)", "RANGE" },
        { "tshark", 0, 0, G_OPTION_ARG_FILENAME, &tshark, "tshark to run (default: tshark)", "PATH" },
        { "version", 'V', 0, G_OPTION_ARG_NONE, &show_version, "Print the version and exit", NULL },
        { NULL, 0, 0, 0, NULL, NULL, NULL }
    };
    sipmtls_live_options live = { 0 };
    sipmtls_live_result live_result = { 0 };
    GOptionEntry *live_entries = sipmtls_live_entries(&live);
    GOptionContext *ctx = g_option_context_new("CAPTURE | --live IFACE - which SIP-TLS endpoints depend on clientAuth");
    const char *capture;
    GError *error = NULL;
    GHashTable *connections, *endpoints;
    GPtrArray *conn_list, *endpoint_list;
    format fmt = FORMAT_TEXT;
    gboolean depends = FALSE, cannot_answer;
    char *out, **lines;
    GHashTableIter it;
    gpointer value;

    g_option_context_add_main_entries(ctx, entries, NULL);
    g_option_context_add_main_entries(ctx, live_entries, NULL);
    g_option_context_set_summary(ctx, "Runs tshark with the sipmtls plugin on CAPTURE and says, per TLS "
                                      "server endpoint, whether it asks for client certificates and "
                                      "what happened.\nExit status: 0 when no endpoint relies on or "
                                      "enforces clientAuth, 1 when one does, 2 on error.");
    if (g_option_context_parse(ctx, &argc, &argv, &error) && show_version) {
        printf("sipmtls-report %s\n", SIPMTLS_VERSION);
        g_option_context_free(ctx);
        return 0;
    }
    if (error != NULL || argc != (live.interfaces != NULL ? 1 : 2)) {
        fprintf(stderr, "sipmtls-report: %s\n%s", error ? error->message : "one capture file expected",
                g_option_context_get_help(ctx, TRUE, NULL));
        return EXIT_ERROR;
    }
    if (format_name == NULL || strcmp(format_name, "text") == 0)
        fmt = FORMAT_TEXT;
    else if (strcmp(format_name, "csv") == 0)
        fmt = FORMAT_CSV;
    else if (strcmp(format_name, "json") == 0)
        fmt = FORMAT_JSON;
    else {
        fprintf(stderr, "sipmtls-report: unknown format '%s' (text, csv or json)\n", format_name);
        return EXIT_ERROR;
    }
    if (live.interfaces == NULL && !g_file_test(argv[1], G_FILE_TEST_IS_REGULAR)) {
        fprintf(stderr, "sipmtls-report: %s: no such file\n", argv[1]);
        return EXIT_ERROR;
    }

    if (live.interfaces != NULL)
        out = sipmtls_live_run(&live, tshark ? tshark : "tshark", keylog, ports, column_fields, COL_COUNT,
                               fmt != FORMAT_TEXT, &live_result);
    else
        out = run_tshark(tshark ? tshark : "tshark", argv[1], keylog, ports);
    if (out == NULL) {
        sipmtls_live_result_clear(&live_result);
        sipmtls_live_options_clear(&live);
        g_free(live_entries);
        g_option_context_free(ctx);
        g_free(format_name);
        g_free(keylog);
        g_free(ports);
        g_free(tshark);
        return EXIT_ERROR;
    }
    capture = live.interfaces != NULL ? live_result.name : argv[1];

    connections = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, free_connection);
    lines = g_strsplit(out, "\n", -1);
    for (char **l = lines; *l != NULL; l++)
        take_line(connections, *l);
    g_strfreev(lines);
    g_free(out);

    endpoints = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, free_endpoint);
    conn_list = g_ptr_array_new();
    g_hash_table_iter_init(&it, connections);
    while (g_hash_table_iter_next(&it, NULL, &value)) {
        connection *c = value;
        endpoint *e = g_hash_table_lookup(endpoints, c->server);

        if (e == NULL) {
            e = g_new0(endpoint, 1);
            e->server = g_strdup(c->server);
            g_hash_table_insert(endpoints, e->server, e);
        }
        e->connections++;
        if (c->verdict <= SIPMTLS_VERDICT_MAX)
            e->by_verdict[c->verdict]++;
        if (sipmtls_verdict_weight(c->verdict) > sipmtls_verdict_weight(e->verdict))
            e->verdict = c->verdict;
        depends = depends || sipmtls_verdict_depends_on_client_auth(c->verdict);
        g_ptr_array_add(conn_list, c);
    }
    endpoint_list = g_ptr_array_new();
    g_hash_table_iter_init(&it, endpoints);
    while (g_hash_table_iter_next(&it, NULL, &value))
        g_ptr_array_add(endpoint_list, value);
    g_ptr_array_sort(conn_list, by_stream);
    g_ptr_array_sort(endpoint_list, by_server);

    if (per_connection)
        print_connections(conn_list, fmt, capture);
    else
        print_endpoints(endpoint_list, fmt, capture);

    g_ptr_array_free(conn_list, TRUE);
    g_ptr_array_free(endpoint_list, TRUE);
    g_hash_table_destroy(endpoints);
    g_hash_table_destroy(connections);
    g_option_context_free(ctx);
    g_free(format_name);
    g_free(keylog);
    g_free(ports);
    g_free(tshark);
    g_free(live_entries);
    /* A live capture in which nothing settled cannot answer. */
    cannot_answer = live.interfaces != NULL && live_result.settled == 0;
    sipmtls_live_result_clear(&live_result);
    sipmtls_live_options_clear(&live);
    if (cannot_answer)
        return EXIT_ERROR;
    return depends ? EXIT_DEPENDS : EXIT_CLEAN;
}
