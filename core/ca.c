/* ca.c
 * Public or private CA, the public CAs' clientAuth cut-offs, and the
 * deadline of a connection relying on clientAuth.  See sipmtls_ca.h.
 *
 * Copyright 2026 the sipmtls authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "sipmtls_ca.h"

#include <stdio.h>
#include <string.h>

/* Seconds since the epoch of 00:00 UTC on a date from 2000 on, as a
 * constant expression (days_from_civil, see x509.c). */
#define CIVIL_Y(y, m)   ((int64_t)(y) - ((m) <= 2))
#define CIVIL_ERA(y, m) (CIVIL_Y(y, m) / 400)
#define CIVIL_YOE(y, m) (CIVIL_Y(y, m) - CIVIL_ERA(y, m) * 400)
#define CIVIL_DOY(m, d) ((153 * ((m) + ((m) > 2 ? -3 : 9)) + 2) / 5 + (d) - 1)
#define DATE(y, m, d)                                                            \
    ((CIVIL_ERA(y, m) * 146097                                                   \
      + CIVIL_YOE(y, m) * 365 + CIVIL_YOE(y, m) / 4 - CIVIL_YOE(y, m) / 100      \
      + CIVIL_DOY(m, d) - 719468) * 86400)

const int64_t sipmtls_chrome_serverauth_only = DATE(2027, 3, 15);

/* The public CAs' announced dates, one line each; the sources (URL and
 * date of each announcement) are in docs/warnings.md, "When public CAs stop
 * clientAuth".  Names are matched as parts of the issuers' O and CN. */
static const char *const letsencrypt_names[] = { "Let's Encrypt", "Internet Security Research Group", NULL };
static const char *const digicert_names[] = { "DigiCert", "GeoTrust", "Thawte", "RapidSSL",
                                              "Encryption Everywhere", NULL };
static const char *const sectigo_names[] = { "Sectigo", "USERTrust", "Comodo", NULL };
static const char *const gts_names[] = { "Google Trust Services", NULL };
static const char *const sslcom_names[] = { "SSL.com", "SSL Corporation", NULL };
static const char *const certum_names[] = { "Certum", "Unizeto", "Asseco Data Systems", NULL };

const sipmtls_cutoff sipmtls_cutoffs[] = {
    { "Let's Encrypt", letsencrypt_names, DATE(2026, 7, 8), 0,
      "its tlsclient profile ends (its default profile has had no clientAuth since 2026-02-11)" },
    { "DigiCert", digicert_names, DATE(2027, 3, 1), 0,
      "it stops including clientAuth (all brands: DigiCert, GeoTrust, Thawte, RapidSSL)" },
    { "Sectigo", sectigo_names, DATE(2026, 5, 15), DATE(2027, 2, 10),
      "its announced end of clientAuth; later reports say 2027-02-10: unsettled" },
    { "Google Trust Services", gts_names, DATE(2026, 4, 13), 0,
      "it rejects every request for clientAuth" },
    { "SSL.com", sslcom_names, DATE(2025, 9, 15), 0,
      "it issues TLS server certificates without clientAuth" },
    { "Certum", certum_names, DATE(2026, 5, 15), 0,
      "it stops issuing clientAuth in public TLS certificates" },
    { NULL, NULL, 0, 0, NULL }
};

const sipmtls_named_value sipmtls_chain_trust_names[] = {
    { SIPMTLS_CHAIN_UNKNOWN,   "Unknown" },
    { SIPMTLS_CHAIN_PUBLIC,    "Public CA" },
    { SIPMTLS_CHAIN_PRIVATE,   "Private CA" },
    { SIPMTLS_CHAIN_NAME_ONLY, "Private CA named like a public root (another key)" },
    { 0, NULL }
};

static int
lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* Names compare as RFC 5280 7.1 lets most of them: ASCII case aside. */
static bool
same_name(const char *a, const char *b)
{
    for (; *a != '\0' && *b != '\0'; a++, b++) {
        if (lower((unsigned char)*a) != lower((unsigned char)*b))
            return false;
    }
    return *a == *b;
}

