/* live.c
 * sipmtls-report --live: capture a test call's handshake and answer at once.
 *
 * Three programs in a line.  dumpcap captures, with the privileges it was
 * given for that (on Debian: the wireshark group, or its capabilities; the
 * report opens no socket of its own), only the audited TCP ports, and
 * writes pcapng to a pipe.  The report reads that pipe, keeps a copy when
 * asked (--write) and hands every byte on to tshark, which dissects it with
 * the sipmtls plugin in one pass (`tshark -r -`, `-l`) and prints a line of
 * fields per frame as soon as the frame has come.  One pass is what a live
 * verdict needs: the plugin settles a handshake on a frame and links only
 * backwards from it (the request, the client's answer); links forward (the
 * SIP request after the handshake) appear when the kept capture is read
 * again with the file report.
 *
 * Why not `tshark -i`: that tshark runs the dumpcap installed beside it and
 * keeps its errors to itself; here the report reads dumpcap's own message
 * and says what to do about it (permission, unknown interface), and the
 * dumpcap can be named (--dumpcap).
 *
 * A frame line with a verdict is a settled handshake: it is printed at once
 * (endpoint, peer, request, certificate and its issuer, verdict, the
 * frames of the evidence) and handed back to the report in its own column
 * layout, with the lines of the same handshake's CertificateRequest,
 * Certificate, EncryptedExtensions and Finished frames that the file
 * report reads too, so the summary and the exit status are the report's,
 * as for the kept capture.  Frames without a verdict tell which
 * connections are seen and how far their handshake got.
 *
 * Copyright 2026 the sipmtls authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "live.h"
#include "sipmtls.h"
#include "sipmtls_tls.h"

/* Between a field's occurrences in tshark's lines (-E aggregator), as in
 * the report's own run (tools/tshark.c): a byte no field holds. */
#define AGGREGATOR "\x1f"

/* Seconds dumpcap and tshark get to finish once asked to stop. */
#define STOP_GRACE_S 10

/* With --keylog, tshark gets each packet this long after dumpcap: a client
 * writes its keys as it reads the server's hello, and tshark, reading that
 * hello first, must find them there (it reads the key log as it grows). */
#define KEYLOG_LAG_S 0.5

/* Where a chunk from dumpcap ends in the byte stream, and when it came. */
typedef struct chunk_mark {
    guint64 end;
    double  t;
} chunk_mark;

/* Fields of each frame line beyond the report's own columns. */
static const char *const extra_fields[] = {
    "ip.src", "ipv6.src", "tcp.srcport", "ip.dst", "ipv6.dst",
    "tcp.dstport", "tcp.flags.syn", "tcp.flags.ack", "tcp.len", "tls.handshake.type",
    "sipmtls.request_in", "sipmtls.cert_request.inferred", "sipmtls.answer_in", "sipmtls.cert_request",
    "sipmtls.chain.length", "sipmtls.cert.sender", "sipmtls.cert.issuer",
};

/* The handshake messages a waiting line names (RFC 8446 4, RFC 5246 7.4). */
static const sipmtls_named_value handshake_step_names[] = {
    { 1, "ClientHello" }, { 2, "ServerHello" }, { 4, "NewSessionTicket" },
    { 8, "EncryptedExtensions" }, { 11, "Certificate" }, { 12, "ServerKeyExchange" },
    { 13, "CertificateRequest" }, { 14, "ServerHelloDone" }, { 15, "CertificateVerify" },
    { 16, "ClientKeyExchange" }, { 20, "Finished" }, { 0, NULL }
};

GOptionEntry *
sipmtls_live_entries(sipmtls_live_options *opt)
{
    GOptionEntry entries[] = {
        { "live", 'i', 0, G_OPTION_ARG_STRING_ARRAY, &opt->interfaces,
          "Capture on IFACE (with dumpcap; again for more interfaces, 'any' for all) and print "
          "each handshake's verdict as it is settled", "IFACE" },
        { "first", 0, 0, G_OPTION_ARG_NONE, &opt->first,
          "--live: stop at the first settled handshake (a test call)", NULL },
        { "count", 0, 0, G_OPTION_ARG_INT, &opt->count,
          "--live: stop after N settled handshakes", "N" },
        { "duration", 0, 0, G_OPTION_ARG_STRING, &opt->duration,
          "--live: stop after that long (30, 30s, 5m, 1h)", "TIME" },
        { "write", 'w', 0, G_OPTION_ARG_FILENAME, &opt->write_file,
          "--live: keep the capture in FILE (pcapng), to read again or attach to a ticket", "FILE" },
        { "dumpcap", 0, 0, G_OPTION_ARG_FILENAME, &opt->dumpcap,
          "--live: dumpcap to run (default: dumpcap)", "PATH" },
        { NULL, 0, 0, 0, NULL, NULL, NULL }
    };
    return g_memdup2(entries, sizeof entries);
}

void
sipmtls_live_options_clear(sipmtls_live_options *opt)
{
    g_strfreev(opt->interfaces);
    g_free(opt->duration);
    g_free(opt->write_file);
    g_free(opt->dumpcap);
    memset(opt, 0, sizeof *opt);
}

void
sipmtls_live_result_clear(sipmtls_live_result *result)
{
    g_free(result->name);
    memset(result, 0, sizeof *result);
}

/* ---- ports, filter, duration -------------------------------------------- */

typedef struct port_range {
    guint lo, hi;
} port_range;

/* Reads a sipmtls.ports range ("5061", "5061,5063-5065") into ranges;
 * FALSE when it is not one. */
static gboolean
parse_ports(const char *text, GArray *ranges)
{
    char **parts = g_strsplit(text, ",", -1);
    gboolean ok = TRUE;

    for (char **p = parts; *p != NULL && ok; p++) {
        char *s = g_strstrip(*p), *end;
        port_range r;
        guint64 lo, hi;

        if (*s == '\0')
            continue;
        lo = g_ascii_strtoull(s, &end, 10);
        hi = lo;
        if (end != s && *end == '-') {
            char *rest = end + 1;
            hi = g_ascii_strtoull(rest, &end, 10);
            if (end == rest)
                ok = FALSE;
        }
        if (end == s || *end != '\0' || lo == 0 || hi > 65535 || lo > hi)
            ok = FALSE;
        r.lo = (guint)lo;
        r.hi = (guint)hi;
        if (ok)
            g_array_append_val(ranges, r);
    }
    g_strfreev(parts);
    return ok && ranges->len > 0;
}

