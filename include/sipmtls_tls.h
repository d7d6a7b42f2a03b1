/* sipmtls_tls.h
 * The TLS vocabulary sipmtls shows people: alert descriptions, signature
 * schemes and certificate types, by their wire values.  The one home of
 * these names in the project.
 *
 * Copyright 2026 the sipmtls authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPMTLS_TLS_H
#define SIPMTLS_TLS_H

#include <stdint.h>

#include "sipmtls.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Tables end with { 0, NULL }. */
extern const sipmtls_named_value sipmtls_alert_names[];      /* RFC 8446 6, RFC 5246 7.2 */
extern const sipmtls_named_value sipmtls_sig_alg_names[];    /* RFC 8446 4.2.3, RFC 5246 7.4.1.4.1 */
extern const sipmtls_named_value sipmtls_cert_type_names[];  /* RFC 5246 7.4.4, RFC 8422 5.5 */

#ifdef __cplusplus
}
#endif

#endif /* SIPMTLS_TLS_H */
