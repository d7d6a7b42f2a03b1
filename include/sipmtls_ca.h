/* sipmtls_ca.h
 * Who breaks, and when: whether a presented chain comes from a publicly
 * trusted TLS hierarchy (one whose CAs drop clientAuth in 2026-2027) or from
 * a private CA (which may keep it), which public CA issued it, and the date
 * by which a connection relying on its clientAuth breaks at the latest.
 *
 * The public roots are a sipmtls_root_store: the built-in one is generated at
 * build time from the Mozilla root store as the build machine's Debian
 * ca-certificates package ships it (tools/gen-roots.c, sipmtls_roots.h); the
 * plugin may load another from a PEM bundle (sipmtls_ca_pem.h).  The CAs'
 * announced cut-off dates are one table in core/ca.c, each with its sources
 * in docs/warnings.md.
 *
 * Nothing here reads a file or knows about epan; everything is a pure
 * function of the certificates the core kept and the time of the capture.
 *
 * Copyright 2026 the sipmtls authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPMTLS_CA_H
#define SIPMTLS_CA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sipmtls.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One trusted root: its subject as sipmtls_dn_format() writes it (so it
 * compares with an issuer read from a capture), its owner (the subject's
 * organizationName, else its commonName) and its subjectKeyIdentifier
 * (NULL, 0 when it has none).  name_key is sipmtls_name_key(subject), so
 * that a search compares names only where the keys agree; 0 where it was
 * not computed (every name is then compared). */
typedef struct sipmtls_root {
    const char    *subject;
    const char    *owner;
    const uint8_t *key_id;
    unsigned       key_id_len;
    uint32_t       name_key;
} sipmtls_root;

typedef struct sipmtls_root_store {
    const sipmtls_root *roots;
    unsigned            n_roots;
    const char         *source;   /* where it came from, for people */
} sipmtls_root_store;

/* What a chain's top says about its hierarchy. */
typedef enum sipmtls_chain_trust {
    SIPMTLS_CHAIN_UNKNOWN = 0,   /* no certificate, or none names an issuer */
    SIPMTLS_CHAIN_PUBLIC = 1,    /* a certificate's issuer is a root of the store: same name,
                                    and same key identifier where both carry one */
    SIPMTLS_CHAIN_PRIVATE = 2,   /* no certificate's issuer is a root of the store */
    SIPMTLS_CHAIN_NAME_ONLY = 3  /* an issuer has a root's name but its authority key
                                    identifier names another key: not that root */
} sipmtls_chain_trust;

extern const sipmtls_named_value sipmtls_chain_trust_names[];

/* A public CA's announced end of clientAuth in its TLS server certificates:
 * from `date` (00:00 UTC) on it issues none.  When the reports disagree,
 * `later_date` is the latest date also reported and `date` the earliest
 * (the one a deadline uses); 0 when the date is settled.  `names` (NULL-
 * terminated) are matched, case-insensitively, as parts of the
 * organizationName or commonName of the chain's issuers: its own name, its
 * brands, its roots' owners. */
typedef struct sipmtls_cutoff {
    const char        *ca;
    const char *const *names;
    int64_t            date;
    int64_t            later_date;
    const char        *what;   /* what happens on `date`, in a few words */
} sipmtls_cutoff;

/* The table of cut-offs, ending with { NULL }. */
extern const sipmtls_cutoff sipmtls_cutoffs[];

/* Chrome's root programme: leaf certificates issued from this time on that
 * chain to a root in its store must assert serverAuth only (policy 1.8).  It
 * bounds every public CA's date, and stands for a public CA with no
 * announced date of its own. */
extern const int64_t sipmtls_chrome_serverauth_only;

/* Which date decides a deadline. */
typedef enum sipmtls_deadline_kind {
    SIPMTLS_DEADLINE_NONE = 0,   /* not public: no deadline */
    SIPMTLS_DEADLINE_EXPIRY = 1, /* the certificate expires before its CA stops clientAuth */
    SIPMTLS_DEADLINE_CUTOFF = 2  /* its CA stops clientAuth before it expires: no renewal
                                    or re-issue from then on carries it */
} sipmtls_deadline_kind;