static bool
contains(const char *haystack, const char *needle)
{
    size_t n = strlen(needle);

    for (; *haystack != '\0'; haystack++) {
        size_t i = 0;
        while (i < n && haystack[i] != '\0'
               && lower((unsigned char)haystack[i]) == lower((unsigned char)needle[i]))
            i++;
        if (i == n)
            return true;
    }
    return false;
}

uint32_t
sipmtls_name_key(const char *name)
{
    uint32_t h = 2166136261u;   /* FNV-1a */

    for (; name != NULL && *name != '\0'; name++)
        h = (h ^ (uint32_t)lower((unsigned char)*name)) * 16777619u;
    return h != 0 ? h : 1;
}

const sipmtls_root *
sipmtls_root_find(const sipmtls_root_store *store, const char *issuer,
                  const uint8_t *aki, unsigned aki_len, bool *name_only)
{
    const sipmtls_root *named = NULL;
    uint32_t key;

    if (name_only != NULL)
        *name_only = false;
    if (store == NULL || issuer == NULL || issuer[0] == '\0')
        return NULL;
    key = sipmtls_name_key(issuer);
    for (unsigned i = 0; i < store->n_roots; i++) {
        const sipmtls_root *r = &store->roots[i];

        if ((r->name_key != 0 && r->name_key != key) || r->subject == NULL
            || !same_name(r->subject, issuer))
            continue;
        /* Several roots may share a name (a re-keyed root): the key decides. */
        if (aki_len == 0 || r->key_id_len == 0
            || (r->key_id_len == aki_len && memcmp(r->key_id, aki, aki_len) == 0))
            return r;
        if (named == NULL)
            named = r;
    }
    if (named != NULL && name_only != NULL)
        *name_only = true;
    return NULL;
}

bool
sipmtls_dn_value(const char *dn, const char *attr, char *out, size_t size)
{
    size_t alen = strlen(attr);
    const char *p = dn;

    if (size == 0)
        return false;
    out[0] = '\0';
    if (dn == NULL)
        return false;
    while (*p != '\0') {
        /* p is at the start of an attribute type */
        bool match = strncmp(p, attr, alen) == 0 && p[alen] == '=';
        size_t n = 0;

        while (*p != '\0' && *p != '=')
            p++;
        if (*p == '=')
            p++;
        while (*p != '\0' && *p != ',') {
            char c = *p++;
            if (c == '\\' && *p != '\0') {
                c = *p++;
            }
            if (match && n + 1 < size)
                out[n++] = c;
        }
        if (match) {
            out[n] = '\0';
            return true;
        }
        if (*p == ',')
            p++;
    }
    return false;
}

static const sipmtls_cutoff *
cutoff_named(const char *dn)
{
    char o[SIPMTLS_MAX_TEXT], cn[SIPMTLS_MAX_TEXT];
    bool has_o = sipmtls_dn_value(dn, "O", o, sizeof o);
    bool has_cn = sipmtls_dn_value(dn, "CN", cn, sizeof cn);

    if (!has_o && !has_cn)
        return NULL;
    for (const sipmtls_cutoff *c = sipmtls_cutoffs; c->ca != NULL; c++) {
        for (const char *const *name = c->names; *name != NULL; name++) {
            if ((has_o && contains(o, *name)) || (has_cn && contains(cn, *name)))
                return c;
        }
    }
    return NULL;
}

const sipmtls_cutoff *
sipmtls_cutoff_find(const sipmtls_cert *certs, unsigned n_certs, const char *root_owner)
{
    for (unsigned i = 0; i < n_certs; i++) {
        const sipmtls_cutoff *c = cutoff_named(certs[i].issuer);
        if (c != NULL)
            return c;
    }
    if (root_owner != NULL) {
        for (const sipmtls_cutoff *c = sipmtls_cutoffs; c->ca != NULL; c++) {
            for (const char *const *name = c->names; *name != NULL; name++) {
                if (contains(root_owner, *name))
                    return c;
            }
        }
    }
    return NULL;
}

