/* test_ca.c
 * Public or private CA, the cut-off dates and the deadline (core/ca.c), the
 * PEM loader (core/ca_pem.c) and the built-in root store generated from the
 * build machine's ca-certificates.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "sipmtls_ca.h"
#include "sipmtls_ca_pem.h"
#include "sipmtls_roots.h"
#include "sipmtls_x509.h"

#define DAY 86400

static const uint8_t g2_key[] = { 0x4e, 0x22, 0x54, 0x20, 0x18, 0x95, 0xe6, 0xe3, 0x6e, 0xe6,
                                  0x0f, 0xfa, 0xfa, 0xb9, 0x12, 0xed, 0x06, 0x17, 0x8f, 0x39 };
static const uint8_t other_key[] = { 1, 2, 3, 4 };
static const uint8_t rekeyed_key[] = { 9, 9, 9, 9 };

#define DIGICERT_G2 "CN=DigiCert Global Root G2,OU=www.digicert.com,O=DigiCert Inc,C=US"
#define ISRG_X1     "CN=ISRG Root X1,O=Internet Security Research Group,C=US"
#define GLOBALSIGN  "CN=GlobalSign Root CA,OU=Root CA,O=GlobalSign nv-sa,C=BE"
#define OTHER_ROOT  "CN=Example Public Root,O=Example Trust Ltd,C=GB"

/* A test-only store: real roots' names (one with its real key identifier),
 * a root without key identifier, one CA without a cut-off, and a name two
 * roots share with different keys.  Its name keys are not computed (0):
 * every name is compared. */
static const sipmtls_root test_roots[] = {
    { DIGICERT_G2, "DigiCert Inc", g2_key, sizeof g2_key, 0 },
    { ISRG_X1, "Internet Security Research Group", NULL, 0, 0 },
    { GLOBALSIGN, "GlobalSign nv-sa", other_key, sizeof other_key, 0 },
    { OTHER_ROOT, "Example Trust Ltd", other_key, sizeof other_key, 0 },
    { OTHER_ROOT, "Example Trust Ltd", rekeyed_key, sizeof rekeyed_key, 0 },
};
static const sipmtls_root_store test_store = { test_roots, 5, "test" };

static sipmtls_time
at(int64_t secs)
{
    sipmtls_time t = { secs, true };
    return t;
}

static sipmtls_time
parse(const char *generalized)
{
    return sipmtls_asn1_time_parse(generalized, strlen(generalized));
}

static sipmtls_cert
cert(const char *subject, const char *issuer, const uint8_t *aki, unsigned aki_len,
     const char *not_after)
{
    sipmtls_cert c;

    memset(&c, 0, sizeof c);
    c.subject = subject;
    c.issuer = issuer;
    if (aki != NULL) {
        memcpy(c.authority_key_id, aki, aki_len);
        c.authority_key_id_len = aki_len;
    }
    if (not_after != NULL)
        c.not_after = parse(not_after);
    return c;
}

/* ---- matching ------------------------------------------------------------ */

Test(root_find, matches_name_and_key_identifier)
{
    bool name_only;

    cr_assert_eq(sipmtls_root_find(&test_store, DIGICERT_G2, g2_key, sizeof g2_key, &name_only),
                 &test_roots[0]);
    cr_assert_not(name_only);
    /* No authority key identifier in the certificate: the name decides. */
    cr_assert_eq(sipmtls_root_find(&test_store, DIGICERT_G2, NULL, 0, NULL), &test_roots[0]);
    /* None in the root: the name decides too. */
    cr_assert_eq(sipmtls_root_find(&test_store, ISRG_X1, other_key, sizeof other_key, NULL),
                 &test_roots[1]);
}

Test(root_find, compares_names_without_ascii_case)
{
    cr_assert_eq(sipmtls_root_find(&test_store,
                                   "CN=digicert global root g2,OU=WWW.DIGICERT.COM,O=DigiCert Inc,C=us",
                                   NULL, 0, NULL),
                 &test_roots[0]);
    /* but not a name that is only similar */
    cr_assert_null(sipmtls_root_find(&test_store, "CN=DigiCert Global Root G2,O=DigiCert Inc,C=US",
                                     NULL, 0, NULL));
}