/* What a chain means for a connection that relies on its clientAuth. */
typedef struct sipmtls_assessment {
    sipmtls_chain_trust   trust;
    const sipmtls_root   *root;        /* PUBLIC, NAME_ONLY: the root named */
    const sipmtls_cert   *top;         /* the certificate whose issuer decided, or NULL */
    const sipmtls_cutoff *cutoff;      /* PUBLIC: its CA's entry; NULL when it has none */
    const char           *ca;          /* PUBLIC: the CA's name (cutoff->ca or the root's owner) */
    int64_t               cutoff_date; /* PUBLIC: its CA's date, bounded by Chrome's rule */
    sipmtls_deadline_kind kind;
    int64_t               deadline;    /* kind != NONE: breaks at the latest then */
    sipmtls_time          not_after;   /* PUBLIC: the leaf's */
    bool                  past;        /* the deadline is not after the capture's time */
    bool                  cutoff_past; /* nor the CA's cut-off */
} sipmtls_assessment;

/* A hash of a distinguished name that two names equal under the
 * comparison of sipmtls_root_find (ASCII case aside) share; never 0. */
uint32_t sipmtls_name_key(const char *name);

/* The subject of a root of the store whose name is issuer and whose key
 * identifier is aki (when both have one), or NULL.  *name_only, when given,
 * says whether a root has that name but another key. */
const sipmtls_root *sipmtls_root_find(const sipmtls_root_store *store, const char *issuer,
                                      const uint8_t *aki, unsigned aki_len, bool *name_only);

/* The cut-off entry for a chain: the first entry named by the issuer of
 * certs[0] (its issuing CA), then of the certificates above it, then by
 * root_owner (may be NULL); NULL when none. */
const sipmtls_cutoff *sipmtls_cutoff_find(const sipmtls_cert *certs, unsigned n_certs,
                                          const char *root_owner);

/* Assesses the chain certs[0..n_certs) (leaf first, as presented) against
 * store at the capture's time now (invalid: nothing is "past").  The
 * deadline of a public chain is the earlier of the leaf's notAfter and its
 * CA's cut-off (Chrome's date for a CA with none); without a notAfter, the
 * cut-off. */
sipmtls_assessment sipmtls_assess_chain(const sipmtls_root_store *store,
                                        const sipmtls_cert *certs, unsigned n_certs,
                                        sipmtls_time now);

/* One sentence for people about a = sipmtls_assess_chain(...) for a
 * connection that relies on the leaf's clientAuth, e.g. "breaks at the
 * latest on 2027-02-10, when this DigiCert certificate expires; DigiCert
 * stops issuing clientAuth on 2027-03-01".  Written into out (size bytes,
 * truncated); "" for UNKNOWN.  Returns out. */
char *sipmtls_assessment_text(const sipmtls_assessment *a, char *out, size_t size);

/* The same in a few words, for an expert info that also names the
 * endpoints and the certificate: "breaks at the latest on 2027-02-10, when
 * this DigiCert certificate expires", "private CA, not affected by the
 * public CAs' change".  Returns out. */
char *sipmtls_assessment_brief(const sipmtls_assessment *a, char *out, size_t size);

/* "YYYY-MM-DD" of a time (UTC) into out (at least 11 bytes).  Returns out. */
char *sipmtls_date_text(int64_t secs, char *out, size_t size);

/* The value of the first attribute named attr ("O", "CN") of an RFC 4514
 * string as sipmtls_dn_format() writes it, unescaped, into out; false (out
 * empty) when it has none. */
bool sipmtls_dn_value(const char *dn, const char *attr, char *out, size_t size);

#ifdef __cplusplus
}
#endif

#endif /* SIPMTLS_CA_H */