/* "5061" or "5061, 5063-5065", for people. */
static char *
ports_words(const GArray *ranges)
{
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < ranges->len; i++) {
        const port_range *r = &g_array_index(ranges, port_range, i);
        if (i > 0)
            g_string_append(s, ", ");
        if (r->lo == r->hi)
            g_string_append_printf(s, "%u", r->lo);
        else
            g_string_append_printf(s, "%u-%u", r->lo, r->hi);
    }
    return g_string_free(s, FALSE);
}

/* The capture filter (BPF) for the ranges: IPv4 and IPv6. */
static char *
capture_filter(const GArray *ranges)
{
    GString *s = g_string_new("tcp and (");
    for (guint i = 0; i < ranges->len; i++) {
        const port_range *r = &g_array_index(ranges, port_range, i);
        if (i > 0)
            g_string_append(s, " or ");
        if (r->lo == r->hi)
            g_string_append_printf(s, "port %u", r->lo);
        else
            g_string_append_printf(s, "portrange %u-%u", r->lo, r->hi);
    }
    g_string_append_c(s, ')');
    return g_string_free(s, FALSE);
}

static gboolean
port_audited(const GArray *ranges, guint port)
{
    for (guint i = 0; i < ranges->len; i++) {
        const port_range *r = &g_array_index(ranges, port_range, i);
        if (port >= r->lo && port <= r->hi)
            return TRUE;
    }
    return FALSE;
}

/* "30", "30s", "5m", "1h", "1.5m" in seconds; -1 when not a duration. */
static double
parse_duration(const char *text)
{
    char *end;
    double v = g_ascii_strtod(text, &end);

    if (end == text || v <= 0)
        return -1;
    if (*end == '\0' || strcmp(end, "s") == 0)
        return v;
    if (strcmp(end, "m") == 0)
        return v * 60;
    if (strcmp(end, "h") == 0)
        return v * 3600;
    return -1;
}

/* ---- processes ----------------------------------------------------------- */

/* Our children get their own process group: Ctrl-C on a terminal reaches
 * the report only, which then stops dumpcap and lets tshark finish reading
 * what was captured. */
static void
child_setup(gpointer data)
{
    (void)data;
    setpgid(0, 0);
    signal(SIGPIPE, SIG_DFL);
}

/* Under sudo, tshark dissects as the user who ran sudo, not as root: it
 * then loads the plugin that user installed (tshark run as root loads only
 * the system's), and hostile packets are parsed without privileges.  Only
 * dumpcap keeps root's right to capture. */
typedef struct dissect_user {
    gboolean drop;
    uid_t    uid;
    gid_t    gid;
    gid_t    groups[256];
    int      ngroups;
    char    *name;
    char    *home;
} dissect_user;

/* Fills *u from SUDO_UID when the report runs as root under sudo. */
static void
find_dissect_user(dissect_user *u)
{
    const char *sudo_uid = g_getenv("SUDO_UID");
    struct passwd *pw;
    guint64 uid;
    char *end;

    memset(u, 0, sizeof *u);
    if (geteuid() != 0 || sudo_uid == NULL)
        return;
    uid = g_ascii_strtoull(sudo_uid, &end, 10);
    if (end == sudo_uid || *end != '\0' || uid == 0 || (pw = getpwuid((uid_t)uid)) == NULL)
        return;
    u->drop = TRUE;
    u->uid = pw->pw_uid;
    u->gid = pw->pw_gid;
    u->name = g_strdup(pw->pw_name);
    u->home = g_strdup(pw->pw_dir);
    u->ngroups = (int)G_N_ELEMENTS(u->groups);
    if (getgrouplist(pw->pw_name, pw->pw_gid, u->groups, &u->ngroups) < 0) {
        u->groups[0] = pw->pw_gid;
        u->ngroups = 1;
    }
}

static void
tshark_child_setup(gpointer data)
{
    const dissect_user *u = data;
    static const char msg[] = "sipmtls-report: cannot give up root for tshark\n";

    child_setup(NULL);
    if (u->drop && (setgroups((size_t)u->ngroups, u->groups) != 0 || setgid(u->gid) != 0 ||
                    setuid(u->uid) != 0)) {
        if (write(STDERR_FILENO, msg, sizeof msg - 1) < 0) {
            /* nothing more to say */
        }
        _exit(126);
    }
}

static int signal_pipe[2] = { -1, -1 };
static volatile sig_atomic_t stop_signal;

static void
on_stop_signal(int sig)
{
    int saved = errno;
    char c = 1;
    stop_signal = sig;
    if (write(signal_pipe[1], &c, 1) < 0) {
        /* the pipe is full: a stop is already pending */
    }
    errno = saved;
}

static gboolean
set_nonblocking(int fd)
{
    int flags = fcntl(fd, F_GETFL);
    return flags >= 0 && fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0;
}

static double
now_s(void)
{
    return (double)g_get_monotonic_time() / G_USEC_PER_SEC;
}

/* ---- the run --------------------------------------------------------- */

/* One TCP connection on an audited port, as the frames have shown it. */
typedef struct live_stream {
    char    *client, *server;   /* addr:port; client is the side not on an audited port */
    char    *stage;             /* how far the handshake got: "ClientHello", ... */
    gboolean from_start;        /* its SYN was seen */
    guint    verdicts;
    /* The lines of its open handshake's CertificateRequest, Certificate,
     * EncryptedExtensions and Finished frames, handed to the report with
     * the verdict's (the file report reads the same frames: the request,
     * the certificate's issuer, whether a key log decrypted anything); and
     * the client's last chain, for the verdict's lines. */
    GString *held;
    char    *chain_issuer;
    guint    chain_frame;
} live_stream;

static void
free_stream(gpointer p)
{
    live_stream *s = p;
    g_free(s->client);
    g_free(s->server);
    g_free(s->stage);
    g_free(s->chain_issuer);
    g_string_free(s->held, TRUE);
    g_free(s);
}

