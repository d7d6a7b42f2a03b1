/* tls_fields.c
 * Reads TLS handshake messages and X.509 certificates out of the fields
 * Wireshark's own TLS and X.509 dissectors added to the frame's tree.
 *
 * A frame may hold several records, each several handshake messages, a
 * Certificate message several certificates, and the bytes may come from the
 * frame, from TCP reassembly or from decryption.  Every field_info knows its
 * data source (ds_tvb) and its place in it, so a fact belongs to a message
 * (or a certificate, or a name) when it lies inside that message's bytes of
 * the same data source.  Values are read from those bytes, never through
 * fvalue_t, whose API differs between Wireshark releases.
 *
 * Copyright 2026 the sipmtls authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "tls_fields.h"

#include <epan/oids.h>
#include <epan/proto.h>

#include "sipmtls_x509.h"
#include "version.h"

/* The fields sipmtls reads.  Strings of a distinguished name come in many
 * ASN.1 types; each has the encoding its bytes use. */
typedef enum wanted_field {
    WF_HS_TYPE,
    WF_HS_LENGTH,
    WF_CERTIFICATE,
    WF_SUBJECT,
    WF_ISSUER,
    WF_NOT_BEFORE,
    WF_NOT_AFTER,
    WF_UTC_TIME,
    WF_GENERALIZED_TIME,
    WF_EKU_LIST,
    WF_EKU,
    WF_ATTR_TYPE,
    WF_FIRST_STRING,
    WF_UTF8_STRING = WF_FIRST_STRING,
    WF_PRINTABLE_STRING,
    WF_IA5_STRING,
    WF_COUNTRY_NAME,
    WF_TELETEX_STRING,
    WF_BMP_STRING,
    WF_UNIVERSAL_STRING,
    WF_COUNT
} wanted_field;

typedef struct wanted_field_info {
    const char *abbrev;
    guint       encoding;   /* for strings: how tvb_get_string_enc reads them */
} wanted_field_info;

static const wanted_field_info wanted[WF_COUNT] = {
    [WF_HS_TYPE]          = { "tls.handshake.type",          0 },
    [WF_HS_LENGTH]        = { "tls.handshake.length",        0 },
    [WF_CERTIFICATE]      = { "tls.handshake.certificate",   0 },
    [WF_SUBJECT]          = { "x509af.subject",              0 },
    [WF_ISSUER]           = { "x509af.issuer",               0 },
    [WF_NOT_BEFORE]       = { "x509af.notBefore",            0 },
    [WF_NOT_AFTER]        = { "x509af.notAfter",             0 },
    [WF_UTC_TIME]         = { "x509af.utcTime",              0 },
    [WF_GENERALIZED_TIME] = { "x509af.generalizedTime",      0 },
    [WF_EKU_LIST]         = { "x509ce.KeyPurposeIDs",        0 },
    [WF_EKU]              = { "x509ce.KeyPurposeId",         0 },
    [WF_ATTR_TYPE]        = { "x509if.oid",                  0 },
    [WF_UTF8_STRING]      = { "x509sat.uTF8String",          ENC_UTF_8 },
    [WF_PRINTABLE_STRING] = { "x509sat.printableString",     ENC_ASCII },
    [WF_IA5_STRING]       = { "x509sat.IA5String",           ENC_ASCII },
    [WF_COUNTRY_NAME]     = { "x509sat.CountryName",         ENC_ASCII },
    [WF_TELETEX_STRING]   = { "x509sat.teletexString",       ENC_T61 },
    [WF_BMP_STRING]       = { "x509sat.bmpString",           ENC_UCS_2 | ENC_BIG_ENDIAN },
    [WF_UNIVERSAL_STRING] = { "x509sat.universalString",     ENC_UCS_4 | ENC_BIG_ENDIAN },
};

/* A field name may be registered more than once (on 4.0 the SSLv2 handshake
 * type shares "tls.handshake.type"); every registration is read. */
#define MAX_IDS_PER_FIELD 4
static int field_ids[WF_COUNT][MAX_IDS_PER_FIELD];