sipmtls_assessment
sipmtls_assess_chain(const sipmtls_root_store *store, const sipmtls_cert *certs,
                     unsigned n_certs, sipmtls_time now)
{
    sipmtls_assessment a;
    const sipmtls_root *named = NULL;
    const sipmtls_cert *named_top = NULL;
    const sipmtls_cert *leaf = n_certs > 0 ? &certs[0] : NULL;

    memset(&a, 0, sizeof a);
    if (certs == NULL || n_certs == 0)
        return a;
    /* From the top down: a chain sent out of order still has its top. */
    for (unsigned k = n_certs; k-- > 0;) {
        const sipmtls_cert *c = &certs[k];
        bool name_only;
        const sipmtls_root *r;

        if (c->issuer == NULL || c->issuer[0] == '\0')
            continue;
        if (a.trust == SIPMTLS_CHAIN_UNKNOWN) {
            a.trust = SIPMTLS_CHAIN_PRIVATE;
            a.top = c;
        }
        r = sipmtls_root_find(store, c->issuer, c->authority_key_id, c->authority_key_id_len,
                              &name_only);
        if (r != NULL) {
            a.trust = SIPMTLS_CHAIN_PUBLIC;
            a.root = r;
            a.top = c;
            break;
        }
        if (name_only && named == NULL) {
            named = sipmtls_root_find(store, c->issuer, NULL, 0, NULL);
            named_top = c;
        }
    }
    if (a.trust != SIPMTLS_CHAIN_PUBLIC) {
        if (named != NULL) {
            a.trust = SIPMTLS_CHAIN_NAME_ONLY;
            a.root = named;
            a.top = named_top;
        }
        return a;
    }
    a.cutoff = sipmtls_cutoff_find(certs, n_certs, a.root->owner);
    a.ca = a.cutoff != NULL ? a.cutoff->ca : a.root->owner;
    a.cutoff_date = a.cutoff != NULL && a.cutoff->date < sipmtls_chrome_serverauth_only
                    ? a.cutoff->date : sipmtls_chrome_serverauth_only;
    if (leaf->not_after.valid && leaf->not_after.secs <= a.cutoff_date) {
        a.kind = SIPMTLS_DEADLINE_EXPIRY;
        a.deadline = leaf->not_after.secs;
    } else {
        a.kind = SIPMTLS_DEADLINE_CUTOFF;
        a.deadline = a.cutoff_date;
    }
    a.not_after = leaf->not_after;
    a.past = now.valid && a.deadline <= now.secs;
    a.cutoff_past = now.valid && a.cutoff_date <= now.secs;
    return a;
}

/* Howard Hinnant's civil_from_days. */
char *
sipmtls_date_text(int64_t secs, char *out, size_t size)
{
    int64_t z = (secs >= 0 ? secs : secs - 86399) / 86400 + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    int64_t y = yoe + era * 400 + (m <= 2);

    snprintf(out, size, "%04lld-%02lld-%02lld", (long long)y, (long long)m, (long long)d);
    return out;
}

/* The issuer's name for texts: the top's issuer, e.g. "CN=Example Root". */
static const char *
top_issuer(const sipmtls_assessment *a)
{
    return a->top != NULL && a->top->issuer != NULL ? a->top->issuer : "";
}

/* When the chain's CA stops clientAuth, in words: "DigiCert stops issuing
 * clientAuth on 2027-03-01". */
static void
stop_phrase(const sipmtls_assessment *a, char *out, size_t size)
{
    const sipmtls_cutoff *c = a->cutoff;
    /* A date gone by at the capture's time reads in the past tense. */
    const char *stops = a->cutoff_past ? "stopped" : "stops";
    char date[16], later[16];

    sipmtls_date_text(a->cutoff_date, date, sizeof date);
    if (c == NULL || c->date >= sipmtls_chrome_serverauth_only)
        snprintf(out, size, "Chrome's root programme %s clientAuth in certificates issued from "
                 "%s (%s announced no earlier date)", a->cutoff_past ? "ended" : "ends", date,
                 a->ca);
    else if (c->later_date != 0)
        snprintf(out, size, "%s %s issuing clientAuth on %s as announced (later reports: %s; "
                 "unsettled)", a->ca, stops, date,
                 sipmtls_date_text(c->later_date, later, sizeof later));
    else
        snprintf(out, size, "%s %s issuing clientAuth on %s", a->ca, stops, date);
}