typedef struct live_run {
    const sipmtls_live_options *opt;
    GArray      *ranges;
    char        *ports_text;
    int          nreport;            /* the report's columns come first */
    int          ncols;
    /* column indexes */
    int          c_frame, c_stream, c_server, c_client, c_verdict, c_alert, c_reason, c_subject,
                 c_ip_src, c_ip6_src, c_sport, c_ip_dst, c_ip6_dst, c_dport, c_syn, c_ack,
                 c_hs_type, c_request_in, c_request_inferred, c_answer_in, c_cert_request,
                 c_chain_length, c_cert_sender, c_cert_issuer;
    GHashTable  *streams;            /* tcp.stream + 1 -> live_stream */
    GString     *lines;              /* settled handshakes' lines for the report */
    GString     *partial;            /* tshark stdout not yet ended by a newline */
    FILE        *verdicts;           /* stdout, or stderr for machine formats */
    gboolean     tty;                /* stderr is a terminal: the waiting line updates in place */
    gboolean     status_shown;
    guint        limit;              /* stop after that many verdicts; 0: none */
    sipmtls_live_result *result;
} live_run;

static int
column_of(const GPtrArray *cols, const char *name)
{
    for (guint i = 0; i < cols->len; i++) {
        if (strcmp(g_ptr_array_index(cols, i), name) == 0)
            return (int)i;
    }
    return -1;
}

static const char *
col(char **cols, int n, int i)
{
    return i >= 0 && i < n ? cols[i] : "";
}

static gboolean
is_true(const char *v)
{
    return strcmp(v, "1") == 0 || strcmp(v, "True") == 0;
}

/* Clears the in-place waiting line before anything else is printed. */
static void
clear_status(live_run *run)
{
    if (run->status_shown) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
        run->status_shown = FALSE;
    }
}

