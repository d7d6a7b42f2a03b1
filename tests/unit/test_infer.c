/* test_infer.c
 * Record-size inference for TLS 1.3 without keys: the arithmetic per cipher
 * suite, each rule that reads the client's flight, and its edge cases.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <criterion/criterion.h>
#include <string.h>

#include "sipmtls_infer.h"

static const sipmtls_suite *
suite(uint16_t id)
{
    const sipmtls_suite *s = sipmtls_suite_find(id);
    cr_assert_not_null(s, "suite 0x%04x must be in the table", id);
    return s;
}

static sipmtls_flight_reading
read_flight(uint16_t id, const uint16_t *lengths, unsigned n, char *why)
{
    return sipmtls_infer_client_flight(suite(id), lengths, n, why, 256);
}

Test(infer, finished_record_sizes_follow_the_hash_and_the_tag)
{
    cr_assert_eq(sipmtls_finished_record_len(suite(0x1301)), 53, "AES-128-GCM-SHA256");
    cr_assert_eq(sipmtls_finished_record_len(suite(0x1302)), 69, "AES-256-GCM-SHA384");
    cr_assert_eq(sipmtls_finished_record_len(suite(0x1303)), 53, "CHACHA20-POLY1305-SHA256");
    cr_assert_eq(sipmtls_finished_record_len(suite(0x1305)), 45, "AES-128-CCM-8: 8-byte tag");
}

Test(infer, empty_certificate_and_alert_record_sizes)
{
    cr_assert_eq(sipmtls_empty_certificate_record_len(suite(0x1301)), 25);
    cr_assert_eq(sipmtls_alert_record_len(suite(0x1302)), 19);
    cr_assert_eq(sipmtls_alert_record_len(suite(0x1305)), 11);
}

Test(infer, unknown_suites_are_not_guessed)
{
    char why[256];
    uint16_t fin[] = { 53 };

    cr_assert_null(sipmtls_suite_find(0xc02f), "a TLS 1.2 suite is not in the TLS 1.3 table");
    sipmtls_flight_reading r = sipmtls_infer_client_flight(NULL, fin, 1, why, sizeof why);
    cr_assert(r.complete);
    cr_assert_eq(r.requested, SIPMTLS_UNDECIDABLE);
    cr_assert_eq(sipmtls_infer_server_reply(NULL, 19), SIPMTLS_UNDECIDABLE);
}

Test(infer, finished_alone_means_no_request)
{
    char why[256];
    uint16_t flight[] = { 69 };
    sipmtls_flight_reading r = read_flight(0x1302, flight, 1, why);

    cr_assert(r.complete);
    cr_assert_eq(r.requested, SIPMTLS_NO);
    cr_assert_str_eq(why, "client's second flight: 1 record (69 bytes) = Finished only "
                          "(TLS_AES_256_GCM_SHA384)");
}

Test(infer, certificate_verify_and_finished_mean_a_chain)
{
    char why[256];
    uint16_t flight[] = { 1842, 281, 69 };
    sipmtls_flight_reading r = read_flight(0x1302, flight, 3, why);

    cr_assert(r.complete);
    cr_assert_eq(r.requested, SIPMTLS_YES);
    cr_assert_eq(r.chain, SIPMTLS_YES);
    cr_assert_str_eq(why, "client's second flight: 3 records (1,842 + 281 + 69 bytes) = "
                          "Certificate + CertificateVerify + Finished");
}

Test(infer, certificate_and_verify_in_one_record_still_mean_a_chain)
{
    char why[256];
    uint16_t flight[] = { 2100, 53 };
    sipmtls_flight_reading r = read_flight(0x1301, flight, 2, why);

    cr_assert_eq(r.requested, SIPMTLS_YES);
    cr_assert_eq(r.chain, SIPMTLS_YES);
}

Test(infer, empty_certificate_then_finished_means_a_request_answered_empty)
{
    char why[256];
    uint16_t flight[] = { 25, 53 };
    sipmtls_flight_reading r = read_flight(0x1303, flight, 2, why);

    cr_assert_eq(r.requested, SIPMTLS_YES);
    cr_assert_eq(r.chain, SIPMTLS_NO);
}

Test(infer, empty_certificate_coalesced_with_finished_is_recognised)
{
    char why[256];
    uint16_t flight[] = { 61 };   /* 8 + 4 + 32 + 1 + 16 */
    sipmtls_flight_reading r = read_flight(0x1301, flight, 1, why);

    cr_assert(r.complete);
    cr_assert_eq(r.requested, SIPMTLS_YES);
    cr_assert_eq(r.chain, SIPMTLS_NO);
}

