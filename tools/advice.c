/* advice.c
 * What to change, following the cause of a verdict: which alert the
 * endpoint sent, whether the peer sent a certificate at all, whether the
 * cause is hidden (an encrypted alert, a plain close) and whether the
 * verdict rests on record sizes.  Names of verdicts, reasons and alerts
 * are the core's (sipmtls.h, sipmtls_tls.h); the advice of a verdict
 * without a more precise cause is the core's too.
 *
 * Copyright 2026 the sipmtls authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "report.h"
#include "sipmtls_tls.h"

#define SETTINGS " Settings per product: docs/endpoint-settings.md."

/* TLS alert descriptions the advice tells apart (RFC 8446 6.2). */
enum {
    ALERT_HANDSHAKE_FAILURE = 40,
    ALERT_NO_CERTIFICATE = 41,
    ALERT_BAD_CERTIFICATE = 42,
    ALERT_UNSUPPORTED_CERTIFICATE = 43,
    ALERT_CERTIFICATE_REVOKED = 44,
    ALERT_CERTIFICATE_EXPIRED = 45,
    ALERT_CERTIFICATE_UNKNOWN = 46,
    ALERT_UNKNOWN_CA = 48,
    ALERT_ACCESS_DENIED = 49,
    ALERT_DECRYPT_ERROR = 51,
    ALERT_CERTIFICATE_REQUIRED = 116
};

static const char *
alert_name(int alert)
{
    const char *name = sipmtls_name_of(sipmtls_alert_names, (uint32_t)alert);
    return name != NULL ? name : "unknown";
}

char *
report_cause(const report_verdict *v)
{
    GString *s = g_string_new(NULL);

    if (v->no_outcome)
        g_string_append(s, "the capture shows no outcome of this handshake");
    else if (v->alert >= 0)
        g_string_append_printf(s, "alert %s", alert_name(v->alert));
    else if (v->reason >= 0) {
        const char *name = sipmtls_name_of(sipmtls_reason_names, (uint32_t)v->reason);
        if (name != NULL)
            g_string_append(s, name);
        else
            g_string_append_printf(s, "reason %d", v->reason);
    }
    if (v->answer_certs == 0 && v->verdict != SIPMTLS_VERDICT_OPTIONAL_NONE_SENT)
        g_string_append_printf(s, "%sthe peer sent no certificate", s->len ? "; " : "");
    return g_string_free(s, FALSE);
}

char *
report_verdict_label(const report_verdict *v)
{
    return g_strdup_printf("%s%s", sipmtls_verdict_name(v->verdict),
                           v->inferred ? " (inferred from record sizes)" : "");
}