Test(root_find, a_public_name_with_another_key_is_not_that_root)
{
    bool name_only = false;

    cr_assert_null(sipmtls_root_find(&test_store, DIGICERT_G2, other_key, sizeof other_key,
                                     &name_only));
    cr_assert(name_only);
}

Test(root_find, a_name_two_roots_share_is_told_apart_by_the_key)
{
    cr_assert_eq(sipmtls_root_find(&test_store, OTHER_ROOT, rekeyed_key, sizeof rekeyed_key, NULL),
                 &test_roots[4]);
    cr_assert_eq(sipmtls_root_find(&test_store, OTHER_ROOT, other_key, sizeof other_key, NULL),
                 &test_roots[3]);
}

Test(root_find, unknown_empty_and_null)
{
    bool name_only = true;

    cr_assert_null(sipmtls_root_find(&test_store, "CN=sipmtls Test Root CA,O=sipmtls test PKI",
                                     NULL, 0, &name_only));
    cr_assert_not(name_only);
    cr_assert_null(sipmtls_root_find(&test_store, "", NULL, 0, NULL));
    cr_assert_null(sipmtls_root_find(&test_store, NULL, NULL, 0, NULL));
    cr_assert_null(sipmtls_root_find(NULL, DIGICERT_G2, NULL, 0, NULL));
}

Test(dn_value, reads_the_first_attribute_unescaped)
{
    char out[64];

    cr_assert(sipmtls_dn_value("CN=R12,O=Let's Encrypt,C=US", "O", out, sizeof out));
    cr_assert_str_eq(out, "Let's Encrypt");
    cr_assert(sipmtls_dn_value("CN=Acme\\, Inc. CA,O=Acme\\, Inc.", "CN", out, sizeof out));
    cr_assert_str_eq(out, "Acme, Inc. CA");
    cr_assert(sipmtls_dn_value("OU=x,O=first,O=second", "O", out, sizeof out));
    cr_assert_str_eq(out, "first");
    /* "OU" is not "O" */
    cr_assert_not(sipmtls_dn_value("OU=Root CA,CN=x", "O", out, sizeof out));
    cr_assert_str_eq(out, "");
    cr_assert_not(sipmtls_dn_value(NULL, "O", out, sizeof out));
}

Test(dn_value, truncates_to_the_buffer)
{
    char out[4];

    cr_assert(sipmtls_dn_value("O=DigiCert Inc", "O", out, sizeof out));
    cr_assert_str_eq(out, "Dig");
}

/* ---- public or private --------------------------------------------------- */

Test(assess, private_chain, .fini = free_arena)
{
    sipmtls_cert chain[] = {
        cert("CN=trunk.carrier.example,O=Example Carrier", "CN=sipmtls Test Issuing CA,O=sipmtls test PKI",
             NULL, 0, "20991231000000Z"),
        cert("CN=sipmtls Test Issuing CA,O=sipmtls test PKI", "CN=sipmtls Test Root CA,O=sipmtls test PKI",
             NULL, 0, NULL),
    };
    sipmtls_assessment a = sipmtls_assess_chain(&test_store, chain, 2, at(0));
    char text[SIPMTLS_MAX_TEXT];

    cr_assert_eq(a.trust, SIPMTLS_CHAIN_PRIVATE);
    cr_assert_eq(a.top, &chain[1]);
    cr_assert_null(a.root);
    cr_assert_eq(a.kind, SIPMTLS_DEADLINE_NONE);
    cr_assert_str_eq(sipmtls_assessment_text(&a, text, sizeof text),
                     "private CA (CN=sipmtls Test Root CA,O=sipmtls test PKI): not affected by the "
                     "public CAs' change, as long as its profile keeps clientAuth");
    cr_assert_str_eq(sipmtls_assessment_brief(&a, text, sizeof text),
                     "private CA, not affected by the public CAs' change");
}