Test(infer, waits_for_more_records_until_finished_or_three)
{
    char why[256];
    uint16_t flight[] = { 1900, 281, 300 };

    cr_assert_not(read_flight(0x1302, flight, 1, why).complete, "CertificateVerify is to come");
    cr_assert_not(read_flight(0x1302, flight, 2, why).complete, "Finished is still to come");
    sipmtls_flight_reading r = read_flight(0x1302, flight, 3, why);
    cr_assert(r.complete, "no Finished in records 2 and 3: it was in the first");
    cr_assert_eq(r.requested, SIPMTLS_YES);
    cr_assert_eq(r.chain, SIPMTLS_YES, "a first record this large holds certificates");
}

Test(infer, a_small_record_that_is_no_empty_certificate_is_undecidable)
{
    char why[256];
    uint16_t flight[] = { 40, 69 };
    sipmtls_flight_reading r = read_flight(0x1302, flight, 2, why);

    cr_assert(r.complete);
    cr_assert_eq(r.requested, SIPMTLS_UNDECIDABLE);
}

Test(infer, a_certificate_split_over_records_is_still_a_chain)
{
    char why[256];
    uint16_t flight[] = { 1500, 300, 281, 69 };
    sipmtls_flight_reading r = read_flight(0x1302, flight, 4, why);

    cr_assert_eq(r.requested, SIPMTLS_YES);
    cr_assert_eq(r.chain, SIPMTLS_YES);
}

Test(infer, server_reply_of_alert_size_is_a_likely_rejection)
{
    cr_assert_eq(sipmtls_infer_server_reply(suite(0x1302), 19), SIPMTLS_YES);
    cr_assert_eq(sipmtls_infer_server_reply(suite(0x1302), 1194), SIPMTLS_NO,
                 "a session ticket means the server went on");
    cr_assert_eq(sipmtls_infer_server_reply(suite(0x1302), 22), SIPMTLS_NO, "KeyUpdate");
}

Test(infer, explanation_is_bounded)
{
    char why[16];
    uint16_t flight[] = { 1842, 281, 69 };

    memset(why, 'x', sizeof why);
    sipmtls_infer_client_flight(suite(0x1302), flight, 3, why, sizeof why);
    cr_assert_eq(strlen(why), sizeof why - 1);
}

/* ---- issue 14: flights read as sequences, with the server's as reference */

static sipmtls_flight_reading
read_both(uint16_t id, const uint16_t *server, unsigned n_server, const uint16_t *client,
          unsigned n_client, bool answered, char *why)
{
    sipmtls_flights f = { suite(id), server, n_server, false, client, n_client, answered };
    return sipmtls_infer_flights(&f, why, 512);
}

/* JSSE (OpenJDK 17) pads every TLS 1.3 record by 16 bytes. */
static const uint16_t jsse_server_request[] = { 65, 184, 1835, 297, 85 };   /* SHA-384 */
static const uint16_t jsse_server_none[] = { 65, 1835, 297, 85 };
/* OpenSSL and Go: one message per record, unpadded. */
static const uint16_t openssl_server_request[] = { 23, 130, 1819, 281, 69 };
static const uint16_t openssl_server_none[] = { 23, 1819, 281, 69 };
static const uint16_t go_server_none_ticket[] = { 23, 1819, 281, 53, 147 };   /* SHA-256 */
/* NSS: the whole flight in one record. */
static const uint16_t nss_server[] = { 3132 };

Test(infer, the_server_flight_shows_its_padding_and_its_request)
{
    sipmtls_server_reading r = sipmtls_infer_server_flight(suite(0x1302), jsse_server_request, 5, false);

    cr_assert_eq(r.finished, 4);
    cr_assert_eq(r.padding, 16);
    cr_assert_eq(r.requested, SIPMTLS_YES, "EE, CR, Certificate, CertificateVerify, Finished");
    r = sipmtls_infer_server_flight(suite(0x1302), jsse_server_none, 4, false);
    cr_assert_eq(r.requested, SIPMTLS_NO, "EE, Certificate, CertificateVerify, Finished");
    r = sipmtls_infer_server_flight(suite(0x1302), openssl_server_request, 5, false);
    cr_assert_eq(r.padding, 0);
    cr_assert_eq(r.requested, SIPMTLS_YES);
}