/* A frame with more handshake messages than this is hostile; the rest of
 * it is ignored, which keeps the work per frame bounded. */
#define MAX_MESSAGES_PER_FRAME 256

/* The bytes of one thing (a message, a certificate, a name) in a source. */
typedef struct span {
    tvbuff_t *tvb;
    gint      start;
    gint      length;
} span;

/* The frame's field_infos of every wanted field, each list in tree order. */
typedef struct frame_fields {
    GPtrArray *list[WF_COUNT];
} frame_fields;

GArray *
tls_fields_init(void)
{
    GArray *ids = g_array_new(FALSE, FALSE, (guint)sizeof(int));

    for (int f = 0; f < WF_COUNT; f++) {
        int n = 0;
        int id = proto_registrar_get_id_byname(wanted[f].abbrev);
        header_field_info *hfi = id >= 0 ? proto_registrar_get_nth((guint)id) : NULL;

        /* The name lookup gives the newest registration; the others are
         * linked before and after it. */
        while (hfi != NULL && hfi->same_name_prev_id >= 0)
            hfi = proto_registrar_get_nth((guint)hfi->same_name_prev_id);

        for (int k = 0; k < MAX_IDS_PER_FIELD; k++)
            field_ids[f][k] = -1;
        for (; hfi != NULL && n < MAX_IDS_PER_FIELD; hfi = hfi->same_name_next) {
            field_ids[f][n++] = hfi->id;
            g_array_append_val(ids, hfi->id);
        }
    }
    return ids;
}

gboolean
tls_fields_frame_has_handshake(proto_tree *tree)
{
    for (int k = 0; k < MAX_IDS_PER_FIELD && field_ids[WF_HS_TYPE][k] >= 0; k++) {
        GPtrArray *a = proto_get_finfo_ptr_array(tree, field_ids[WF_HS_TYPE][k]);
        if (a != NULL && a->len > 0)
            return TRUE;
    }
    return FALSE;
}

static void
collect_fields(proto_tree *tree, frame_fields *ff)
{
    for (int f = 0; f < WF_COUNT; f++) {
        ff->list[f] = NULL;
        for (int k = 0; k < MAX_IDS_PER_FIELD && field_ids[f][k] >= 0; k++) {
            GPtrArray *a = proto_get_finfo_ptr_array(tree, field_ids[f][k]);
            if (a == NULL || a->len == 0)
                continue;
            if (ff->list[f] == NULL)
                ff->list[f] = g_ptr_array_sized_new(a->len);
            for (guint i = 0; i < a->len; i++)
                g_ptr_array_add(ff->list[f], g_ptr_array_index(a, i));
        }
    }
}

static void
free_fields(frame_fields *ff)
{
    for (int f = 0; f < WF_COUNT; f++) {
        if (ff->list[f] != NULL)
            g_ptr_array_free(ff->list[f], TRUE);
    }
}

/* True when the field's bytes exist and lie inside s. */
static gboolean
inside(const field_info *fi, const span *s)
{
    if (fi->ds_tvb == NULL || fi->ds_tvb != s->tvb || fi->start < 0 || fi->length < 0)
        return FALSE;
    if (!tvb_bytes_exist(fi->ds_tvb, fi->start, fi->length))
        return FALSE;
    return fi->start >= s->start
           && (gint64)fi->start + fi->length <= (gint64)s->start + s->length;
}

static span
span_of(const field_info *fi)
{
    span s = { fi->ds_tvb, fi->start, fi->length };
    return s;
}

/* The first field of kind f inside s, or NULL. */
static field_info *
first_inside(const frame_fields *ff, wanted_field f, const span *s)
{
    GPtrArray *a = ff->list[f];
    for (guint i = 0; a != NULL && i < a->len; i++) {
        field_info *fi = g_ptr_array_index(a, i);
        if (inside(fi, s))
            return fi;
    }
    return NULL;
}