Test(assess, public_chain_by_its_top_issuer)
{
    sipmtls_cert chain[] = {
        cert("CN=trunk.carrier.example", "CN=DigiCert Global G2 TLS RSA SHA256 2020 CA1,O=DigiCert Inc,C=US",
             other_key, sizeof other_key, "20270210120000Z"),
        cert("CN=DigiCert Global G2 TLS RSA SHA256 2020 CA1,O=DigiCert Inc,C=US", DIGICERT_G2,
             g2_key, sizeof g2_key, NULL),
    };
    sipmtls_assessment a = sipmtls_assess_chain(&test_store, chain, 2, parse("20261201000000Z"));
    char text[SIPMTLS_MAX_TEXT];

    cr_assert_eq(a.trust, SIPMTLS_CHAIN_PUBLIC);
    cr_assert_eq(a.root, &test_roots[0]);
    cr_assert_str_eq(a.root->owner, "DigiCert Inc");
    cr_assert_str_eq(a.ca, "DigiCert");
    cr_assert_eq(a.kind, SIPMTLS_DEADLINE_EXPIRY);
    cr_assert_eq(a.deadline, parse("20270210120000Z").secs);
    cr_assert_not(a.past);
    /* The issue's own example. */
    cr_assert_str_eq(sipmtls_assessment_text(&a, text, sizeof text),
                     "breaks at the latest on 2027-02-10, when this DigiCert certificate expires; "
                     "DigiCert stops issuing clientAuth on 2027-03-01");
    cr_assert_str_eq(sipmtls_assessment_brief(&a, text, sizeof text),
                     "breaks at the latest on 2027-02-10, when this DigiCert certificate expires");
}

Test(assess, a_chain_sent_out_of_order_or_with_its_root_is_still_public)
{
    sipmtls_cert reversed[] = {
        cert("CN=leaf", "CN=R12,O=Let's Encrypt,C=US", NULL, 0, NULL),
        cert("CN=R12,O=Let's Encrypt,C=US", ISRG_X1, NULL, 0, NULL),
        cert("CN=unrelated,O=Somebody", "CN=unrelated,O=Somebody", NULL, 0, NULL),
    };
    sipmtls_cert with_root[] = {
        cert("CN=leaf", "CN=R12,O=Let's Encrypt,C=US", NULL, 0, NULL),
        cert("CN=R12,O=Let's Encrypt,C=US", ISRG_X1, NULL, 0, NULL),
        cert(ISRG_X1, ISRG_X1, NULL, 0, NULL),
    };
    sipmtls_assessment a = sipmtls_assess_chain(&test_store, reversed, 3, at(0));

    cr_assert_eq(a.trust, SIPMTLS_CHAIN_PUBLIC);
    cr_assert_eq(a.top, &reversed[1]);
    a = sipmtls_assess_chain(&test_store, with_root, 3, at(0));
    cr_assert_eq(a.trust, SIPMTLS_CHAIN_PUBLIC);
    cr_assert_eq(a.top, &with_root[2]);
    cr_assert_str_eq(a.ca, "Let's Encrypt");
}

Test(assess, a_public_roots_name_with_another_key_is_private)
{
    sipmtls_cert chain[] = {
        cert("CN=leaf", "CN=Fake Intermediate,O=DigiCert Inc,C=US", NULL, 0, "20300101000000Z"),
        cert("CN=Fake Intermediate,O=DigiCert Inc,C=US", DIGICERT_G2, other_key, sizeof other_key, NULL),
    };
    sipmtls_assessment a = sipmtls_assess_chain(&test_store, chain, 2, at(0));
    char text[SIPMTLS_MAX_TEXT];

    cr_assert_eq(a.trust, SIPMTLS_CHAIN_NAME_ONLY);
    cr_assert_eq(a.root, &test_roots[0]);
    cr_assert_eq(a.kind, SIPMTLS_DEADLINE_NONE);
    cr_assert_str_eq(sipmtls_assessment_text(&a, text, sizeof text),
                     "private CA: its issuer is named like the public root " DIGICERT_G2 " but has "
                     "another key; not affected by the public CAs' change, as long as its profile "
                     "keeps clientAuth");
    cr_assert_str_eq(sipmtls_assessment_brief(&a, text, sizeof text),
                     "private CA named like a public root, not affected by the public CAs' change");
}

Test(assess, nothing_to_say_without_certificates_or_issuers)
{
    sipmtls_cert nameless[] = { cert("", "", NULL, 0, NULL) };
    char text[8] = "x";
    sipmtls_assessment a = sipmtls_assess_chain(&test_store, NULL, 0, at(0));

    cr_assert_eq(a.trust, SIPMTLS_CHAIN_UNKNOWN);
    a = sipmtls_assess_chain(&test_store, nameless, 1, at(0));
    cr_assert_eq(a.trust, SIPMTLS_CHAIN_UNKNOWN);
    cr_assert_str_eq(sipmtls_assessment_text(&a, text, sizeof text), "");
}