static void
say(live_run *run, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/* A message to the person waiting (stderr, one line). */
static void
say(live_run *run, const char *fmt, ...)
{
    va_list ap;
    clear_status(run);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    fflush(stderr);
}

static guint
unsettled(const live_run *run)
{
    GHashTableIter it;
    gpointer value;
    guint n = 0;

    g_hash_table_iter_init(&it, run->streams);
    while (g_hash_table_iter_next(&it, NULL, &value))
        n += ((live_stream *)value)->verdicts == 0;
    return n;
}

/* On a terminal: one line, rewritten, saying what is awaited. */
static void
show_status(live_run *run, const live_stream *latest)
{
    guint waiting = unsettled(run);

    if (!run->tty || (run->limit > 0 && run->result->settled >= run->limit))
        return;   /* not on a terminal, or done waiting */
    fputs("\r\033[K", stderr);
    if (latest != NULL && latest->verdicts == 0)
        fprintf(stderr, "waiting: %s -> %s: %s (%u connection%s not settled, %u handshake%s settled)",
                latest->client, latest->server, latest->stage, waiting, waiting == 1 ? "" : "s",
                run->result->settled, run->result->settled == 1 ? "" : "s");
    else
        fprintf(stderr, "waiting for a handshake on TCP port %s (%u connection%s not settled, "
                        "%u handshake%s settled)", run->ports_text, waiting, waiting == 1 ? "" : "s",
                run->result->settled, run->result->settled == 1 ? "" : "s");
    fflush(stderr);
    run->status_shown = TRUE;
}

/* What the verdict says about the request and the client's certificate. */
static void
print_verdict(live_run *run, const live_stream *s, char **cols, int n)
{
    sipmtls_verdict v = (sipmtls_verdict)atoi(col(cols, n, run->c_verdict));
    const char *alert = col(cols, n, run->c_alert), *reason = col(cols, n, run->c_reason);
    const char *subject = col(cols, n, run->c_subject), *request, *certificate = NULL, *issuer = NULL;
    const char *request_in = col(cols, n, run->c_request_in), *answer_in = col(cols, n, run->c_answer_in);
    const char *name = sipmtls_verdict_name(v);
    GString *why = g_string_new(NULL);
    FILE *out = run->verdicts;
    GDateTime *when;
    char *clock;

    if (alert[0] != '\0') {
        const char *a = sipmtls_name_of(sipmtls_alert_names, (uint32_t)atoi(alert));
        g_string_printf(why, ": alert %s", a != NULL ? a : alert);
    } else if (reason[0] != '\0') {
        const char *r = sipmtls_name_of(sipmtls_reason_names, (uint32_t)atoi(reason));
        g_string_printf(why, ": %s", r != NULL ? r : reason);
    }
    switch (v) {
    case SIPMTLS_VERDICT_NO_REQUEST:
        request = "no";
        break;
    case SIPMTLS_VERDICT_CHAIN_ACCEPTED_UNSEEN:
        request = "yes (TLS 1.3 without keys: read from record sizes)";
        certificate = "sent, not visible (TLS 1.3 without keys: give --keylog)";
        break;
    case SIPMTLS_VERDICT_UNDETERMINED:
        request = col(cols, n, run->c_request_in)[0] != '\0' ? "yes" : "not seen (the capture cannot tell)";
        break;
    case SIPMTLS_VERDICT_OPTIONAL_NONE_SENT:
        request = "yes";
        certificate = "none sent";
        break;
    default:
        request = "yes";
        break;
    }
    if (subject[0] != '\0') {
        certificate = subject;
        /* the issuer of the certificate the verdict's answer frame holds */
        if (s->chain_issuer != NULL && s->chain_issuer[0] != '\0' && answer_in[0] != '\0'
            && strtoul(answer_in, NULL, 10) == s->chain_frame)
            issuer = s->chain_issuer;
    }

    clear_status(run);
    /* now: the line comes as the frame does (the frame's own time is written
     * differently by Wireshark releases in -T fields) */
    when = g_date_time_new_now_local();
    clock = when != NULL ? g_date_time_format(when, "%H:%M:%S") : g_strdup("?");
    fprintf(out, "handshake settled at %s (stream %s, frame %s):\n", clock, col(cols, n, run->c_stream),
            col(cols, n, run->c_frame));
    g_free(clock);
    if (when != NULL)
        g_date_time_unref(when);
    fprintf(out, "  endpoint: %s\n  peer: %s\n", col(cols, n, run->c_server), col(cols, n, run->c_client));
    fprintf(out, "  client certificate requested: %s\n", request);
    if (certificate != NULL)
        fprintf(out, "  client certificate: %s%s%s\n", certificate, issuer != NULL ? ", issued by " : "",
                issuer != NULL ? issuer : "");
    fprintf(out, "  verdict: %s%s\n", name != NULL ? name : col(cols, n, run->c_verdict), why->str);
    /* the frames, as the file report's evidence names them */
    fprintf(out, "  evidence: frame %s", col(cols, n, run->c_frame));
    if (request_in[0] != '\0' || answer_in[0] != '\0')
        fprintf(out, " (%s%s%s%s%s)", request_in[0] != '\0' ? "request " : "", request_in,
                request_in[0] != '\0' && answer_in[0] != '\0' ? ", " : "", answer_in[0] != '\0' ? "answer " : "",
                answer_in);
    fprintf(out, "\n  what to change: %s\n\n", sipmtls_verdict_advice(v));
    fflush(out);
    g_string_free(why, TRUE);
}

/* The address:port of one side of a frame's TCP segment. */
static char *
endpoint_text(char **cols, int n, int c_ip, int c_ip6, int c_port)
{
    const char *ip = col(cols, n, c_ip);
    if (ip[0] == '\0')
        return g_strdup_printf("[%s]:%s", col(cols, n, c_ip6), col(cols, n, c_port));
    return g_strdup_printf("%s:%s", ip, col(cols, n, c_port));
}

/* The report's columns of a frame line, as tshark printed them (all
 * occurrences), for the report: a line of its own. */
static void
hand_back(const live_run *run, GString *to, char **raw)
{
    for (int k = 0; k < run->nreport; k++) {
        if (k > 0)
            g_string_append_c(to, '\t');
        g_string_append(to, raw[k]);
    }
    g_string_append_c(to, '\n');
}

/* Whether a field's occurrences (raw, AGGREGATOR-separated) hold value. */
static gboolean
has_value(const char *raw, const char *value)
{
    char **values = g_strsplit(raw, AGGREGATOR, -1);
    gboolean found = g_strv_contains((const char *const *)values, value);
    g_strfreev(values);
    return found;
}

/* One frame line from tshark. */
static void
take_frame(live_run *run, const char *line)
{
    /* cols: each field's first occurrence, what live reads; raw: all of
     * them, what the report reads (its own tshark run's form) */
    char **cols = g_strsplit(line, "\t", run->ncols), **raw = g_strsplit(line, "\t", run->ncols);
    int n = (int)g_strv_length(cols);
    const char *stream_s, *hs;
    guint stream;
    live_stream *s;

    for (int k = 0; k < n; k++) {
        char *sep = strstr(cols[k], AGGREGATOR);
        if (sep != NULL)
            *sep = '\0';
    }
    stream_s = col(cols, n, run->c_stream);
    /* the furthest handshake step the frame holds */
    hs = n == run->ncols ? strrchr(raw[run->c_hs_type], AGGREGATOR[0]) : NULL;
    hs = hs != NULL ? hs + 1 : col(cols, n, run->c_hs_type);
    if (n != run->ncols || stream_s[0] == '\0') {
        g_strfreev(cols);
        g_strfreev(raw);
        return;
    }
    run->result->packets++;
    stream = (guint)strtoul(stream_s, NULL, 10);
    s = g_hash_table_lookup(run->streams, GUINT_TO_POINTER(stream + 1));
    if (s == NULL) {
        char *src = endpoint_text(cols, n, run->c_ip_src, run->c_ip6_src, run->c_sport);
        char *dst = endpoint_text(cols, n, run->c_ip_dst, run->c_ip6_dst, run->c_dport);
        gboolean to_server = port_audited(run->ranges, (guint)atoi(col(cols, n, run->c_dport)));

        s = g_new0(live_stream, 1);
        s->held = g_string_new(NULL);
        s->client = to_server ? src : dst;
        s->server = to_server ? dst : src;
        s->from_start = is_true(col(cols, n, run->c_syn)) && !is_true(col(cols, n, run->c_ack));
        s->stage = g_strdup(s->from_start ? "TCP connection opened" :
                            "no TCP handshake seen (the connection was open before the capture began; "
                            "its TLS handshake will not be seen)");
        g_hash_table_insert(run->streams, GUINT_TO_POINTER(stream + 1), s);
        run->result->connections++;
        if (!run->tty)
            say(run, "seen: %s -> %s (stream %u): %s; waiting for its handshake to settle",
                s->client, s->server, stream, s->stage);
    }
    if (hs[0] != '\0') {
        const char *step = sipmtls_name_of(handshake_step_names, (uint32_t)atoi(hs));
        if (step != NULL) {
            g_free(s->stage);
            s->stage = g_strdup_printf("%s seen", step);
        }
    }
    if (col(cols, n, run->c_chain_length)[0] != '\0'
        && atoi(col(cols, n, run->c_cert_sender)) == SIPMTLS_ROLE_CLIENT) {
        g_free(s->chain_issuer);
        s->chain_issuer = g_strdup(col(cols, n, run->c_cert_issuer));
        s->chain_frame = (guint)strtoul(col(cols, n, run->c_frame), NULL, 10);
    }
    if (col(cols, n, run->c_verdict)[0] != '\0') {
        s->verdicts++;
        run->result->settled++;
        g_string_append_len(run->lines, s->held->str, (gssize)s->held->len);
        g_string_truncate(s->held, 0);
        hand_back(run, run->lines, raw);
        print_verdict(run, s, cols, n);
    } else if (col(cols, n, run->c_cert_request)[0] != '\0' || col(cols, n, run->c_chain_length)[0] != '\0'
               || has_value(raw[run->c_hs_type], "8") || has_value(raw[run->c_hs_type], "20")) {
        /* The request, the chains, and what only a key shows (Finished,
         * EncryptedExtensions: the report says whether the key log
         * decrypted anything).  Bounded: a handshake has a few of them; a
         * connection that never settles keeps its last few. */
        if (s->held->len > 65536)
            g_string_truncate(s->held, 0);
        hand_back(run, s->held, raw);
    }
    show_status(run, s);
    g_strfreev(cols);
    g_strfreev(raw);
}

/* Splits what tshark printed into frame lines. */
static void
take_output(live_run *run, const char *data, gsize len)
{
    const char *nl;

    g_string_append_len(run->partial, data, (gssize)len);
    while ((nl = memchr(run->partial->str, '\n', run->partial->len)) != NULL) {
        gsize n = (gsize)(nl - run->partial->str);
        char *line = g_strndup(run->partial->str, n);
        take_frame(run, line);
        g_free(line);
        g_string_erase(run->partial, 0, (gssize)n + 1);
    }
}

/* dumpcap's complaint, turned into what to do. */
static void
explain_dumpcap_failure(live_run *run, const char *dumpcap, const char *err)
{
    const char *msg = strstr(err, "dumpcap: ");
    char *first = g_strdup(msg != NULL ? msg + strlen("dumpcap: ") : err);
    char *nl = strchr(first, '\n'), *path = g_find_program_in_path(dumpcap);

    if (nl != NULL)
        *nl = '\0';
    g_strchomp(first);
    if (first[0] != '\0' && first[strlen(first) - 1] == '.')
        first[strlen(first) - 1] = '\0';
    clear_status(run);
    if (strstr(err, "permission") != NULL || strstr(err, "Operation not permitted") != NULL) {
        fprintf(stderr,
                "sipmtls-report: no permission to capture (%s: %s).\n"
                "  dumpcap needs the right to capture, for you: on Debian or Ubuntu,\n"
                "    sudo dpkg-reconfigure wireshark-common   (answer Yes: non-superusers may capture)\n"
                "    sudo usermod -a -G wireshark \"$USER\"      (then log out and in again)\n"
                "  or give dumpcap its capabilities: sudo setcap cap_net_raw,cap_net_admin=eip %s\n",
                dumpcap, first, path != NULL ? path : dumpcap);
    } else if (strstr(err, "There is no device named") != NULL || strstr(err, "No such device") != NULL) {
        char *list = NULL;
        const char *argv[] = { dumpcap, "-D", NULL };

        fprintf(stderr, "sipmtls-report: no such interface (%s: %s).\n", dumpcap, first);
        if (g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                         NULL, NULL, &list, NULL, NULL, NULL) && list != NULL && list[0] != '\0') {
            char **rows = g_strsplit(g_strchomp(list), "\n", -1);
            fprintf(stderr, "  The interfaces dumpcap can capture on (name them with --live):\n");
            for (char **r = rows; *r != NULL; r++)
                fprintf(stderr, "    %s\n", *r);
            g_strfreev(rows);
        }
        g_free(list);
    } else {
        fprintf(stderr, "sipmtls-report: %s could not capture:\n%s%s", dumpcap, err,
                err[0] != '\0' && err[strlen(err) - 1] != '\n' ? "\n" : "");
    }
    g_free(path);
    g_free(first);
}

