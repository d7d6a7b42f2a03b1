/* report.h
 * The data model of sipmtls-report, shared by its files (tools/README.md):
 *
 *   options.c      the command line: parsed and checked before tshark runs
 *   tshark.c       running tshark (one per core) and reading its lines into
 *                  one report_file per capture
 *   findings.c     merging the files into connections, endpoints and peers,
 *                  the answer and the exit status (report_finish)
 *   advice.c       what to change, following the cause of a verdict
 *   formats.c      the table of output formats; format-<name>.c each print
 *                  a report_findings
 *   main.c         main(): options, files, report_finish
 *
 * Another way of getting lines (a live capture) builds report_files with
 * report_file_new / report_file_take_line / report_file_settle and hands
 * them to report_finish like main() does.
 *
 * Copyright 2026 the sipmtls authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPMTLS_REPORT_H
#define SIPMTLS_REPORT_H

#include <glib.h>
#include <signal.h>
#include <stdbool.h>

#include "live.h"
#include "sipmtls.h"

/* The exit status contract (docs/sipmtls-report.1, EXIT STATUS).  When
 * several apply, the first of FIX_NOW, REQUEST, CANNOT_ANSWER wins: what the
 * capture proves stands even when other parts cannot be judged. */
enum report_exit {
    REPORT_EXIT_PASS          = 0,  /* nothing the policy fails on, and the capture answers */
    REPORT_EXIT_REQUEST       = 1,  /* some endpoint requests a client certificate */
    REPORT_EXIT_ERROR         = 2,  /* usage error, or no capture could be read */
    REPORT_EXIT_FIX_NOW       = 3,  /* some endpoint relies on clientAuth or already rejects */
    REPORT_EXIT_CANNOT_ANSWER = 4,  /* nothing audited, undetermined verdicts, or incomplete input */
    REPORT_EXIT_INTERRUPTED   = 130 /* interrupted (SIGINT, SIGTERM): partial report printed */
};

/* What makes the exit status fail (--fail-on). */
typedef enum report_policy {
    REPORT_POLICY_REQUEST = 0,   /* any CertificateRequest (the notice's question) */
    REPORT_POLICY_CLIENT_AUTH,   /* reliance on clientAuth, or a rejection */
    REPORT_POLICY_REJECTED       /* rejections only */
} report_policy;

/* What one verdict means under a policy. */
typedef enum report_class {
    REPORT_CLASS_PASS = 0,
    REPORT_CLASS_UNKNOWN,        /* the capture cannot answer the policy's question */
    REPORT_CLASS_REQUEST,
    REPORT_CLASS_FIX
} report_class;

typedef struct report_format report_format;

typedef struct report_port_range {
    guint lo, hi;
} report_port_range;

typedef struct report_options {
    GPtrArray            *inputs;        /* char *: files as named, "-" for stdin */
    char                 *tshark;
    char                 *keylog;
    char                 *root_store;    /* --root-store: sipmtls.root_store */
    char                 *output;        /* --output FILE; NULL: standard output */
    char                 *ports;         /* as given to sipmtls.ports */
    GArray               *port_ranges;   /* report_port_range, from ports */
    const report_format  *format;
    report_policy         policy;
    guint                 jobs;
    bool                  per_connection;
    bool                  progress;      /* standard error is a terminal */
    sipmtls_live_options  live;          /* --live and its companions (tools/live.c) */
    GOptionEntry         *live_entries;
} report_options;

/* A certificate as the report shows it. */
typedef struct report_cert {
    char *subject;
    char *issuer;
    char *not_after;
    int   n_certs;                       /* in the Certificate message; 0: empty */
} report_cert;

/* The verdict of one handshake. */
typedef struct report_verdict {
    guint           file;                /* index in report_findings.files */
    guint           frame;               /* where it was settled (0: settled by the report) */
    guint           handshake;           /* 1 for the first */
    guint           kind;                /* sipmtls_handshake_kind, 0 unknown */
    sipmtls_verdict verdict;
    int             alert;               /* alert description, -1 none */
    int             reason;              /* sipmtls_reason, -1 none */
    bool            inferred;            /* rests on record sizes */
    bool            no_outcome;          /* the capture shows no outcome (settled at its end) */
    guint           request_frame;       /* 0 unknown */
    guint           answer_frame;
    int             answer_certs;        /* certificates the client sent, -1 unknown */
    report_cert     cert;                /* the client's leaf; "" when none is visible */
    int             request_file;        /* file of request_frame and answer_frame when they
                                            are in an earlier file than the verdict, else -1 */
    char           *call_id;             /* "" unknown */
    /* The client certificate's CA (issue 16), as the plugin says it on the
     * verdict; "" where it says nothing (no certificate visible: TLS 1.3
     * without keys, verdict 8). */
    int             trust;               /* sipmtls.client_cert.trust: 0 unknown, 1 public,
                                            2 private, 3 private named like a public root */
    char           *ca_name;             /* public CA (sipmtls.client_cert.ca) */
    char           *root_owner;          /* public root's owner */
    char           *deadline;            /* ISO 8601 UTC: breaks at the latest; "" none */
    bool            deadline_past;
    char           *deadline_text;       /* the plugin's words: when, or why not affected */
} report_verdict;