/* ---- which CA ------------------------------------------------------------- */

Test(cutoff_find, by_the_issuing_ca_then_upwards_then_the_root_owner)
{
    /* GTS's own intermediate, under GTS Root R1 cross-signed by GlobalSign:
     * the issuing CA decides, not the root's owner. */
    sipmtls_cert gts[] = {
        cert("CN=leaf", "CN=WR2,O=Google Trust Services,C=US", NULL, 0, NULL),
        cert("CN=WR2,O=Google Trust Services,C=US", "CN=GTS Root R1,O=Google Trust Services LLC,C=US",
             NULL, 0, NULL),
        cert("CN=GTS Root R1,O=Google Trust Services LLC,C=US", GLOBALSIGN, NULL, 0, NULL),
    };
    /* A brand in the intermediate's CN. */
    sipmtls_cert geotrust[] = {
        cert("CN=leaf", "CN=GeoTrust TLS RSA CA G1,OU=www.digicert.com,O=DigiCert Inc,C=US", NULL, 0, NULL),
    };
    sipmtls_cert bare[] = { cert("CN=leaf", "CN=Issuing CA 7", NULL, 0, NULL) };

    cr_assert_str_eq(sipmtls_cutoff_find(gts, 3, "GlobalSign nv-sa")->ca, "Google Trust Services");
    cr_assert_str_eq(sipmtls_cutoff_find(geotrust, 1, NULL)->ca, "DigiCert");
    cr_assert_str_eq(sipmtls_cutoff_find(bare, 1, "The USERTRUST Network")->ca, "Sectigo");
    cr_assert_str_eq(sipmtls_cutoff_find(bare, 1, "Unizeto Technologies S.A.")->ca, "Certum");
    cr_assert_str_eq(sipmtls_cutoff_find(bare, 1, "SSL Corporation")->ca, "SSL.com");
    cr_assert_null(sipmtls_cutoff_find(bare, 1, "GlobalSign nv-sa"));
    cr_assert_null(sipmtls_cutoff_find(bare, 1, NULL));
}

Test(cutoff_table, holds_the_announced_dates)
{
    static const struct { const char *ca; const char *date; const char *later; } want[] = {
        { "Let's Encrypt", "20260708000000Z", NULL },
        { "DigiCert", "20270301000000Z", NULL },
        { "Sectigo", "20260515000000Z", "20270210000000Z" },
        { "Google Trust Services", "20260413000000Z", NULL },
        { "SSL.com", "20250915000000Z", NULL },
        { "Certum", "20260515000000Z", NULL },
    };
    unsigned n = 0;

    for (const sipmtls_cutoff *c = sipmtls_cutoffs; c->ca != NULL; c++, n++) {
        cr_assert_lt(n, sizeof want / sizeof want[0]);
        cr_assert_str_eq(c->ca, want[n].ca);
        cr_assert_eq(c->date, parse(want[n].date).secs, "%s", c->ca);
        cr_assert_eq(c->later_date, want[n].later ? parse(want[n].later).secs : 0, "%s", c->ca);
        cr_assert_lt(c->date, sipmtls_chrome_serverauth_only, "%s", c->ca);
    }
    cr_assert_eq(n, sizeof want / sizeof want[0]);
    cr_assert_eq(sipmtls_chrome_serverauth_only, parse("20270315000000Z").secs);
}

/* ---- the date rules: before, on and after each cut-off ------------------- */

/* A one-certificate chain under DigiCert Global Root G2 whose issuer names
 * the CA c (by its first name), expiring at not_after. */
static sipmtls_assessment
assess_for(const sipmtls_cutoff *c, int64_t not_after, int64_t now)
{
    static char issuer[SIPMTLS_MAX_TEXT];
    sipmtls_cert leaf;

    snprintf(issuer, sizeof issuer, "CN=%s Test CA", c->names[0]);
    leaf = cert("CN=leaf", issuer, NULL, 0, NULL);
    leaf.not_after = at(not_after);
    /* The root: one the store knows under another owner, so the issuing
     * CA's name is what finds the entry. */
    {
        sipmtls_cert chain[2];
        chain[0] = leaf;
        chain[1] = cert(issuer, ISRG_X1, NULL, 0, NULL);
        if (strcmp(c->ca, "Let's Encrypt") != 0)
            chain[1].issuer = GLOBALSIGN;
        return sipmtls_assess_chain(&test_store, chain, 2, at(now));
    }
}

