/* x509.c
 * Names for the OIDs sipmtls shows, RFC 4514 formatting of distinguished
 * names, and ASN.1 time parsing.  See sipmtls_x509.h for the contracts.
 *
 * Copyright 2026 the sipmtls authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "sipmtls_x509.h"

#include <stdio.h>
#include <string.h>

typedef struct oid_name {
    const char *oid;
    const char *name;
} oid_name;

/* Extended key usages (RFC 5280 4.2.1.12, RFC 5924 for SIP, RFC 4945 for
 * IKE); names as Wireshark's OID table and OpenSSL spell them. */
static const oid_name eku_names[] = {
    { SIPMTLS_OID_KP_SERVER_AUTH,  "id-kp-serverAuth" },
    { SIPMTLS_OID_KP_CLIENT_AUTH,  "id-kp-clientAuth" },
    { "1.3.6.1.5.5.7.3.3",         "id-kp-codeSigning" },
    { "1.3.6.1.5.5.7.3.4",         "id-kp-emailProtection" },
    { "1.3.6.1.5.5.7.3.5",         "id-kp-ipsecEndSystem" },
    { "1.3.6.1.5.5.7.3.6",         "id-kp-ipsecTunnel" },
    { "1.3.6.1.5.5.7.3.7",         "id-kp-ipsecUser" },
    { "1.3.6.1.5.5.7.3.8",         "id-kp-timeStamping" },
    { "1.3.6.1.5.5.7.3.9",         "id-kp-OCSPSigning" },
    { "1.3.6.1.5.5.7.3.17",        "id-kp-ipsecIKE" },
    { "1.3.6.1.5.5.7.3.20",        "id-kp-sipDomain" },
    { "2.5.29.37.0",               "anyExtendedKeyUsage" },
    { "1.3.6.1.4.1.311.10.3.3",    "szOID_SERVER_GATED_CRYPTO" },
    { "2.16.840.1.113730.4.1",     "netscape-server-gated-crypto" },
};

/* Distinguished name attribute types (RFC 4514 section 3, RFC 4519). */
static const oid_name dn_attr_names[] = {
    { "2.5.4.3",                    "CN" },
    { "2.5.4.6",                    "C" },
    { "2.5.4.7",                    "L" },
    { "2.5.4.8",                    "ST" },
    { "2.5.4.9",                    "STREET" },
    { "2.5.4.10",                   "O" },
    { "2.5.4.11",                   "OU" },
    { "2.5.4.4",                    "SN" },
    { "2.5.4.5",                    "serialNumber" },
    { "2.5.4.12",                   "title" },
    { "2.5.4.17",                   "postalCode" },
    { "2.5.4.42",                   "GN" },
    { "2.5.4.97",                   "organizationIdentifier" },
    { "0.9.2342.19200300.100.1.1",  "UID" },
    { "0.9.2342.19200300.100.1.25", "DC" },
    { "1.2.840.113549.1.9.1",       "emailAddress" },
};

static const char *
lookup(const oid_name *table, size_t n, const char *oid)
{
    if (oid == NULL)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(table[i].oid, oid) == 0)
            return table[i].name;
    }
    return NULL;
}

const char *
sipmtls_eku_name(const char *oid)
{
    return lookup(eku_names, sizeof eku_names / sizeof eku_names[0], oid);
}

const char *
sipmtls_dn_attr_name(const char *oid)
{
    return lookup(dn_attr_names, sizeof dn_attr_names / sizeof dn_attr_names[0], oid);
}

/* A bounded string builder: appends never overrun, and remember that
 * something was cut so the result can say so. */
typedef struct text_buf {
    char  *out;
    size_t size;
    size_t len;
    bool   truncated;
} text_buf;

static void
put_char(text_buf *b, char c)
{
    if (b->len + 1 < b->size)
        b->out[b->len++] = c;
    else
        b->truncated = true;
}

static void
put_str(text_buf *b, const char *s)
{
    for (; *s != '\0'; s++)
        put_char(b, *s);
}

/* RFC 4514 section 2.4: escape the characters that would change the
 * meaning of the string, and control bytes, which could forge a line. */
static void
put_value(text_buf *b, const char *v)
{
    size_t n = strlen(v);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)v[i];
        bool special = strchr(",+\"\\<>;=", c) != NULL
                       || (i == 0 && (c == ' ' || c == '#'))
                       || (i == n - 1 && c == ' ');
        if (c < 0x20 || c == 0x7f) {
            static const char hex[] = "0123456789ABCDEF";
            put_char(b, '\\');
            put_char(b, hex[c >> 4]);
            put_char(b, hex[c & 0xf]);
        } else {
            if (special)
                put_char(b, '\\');
            put_char(b, (char)c);
        }
    }
}