static const char *
read_oid(packet_info *pinfo, const field_info *fi)
{
    /* An OID longer than this is not one a certificate uses honestly. */
    const gint max_encoded = 64;
    guint8 *bytes;

    if (fi->length <= 0 || fi->length > max_encoded)
        return NULL;
    bytes = (guint8 *)tvb_memdup(pinfo->pool, fi->ds_tvb, fi->start, fi->length);
    return oid_encoded2string(pinfo->pool, bytes, (guint)fi->length);
}

/* One attribute of a name, with where it starts so types and values that
 * come from different field lists can be put back in DER order. */
typedef struct placed_attr_part {
    gint        start;
    gboolean    is_type;
    const char *text;
} placed_attr_part;

static gint
by_start(gconstpointer a, gconstpointer b)
{
    const placed_attr_part *x = a, *y = b;
    return (x->start > y->start) - (x->start < y->start);
}

/* The RFC 4514 text of the Name whose bytes are s, or NULL. */
static const char *
read_name(packet_info *pinfo, const frame_fields *ff, const span *s)
{
    /* More attributes than this in one certificate name is hostile. */
    enum { MAX_PARTS = 64 };
    placed_attr_part parts[MAX_PARTS];
    sipmtls_dn_attr attrs[MAX_PARTS];
    size_t n_parts = 0, n_attrs = 0;
    char *out;

    for (int f = WF_ATTR_TYPE; f < WF_COUNT; f++) {
        GPtrArray *a = ff->list[f];
        for (guint i = 0; a != NULL && i < a->len && n_parts < MAX_PARTS; i++) {
            field_info *fi = g_ptr_array_index(a, i);
            if (!inside(fi, s))
                continue;
            parts[n_parts].start = fi->start;
            parts[n_parts].is_type = f == WF_ATTR_TYPE;
            parts[n_parts].text = f == WF_ATTR_TYPE
                ? read_oid(pinfo, fi)
                : (const char *)tvb_get_string_enc(pinfo->pool, fi->ds_tvb, fi->start,
                                                   fi->length, wanted[f].encoding);
            n_parts++;
        }
    }
    if (n_parts == 0)
        return NULL;
    qsort(parts, n_parts, sizeof parts[0], by_start);
    /* Each type starts an attribute; the first string after it is its value. */
    for (size_t i = 0; i < n_parts; i++) {
        if (parts[i].is_type) {
            attrs[n_attrs].oid = parts[i].text;
            attrs[n_attrs].value = NULL;
            n_attrs++;
        } else if (n_attrs > 0 && attrs[n_attrs - 1].value == NULL) {
            attrs[n_attrs - 1].value = parts[i].text;
        }
    }
    out = (char *)wmem_alloc(pinfo->pool, SIPMTLS_MAX_TEXT);
    return sipmtls_dn_format(attrs, n_attrs, out, SIPMTLS_MAX_TEXT);
}

/* The validity time under the notBefore or notAfter field f in cert. */
static sipmtls_time
read_validity(const frame_fields *ff, wanted_field f, const span *cert)
{
    sipmtls_time none = { 0, FALSE };
    field_info *choice = first_inside(ff, f, cert);
    field_info *t;
    span s;
    gint start, length;
    char text[16];

    if (choice == NULL)
        return none;
    s = span_of(choice);
    t = first_inside(ff, WF_UTC_TIME, &s);
    if (t == NULL)
        t = first_inside(ff, WF_GENERALIZED_TIME, &s);
    if (t == NULL)
        return none;
    start = t->start;
    length = t->length;
    sipmtls_ber_time_contents(t->ds_tvb, &start, &length);
    if (length <= 0 || length >= (gint)sizeof text)
        return none;
    tvb_memcpy(t->ds_tvb, text, start, length);
    return sipmtls_asn1_time_parse(text, (size_t)length);
}

