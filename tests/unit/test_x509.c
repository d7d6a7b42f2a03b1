/* test_x509.c
 * The X.509 vocabulary: OID names, RFC 4514 names, ASN.1 times.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <criterion/criterion.h>
#include <string.h>

#include "sipmtls_x509.h"

Test(eku_name, knows_client_and_server_auth)
{
    cr_assert_str_eq(sipmtls_eku_name("1.3.6.1.5.5.7.3.2"), "id-kp-clientAuth");
    cr_assert_str_eq(sipmtls_eku_name("1.3.6.1.5.5.7.3.1"), "id-kp-serverAuth");
    cr_assert_str_eq(sipmtls_eku_name("1.3.6.1.5.5.7.3.20"), "id-kp-sipDomain");
}

Test(eku_name, returns_null_for_unknown_and_null)
{
    cr_assert_null(sipmtls_eku_name("1.2.3.4"));
    cr_assert_null(sipmtls_eku_name(NULL));
    /* A prefix of a known OID is not that OID. */
    cr_assert_null(sipmtls_eku_name("1.3.6.1.5.5.7.3"));
}

Test(dn_format, writes_most_specific_attribute_first)
{
    sipmtls_dn_attr attrs[] = {
        { "2.5.4.6", "US" }, { "2.5.4.10", "Test CA" }, { "2.5.4.3", "Test Root" },
    };
    char out[SIPMTLS_MAX_TEXT];

    cr_assert_str_eq(sipmtls_dn_format(attrs, 3, out, sizeof out), "CN=Test Root,O=Test CA,C=US");
}

Test(dn_format, escapes_rfc4514_specials)
{
    sipmtls_dn_attr attrs[] = { { "2.5.4.10", "Acme, Inc. <x>" }, { "2.5.4.3", " #lead" } };
    char out[SIPMTLS_MAX_TEXT];

    cr_assert_str_eq(sipmtls_dn_format(attrs, 2, out, sizeof out),
                     "CN=\\ #lead,O=Acme\\, Inc. \\<x\\>");
}

Test(dn_format, escapes_control_characters_as_hex)
{
    sipmtls_dn_attr attrs[] = { { "2.5.4.3", "a\nb" } };
    char out[SIPMTLS_MAX_TEXT];

    cr_assert_str_eq(sipmtls_dn_format(attrs, 1, out, sizeof out), "CN=a\\0Ab");
}

Test(dn_format, writes_unknown_types_as_oid_and_missing_values_as_question_mark)
{
    sipmtls_dn_attr attrs[] = { { "1.2.3.4", "x" }, { "2.5.4.3", NULL }, { NULL, "y" } };
    char out[SIPMTLS_MAX_TEXT];

    cr_assert_str_eq(sipmtls_dn_format(attrs, 3, out, sizeof out), "?=y,CN=?,1.2.3.4=x");
}

Test(dn_format, truncates_with_ellipsis_and_never_overruns)
{
    sipmtls_dn_attr attrs[] = { { "2.5.4.3", "abcdefghijklmnopqrstuvwxyz" } };
    char out[16];

    memset(out, 'Z', sizeof out);
    cr_assert_str_eq(sipmtls_dn_format(attrs, 1, out, 12), "CN=abcde...");
    cr_assert_eq(out[12], 'Z', "byte past the given size must be untouched");
}

Test(dn_format, empty_name_is_empty_string)
{
    char out[8] = "junk";

    cr_assert_str_eq(sipmtls_dn_format(NULL, 0, out, sizeof out), "");
}

Test(asn1_time, reads_utc_time)
{
    sipmtls_time t = sipmtls_asn1_time_parse("261127024144Z", 13);

    cr_assert(t.valid);
    cr_assert_eq(t.secs, 1795747304LL, "expected 2026-11-27 02:41:44 UTC, got %lld",
                 (long long)t.secs);
}

