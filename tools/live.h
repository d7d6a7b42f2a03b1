/* live.h
 * sipmtls-report --live: capture on interfaces and settle handshakes as
 * they happen (tools/live.c).
 *
 * Copyright 2026 the sipmtls authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPMTLS_LIVE_H
#define SIPMTLS_LIVE_H

#include <glib.h>

/* What --live and its companions asked for; filled by the option entries
 * of sipmtls_live_entries(), read by sipmtls_live_run(). */
typedef struct sipmtls_live_options {
    char   **interfaces;   /* --live/-i, NULL-terminated; NULL: no live capture */
    gboolean first;        /* --first: stop at the first settled handshake */
    gint     count;        /* --count: stop after that many; 0: no limit */
    char    *duration;     /* --duration: "30", "30s", "5m", "1h"; NULL: until stopped */
    char    *write_file;   /* --write: keep the capture (pcapng) there */
    char    *dumpcap;      /* --dumpcap: the capture program (default: dumpcap) */
} sipmtls_live_options;

/* How a live capture ended, for the summary and the exit status. */
typedef struct sipmtls_live_result {
    guint    settled;      /* verdict lines handed back */
    guint    connections;  /* TCP connections seen on the audited ports */
    guint    packets;      /* frames tshark read */
    gboolean interrupted;  /* stopped by Ctrl-C (SIGINT) or SIGTERM */
    gboolean incomplete;   /* something failed on the way: tshark died, the file could not be written */
    char    *name;         /* what the summary calls the capture */
} sipmtls_live_result;

/* The option entries (--live, -i, --first, --count, --duration, --write,
 * --dumpcap) writing into *opt; add them to the report's main group. */
GOptionEntry *sipmtls_live_entries(sipmtls_live_options *opt);

/* Captures on opt->interfaces with dumpcap, the TCP ports of `ports` only
 * (the sipmtls.ports syntax; NULL: 5061), and has tshark dissect what
 * dumpcap writes as it comes, in one pass.  Prints each handshake's
 * verdict the moment tshark settles it (text on stdout, or on stderr when
 * verdicts_to_stderr, so stdout keeps a machine format clean), and a line
 * per connection seen but not settled yet.  Stops as the options say, on
 * Ctrl-C or SIGTERM.
 *
 * Returns, in the form of the report's own tshark run, the lines of the
 * settled handshakes' frames the report reads (the CertificateRequest, the
 * client's Certificate, the verdict) with the `nfields` fields asked for,
 * tab-separated, first occurrences (newly allocated; fill *result too); or
 * NULL on error, having said on stderr what to do about it. */
char *sipmtls_live_run(const sipmtls_live_options *opt, const char *tshark, const char *keylog,
                       const char *ports, const char *const *fields, int nfields,
                       gboolean verdicts_to_stderr, sipmtls_live_result *result);

void sipmtls_live_result_clear(sipmtls_live_result *result);
void sipmtls_live_options_clear(sipmtls_live_options *opt);

#endif /* SIPMTLS_LIVE_H */
