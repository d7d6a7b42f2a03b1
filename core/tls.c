/* tls.c
 * Names of TLS alert descriptions, signature schemes and certificate types
 * (see sipmtls_tls.h).  Spelled as the RFCs spell them, which is also how
 * OpenSSL and Wireshark print them.
 *
 * Copyright 2026 the sipmtls authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "sipmtls_tls.h"

#include <stddef.h>

const sipmtls_named_value sipmtls_alert_names[] = {
    { 0,   "close_notify" },
    { 10,  "unexpected_message" },
    { 20,  "bad_record_mac" },
    { 21,  "decryption_failed" },
    { 22,  "record_overflow" },
    { 30,  "decompression_failure" },
    { 40,  "handshake_failure" },
    { 41,  "no_certificate" },
    { 42,  "bad_certificate" },
    { 43,  "unsupported_certificate" },
    { 44,  "certificate_revoked" },
    { 45,  "certificate_expired" },
    { 46,  "certificate_unknown" },
    { 47,  "illegal_parameter" },
    { 48,  "unknown_ca" },
    { 49,  "access_denied" },
    { 50,  "decode_error" },
    { 51,  "decrypt_error" },
    { 60,  "export_restriction" },
    { 70,  "protocol_version" },
    { 71,  "insufficient_security" },
    { 80,  "internal_error" },
    { 86,  "inappropriate_fallback" },
    { 90,  "user_canceled" },
    { 100, "no_renegotiation" },
    { 109, "missing_extension" },
    { 110, "unsupported_extension" },
    { 111, "certificate_unobtainable" },
    { 112, "unrecognized_name" },
    { 113, "bad_certificate_status_response" },
    { 114, "bad_certificate_hash_value" },
    { 115, "unknown_psk_identity" },
    { 116, "certificate_required" },
    { 120, "no_application_protocol" },
    { 0, NULL }
};

const sipmtls_named_value sipmtls_sig_alg_names[] = {
    { 0x0201, "rsa_pkcs1_sha1" },
    { 0x0203, "ecdsa_sha1" },
    { 0x0301, "rsa_pkcs1_sha224" },
    { 0x0303, "ecdsa_sha224" },
    { 0x0401, "rsa_pkcs1_sha256" },
    { 0x0403, "ecdsa_secp256r1_sha256" },
    { 0x0501, "rsa_pkcs1_sha384" },
    { 0x0503, "ecdsa_secp384r1_sha384" },
    { 0x0601, "rsa_pkcs1_sha512" },
    { 0x0603, "ecdsa_secp521r1_sha512" },
    { 0x0804, "rsa_pss_rsae_sha256" },
    { 0x0805, "rsa_pss_rsae_sha384" },
    { 0x0806, "rsa_pss_rsae_sha512" },
    { 0x0807, "ed25519" },
    { 0x0808, "ed448" },
    { 0x0809, "rsa_pss_pss_sha256" },
    { 0x080a, "rsa_pss_pss_sha384" },
    { 0x080b, "rsa_pss_pss_sha512" },
    { 0x081a, "ecdsa_brainpoolP256r1tls13_sha256" },
    { 0x081b, "ecdsa_brainpoolP384r1tls13_sha384" },
    { 0x081c, "ecdsa_brainpoolP512r1tls13_sha512" },
    /* TLS 1.2 (hash, signature) pairs that TLS 1.3 did not rename. */
    { 0x0101, "rsa_md5" },
    { 0x0202, "dsa_sha1" },
    { 0x0302, "dsa_sha224" },
    { 0x0402, "dsa_sha256" },
    { 0x0502, "dsa_sha384" },
    { 0x0602, "dsa_sha512" },
    { 0, NULL }
};

const sipmtls_named_value sipmtls_cert_type_names[] = {
    { 1,  "rsa_sign" },
    { 2,  "dss_sign" },
    { 3,  "rsa_fixed_dh" },
    { 4,  "dss_fixed_dh" },
    { 64, "ecdsa_sign" },
    { 65, "rsa_fixed_ecdh" },
    { 66, "ecdsa_fixed_ecdh" },
    { 0, NULL }
};

const char *
sipmtls_name_of(const sipmtls_named_value *table, uint32_t value)
{
    for (; table->name != NULL; table++) {
        if (table->value == value)
            return table->name;
    }
    return NULL;
}