Test(infer, tickets_after_the_server_finished_do_not_count)
{
    sipmtls_server_reading r = sipmtls_infer_server_flight(suite(0x1301), go_server_none_ticket, 5, false);

    cr_assert_eq(r.finished, 3);
    cr_assert_eq(r.requested, SIPMTLS_NO);
}

Test(infer, a_server_flight_that_does_not_count_clearly_shows_nothing)
{
    static const uint16_t two_candidates[] = { 23, 60, 1819, 281, 53 };    /* 60: Finished + 7? */
    static const uint16_t split[] = { 23, 130, 16401, 1819, 281, 53 };     /* a full record */
    static const uint16_t psk[] = { 23, 69 };
    sipmtls_server_reading r;

    r = sipmtls_infer_server_flight(suite(0x1302), nss_server, 1, false);
    cr_assert_eq(r.finished, -1, "one record: no Finished of its own");
    cr_assert_eq(r.padding, -1);
    cr_assert_eq(r.requested, SIPMTLS_UNKNOWN);
    r = sipmtls_infer_server_flight(suite(0x1302), openssl_server_request, 5, true);
    cr_assert_eq(r.requested, SIPMTLS_UNKNOWN, "records were left out");
    r = sipmtls_infer_server_flight(suite(0x1301), two_candidates, 5, false);
    cr_assert_eq(r.finished, -1);
    r = sipmtls_infer_server_flight(suite(0x1301), split, 6, false);
    cr_assert_eq(r.requested, SIPMTLS_UNKNOWN, "a message over two records");
    r = sipmtls_infer_server_flight(suite(0x1302), psk, 2, false);
    cr_assert_eq(r.finished, 1);
    cr_assert_eq(r.requested, SIPMTLS_UNKNOWN, "no certificates at all: PSK");
}

Test(infer, a_padded_finished_is_read_with_the_server_padding_as_reference)
{
    char why[512];
    uint16_t client[] = { 85 };   /* 69 + 16 */
    sipmtls_flight_reading r = read_both(0x1302, jsse_server_none, 4, client, 1, false, why);

    cr_assert(r.complete);
    cr_assert_eq(r.requested, SIPMTLS_NO);
    cr_assert_str_eq(why, "client's second flight: 1 record (85 bytes) = Finished only, each "
                          "record padded by 16 bytes; the server's flight shows no "
                          "CertificateRequest (its Finished is record 4 of 4, 85 bytes)");
}

Test(infer, a_padded_finished_is_read_when_the_server_shows_no_request)
{
    char why[512];
    uint16_t client[] = { 85 };   /* a JSSE client, an OpenSSL server */
    sipmtls_flight_reading r = read_both(0x1302, openssl_server_none, 4, client, 1, false, why);

    cr_assert_eq(r.requested, SIPMTLS_NO);
}

Test(infer, a_padded_finished_alone_is_not_believed)
{
    char why[512];
    uint16_t client[] = { 85 };
    sipmtls_flight_reading r = read_both(0x1302, nss_server, 1, client, 1, false, why);

    cr_assert(r.complete);
    cr_assert_eq(r.requested, SIPMTLS_UNDECIDABLE, "85 = Finished + 16 or empty Certificate "
                 "and Finished + 8: nothing shows which padding");
}

Test(infer, padded_readings_that_disagree_are_undecidable)
{
    char why[512];
    static const uint16_t server_padded_16_uncounted[] = { 3132, 85 };
    uint16_t client[] = { 85 };
    sipmtls_flight_reading r = read_both(0x1302, server_padded_16_uncounted, 2, client, 1, false, why);

    cr_assert_eq(r.requested, SIPMTLS_UNDECIDABLE);
    cr_assert_str_eq(why, "client's second flight: 1 record (85 bytes) is a padded Finished or "
                          "a padded empty Certificate with Finished: nothing tells which; the "
                          "server's Finished is its record 2 of 2 (85 bytes)");
}

Test(infer, two_records_padded_alike_show_an_empty_certificate)
{
    char why[512];
    uint16_t client[] = { 41, 85 };   /* 25 + 16, 69 + 16 */

    cr_assert_not(read_flight(0x1302, client, 1, why).complete, "its Finished is next");
    sipmtls_flight_reading r = read_flight(0x1302, client, 2, why);
    cr_assert(r.complete);
    cr_assert_eq(r.requested, SIPMTLS_YES);
    cr_assert_eq(r.chain, SIPMTLS_NO);
    cr_assert_str_eq(why, "client's second flight: 2 records (41 + 85 bytes) = empty "
                          "Certificate + Finished, each record padded by 16 bytes");
}

