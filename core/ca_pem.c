/* ca_pem.c
 * Trusted roots from a PEM bundle, read with GnuTLS.  See sipmtls_ca_pem.h.
 *
 * Copyright 2026 the sipmtls authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "sipmtls_ca_pem.h"

#include <stdio.h>
#include <string.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "sipmtls_x509.h"

/* ASN.1 universal tags of the string types a Name uses (X.680 8.4). */
#define TAG_UTF8_STRING      12
#define TAG_TELETEX_STRING   20
#define TAG_UNIVERSAL_STRING 28
#define TAG_BMP_STRING       30

static void *
alloc0(const sipmtls_allocator *a, size_t size)
{
    return a->alloc(a->ctx, size);
}

static size_t
put_utf8(char *out, size_t at, size_t size, uint32_t cp)
{
    char buf[4];
    size_t n;

    if (cp < 0x80) {
        buf[0] = (char)cp; n = 1;
    } else if (cp < 0x800) {
        buf[0] = (char)(0xc0 | (cp >> 6)); buf[1] = (char)(0x80 | (cp & 0x3f)); n = 2;
    } else if (cp < 0x10000) {
        buf[0] = (char)(0xe0 | (cp >> 12)); buf[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        buf[2] = (char)(0x80 | (cp & 0x3f)); n = 3;
    } else if (cp < 0x110000) {
        buf[0] = (char)(0xf0 | (cp >> 18)); buf[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
        buf[2] = (char)(0x80 | ((cp >> 6) & 0x3f)); buf[3] = (char)(0x80 | (cp & 0x3f)); n = 4;
    } else {
        buf[0] = '?'; n = 1;
    }
    if (at + n + 1 > size)
        return at;
    memcpy(out + at, buf, n);
    return at + n;
}

/* A value as UTF-8, the way Wireshark's x509sat fields give it: UTF8String,
 * PrintableString and IA5String as they are, BMPString (UCS-2) and
 * UniversalString (UCS-4) converted, TeletexString read as Latin-1. */
static char *
value_text(const sipmtls_allocator *a, const gnutls_x509_ava_st *ava)
{
    const unsigned char *v = ava->value.data;
    size_t n = ava->value.size, at = 0, size = 4 * n + 1;
    char *out = alloc0(a, size);

    switch (ava->value_tag) {
    case TAG_BMP_STRING:
        for (size_t i = 0; i + 1 < n; i += 2)
            at = put_utf8(out, at, size, (uint32_t)v[i] << 8 | v[i + 1]);
        break;
    case TAG_UNIVERSAL_STRING:
        for (size_t i = 0; i + 3 < n; i += 4)
            at = put_utf8(out, at, size, (uint32_t)v[i] << 24 | (uint32_t)v[i + 1] << 16
                                         | (uint32_t)v[i + 2] << 8 | v[i + 3]);
        break;
    case TAG_TELETEX_STRING:
        for (size_t i = 0; i < n; i++)
            at = put_utf8(out, at, size, v[i]);
        break;
    default:
        memcpy(out, v, n);
        at = n;
        break;
    }
    out[at] = '\0';
    return out;
}

static char *
copy_datum(const sipmtls_allocator *a, const gnutls_datum_t *d)
{
    char *s = alloc0(a, d->size + 1);
    memcpy(s, d->data, d->size);
    return s;
}

/* The subject in RFC 4514 form and its owner (O, else CN). */
static int
read_subject(const sipmtls_allocator *a, gnutls_x509_crt_t crt, sipmtls_root *r)
{
    enum { MAX_ATTRS = 64 };
    sipmtls_dn_attr attrs[MAX_ATTRS];
    size_t n = 0;
    gnutls_x509_dn_t dn;
    const char *o = NULL, *cn = NULL;
    char *text;

    if (gnutls_x509_crt_get_subject(crt, &dn) < 0)
        return -1;
    /* RDNs and their attributes in DER order, as the glue reads them. */
    for (int i = 0; n < MAX_ATTRS; i++) {
        gnutls_x509_ava_st ava;
        if (gnutls_x509_dn_get_rdn_ava(dn, i, 0, &ava) < 0)
            break;
        for (int j = 0; n < MAX_ATTRS && gnutls_x509_dn_get_rdn_ava(dn, i, j, &ava) == 0; j++) {
            attrs[n].oid = copy_datum(a, &ava.oid);
            attrs[n].value = value_text(a, &ava);
            if (o == NULL && strcmp(attrs[n].oid, "2.5.4.10") == 0)
                o = attrs[n].value;
            if (cn == NULL && strcmp(attrs[n].oid, "2.5.4.3") == 0)
                cn = attrs[n].value;
            n++;
        }
    }
    text = alloc0(a, SIPMTLS_MAX_TEXT);
    r->subject = sipmtls_dn_format(attrs, n, text, SIPMTLS_MAX_TEXT);
    r->owner = o != NULL ? o : cn != NULL ? cn : "";
    return 0;
}

int
sipmtls_roots_from_pem(const char *pem, size_t len, const sipmtls_allocator *alloc,
                       sipmtls_root **roots, unsigned *n_roots, char *err, size_t errsize)
{
    gnutls_x509_crt_t *crts = NULL;
    unsigned n = 0, kept = 0;
    gnutls_datum_t data;
    sipmtls_root *out;
    int rc;

    *roots = NULL;
    *n_roots = 0;
    if (errsize > 0)
        err[0] = '\0';
    data.data = (unsigned char *)(uintptr_t)pem;
    data.size = (unsigned)len;
    rc = gnutls_x509_crt_list_import2(&crts, &n, &data, GNUTLS_X509_FMT_PEM, 0);
    if (rc < 0 || n == 0) {
        snprintf(err, errsize, "no certificate read: %s",
                 rc < 0 ? gnutls_strerror(rc) : "empty");
        return -1;
    }
    if (n > SIPMTLS_MAX_ROOTS) {
        snprintf(err, errsize, "%u certificates, more than the %u a root store may hold", n,
                 (unsigned)SIPMTLS_MAX_ROOTS);
        for (unsigned i = 0; i < n; i++)
            gnutls_x509_crt_deinit(crts[i]);
        gnutls_free(crts);
        return -1;
    }
    out = alloc0(alloc, n * sizeof *out);
    for (unsigned i = 0; i < n; i++) {
        unsigned char ski[SIPMTLS_MAX_KEY_ID];
        size_t ski_len = sizeof ski;
        unsigned critical;
        sipmtls_root *r = &out[kept];

        if (read_subject(alloc, crts[i], r) == 0) {
            r->name_key = sipmtls_name_key(r->subject);
            if (gnutls_x509_crt_get_subject_key_id(crts[i], ski, &ski_len, &critical) == 0
                && ski_len > 0) {
                uint8_t *k = alloc0(alloc, ski_len);
                memcpy(k, ski, ski_len);
                r->key_id = k;
                r->key_id_len = (unsigned)ski_len;
            }
            kept++;
        }
        gnutls_x509_crt_deinit(crts[i]);
    }
    gnutls_free(crts);
    *roots = out;
    *n_roots = kept;
    return 0;
}