Test(deadline, before_on_and_after_each_cutoff)
{
    for (const sipmtls_cutoff *c = sipmtls_cutoffs; c->ca != NULL; c++) {
        int64_t d = c->date;
        sipmtls_assessment a;

        /* expires the day before: its expiry is the deadline */
        a = assess_for(c, d - DAY, d - 30 * DAY);
        cr_assert_eq(a.trust, SIPMTLS_CHAIN_PUBLIC, "%s", c->ca);
        cr_assert_str_eq(a.ca, c->ca);
        cr_assert_eq(a.kind, SIPMTLS_DEADLINE_EXPIRY, "%s", c->ca);
        cr_assert_eq(a.deadline, d - DAY, "%s", c->ca);
        /* expires on the day: still its expiry */
        a = assess_for(c, d, d - 30 * DAY);
        cr_assert_eq(a.kind, SIPMTLS_DEADLINE_EXPIRY, "%s", c->ca);
        cr_assert_eq(a.deadline, d, "%s", c->ca);
        /* expires the day after: the cut-off comes first */
        a = assess_for(c, d + DAY, d - 30 * DAY);
        cr_assert_eq(a.kind, SIPMTLS_DEADLINE_CUTOFF, "%s", c->ca);
        cr_assert_eq(a.deadline, d, "%s", c->ca);
        cr_assert_not(a.past, "%s", c->ca);
        /* captured before, on and after the deadline */
        cr_assert_not(assess_for(c, d + DAY, d - 1).past, "%s", c->ca);
        cr_assert(assess_for(c, d + DAY, d).past, "%s", c->ca);
        cr_assert(assess_for(c, d + DAY, d + 1).past, "%s", c->ca);
        cr_assert(assess_for(c, d + DAY, d + 1).cutoff_past, "%s", c->ca);
    }
}

Test(deadline, an_unknown_public_ca_gets_chromes_date)
{
    sipmtls_cert chain[] = {
        cert("CN=leaf", "CN=Example Issuing CA,O=Example Trust Ltd,C=GB", NULL, 0, "20280101000000Z"),
        cert("CN=Example Issuing CA,O=Example Trust Ltd,C=GB", OTHER_ROOT, rekeyed_key,
             sizeof rekeyed_key, NULL),
    };
    sipmtls_assessment a = sipmtls_assess_chain(&test_store, chain, 2, parse("20261201000000Z"));
    char text[SIPMTLS_MAX_TEXT];

    cr_assert_eq(a.trust, SIPMTLS_CHAIN_PUBLIC);
    cr_assert_eq(a.root, &test_roots[4]);
    cr_assert_null(a.cutoff);
    cr_assert_str_eq(a.ca, "Example Trust Ltd");
    cr_assert_eq(a.kind, SIPMTLS_DEADLINE_CUTOFF);
    cr_assert_eq(a.deadline, sipmtls_chrome_serverauth_only);
    cr_assert_str_eq(sipmtls_assessment_text(&a, text, sizeof text),
                     "breaks at the latest on 2027-03-15: Chrome's root programme ends clientAuth "
                     "in certificates issued from 2027-03-15 (Example Trust Ltd announced no "
                     "earlier date), and no renewal or re-issue from then on carries it (this "
                     "certificate expires on 2028-01-01)");
}

Test(deadline, without_a_not_after_the_cutoff)
{
    sipmtls_cert chain[] = { cert("CN=leaf", DIGICERT_G2, NULL, 0, NULL) };
    sipmtls_assessment a = sipmtls_assess_chain(&test_store, chain, 1, parse("20261201000000Z"));
    char text[SIPMTLS_MAX_TEXT];

    cr_assert_eq(a.kind, SIPMTLS_DEADLINE_CUTOFF);
    cr_assert_eq(a.deadline, parse("20270301000000Z").secs);
    cr_assert_str_eq(sipmtls_assessment_text(&a, text, sizeof text),
                     "breaks at the latest on 2027-03-01: DigiCert stops issuing clientAuth on "
                     "2027-03-01, and no renewal or re-issue from then on carries it");
    cr_assert_str_eq(sipmtls_assessment_brief(&a, text, sizeof text),
                     "breaks at the latest on 2027-03-01, when DigiCert stops clientAuth");
}

