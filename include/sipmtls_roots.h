/* sipmtls_roots.h
 * The built-in public root store: the Mozilla roots as the build machine's
 * Debian ca-certificates package ships them, turned into a C table at build
 * time by tools/gen-roots.c (see CMakeLists.txt).  Its `source` names the
 * package version, so that a test (tests/ca/roots-current.sh) can say when
 * the installed package has moved on.
 *
 * Copyright 2026 the sipmtls authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPMTLS_ROOTS_H
#define SIPMTLS_ROOTS_H

#include "sipmtls_ca.h"

extern const sipmtls_root_store sipmtls_builtin_roots;

#endif /* SIPMTLS_ROOTS_H */