static void
explain_tshark_failure(live_run *run, const char *tshark, const char *err, const dissect_user *user)
{
    clear_status(run);
    if (strstr(err, "sipmtls") != NULL && strstr(err, "aren't valid") != NULL) {
        fprintf(stderr, "sipmtls-report: tshark does not know the sipmtls fields: is the plugin "
                        "installed for this Wireshark (and for %s)?\n", user->drop ? user->name : "this user");
        if (user->drop)
            fprintf(stderr, "  Under sudo, tshark runs as %s, who ran sudo: install the plugin as %s "
                            "(scripts/quickstart.sh).\n", user->name, user->name);
        else if (geteuid() == 0)
            fprintf(stderr, "  tshark run as root loads only the plugins installed for the system: install "
                            "the plugin as root, or run sipmtls-report as yourself with the right to capture "
                            "(the wireshark group).\n");
    } else {
        fprintf(stderr, "sipmtls-report: %s failed:\n%s%s", tshark, err,
                err[0] != '\0' && err[strlen(err) - 1] != '\n' ? "\n" : "");
    }
}

/* Reads what is there on fd into buf; FALSE at end of file or error. */
static gboolean
drain(int fd, GString *buf)
{
    char chunk[65536];
    for (;;) {
        ssize_t r = read(fd, chunk, sizeof chunk);
        if (r > 0) {
            g_string_append_len(buf, chunk, r);
            continue;
        }
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0 && errno == EAGAIN)
            return TRUE;
        return FALSE;
    }
}