Test(infer, an_unpadded_coalesced_empty_certificate_needs_no_server)
{
    char why[512];
    uint16_t client[] = { 61 };   /* NSS: 8 + 36 + 17 */
    sipmtls_flight_reading r = read_both(0x1301, nss_server, 1, client, 1, false, why);

    cr_assert_eq(r.requested, SIPMTLS_YES);
    cr_assert_eq(r.chain, SIPMTLS_NO);
}

Test(infer, a_reading_the_server_count_contradicts_is_no_reading)
{
    char why[512];
    uint16_t fin[] = { 69 }, empty_and_fin[] = { 77 }, chain[] = { 1842, 281, 69 };

    cr_assert_eq(read_both(0x1302, openssl_server_request, 5, fin, 1, false, why).requested,
                 SIPMTLS_UNDECIDABLE, "Finished only, after a CertificateRequest");
    cr_assert_eq(read_both(0x1302, openssl_server_none, 4, empty_and_fin, 1, false, why).requested,
                 SIPMTLS_UNDECIDABLE, "an empty Certificate, with no request");
    cr_assert_eq(read_both(0x1302, openssl_server_none, 4, chain, 3, false, why).requested,
                 SIPMTLS_UNDECIDABLE, "certificates, with no request");
    cr_assert_str_eq(why, "client's second flight: 1 record (1,842 bytes) holds certificates, "
                          "which the server's flight contradicts: the server's flight shows no "
                          "CertificateRequest (its Finished is record 4 of 4, 69 bytes)");
}

Test(infer, one_record_of_certificates_ends_the_flight_when_the_server_answers)
{
    char why[512];
    uint16_t nss_client[] = { 2142, 466 };   /* Certificate, CertificateVerify, Finished; data */

    cr_assert_not(read_both(0x1301, openssl_server_request, 5, nss_client, 1, false, why).complete);
    cr_assert_not(read_both(0x1301, openssl_server_request, 5, nss_client, 2, false, why).complete);
    sipmtls_flight_reading r = read_both(0x1301, openssl_server_request, 5, nss_client, 2, true, why);
    cr_assert(r.complete);
    cr_assert_eq(r.requested, SIPMTLS_YES);
    cr_assert_eq(r.chain, SIPMTLS_YES);
}

Test(infer, a_server_alert_in_the_middle_of_the_flight_ends_it)
{
    char why[512];
    uint16_t jsse_client[] = { 1849 };   /* OpenSSL refuses the Certificate before the rest */
    sipmtls_flight_reading r = read_both(0x1302, openssl_server_request, 5, jsse_client, 1, true, why);

    cr_assert(r.complete);
    cr_assert_eq(r.chain, SIPMTLS_YES);
    cr_assert_str_eq(why, "client's second flight: 1 record (1,849 bytes) = Certificate holding "
                          "certificates (130 bytes or more), CertificateVerify and Finished in "
                          "it or still to come (the server answered next)");
}

Test(infer, padded_certificate_flight_says_its_padding)
{
    char why[512];
    uint16_t jsse_client[] = { 1858, 297, 85 };
    sipmtls_flight_reading r = read_flight(0x1302, jsse_client, 3, why);

    cr_assert_eq(r.chain, SIPMTLS_YES);
    cr_assert_str_eq(why, "client's second flight: 3 records (1,858 + 297 + 85 bytes) = "
                          "Certificate + CertificateVerify + Finished, each record padded by "
                          "16 bytes");
}

Test(infer, the_server_alert_is_padded_like_its_flight)
{
    sipmtls_flights jsse = { suite(0x1302), jsse_server_request, 5, false, NULL, 0, true };
    sipmtls_flights nss = { suite(0x1302), nss_server, 1, false, NULL, 0, true };

    cr_assert_eq(sipmtls_infer_reply(&jsse, 35), SIPMTLS_YES, "19 + 16");
    cr_assert_eq(sipmtls_infer_reply(&jsse, 19), SIPMTLS_NO, "JSSE pads every record");
    cr_assert_eq(sipmtls_infer_reply(&jsse, 2101), SIPMTLS_NO, "a ticket");
    cr_assert_eq(sipmtls_infer_reply(&nss, 19), SIPMTLS_YES, "padding unknown: none");
}