Test(deadline, cutoff_already_past_at_the_capture)
{
    sipmtls_cert chain[] = {
        cert("CN=leaf", "CN=R12,O=Let's Encrypt,C=US", NULL, 0, "20270115000000Z"),
        cert("CN=R12,O=Let's Encrypt,C=US", ISRG_X1, NULL, 0, NULL),
    };
    sipmtls_assessment a = sipmtls_assess_chain(&test_store, chain, 2, parse("20261201000000Z"));
    char text[SIPMTLS_MAX_TEXT];

    cr_assert_eq(a.kind, SIPMTLS_DEADLINE_CUTOFF);
    cr_assert(a.past);
    cr_assert_eq(a.deadline, parse("20260708000000Z").secs);
    cr_assert_str_eq(sipmtls_assessment_text(&a, text, sizeof text),
                     "already past: Let's Encrypt stopped issuing clientAuth on 2026-07-08; broken "
                     "at the next handshake with a renewed certificate (this one expires on "
                     "2027-01-15)");
    cr_assert_str_eq(sipmtls_assessment_brief(&a, text, sizeof text),
                     "already past: Let's Encrypt stopped clientAuth on 2026-07-08");
}

Test(deadline, an_expired_certificate)
{
    /* Expired before DigiCert's date, captured after its expiry. */
    sipmtls_cert chain[] = { cert("CN=leaf", DIGICERT_G2, NULL, 0, "20261101000000Z") };
    sipmtls_assessment a = sipmtls_assess_chain(&test_store, chain, 1, parse("20261201000000Z"));
    char text[SIPMTLS_MAX_TEXT];

    cr_assert_eq(a.kind, SIPMTLS_DEADLINE_EXPIRY);
    cr_assert(a.past);
    cr_assert_not(a.cutoff_past);
    cr_assert_str_eq(sipmtls_assessment_text(&a, text, sizeof text),
                     "already past: this DigiCert certificate expired on 2026-11-01; broken at the "
                     "next handshake with a renewed certificate (DigiCert stops issuing clientAuth "
                     "on 2027-03-01)");
    cr_assert_str_eq(sipmtls_assessment_brief(&a, text, sizeof text),
                     "already past: this DigiCert certificate expired on 2026-11-01");
}

Test(deadline, an_unsettled_date_says_so)
{
    sipmtls_cert chain[] = {
        cert("CN=leaf", "CN=Sectigo Public Server Authentication CA DV R36,O=Sectigo Limited,C=GB",
             NULL, 0, "20260401000000Z"),
        cert("CN=Sectigo Public Server Authentication CA DV R36,O=Sectigo Limited,C=GB", GLOBALSIGN,
             NULL, 0, NULL),
    };
    sipmtls_assessment a = sipmtls_assess_chain(&test_store, chain, 2, parse("20260101000000Z"));
    char text[SIPMTLS_MAX_TEXT];

    cr_assert_str_eq(a.ca, "Sectigo");
    cr_assert_eq(a.kind, SIPMTLS_DEADLINE_EXPIRY);
    cr_assert_str_eq(sipmtls_assessment_text(&a, text, sizeof text),
                     "breaks at the latest on 2026-04-01, when this Sectigo certificate expires; "
                     "Sectigo stops issuing clientAuth on 2026-05-15 as announced (later reports: "
                     "2027-02-10; unsettled)");
}

Test(date_text, writes_utc_dates)
{
    char out[16];

    cr_assert_str_eq(sipmtls_date_text(0, out, sizeof out), "1970-01-01");
    cr_assert_str_eq(sipmtls_date_text(parse("20270210235959Z").secs, out, sizeof out), "2027-02-10");
    cr_assert_str_eq(sipmtls_date_text(parse("20240229000000Z").secs, out, sizeof out), "2024-02-29");
    cr_assert_str_eq(sipmtls_date_text(-1, out, sizeof out), "1969-12-31");
}

/* ---- the PEM loader and the built-in store -------------------------------- */