/* One TLS connection in one file. */
typedef struct report_conn {
    guint           file;
    guint           stream;              /* tcp.stream in that file */
    char           *server;              /* address:port */
    char           *client;
    double          first_time, last_time;
    bool            audited;             /* sipmtls followed it */
    bool            hello;               /* a ClientHello or ServerHello was seen */
    bool            continued;           /* merged into the same connection of an earlier file */
    guint           stock_requests;      /* CertificateRequests Wireshark's TLS dissector shows */
    GPtrArray      *verdicts;            /* report_verdict *, by handshake */
    const report_verdict *top;           /* the one that matters most */
    /* reading state */
    guint           open_request[SIPMTLS_MAX_HANDSHAKES + 1]; /* request frames of handshakes without verdict */
    report_cert     last_chain;          /* the client's last Certificate message */
    guint           last_chain_frame;
    char           *call_id;
} report_conn;

typedef enum report_file_state {
    REPORT_FILE_OK = 0,
    REPORT_FILE_TRUNCATED,               /* cut short: what was read is reported */
    REPORT_FILE_FAILED,                  /* could not be read at all */
    REPORT_FILE_TSHARK_DIED,             /* tshark died part way: what it printed is reported */
    REPORT_FILE_INTERRUPTED
} report_file_state;

/* A TLS server port that sipmtls did not audit. */
typedef struct report_port {
    guint port;
    guint connections;
    guint cert_requests;                 /* as stock TLS dissection shows them */
} report_port;

typedef struct report_file {
    char              *name;             /* as the user named it; "-" is standard input */
    char              *path;             /* what tshark reads */
    report_file_state  state;
    char              *message;          /* why, for any state but OK */
    guint              index;
    bool               any_frame;        /* frame 1 was read */
    double             first_time;
    guint              decrypted;        /* handshake messages only a key can show */
    guint              joined;           /* connections read together with the previous file */
    GHashTable        *conns;            /* tcp.stream + 1 -> report_conn * */
    GString           *pending;          /* a line not yet ended */
    GString           *errors;           /* tshark's standard error, bounded */
} report_file;

/* A peer (client address) of an endpoint. */
typedef struct report_peer {
    char                 *client;        /* address without port */
    sipmtls_verdict       verdict;
    const report_verdict *top;
    guint                 connections;
    guint                 by_verdict[SIPMTLS_VERDICT_MAX + 1];
    GPtrArray            *certs;         /* report_cert *, distinct subjects/issuers */
    GPtrArray            *evidence;      /* report_verdict * of the top verdict, at most REPORT_MAX_EVIDENCE */
    guint                 n_evidence;    /* how many there were */
    const report_verdict *urgent;        /* the most urgent of its verdicts (report_urgency) */
    const report_verdict *earliest;      /* the one with the earliest deadline; NULL: none has one */
} report_peer;

#define REPORT_MAX_EVIDENCE 16

typedef struct report_endpoint {
    char                 *server;
    sipmtls_verdict       verdict;
    const report_verdict *top;
    report_class          class;
    guint                 connections;
    guint                 by_verdict[SIPMTLS_VERDICT_MAX + 1];
    GPtrArray            *peers;         /* report_peer *, by address */
    GPtrArray            *files;         /* const char *: names of files it appears in */
    const report_verdict *urgent;        /* the most urgent of its peers' */
    const report_verdict *earliest;      /* the earliest deadline of its peers'; NULL: none */
} report_endpoint;

typedef struct report_findings {
    const report_options *opt;
    GPtrArray            *files;         /* report_file *, in time order */
    GPtrArray            *conns;         /* report_conn *, by file then stream (continued ones left out) */
    GPtrArray            *endpoints;     /* report_endpoint *, most urgent first (report_urgency),
                                            then by class and server */
    GArray               *ports;         /* report_port: TLS on ports not audited */
    GPtrArray            *notes;         /* char *: what the reader must know (no TLS, ports, ...) */
    GPtrArray            *warnings;      /* char *: faults (truncated, unreadable, keys) */
    guint                 tls_connections;
    guint                 audited;
    bool                  complete;      /* every file read to its end */
    bool                  interrupted;
    int                   exit_status;
    char                 *answer;        /* one sentence */
} report_findings;

struct report_format {
    const char *name;
    void (*print)(const report_findings *f, GString *out);
};

/* ---- options.c ---- */
/* Parses and checks the command line; returns -1 when the report is to run,
 * else the exit status (after --help, --version or an error, already said). */