static void
close_fd(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

/* waitpid without blocking; TRUE once pid has ended (status in *status). */
static gboolean
reaped(GPid *pid, int *status)
{
    if (*pid <= 0)
        return TRUE;
    if (waitpid(*pid, status, WNOHANG) == *pid) {
        *pid = 0;
        return TRUE;
    }
    return FALSE;
}

char *
sipmtls_live_run(const sipmtls_live_options *opt, const char *tshark, const char *keylog,
                 const char *ports, const char *const *fields, int nfields,
                 gboolean verdicts_to_stderr, sipmtls_live_result *result)
{
    const char *dumpcap = opt->dumpcap != NULL ? opt->dumpcap : "dumpcap";
    live_run run = { 0 };
    GPtrArray *cols = g_ptr_array_new(), *dargv = g_ptr_array_new_with_free_func(g_free),
              *targv = g_ptr_array_new_with_free_func(g_free);
    GArray *marks = g_array_new(FALSE, FALSE, sizeof(chunk_mark));
    guint64 received = 0, passed = 0;   /* bytes from dumpcap; bytes handed to tshark */
    double lag = keylog != NULL ? KEYLOG_LAG_S : 0;
    GString *dump_err = g_string_new(NULL), *tshark_err = g_string_new(NULL), *pending = g_string_new(NULL),
            *chunk = g_string_new(NULL);
    char *filter = NULL, *ifaces_words = NULL, *out = NULL;
    const char *stop_reason = NULL;
    double duration = 0, deadline = 0, stop_at = 0;
    GPid dpid = 0, tpid = 0;
    int d_out = -1, d_err = -1, t_in = -1, t_out = -1, t_err = -1, dstatus = 0, tstatus = 0;
    gboolean started = FALSE, stopping = FALSE, failed = FALSE, killed = FALSE, tshark_died = FALSE,
             write_failed = FALSE;
    FILE *keep = NULL;
    GError *error = NULL;
    dissect_user user = { 0 };
    char **tenv = NULL;
    struct sigaction sa, old_int, old_term, old_pipe;

    memset(result, 0, sizeof *result);
    run.opt = opt;
    run.result = result;
    run.ranges = g_array_new(FALSE, FALSE, sizeof(port_range));
    run.streams = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, free_stream);
    run.lines = g_string_new(NULL);
    run.partial = g_string_new(NULL);
    run.verdicts = verdicts_to_stderr ? stderr : stdout;
    run.tty = isatty(STDERR_FILENO);
    run.limit = opt->first ? 1 : (guint)MAX(opt->count, 0);

    /* --- what to capture */
    if (!parse_ports(ports != NULL ? ports : "5061", run.ranges)) {
        fprintf(stderr, "sipmtls-report: --ports %s: not a list of TCP ports and ranges (e.g. 5061,5063-5065)\n",
                ports);
        goto done;
    }
    run.ports_text = ports_words(run.ranges);
    filter = capture_filter(run.ranges);
    if (opt->duration != NULL && (duration = parse_duration(opt->duration)) < 0) {
        fprintf(stderr, "sipmtls-report: --duration %s: not a duration (e.g. 30, 30s, 5m, 1h)\n", opt->duration);
        goto done;
    }
    if (opt->count < 0) {
        fprintf(stderr, "sipmtls-report: --count %d: a number of handshakes, 1 or more\n", opt->count);
        goto done;
    }
    ifaces_words = g_strjoinv(", ", opt->interfaces);
    result->name = opt->write_file != NULL ? g_strdup(opt->write_file)
                                           : g_strdup_printf("live capture on %s", ifaces_words);
    if (opt->write_file != NULL && (keep = fopen(opt->write_file, "wb")) == NULL) {
        fprintf(stderr, "sipmtls-report: --write %s: %s\n", opt->write_file, g_strerror(errno));
        goto done;
    }

    /* --- the columns: the report's, then ours */
    for (int k = 0; k < nfields; k++)
        g_ptr_array_add(cols, (gpointer)fields[k]);
    /* A field the report asks for already is not asked twice: tshark
     * fills only one of two columns of the same field. */
    for (guint k = 0; k < G_N_ELEMENTS(extra_fields); k++) {
        if (column_of(cols, extra_fields[k]) < 0)
            g_ptr_array_add(cols, (gpointer)extra_fields[k]);
    }
    run.nreport = nfields;
    run.ncols = (int)cols->len;
    run.c_frame = column_of(cols, "frame.number");
    run.c_stream = column_of(cols, "tcp.stream");
    run.c_server = column_of(cols, "sipmtls.server");
    run.c_client = column_of(cols, "sipmtls.client");
    run.c_verdict = column_of(cols, "sipmtls.verdict");
    run.c_alert = column_of(cols, "sipmtls.alert");
    run.c_reason = column_of(cols, "sipmtls.reason");
    run.c_subject = column_of(cols, "sipmtls.client_cert.subject");
    run.c_ip_src = column_of(cols, "ip.src");
    run.c_ip6_src = column_of(cols, "ipv6.src");
    run.c_sport = column_of(cols, "tcp.srcport");
    run.c_ip_dst = column_of(cols, "ip.dst");
    run.c_ip6_dst = column_of(cols, "ipv6.dst");
    run.c_dport = column_of(cols, "tcp.dstport");
    run.c_syn = column_of(cols, "tcp.flags.syn");
    run.c_ack = column_of(cols, "tcp.flags.ack");
    run.c_hs_type = column_of(cols, "tls.handshake.type");
    run.c_request_in = column_of(cols, "sipmtls.request_in");
    run.c_request_inferred = column_of(cols, "sipmtls.cert_request.inferred");
    run.c_answer_in = column_of(cols, "sipmtls.answer_in");
    run.c_cert_request = column_of(cols, "sipmtls.cert_request");
    run.c_chain_length = column_of(cols, "sipmtls.chain.length");
    run.c_cert_sender = column_of(cols, "sipmtls.cert.sender");
    run.c_cert_issuer = column_of(cols, "sipmtls.cert.issuer");

    /* --- dumpcap: pcapng on its stdout */
    g_ptr_array_add(dargv, g_strdup(dumpcap));
    g_ptr_array_add(dargv, g_strdup("-q"));
    for (char **i = opt->interfaces; *i != NULL; i++) {
        g_ptr_array_add(dargv, g_strdup("-i"));
        g_ptr_array_add(dargv, g_strdup(*i));
        g_ptr_array_add(dargv, g_strdup("-f"));
        g_ptr_array_add(dargv, g_strdup(filter));
    }
    g_ptr_array_add(dargv, g_strdup("-w"));
    g_ptr_array_add(dargv, g_strdup("-"));
    g_ptr_array_add(dargv, NULL);

    /* --- tshark: one pass over the pipe, a line per frame, flushed */
    g_ptr_array_add(targv, g_strdup(tshark));
    g_ptr_array_add(targv, g_strdup("-n"));
    g_ptr_array_add(targv, g_strdup("-l"));
    g_ptr_array_add(targv, g_strdup("-r"));
    g_ptr_array_add(targv, g_strdup("-"));
    if (keylog != NULL) {
        g_ptr_array_add(targv, g_strdup("-o"));
        g_ptr_array_add(targv, g_strdup_printf("tls.keylog_file:%s", keylog));
    }
    if (ports != NULL) {
        g_ptr_array_add(targv, g_strdup("-o"));
        g_ptr_array_add(targv, g_strdup_printf("sipmtls.ports:%s", ports));
    }
    g_ptr_array_add(targv, g_strdup("-T"));
    g_ptr_array_add(targv, g_strdup("fields"));
    g_ptr_array_add(targv, g_strdup("-E"));
    g_ptr_array_add(targv, g_strdup("occurrence=a"));
    g_ptr_array_add(targv, g_strdup("-E"));
    g_ptr_array_add(targv, g_strdup("aggregator=" AGGREGATOR));
    for (guint k = 0; k < cols->len; k++) {
        g_ptr_array_add(targv, g_strdup("-e"));
        g_ptr_array_add(targv, g_strdup(g_ptr_array_index(cols, k)));
    }
    g_ptr_array_add(targv, NULL);

    /* --- signals: Ctrl-C and SIGTERM stop the capture, they do not end the report */
    if (pipe(signal_pipe) != 0 || !set_nonblocking(signal_pipe[0]) || !set_nonblocking(signal_pipe[1])) {
        fprintf(stderr, "sipmtls-report: cannot set up signals: %s\n", g_strerror(errno));
        goto done;
    }
    stop_signal = 0;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, &old_pipe);

    find_dissect_user(&user);
    if (user.drop) {
        tenv = g_environ_setenv(g_get_environ(), "HOME", user.home, TRUE);
        if (keep != NULL && fchown(fileno(keep), user.uid, user.gid) != 0)
            fprintf(stderr, "sipmtls-report: --write %s: cannot give it to %s: %s\n", opt->write_file,
                    user.name, g_strerror(errno));
    }
    if (!g_spawn_async_with_pipes(NULL, (char **)targv->pdata, tenv,
                                  G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD, tshark_child_setup, &user,
                                  &tpid, &t_in, &t_out, &t_err, &error)) {
        fprintf(stderr, "sipmtls-report: cannot run %s: %s\n", tshark, error->message);
        g_clear_error(&error);
        goto restore;
    }
    if (!g_spawn_async_with_pipes(NULL, (char **)dargv->pdata, NULL,
                                  G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDIN_FROM_DEV_NULL,
                                  child_setup, NULL, &dpid, NULL, &d_out, &d_err, &error)) {
        fprintf(stderr, "sipmtls-report: cannot run %s: %s (it comes with Wireshark: on Debian, the "
                        "wireshark-common package; or name it with --dumpcap)\n", dumpcap, error->message);
        g_clear_error(&error);
        goto restore;
    }
    set_nonblocking(t_in);
    set_nonblocking(t_out);
    set_nonblocking(t_err);
    if (d_out >= 0) {
        set_nonblocking(d_out);
        set_nonblocking(d_err);
    }

    /* --- the loop: until dumpcap and tshark have both ended */
    for (;;) {
        struct pollfd pfd[6];
        nfds_t np = 0;
        int idx_sig, idx_dout = -1, idx_derr = -1, idx_tin = -1, idx_tout = -1, idx_terr = -1;
        double t = now_s(), wait_s = 1.0;
        gsize ready = pending->len;   /* bytes of pending old enough for tshark */

        if (d_out < 0 && d_err < 0 && t_out < 0 && t_err < 0)
            break;
        /* stop conditions */
        if (!stopping && (stop_signal != 0 || (run.limit > 0 && result->settled >= run.limit) ||
                          (deadline > 0 && t >= deadline) || failed)) {
            stopping = TRUE;
            stop_at = t + STOP_GRACE_S;
            if (stop_signal != 0) {
                result->interrupted = TRUE;
                stop_reason = stop_signal == SIGINT ? "interrupted (Ctrl-C)" : "stopped by SIGTERM";
            } else if (run.limit > 0 && result->settled >= run.limit) {
                stop_reason = run.limit == 1 ? "first handshake settled" : "that many handshakes settled";
            } else if (!failed) {
                stop_reason = "duration reached";
            }
            if (dpid > 0)
                kill(dpid, SIGTERM);
        }
        if (stopping && t >= stop_at && !killed) {
            /* dumpcap or tshark did not finish in time: the result is partial */
            if (dpid > 0)
                kill(dpid, SIGKILL);
            if (tpid > 0)
                kill(tpid, SIGKILL);
            killed = TRUE;
            result->incomplete = TRUE;
            say(&run, "sipmtls-report: %s did not finish in %d s: stopped; the result is incomplete",
                dpid > 0 ? dumpcap : tshark, STOP_GRACE_S);
        }
        /* dumpcap's pipe closed: tshark gets the rest, then its end of file */
        if (d_out < 0 && pending->len == 0)
            close_fd(&t_in);

        idx_sig = (int)np;
        pfd[np++] = (struct pollfd){ .fd = signal_pipe[0], .events = POLLIN };
        if (d_out >= 0 && pending->len < (1u << 24)) {
            idx_dout = (int)np;
            pfd[np++] = (struct pollfd){ .fd = d_out, .events = POLLIN };
        }
        if (d_err >= 0) {
            idx_derr = (int)np;
            pfd[np++] = (struct pollfd){ .fd = d_err, .events = POLLIN };
        }
        if (lag > 0) {
            guint64 due = passed;
            for (guint m = 0; m < marks->len; m++) {
                const chunk_mark *mk = &g_array_index(marks, chunk_mark, m);
                if (mk->t + lag > t) {
                    wait_s = MIN(wait_s, mk->t + lag - t);
                    break;
                }
                due = mk->end;
            }
            ready = MIN((gsize)(due - passed), pending->len);
        }
        if (t_in >= 0 && ready > 0) {
            idx_tin = (int)np;
            pfd[np++] = (struct pollfd){ .fd = t_in, .events = POLLOUT };
        }
        if (t_out >= 0) {
            idx_tout = (int)np;
            pfd[np++] = (struct pollfd){ .fd = t_out, .events = POLLIN };
        }
        if (t_err >= 0) {
            idx_terr = (int)np;
            pfd[np++] = (struct pollfd){ .fd = t_err, .events = POLLIN };
        }
        if (deadline > 0 && !stopping)
            wait_s = MIN(wait_s, MAX(deadline - t, 0));
        if (poll(pfd, np, (int)(wait_s * 1000) + 1) < 0) {
            if (errno == EINTR)
                continue;
            fprintf(stderr, "sipmtls-report: poll: %s\n", g_strerror(errno));
            result->incomplete = TRUE;
            failed = TRUE;
            continue;
        }
        if (pfd[idx_sig].revents != 0) {
            char c[16];
            while (read(signal_pipe[0], c, sizeof c) > 0) {
            }
        }
        if (idx_dout >= 0 && pfd[idx_dout].revents != 0) {
            g_string_truncate(chunk, 0);
            gboolean open = drain(d_out, chunk);
            if (chunk->len > 0) {
                if (!started) {
                    /* dumpcap writes its file header once every interface is open */
                    started = TRUE;
                    if (duration > 0)
                        deadline = now_s() + duration;
                    say(&run, "capturing on %s, TLS on TCP port %s%s%s%s; place a test call now%s",
                        ifaces_words, run.ports_text, keylog ? ", keys from " : "", keylog ? keylog : "",
                        keylog && !g_file_test(keylog, G_FILE_TEST_EXISTS) ? " (once it is written)" : "",
                        run.limit == 1 ? " (stops at the first settled handshake)" : "");
                    if (user.drop)
                        say(&run, "(dumpcap captures as root; tshark dissects as %s, who ran sudo)", user.name);
                    show_status(&run, NULL);
                }
                if (keep != NULL && (fwrite(chunk->str, 1, chunk->len, keep) != chunk->len || fflush(keep) != 0)) {
                    say(&run, "sipmtls-report: --write %s: %s: the file is incomplete; the capture goes on",
                        opt->write_file, g_strerror(errno));
                    fclose(keep);
                    keep = NULL;
                    write_failed = TRUE;
                }
                if (t_in >= 0) {
                    chunk_mark mk = { received + chunk->len, now_s() };
                    g_string_append_len(pending, chunk->str, (gssize)chunk->len);
                    g_array_append_val(marks, mk);
                }
                received += chunk->len;
            }
            if (!open)
                close_fd(&d_out);
        }
        if (idx_derr >= 0 && pfd[idx_derr].revents != 0 && !drain(d_err, dump_err))
            close_fd(&d_err);
        if (idx_tin >= 0 && pfd[idx_tin].revents != 0) {
            ssize_t w = write(t_in, pending->str, ready);
            if (w > 0) {
                g_string_erase(pending, 0, w);
                passed += (guint64)w;
                while (marks->len > 0 && g_array_index(marks, chunk_mark, 0).end <= passed)
                    g_array_remove_index(marks, 0);
            } else if (w < 0 && errno != EAGAIN && errno != EINTR) {
                /* tshark is gone; what it said comes on its stderr */
                close_fd(&t_in);
                g_string_truncate(pending, 0);
                g_array_set_size(marks, 0);
                failed = tshark_died = TRUE;
            }
        }
        if (idx_tout >= 0 && pfd[idx_tout].revents != 0) {
            g_string_truncate(chunk, 0);
            gboolean open = drain(t_out, chunk);
            take_output(&run, chunk->str, chunk->len);
            if (!open) {
                close_fd(&t_out);
                if (t_in >= 0)   /* done before its input was: it stopped reading */
                    failed = tshark_died = TRUE;
            }
        }
        if (idx_terr >= 0 && pfd[idx_terr].revents != 0 && !drain(t_err, tshark_err))
            close_fd(&t_err);
        /* a process that ended early ends the capture */
        if (dpid > 0 && reaped(&dpid, &dstatus) && !stopping && !g_spawn_check_wait_status(dstatus, NULL))
            failed = TRUE;
        if (tpid > 0 && reaped(&tpid, &tstatus) && !stopping)
            failed = tshark_died = TRUE;
    }
    if (dpid > 0)
        waitpid(dpid, &dstatus, 0);
    if (tpid > 0)
        waitpid(tpid, &tstatus, 0);
    close_fd(&t_in);
    if (run.partial->len > 0)
        take_output(&run, "\n", 1);
    clear_status(&run);

    /* --- how it ended */
    if (tshark_died && !g_spawn_check_wait_status(tstatus, NULL) && (!started || result->settled == 0)) {
        explain_tshark_failure(&run, tshark, tshark_err->str, &user);
        goto restore;
    }
    if (!started) {
        if (!g_spawn_check_wait_status(dstatus, NULL) && dump_err->len > 0)
            explain_dumpcap_failure(&run, dumpcap, dump_err->str);
        else
            fprintf(stderr, "sipmtls-report: %s stopped before capturing anything\n", dumpcap);
        goto restore;
    }
    if (tshark_died) {
        /* it stopped reading before dumpcap stopped capturing */
        if (tshark_err->len > 0)
            explain_tshark_failure(&run, tshark, tshark_err->str, &user);
        say(&run, "sipmtls-report: %s ended before the capture did: the result is incomplete", tshark);
        result->incomplete = TRUE;
    } else if (!g_spawn_check_wait_status(tstatus, NULL)) {
        if (!killed)
            explain_tshark_failure(&run, tshark, tshark_err->str, &user);
        say(&run, "sipmtls-report: %s did not finish: the result is incomplete", tshark);
        result->incomplete = TRUE;
    }
    if (keep != NULL && fclose(keep) != 0) {
        say(&run, "sipmtls-report: --write %s: %s: the file is incomplete", opt->write_file, g_strerror(errno));
        write_failed = TRUE;
    }
    keep = NULL;
    g_free(result->name);
    result->name = opt->write_file != NULL && !write_failed ? g_strdup(opt->write_file)
                                                            : g_strdup_printf("live capture on %s", ifaces_words);
    if (result->incomplete) {
        char *name = g_strdup_printf("%s (incomplete)", result->name);
        g_free(result->name);
        result->name = name;
    }
    if (stop_reason != NULL)
        say(&run, "capture stopped: %s; %u packet%s, %u connection%s, %u handshake%s settled", stop_reason,
            result->packets, result->packets == 1 ? "" : "s", result->connections,
            result->connections == 1 ? "" : "s", result->settled, result->settled == 1 ? "" : "s");
    {
        GHashTableIter it;
        gpointer key, value;
        g_hash_table_iter_init(&it, run.streams);
        while (g_hash_table_iter_next(&it, &key, &value)) {
            live_stream *s = value;
            if (s->verdicts == 0)
                say(&run, "not settled: %s -> %s (stream %u): %s", s->client, s->server,
                    GPOINTER_TO_UINT(key) - 1, s->stage);
        }
    }
    if (result->packets == 0) {
        char *within = duration > 0 ? g_strdup_printf(" in %g s", duration) : g_strdup("");
        say(&run, "sipmtls-report: no traffic on TCP port %s on %s%s. The endpoint's SIP-TLS port may be "
                  "another one: name it with --ports (e.g. --ports 5061,5062); check the interface "
                  "(dumpcap -D lists them).", run.ports_text, ifaces_words, within);
        g_free(within);
    }
    else if (result->settled == 0)
        say(&run, "sipmtls-report: %u connection%s seen on TCP port %s, no handshake settled: the "
                  "capture cannot answer yet.", result->connections, result->connections == 1 ? "" : "s",
            run.ports_text);
    if (opt->write_file != NULL && !write_failed)
        say(&run, "capture kept in %s", opt->write_file);
    else if (write_failed)
        say(&run, "capture NOT kept: %s is incomplete", opt->write_file);
    out = g_string_free(run.lines, FALSE);
    run.lines = NULL;

