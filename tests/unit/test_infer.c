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

Test(infer, waits_for_more_records_until_finished_or_the_bound)
{
    char why[256];
    uint16_t flight[SIPMTLS_MAX_FLIGHT_RECORDS] = { 1900, 281 };

    cr_assert_not(read_flight(0x1302, flight, 2, why).complete, "Finished is still to come");
    for (unsigned i = 2; i < SIPMTLS_MAX_FLIGHT_RECORDS; i++)
        flight[i] = 300;
    sipmtls_flight_reading r = read_flight(0x1302, flight, SIPMTLS_MAX_FLIGHT_RECORDS, why);
    cr_assert(r.complete);
    cr_assert_eq(r.requested, SIPMTLS_UNDECIDABLE, "padding or coalescing: say so");
}

Test(infer, a_small_record_that_is_no_empty_certificate_is_undecidable)
{
    char why[256];
    uint16_t flight[] = { 40, 69 };
    sipmtls_flight_reading r = read_flight(0x1302, flight, 2, why);

    cr_assert(r.complete);
    cr_assert_eq(r.requested, SIPMTLS_UNDECIDABLE);
}

Test(infer, three_records_before_finished_fit_no_pattern)
{
    char why[256];
    uint16_t flight[] = { 1500, 300, 281, 69 };

    cr_assert_eq(read_flight(0x1302, flight, 4, why).requested, SIPMTLS_UNDECIDABLE);
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
