/* sipmtls_ca_pem.h
 * Reading trusted roots from a PEM bundle with GnuTLS, which Wireshark links:
 * at build time (tools/gen-roots.c turns Debian's Mozilla roots into the
 * built-in table) and when the plugin's root store preference names a file.
 * Subjects are written by sipmtls_dn_format(), the same code that writes
 * the issuers read from a capture, so the two compare as strings.
 *
 * Kept apart from the core so that the core links nothing but libc.
 *
 * Copyright 2026 the sipmtls authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPMTLS_CA_PEM_H
#define SIPMTLS_CA_PEM_H

#include <stddef.h>
#include <stdint.h>

#include "sipmtls.h"
#include "sipmtls_ca.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Reads every certificate of the PEM text (len bytes) into *roots and
 * *n_roots, memory from alloc.  Returns 0, or -1 with a one-line reason in
 * err (errsize bytes) when the text holds no certificate GnuTLS can read.
 * A bundle holds at most SIPMTLS_MAX_ROOTS certificates. */
#define SIPMTLS_MAX_ROOTS 4096
int sipmtls_roots_from_pem(const char *pem, size_t len, const sipmtls_allocator *alloc,
                           sipmtls_root **roots, unsigned *n_roots, char *err, size_t errsize);

#ifdef __cplusplus
}
#endif

#endif /* SIPMTLS_CA_PEM_H */