Test(roots_from_pem, reads_the_test_pki_root_in_the_glues_format, .fini = free_arena)
{
    FILE *f = fopen(SIPMTLS_SOURCE_DIR "/captures/pki/root-ca.pem", "rb");
    char pem[8192];
    size_t len;
    sipmtls_root *roots;
    unsigned n;
    char err[128];

    cr_assert_not_null(f);
    len = fread(pem, 1, sizeof pem, f);
    fclose(f);
    cr_assert_eq(sipmtls_roots_from_pem(pem, len, &arena, &roots, &n, err, sizeof err), 0, "%s", err);
    cr_assert_eq(n, 1);
    /* As the plugin writes the issuer of the test PKI's issuing CA. */
    cr_assert_str_eq(roots[0].subject, "CN=sipmtls Test Root CA,O=sipmtls test PKI");
    cr_assert_str_eq(roots[0].owner, "sipmtls test PKI");
    cr_assert_eq(roots[0].key_id_len, 20);
    cr_assert_eq(roots[0].name_key, sipmtls_name_key("CN=sipmtls Test Root CA,O=sipmtls test PKI"));
}

Test(roots_from_pem, refuses_what_holds_no_certificate, .fini = free_arena)
{
    sipmtls_root *roots = (sipmtls_root *)1;
    unsigned n = 7;
    char err[128];

    cr_assert_eq(sipmtls_roots_from_pem("not a certificate", 17, &arena, &roots, &n, err, sizeof err), -1);
    cr_assert_null(roots);
    cr_assert_eq(n, 0);
    cr_assert_neq(err[0], '\0');
}

Test(builtin_roots, are_the_mozilla_roots)
{
    const sipmtls_root *g2 = sipmtls_root_find(&sipmtls_builtin_roots, DIGICERT_G2, g2_key,
                                               sizeof g2_key, NULL);
    const sipmtls_root *x1 = sipmtls_root_find(&sipmtls_builtin_roots, ISRG_X1, NULL, 0, NULL);

    cr_assert_gt(sipmtls_builtin_roots.n_roots, 100);
    cr_assert_not_null(strstr(sipmtls_builtin_roots.source, "ca-certificates"));
    cr_assert_not_null(g2);
    cr_assert_str_eq(g2->owner, "DigiCert Inc");
    cr_assert_not_null(x1);
    cr_assert_str_eq(x1->owner, "Internet Security Research Group");
    /* The private test PKI's root is not public. */
    cr_assert_null(sipmtls_root_find(&sipmtls_builtin_roots, "CN=sipmtls Test Root CA,O=sipmtls test PKI",
                                     NULL, 0, NULL));
}

Test(root_find, name_key_compares_as_names_do)
{
    cr_assert_eq(sipmtls_name_key(ISRG_X1),
                 sipmtls_name_key("cn=isrg root x1,o=internet security research group,c=us"));
    cr_assert_neq(sipmtls_name_key(ISRG_X1), sipmtls_name_key(DIGICERT_G2));
    cr_assert_neq(sipmtls_name_key(""), 0);
}

Test(root_find, with_name_keys_finds_what_names_find)
{
    sipmtls_root keyed[5];
    sipmtls_root_store store = { keyed, 5, "test, keyed" };
    bool name_only = false;

    memcpy(keyed, test_roots, sizeof keyed);
    for (unsigned i = 0; i < 5; i++)
        keyed[i].name_key = sipmtls_name_key(keyed[i].subject);
    cr_assert_eq(sipmtls_root_find(&store, "cn=isrg root x1,o=internet security research group,c=us",
                                   NULL, 0, NULL), &keyed[1]);
    cr_assert_eq(sipmtls_root_find(&store, OTHER_ROOT, rekeyed_key, sizeof rekeyed_key, NULL),
                 &keyed[4]);
    cr_assert_null(sipmtls_root_find(&store, OTHER_ROOT, g2_key, sizeof g2_key, &name_only));
    cr_assert(name_only);
    /* the key decides first: a root whose key disagrees is not compared */
    keyed[1].name_key ^= 1;
    cr_assert_null(sipmtls_root_find(&store, ISRG_X1, NULL, 0, NULL));
}

Test(builtin_roots, carry_their_name_keys)
{
    for (unsigned i = 0; i < sipmtls_builtin_roots.n_roots; i++) {
        const sipmtls_root *r = &sipmtls_builtin_roots.roots[i];
        cr_assert_eq(r->name_key, sipmtls_name_key(r->subject), "root %u (%s)", i, r->subject);
    }
}