char *
sipmtls_assessment_text(const sipmtls_assessment *a, char *out, size_t size)
{
    char deadline[16], expiry[48], stop[SIPMTLS_MAX_TEXT];

    if (size == 0)
        return out;
    out[0] = '\0';
    switch (a->trust) {
    case SIPMTLS_CHAIN_PRIVATE:
        snprintf(out, size, "private CA (%s): not affected by the public CAs' change, as long "
                 "as its profile keeps clientAuth", top_issuer(a));
        return out;
    case SIPMTLS_CHAIN_NAME_ONLY:
        snprintf(out, size, "private CA: its issuer is named like the public root %s but has "
                 "another key; not affected by the public CAs' change, as long as its "
                 "profile keeps clientAuth", a->root->subject);
        return out;
    case SIPMTLS_CHAIN_PUBLIC:
        break;
    default:
        return out;
    }
    sipmtls_date_text(a->deadline, deadline, sizeof deadline);
    stop_phrase(a, stop, sizeof stop);
    expiry[0] = '\0';
    if (a->not_after.valid) {
        char date[16];
        snprintf(expiry, sizeof expiry, " (this %s expires on %s)",
                 a->past ? "one" : "certificate",
                 sipmtls_date_text(a->not_after.secs, date, sizeof date));
    }
    if (a->past && a->kind == SIPMTLS_DEADLINE_EXPIRY)
        snprintf(out, size, "already past: this %s certificate expired on %s; broken at the "
                 "next handshake with a renewed certificate (%s)", a->ca, deadline, stop);
    else if (a->past)
        snprintf(out, size, "already past: %s; broken at the next handshake with a renewed "
                 "certificate%s", stop, expiry);
    else if (a->kind == SIPMTLS_DEADLINE_EXPIRY)
        snprintf(out, size, "breaks at the latest on %s, when this %s certificate expires; %s",
                 deadline, a->ca, stop);
    else
        snprintf(out, size, "breaks at the latest on %s: %s, and no renewal or re-issue from "
                 "then on carries it%s", deadline, stop, expiry);
    return out;
}

char *
sipmtls_assessment_brief(const sipmtls_assessment *a, char *out, size_t size)
{
    char date[16];
    bool chrome = a->cutoff == NULL || a->cutoff->date >= sipmtls_chrome_serverauth_only;

    if (size == 0)
        return out;
    out[0] = '\0';
    switch (a->trust) {
    case SIPMTLS_CHAIN_PRIVATE:
        snprintf(out, size, "private CA, not affected by the public CAs' change");
        return out;
    case SIPMTLS_CHAIN_NAME_ONLY:
        snprintf(out, size, "private CA named like a public root, not affected by the public "
                 "CAs' change");
        return out;
    case SIPMTLS_CHAIN_PUBLIC:
        break;
    default:
        return out;
    }
    sipmtls_date_text(a->deadline, date, sizeof date);
    if (a->past && a->kind == SIPMTLS_DEADLINE_EXPIRY)
        snprintf(out, size, "already past: this %s certificate expired on %s", a->ca, date);
    else if (a->past && chrome)
        snprintf(out, size, "already past: Chrome's rule ended clientAuth on %s", date);
    else if (a->past)
        snprintf(out, size, "already past: %s stopped clientAuth on %s", a->ca, date);
    else if (a->kind == SIPMTLS_DEADLINE_EXPIRY)
        snprintf(out, size, "breaks at the latest on %s, when this %s certificate expires", date,
                 a->ca);
    else if (chrome)
        snprintf(out, size, "breaks at the latest on %s, when Chrome's rule ends clientAuth (%s)",
                 date, a->ca);
    else
        snprintf(out, size, "breaks at the latest on %s, when %s stops clientAuth", date, a->ca);
    return out;
}