static void
read_certificate(packet_info *pinfo, const frame_fields *ff, const field_info *cert_fi,
                 sipmtls_cert_obs *obs)
{
    span cert = span_of(cert_fi);
    field_info *name;
    GPtrArray *ekus = ff->list[WF_EKU];
    const char **oids;
    unsigned n = 0;

    memset(obs, 0, sizeof *obs);
    if ((name = first_inside(ff, WF_SUBJECT, &cert)) != NULL) {
        span s = span_of(name);
        obs->subject = read_name(pinfo, ff, &s);
    }
    if ((name = first_inside(ff, WF_ISSUER, &cert)) != NULL) {
        span s = span_of(name);
        obs->issuer = read_name(pinfo, ff, &s);
    }
    obs->has_eku_extension = first_inside(ff, WF_EKU_LIST, &cert) != NULL;
    /* Every EKU is passed on: the core counts them all and stores a few. */
    oids = wmem_alloc0_array(pinfo->pool, const char *, ekus ? ekus->len : 1);
    for (guint i = 0; ekus != NULL && i < ekus->len; i++) {
        field_info *fi = g_ptr_array_index(ekus, i);
        if (inside(fi, &cert))
            oids[n++] = read_oid(pinfo, fi);
    }
    obs->ekus = oids;
    obs->n_ekus = n;
    obs->not_before = read_validity(ff, WF_NOT_BEFORE, &cert);
    obs->not_after = read_validity(ff, WF_NOT_AFTER, &cert);
}

/* The bytes of the handshake message whose type field is type_fi: header
 * (type and 24-bit length) and body.  FALSE when its length is not known. */
static gboolean
message_span(const frame_fields *ff, const field_info *type_fi, span *msg)
{
    GPtrArray *lengths = ff->list[WF_HS_LENGTH];

    for (guint i = 0; lengths != NULL && i < lengths->len; i++) {
        field_info *fi = g_ptr_array_index(lengths, i);
        if (fi->ds_tvb == type_fi->ds_tvb && fi->start == type_fi->start + 1 && fi->length == 3
            && tvb_bytes_exist(fi->ds_tvb, fi->start, 3)) {
            msg->tvb = type_fi->ds_tvb;
            msg->start = type_fi->start;
            msg->length = 4 + (gint)tvb_get_ntoh24(fi->ds_tvb, fi->start);
            return TRUE;
        }
    }
    return FALSE;
}

void
tls_fields_foreach_handshake(packet_info *pinfo, proto_tree *tree,
                             tls_fields_msg_cb cb, void *user)
{
    frame_fields ff;
    GPtrArray *types;

    collect_fields(tree, &ff);
    types = ff.list[WF_HS_TYPE];
    for (guint i = 0; types != NULL && i < types->len && i < MAX_MESSAGES_PER_FRAME; i++) {
        field_info *type_fi = g_ptr_array_index(types, i);
        sipmtls_handshake_obs msg = { 0, NULL, 0, 0 };
        span body;

        if (type_fi->ds_tvb == NULL || type_fi->length != 1
            || !tvb_bytes_exist(type_fi->ds_tvb, type_fi->start, 1))
            continue;
        msg.type = tvb_get_uint8(type_fi->ds_tvb, type_fi->start);
        if (msg.type == SIPMTLS_HS_CERTIFICATE) {
            GPtrArray *certs = ff.list[WF_CERTIFICATE];
            sipmtls_cert_obs *obs;
            unsigned n = 0;

            /* Without the message's extent its certificates cannot be told
             * apart from another message's: say nothing. */
            if (!message_span(&ff, type_fi, &body))
                continue;
            obs = wmem_alloc0_array(pinfo->pool, sipmtls_cert_obs, SIPMTLS_MAX_CERTS_PER_MSG);
            for (guint c = 0; certs != NULL && c < certs->len; c++) {
                field_info *cert_fi = g_ptr_array_index(certs, c);
                if (!inside(cert_fi, &body))
                    continue;
                if (n < SIPMTLS_MAX_CERTS_PER_MSG)
                    read_certificate(pinfo, &ff, cert_fi, &obs[n]);
                n++;
            }
            msg.certs = obs;
            msg.n_certs = n < SIPMTLS_MAX_CERTS_PER_MSG ? n : SIPMTLS_MAX_CERTS_PER_MSG;
            msg.n_certs_listed = n;
        }
        cb(&msg, user);
    }
    free_fields(&ff);
}