restore:
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    sigaction(SIGPIPE, &old_pipe, NULL);
done:
    if (dpid > 0) {
        kill(dpid, SIGKILL);
        waitpid(dpid, NULL, 0);
    }
    if (tpid > 0) {
        kill(tpid, SIGKILL);
        waitpid(tpid, NULL, 0);
    }
    close_fd(&d_out);
    close_fd(&d_err);
    close_fd(&t_in);
    close_fd(&t_out);
    close_fd(&t_err);
    close_fd(&signal_pipe[0]);
    close_fd(&signal_pipe[1]);
    if (keep != NULL)
        fclose(keep);
    if (run.lines != NULL)
        g_string_free(run.lines, TRUE);
    g_string_free(run.partial, TRUE);
    g_hash_table_destroy(run.streams);
    g_array_free(run.ranges, TRUE);
    g_free(run.ports_text);
    g_free(filter);
    g_free(ifaces_words);
    g_ptr_array_free(cols, TRUE);
    g_ptr_array_free(dargv, TRUE);
    g_ptr_array_free(targv, TRUE);
    g_string_free(dump_err, TRUE);
    g_string_free(tshark_err, TRUE);
    g_string_free(pending, TRUE);
    g_array_free(marks, TRUE);
    g_string_free(chunk, TRUE);
    g_strfreev(tenv);
    g_free(user.name);
    g_free(user.home);
    return out;
}
