/* sipmtls_x509.h
 * The X.509 vocabulary of sipmtls: the object identifiers it knows by name,
 * how a distinguished name is written, and how ASN.1 times are read.
 * This is the one home of every OID the project uses.
 *
 * The glue collects, in DER order, the (attribute type OID, value) pairs of a
 * Name from Wireshark's x509if/x509sat fields; sipmtls_dn_format() turns them
 * into the RFC 4514 string people know from OpenSSL ("CN=sbc,O=Example,C=US":
 * most specific attribute first, special characters escaped).
 *
 * Copyright 2026 the sipmtls authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPMTLS_X509_H
#define SIPMTLS_X509_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sipmtls.h"

#ifdef __cplusplus
extern "C" {
#endif

/* id-kp-clientAuth (RFC 5280 section 4.2.1.12): the purpose public CAs stop
 * putting into TLS server certificates in 2026-2027. */
#define SIPMTLS_OID_KP_CLIENT_AUTH "1.3.6.1.5.5.7.3.2"
#define SIPMTLS_OID_KP_SERVER_AUTH "1.3.6.1.5.5.7.3.1"

/* The name Wireshark and OpenSSL give an extended key usage OID
 * ("id-kp-clientAuth"), or NULL when the core does not know it. */
const char *sipmtls_eku_name(const char *oid);

/* The short name of a DN attribute type ("CN" for 2.5.4.3), or NULL. */
const char *sipmtls_dn_attr_name(const char *oid);

/* One attribute of a distinguished name, as read from the capture. */
typedef struct sipmtls_dn_attr {
    const char *oid;    /* dotted attribute type, may be NULL if unreadable */
    const char *value;  /* UTF-8 value, may be NULL if unreadable */
} sipmtls_dn_attr;

/* Writes the RFC 4514 form of a Name whose attributes are given in DER
 * order (the order of the RDNSequence) into out (size bytes, NUL-terminated,
 * truncated with "..." when it does not fit).  Unknown attribute types are
 * written as their dotted OID, unreadable values as "?".  Returns out. */
char *sipmtls_dn_format(const sipmtls_dn_attr *attrs, size_t n_attrs,
                        char *out, size_t size);

/* Writes the dotted form of a DER-encoded OBJECT IDENTIFIER's contents
 * (der, len bytes, without tag and length) into out (size bytes).  Returns
 * false, with out empty, for an encoding X.690 8.19 forbids (empty,
 * truncated, padded with 0x80, an arc over 64 bits) or one that does not
 * fit.  Certificates repeat a few OIDs thousands of times: this keeps the
 * common path free of epan's resolver. */
bool sipmtls_oid_from_der(const uint8_t *der, size_t len, char *out, size_t size);

/* Reads an ASN.1 time as carried in a certificate's validity: UTCTime
 * "YYMMDDHHMMSSZ" (years 50-99 are 19xx, RFC 5280 section 4.1.2.5.1) or
 * GeneralizedTime "YYYYMMDDHHMMSSZ".  len is the byte count (no NUL needed).
 * Anything else, including fractions and time zones that RFC 5280 forbids,
 * gives an invalid time. */
sipmtls_time sipmtls_asn1_time_parse(const char *text, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* SIPMTLS_X509_H */