char *
sipmtls_dn_format(const sipmtls_dn_attr *attrs, size_t n_attrs,
                  char *out, size_t size)
{
    text_buf b = { out, size, 0, false };

    if (size == 0)
        return out;
    /* RFC 4514 writes the last RDN of the sequence first. */
    for (size_t k = n_attrs; k-- > 0;) {
        const sipmtls_dn_attr *a = &attrs[k];
        const char *name = sipmtls_dn_attr_name(a->oid);

        if (k + 1 != n_attrs)
            put_char(&b, ',');
        put_str(&b, name ? name : (a->oid ? a->oid : "?"));
        put_char(&b, '=');
        put_value(&b, a->value ? a->value : "?");
    }
    out[b.len] = '\0';
    if (b.truncated && size > 4) {
        size_t at = b.len < size - 4 ? b.len : size - 4;
        memcpy(out + at, "...", 4);
    }
    return out;
}

/* Appends "value" (and a dot before it unless first) to out at *at.
 * Written by hand: snprintf per arc was most of the decoder's cost. */
static bool
put_arc(char *out, size_t size, size_t *at, uint64_t value, bool first)
{
    char digits[20];
    size_t n = 0;

    do {
        digits[n++] = (char)('0' + value % 10);
        value /= 10;
    } while (value != 0);
    if (*at + n + (first ? 0 : 1) + 1 > size)
        return false;
    if (!first)
        out[(*at)++] = '.';
    while (n > 0)
        out[(*at)++] = digits[--n];
    out[*at] = '\0';
    return true;
}

bool
sipmtls_oid_from_der(const uint8_t *der, size_t len, char *out, size_t size)
{
    size_t at = 0, i = 0;
    bool first = true;

    if (size == 0)
        return false;
    out[0] = '\0';
    if (der == NULL || len == 0)
        return false;
    while (i < len) {
        uint64_t value = 0;

        if (der[i] == 0x80)          /* a subidentifier padded with a leading zero */
            goto bad;
        do {
            if (i == len || value > (UINT64_MAX >> 7))
                goto bad;           /* truncated, or over 64 bits */
            value = (value << 7) | (der[i] & 0x7f);
        } while (der[i++] & 0x80);
        if (first) {
            /* The first subidentifier holds two arcs (X.690 8.19.4). */
            uint64_t x = value < 40 ? 0 : value < 80 ? 1 : 2;
            if (!put_arc(out, size, &at, x, true) || !put_arc(out, size, &at, value - 40 * x, false))
                goto bad;
            first = false;
        } else if (!put_arc(out, size, &at, value, false)) {
            goto bad;
        }
    }
    return true;
bad:
    out[0] = '\0';
    return false;
}

static bool
read_digits(const char *s, int n, int *value)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *value = v;
    return true;
}

/* Days from 1970-01-01 to the given proleptic Gregorian date, for any
 * year from 0 to 9999 (Howard Hinnant's days_from_civil algorithm). */
static int64_t
days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static bool
is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

sipmtls_time
sipmtls_asn1_time_parse(const char *text, size_t len)
{
    static const int month_days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    sipmtls_time t = { 0, false };
    int year, mon, day, hour, min, sec;
    const char *p = text;

    if (text == NULL || (len != 13 && len != 15) || text[len - 1] != 'Z')
        return t;
    if (len == 13) {
        if (!read_digits(p, 2, &year))
            return t;
        year += year < 50 ? 2000 : 1900;
        p += 2;
    } else {
        if (!read_digits(p, 4, &year))
            return t;
        p += 4;
    }
    if (!read_digits(p, 2, &mon) || !read_digits(p + 2, 2, &day)
        || !read_digits(p + 4, 2, &hour) || !read_digits(p + 6, 2, &min)
        || !read_digits(p + 8, 2, &sec))
        return t;
    if (mon < 1 || mon > 12 || day < 1 || hour > 23 || min > 59 || sec > 59)
        return t;
    if (day > month_days[mon - 1] + (mon == 2 && is_leap(year)))
        return t;
    t.secs = days_from_civil(year, mon, day) * 86400 + hour * 3600 + min * 60 + sec;
    t.valid = true;
    return t;
}