int report_parse_options(int *argc, char ***argv, report_options *opt);
void report_options_clear(report_options *opt);
bool report_port_audited(const report_options *opt, guint port);
/* "sipmtls-report: MESSAGE (see sipmtls-report --help)" on standard error. */
void report_usage_error(const char *fmt, ...) G_GNUC_PRINTF(1, 2);

/* ---- tshark.c ---- */
/* The -e fields every run asks for, in the order report_file_take_line
 * reads them (a live capture asks for the same). */
extern const char *const report_column_fields[];
extern const int report_n_columns;
/* The -Y filter and -e fields every run uses. */
GPtrArray *report_tshark_argv(const report_options *opt, const char *path);
report_file *report_file_new(const char *name, const char *path, guint index);
void report_file_free(report_file *file);
/* One line of tshark's -T fields output (without its newline). */
void report_file_take_line(report_file *file, const report_options *opt, char *line);
void report_verdict_set_ca(report_verdict *v, int trust, const char *ca_name, const char *root_owner,
                           const char *deadline, bool past, const char *text);
/* Called once the file's lines are all in: settles what is still open. */
void report_file_settle(report_file *file, const report_options *opt);
/* Reads every file with tshark, opt->jobs at a time, then reads again,
 * together, files that a connection spans (ring buffers).  Stops early after
 * report_stop() (the files not finished are marked interrupted). */
void report_read_files(const report_options *opt, GPtrArray *files);
/* Async-signal-safe: asks the running tshark processes to stop. */
void report_stop(void);
bool report_stop_requested(void);
/* Prints the report's, the plugin's and Wireshark's versions; an exit status. */
int report_print_versions(const report_options *opt);

/* ---- findings.c ---- */
report_class report_classify(report_policy policy, sipmtls_verdict v);
/* How urgent a verdict is (issue 16): 0 rejecting now, 1 breaks at a known
 * deadline (earlier first), 2 the rest. */
typedef enum report_urgency {
    REPORT_URGENCY_REJECTING = 0,
    REPORT_URGENCY_DEADLINE,
    REPORT_URGENCY_REST
} report_urgency;
report_urgency report_verdict_urgency(const report_verdict *v);
/* < 0 when a is more urgent than b: rank, then the earlier deadline, then
 * the heavier verdict. */
int report_compare_urgency(const report_verdict *a, const report_verdict *b);
const char *report_policy_name(report_policy policy);
const char *report_class_word(report_class c);
/* Merges the files (read or fed), decides the answer, prints the report in
 * opt->format on standard output, the warnings on standard error, and
 * returns the exit status.  Takes the files. */
int report_finish(const report_options *opt, GPtrArray *files, bool interrupted);
/* The same without printing (tests, other front ends); free with
 * report_findings_free. */
report_findings *report_findings_build(const report_options *opt, GPtrArray *files, bool interrupted);
void report_findings_free(report_findings *f);
const char *report_file_name(const report_findings *f, guint index);

/* ---- advice.c ---- */
/* Why, in a few words: "alert unsupported_certificate", "TCP FIN, no alert". */
char *report_cause(const report_verdict *v);
/* What to change, following the cause. */
char *report_advice(const report_verdict *v);
/* "Rejected", or "Rejected (inferred from record sizes)". */
char *report_verdict_label(const report_verdict *v);

/* ---- formats.c ---- */
extern const report_format report_formats[];   /* ends with { NULL, NULL } */
const report_format *report_format_find(const char *name);
/* Helpers for the formats. */
void report_csv_field(GString *out, const char *s, bool last);
void report_json_string(GString *out, const char *s);
/* The advice for each cause of the endpoint's verdict among its peers'
 * evidence (char *, freed with the array) and, at the same index, the frames
 * it comes from (GString *: "frame 78, frame 207"). */
void report_advice_by_cause(const report_findings *f, const report_endpoint *e, GPtrArray **texts,
                            GPtrArray **where);
/* "frame 16 (request 7, answer 11)", with the file's name when several. */
char *report_evidence_text(const report_findings *f, const report_verdict *v);
const char *report_file_state_name(report_file_state state);
/* The client certificate's CA: "public", "private", "private, named like a
 * public root", "not visible" (verdict 8), or "" (no certificate). */
const char *report_trust_name(const report_verdict *v);
/* "public CA DigiCert (root owner DigiCert Inc)", "private CA", ...; "" when
 * no certificate was sent. */
char *report_ca_text(const report_verdict *v);
/* "2027-02-10T12:00:00Z: breaks at the latest on ...", "none: private CA
 * ...: not affected ...", or "". */
char *report_deadline_words(const report_verdict *v);

/* One function per format, each in format-<name>.c. */
void report_print_text(const report_findings *f, GString *out);
void report_print_csv(const report_findings *f, GString *out);
void report_print_json(const report_findings *f, GString *out);
void report_print_html(const report_findings *f, GString *out);

#endif /* SIPMTLS_REPORT_H */