Test(asn1_time, utc_years_from_50_are_last_century)
{
    sipmtls_time t = sipmtls_asn1_time_parse("500101000000Z", 13);

    cr_assert(t.valid);
    cr_assert_eq(t.secs, -631152000LL);
}

Test(asn1_time, reads_generalized_time_and_leap_day)
{
    sipmtls_time t = sipmtls_asn1_time_parse("20960229235959Z", 15);

    cr_assert(t.valid);
    cr_assert_eq(t.secs, 3981398399LL);
}

Test(asn1_time, rejects_malformed_times)
{
    cr_assert_not(sipmtls_asn1_time_parse("261127024144", 12).valid, "no Z");
    cr_assert_not(sipmtls_asn1_time_parse("261327024144Z", 13).valid, "month 13");
    cr_assert_not(sipmtls_asn1_time_parse("270229000000Z", 13).valid, "29 Feb 2027");
    cr_assert_not(sipmtls_asn1_time_parse("2611270241+1Z", 13).valid, "sign in digits");
    cr_assert_not(sipmtls_asn1_time_parse("20261127024144.5Z", 17).valid, "fraction");
    cr_assert_not(sipmtls_asn1_time_parse(NULL, 13).valid, "NULL");
    cr_assert_not(sipmtls_asn1_time_parse("261127246000Z", 13).valid, "hour 24");
}

Test(oid_from_der, writes_the_dotted_form)
{
    static const uint8_t client_auth[] = { 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x02 };
    static const uint8_t common_name[] = { 0x55, 0x04, 0x03 };
    static const uint8_t any_eku[] = { 0x55, 0x1d, 0x25, 0x00 };
    static const uint8_t big_arc[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01 };
    char out[64];

    cr_assert(sipmtls_oid_from_der(client_auth, sizeof client_auth, out, sizeof out));
    cr_assert_str_eq(out, "1.3.6.1.5.5.7.3.2");
    cr_assert(sipmtls_oid_from_der(common_name, sizeof common_name, out, sizeof out));
    cr_assert_str_eq(out, "2.5.4.3");
    cr_assert(sipmtls_oid_from_der(any_eku, sizeof any_eku, out, sizeof out));
    cr_assert_str_eq(out, "2.5.29.37.0");
    cr_assert(sipmtls_oid_from_der(big_arc, sizeof big_arc, out, sizeof out));
    cr_assert_str_eq(out, "1.2.840.113549.1.9.1");
}

Test(oid_from_der, first_arc_two_takes_large_second_arcs)
{
    static const uint8_t oid[] = { 0x88, 0x37, 0x03 };   /* 2.999.3 */
    char out[32];

    cr_assert(sipmtls_oid_from_der(oid, sizeof oid, out, sizeof out));
    cr_assert_str_eq(out, "2.999.3");
}

Test(oid_from_der, rejects_what_x690_forbids)
{
    static const uint8_t truncated[] = { 0x2b, 0x86 };
    static const uint8_t padded[] = { 0x2b, 0x80, 0x01 };
    static const uint8_t huge[] = { 0x2b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f };
    char out[64] = "junk";

    cr_assert_not(sipmtls_oid_from_der(truncated, sizeof truncated, out, sizeof out));
    cr_assert_str_eq(out, "", "nothing half-written");
    cr_assert_not(sipmtls_oid_from_der(padded, sizeof padded, out, sizeof out));
    cr_assert_not(sipmtls_oid_from_der(huge, sizeof huge, out, sizeof out));
    cr_assert_not(sipmtls_oid_from_der(NULL, 0, out, sizeof out));
}

Test(oid_from_der, never_overruns_a_small_buffer)
{
    static const uint8_t client_auth[] = { 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x02 };
    char out[12];

    memset(out, 'Z', sizeof out);
    cr_assert_not(sipmtls_oid_from_der(client_auth, sizeof client_auth, out, 8));
    cr_assert_str_eq(out, "");
    cr_assert_eq(out[8], 'Z');
}