static char *
rejected_advice(const report_verdict *v)
{
    bool empty = v->answer_certs == 0;
    const char *issuer = v->cert.issuer[0] ? v->cert.issuer : "the peer's CA";

    if (v->alert == ALERT_CERTIFICATE_REQUIRED || v->alert == ALERT_NO_CERTIFICATE
        || (empty && (v->alert >= 0 || v->reason >= 0)))
        return g_strdup("The peer sent no client certificate and the endpoint requires one: give the "
                        "peer a client certificate the endpoint trusts, or make the client certificate "
                        "optional on the endpoint." SETTINGS);
    switch (v->alert) {
    case ALERT_UNSUPPORTED_CERTIFICATE:
        return g_strdup("The endpoint refuses the certificate for its purpose: it checks the Extended "
                        "Key Usage, and the certificate lacks clientAuth. Stop checking the clientAuth "
                        "purpose, or stop requiring client certificates, on the endpoint (a certificate "
                        "reissued with clientAuth only delays this: public CAs stop issuing them)." SETTINGS);
    case ALERT_UNKNOWN_CA:
        return g_strdup_printf("The endpoint does not trust the certificate's issuer (%s): add that CA to "
                               "the CAs the endpoint trusts for client certificates, or have the peer use "
                               "a certificate from a CA the endpoint trusts (the CertificateRequest lists "
                               "the acceptable CA names).", issuer);
    case ALERT_CERTIFICATE_EXPIRED:
        return g_strdup_printf("The endpoint finds the certificate expired or not yet valid%s%s%s: have "
                               "the peer renew it, or check the endpoint's clock.",
                               v->cert.not_after[0] ? " (not after " : "", v->cert.not_after,
                               v->cert.not_after[0] ? ")" : "");
    case ALERT_BAD_CERTIFICATE:
        return g_strdup("The endpoint refuses the certificate as bad (a signature, chain or encoding "
                        "check): check that the peer sends its whole chain and signs with an algorithm "
                        "the endpoint accepts; the endpoint's own log names the check that failed.");
    case ALERT_CERTIFICATE_REVOKED:
        return g_strdup("The endpoint finds the certificate revoked (CRL or OCSP): the peer needs a new "
                        "certificate.");
    case ALERT_CERTIFICATE_UNKNOWN:
        return g_strdup("The endpoint refuses the certificate without saying why (certificate_unknown, "
                        "Java's answer to any failed check, the purpose among them): the endpoint's own "
                        "log says which check failed; if it is the purpose, stop checking clientAuth." SETTINGS);
    case ALERT_ACCESS_DENIED:
        return g_strdup("The endpoint refuses this peer (access_denied): the subjects or addresses it "
                        "allows do not include it.");
    case ALERT_DECRYPT_ERROR:
        return g_strdup("The endpoint cannot verify the peer's CertificateVerify signature "
                        "(decrypt_error): check that the peer's key and certificate belong together.");
    case ALERT_HANDSHAKE_FAILURE:
        return g_strdup("The endpoint gives up after the certificate (handshake_failure): no acceptable "
                        "certificate or signature algorithm, or a failed check; the endpoint's own log "
                        "says which." SETTINGS);
    default:
        break;
    }
    if (v->alert >= 0)
        return g_strdup_printf("The endpoint refuses the peer's answer with alert %s: the endpoint's own "
                               "log says why.", alert_name(v->alert));
    switch (v->reason) {
    case SIPMTLS_REASON_ENCRYPTED_ALERT:
        return g_strdup("The endpoint refuses the peer's answer, but its alert is encrypted (TLS 1.3): "
                        "run again with the key log (--keylog) to read which alert, or look in the "
                        "endpoint's own log.");
    case SIPMTLS_REASON_CLOSE_NOTIFY:
    case SIPMTLS_REASON_FIN:
    case SIPMTLS_REASON_RST:
        return g_strdup("The endpoint closes the connection right after the peer's certificate without "
                        "an alert, so the capture cannot say why: the endpoint's own log does (Asterisk "
                        "with verify_client = yes closes this way on a certificate without clientAuth)."
                        SETTINGS);
    default:
        return g_strdup_printf("%s" SETTINGS, sipmtls_verdict_advice(v->verdict));
    }
}

static char *
undetermined_advice(const report_verdict *v)
{
    if (v->no_outcome)
        return g_strdup("The capture ends before this handshake's outcome: capture for longer, or read "
                        "the next file of a ring buffer together with this one.");
    switch (v->reason) {
    case SIPMTLS_REASON_ENCRYPTED:
        return g_strdup("The TLS 1.3 handshake is encrypted and its record sizes do not tell: run again "
                        "with the key log (--keylog).");
    case SIPMTLS_REASON_RESUMED:
        return g_strdup("A resumed session exchanges no certificates: capture while the peer opens a new "
                        "connection (restart the trunk), from the TCP handshake on.");
    case SIPMTLS_REASON_CLIENT_ABORTED:
        return g_strdup("The client gave up before the endpoint answered: the client's own log says why; "
                        "capture again.");
    default:
        return g_strdup(sipmtls_verdict_advice(v->verdict));
    }
}

char *
report_advice(const report_verdict *v)
{
    char *advice, *out;

    switch (v->verdict) {
    case SIPMTLS_VERDICT_REJECTED:
        advice = rejected_advice(v);
        break;
    case SIPMTLS_VERDICT_UNDETERMINED:
        advice = undetermined_advice(v);
        break;
    case SIPMTLS_VERDICT_CLIENT_AUTH_ACCEPTED:
    case SIPMTLS_VERDICT_NO_EKU_ACCEPTED:
    case SIPMTLS_VERDICT_CHAIN_ACCEPTED_UNSEEN:
    case SIPMTLS_VERDICT_OPTIONAL_NONE_SENT:
        advice = g_strdup_printf("%s" SETTINGS, sipmtls_verdict_advice(v->verdict));
        break;
    default:
        advice = g_strdup(sipmtls_verdict_advice(v->verdict));
        break;
    }
    if (!v->inferred)
        return advice;
    out = g_strdup_printf("Inferred from the sizes of encrypted records (TLS 1.3 without keys), not "
                          "seen: %s A key log (--keylog) shows it for certain.", advice);
    g_free(advice);
    return out;
}
