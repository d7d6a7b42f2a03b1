/* tls_fields.c
 * Reads TLS records and handshake messages, X.509 certificates, TCP flags
 * and SIP request headers out of the fields Wireshark's own dissectors added
 * to the frame's tree, and hands them to the core as events.
 *
 * A frame may hold several records, each several handshake messages, a
 * Certificate message several certificates, and the bytes may come from the
 * frame, from TCP reassembly or from decryption.  Every field_info knows its
 * data source (ds_tvb) and its place in it, so a fact belongs to a message
 * (or a certificate, or a name) when it lies inside that message's bytes of
 * the same data source.  Numbers and TLS/X.509 strings are read from those
 * bytes, never through fvalue_t, whose API differs between releases; SIP
 * header values, which are not the bytes they cover, come from fvalue_t
 * through the one shim in version.h.
 *
 * Copyright 2026 the sipmtls authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "tls_fields.h"
#include "fact_tree.h"

#include <string.h>

#include <epan/dissectors/packet-ber.h>
#include <epan/epan_dissect.h>
#include <epan/exceptions.h>
#include <epan/ftypes/ftypes.h>
#include <epan/proto.h>

#include "sipmtls_x509.h"
#include "version.h"

/* The fields sipmtls reads.  The parts of a distinguished name (attribute
 * types, then strings in their many ASN.1 types) form one block. */
typedef enum wanted_field {
    WF_RECORD_CONTENT_TYPE,
    WF_RECORD_OPAQUE_TYPE,
    WF_RECORD_LENGTH,
    WF_ALERT_LEVEL,
    WF_ALERT_DESC,
    WF_HS_TYPE,
    WF_HS_LENGTH,
    WF_HS_SUPPORTED_VERSION,
    WF_HS_CIPHER_SUITE,
    WF_HS_PSK_SELECTED,
    WF_HS_EXTENSION_TYPE,
    WF_HS_CERT_TYPE,
    WF_HS_SIG_ALG,
    WF_HS_DNAME,
    WF_CERTIFICATE,
    WF_SUBJECT,
    WF_ISSUER,
    WF_NOT_BEFORE,
    WF_NOT_AFTER,
    WF_UTC_TIME,
    WF_GENERALIZED_TIME,
    WF_EKU_LIST,
    WF_EKU,
    WF_AKI_KEY_ID,
    WF_TCP_FLAGS,
    WF_TCP_LOST_SEGMENT,
    WF_TCP_ACK_LOST_SEGMENT,
    WF_TLS_IGNORED_RECORD,
    WF_HS_RANDOM,
    WF_SIP_METHOD,
    WF_SIP_CALL_ID,
    WF_SIP_FROM,
    WF_SIP_TO,
    WF_DN_ATTR_TYPE,        /* first of the distinguished name block */
    WF_DN_UTF8_STRING,
    WF_DN_PRINTABLE_STRING,
    WF_DN_IA5_STRING,
    WF_DN_COUNTRY_NAME,
    WF_DN_TELETEX_STRING,
    WF_DN_BMP_STRING,
    WF_DN_UNIVERSAL_STRING, /* last of the block */
    WF_COUNT
} wanted_field;

typedef struct wanted_field_info {
    const char *abbrev;
    guint       encoding;   /* for DN strings: how tvb_get_string_enc reads them */
} wanted_field_info;

static const wanted_field_info wanted[WF_COUNT] = {
    [WF_RECORD_CONTENT_TYPE]  = { "tls.record.content_type",                 0 },
    [WF_RECORD_OPAQUE_TYPE]   = { "tls.record.opaque_type",                  0 },
    [WF_RECORD_LENGTH]        = { "tls.record.length",                       0 },
    [WF_ALERT_LEVEL]          = { "tls.alert_message.level",                 0 },
    [WF_ALERT_DESC]           = { "tls.alert_message.desc",                  0 },
    [WF_HS_TYPE]              = { "tls.handshake.type",                      0 },
    [WF_HS_LENGTH]            = { "tls.handshake.length",                    0 },
    [WF_HS_SUPPORTED_VERSION] = { "tls.handshake.extensions.supported_version", 0 },
    [WF_HS_CIPHER_SUITE]      = { "tls.handshake.ciphersuite",               0 },
    [WF_HS_PSK_SELECTED]      = { "tls.handshake.extensions.psk.identity.selected", 0 },
    [WF_HS_EXTENSION_TYPE]    = { "tls.handshake.extension.type",            0 },
    [WF_HS_CERT_TYPE]         = { "tls.handshake.cert_type",                 0 },
    [WF_HS_SIG_ALG]           = { "tls.handshake.sig_hash_alg",              0 },
    [WF_HS_DNAME]             = { "tls.handshake.dname",                     0 },
    [WF_CERTIFICATE]          = { "tls.handshake.certificate",               0 },
    [WF_SUBJECT]              = { "x509af.subject",                          0 },
    [WF_ISSUER]               = { "x509af.issuer",                           0 },
    [WF_NOT_BEFORE]           = { "x509af.notBefore",                        0 },
    [WF_NOT_AFTER]            = { "x509af.notAfter",                         0 },
    [WF_UTC_TIME]             = { "x509af.utcTime",                          0 },
    [WF_GENERALIZED_TIME]     = { "x509af.generalizedTime",                  0 },
    [WF_EKU_LIST]             = { "x509ce.KeyPurposeIDs",                    0 },
    [WF_EKU]                  = { "x509ce.KeyPurposeId",                     0 },
    [WF_AKI_KEY_ID]           = { "x509ce.keyIdentifier",                    0 },
    [WF_TCP_FLAGS]            = { "tcp.flags",                               0 },
    /* Wireshark's TCP analysis: "previous segment(s) not captured" and
     * "ACKed segment that wasn't captured". */
    [WF_TCP_LOST_SEGMENT]     = { "tcp.analysis.lost_segment",               0 },
    [WF_TCP_ACK_LOST_SEGMENT] = { "tcp.analysis.ack_lost_segment",           0 },
    /* Bytes on a TLS 1.0-1.2 connection that are no TLS record. */
    [WF_TLS_IGNORED_RECORD]   = { "tls.ignored_unknown_record",              0 },
    [WF_HS_RANDOM]            = { "tls.handshake.random",                    0 },
    [WF_SIP_METHOD]           = { "sip.Method",                              0 },
    [WF_SIP_CALL_ID]          = { "sip.Call-ID",                             0 },
    [WF_SIP_FROM]             = { "sip.from.addr",                           0 },
    [WF_SIP_TO]               = { "sip.to.addr",                             0 },
    [WF_DN_ATTR_TYPE]         = { "x509if.oid",                              0 },
    [WF_DN_UTF8_STRING]       = { "x509sat.uTF8String",                      ENC_UTF_8 },
    [WF_DN_PRINTABLE_STRING]  = { "x509sat.printableString",                 ENC_ASCII },
    [WF_DN_IA5_STRING]        = { "x509sat.IA5String",                       ENC_ASCII },
    [WF_DN_COUNTRY_NAME]      = { "x509sat.CountryName",                     ENC_ASCII },
    [WF_DN_TELETEX_STRING]    = { "x509sat.teletexString",                   ENC_T61 },
    [WF_DN_BMP_STRING]        = { "x509sat.bmpString",                       ENC_UCS_2 | ENC_BIG_ENDIAN },
    [WF_DN_UNIVERSAL_STRING]  = { "x509sat.universalString",                 ENC_UCS_4 | ENC_BIG_ENDIAN },
};

/* TCP flag bits (RFC 9293 3.1) in the 12 bits of tcp.flags. */
#define TCP_FLAG_FIN 0x001
#define TCP_FLAG_RST 0x004

/* TLS ContentType values (RFC 8446 5.1). */
#define CONTENT_CHANGE_CIPHER_SPEC 20
#define CONTENT_ALERT              21
#define CONTENT_HANDSHAKE          22
#define CONTENT_APPLICATION_DATA   23

/* A frame with more records or handshake messages than this is hostile; the
 * rest of it is ignored, which keeps the work per frame bounded. */
#define MAX_ITEMS_PER_FRAME 256

/* A field name may be registered more than once (on 4.0 the SSLv2 handshake
 * type shares "tls.handshake.type"); every registration is read. */
#define MAX_IDS_PER_FIELD 4
static int field_ids[WF_COUNT][MAX_IDS_PER_FIELD];

/* The bytes of one thing (a record, a message, a certificate, a name). */
typedef struct span {
    tvbuff_t *tvb;
    gint      start;
    gint      length;
} span;

/* The frame's field_infos of the wanted fields, each list in tree order,
 * looked up the first time it is asked for: most frames need few of them.
 * A list is the tree's own array, from its first item of this frame on
 * (fact_tree_items: the private tree holds several frames), unless a field
 * has several registrations present in the frame, when it is a merged copy
 * that must be freed. */
typedef struct frame_fields {
    proto_tree *tree;
    GPtrArray  *list[WF_COUNT];
    guint       first[WF_COUNT];
    gboolean    fetched[WF_COUNT];
    gboolean    owned[WF_COUNT];
} frame_fields;

/* The X.509 fields (certificates, and the names of a CertificateRequest)
 * are not made real in the frame's tree: the same few certificates come
 * back on every connection of a trunk, and dissecting them field by field
 * into a tree cost more than anything else sipmtls asked of Wireshark
 * (docs/performance.md).  A certificate or name sipmtls has not read yet
 * in this file is dissected once more, by Wireshark's X.509 dissector,
 * into a private tree where those fields are real, and what it shows is
 * kept by its bytes (see cert_facts). */
static GArray *x509_ids = NULL;
static fact_tree_fields *x509_fields = NULL;   /* the same, with their protocols */

static gboolean
is_x509_field(wanted_field f)
{
    return (f >= WF_SUBJECT && f <= WF_AKI_KEY_ID) || f >= WF_DN_ATTR_TYPE;
}

/* Fields read only in messages the TLS server sends (ServerHello,
 * CertificateRequest), or only in the client's ClientHello: a segment
 * whose sender's role is known need not have the others' made real (a
 * ClientHello alone lists dozens of cipher suites and signature
 * algorithms). */
static gboolean
read_from_server_only(wanted_field f)
{
    switch (f) {
    case WF_HS_SUPPORTED_VERSION:
    case WF_HS_CIPHER_SUITE:
    case WF_HS_PSK_SELECTED:
    case WF_HS_RANDOM:
    case WF_HS_CERT_TYPE:
    case WF_HS_SIG_ALG:
    case WF_HS_DNAME:
        return TRUE;
    default:
        return FALSE;
    }
}

static gboolean
read_from_client_only(wanted_field f)
{
    return f == WF_HS_EXTENSION_TYPE;
}

/* The long lists of a ClientHello (dozens of cipher suites and signature
 * algorithms): what the ServerHello and a CertificateRequest give of them
 * matters less (a suite for inference, algorithms shown), so a segment of
 * the SYN's sender, while the roles are not known, has them not made
 * real: a client that turns out to be the server costs only that. */
static gboolean
long_client_list(wanted_field f)
{
    return f == WF_HS_CIPHER_SUITE || f == WF_HS_SIG_ALG;
}

static void
add_id(tls_fields_ids *ids, wanted_field f, int id)
{
    if (is_x509_field(f)) {
        g_array_append_val(x509_ids, id);
        return;
    }
    g_array_append_val(ids->any_sender, id);
    if (!long_client_list(f))
        g_array_append_val(ids->from_tcp_client, id);
    if (!read_from_server_only(f))
        g_array_append_val(ids->from_client, id);
    if (!read_from_client_only(f))
        g_array_append_val(ids->from_server, id);
}

tls_fields_ids
tls_fields_init(void)
{
    tls_fields_ids ids;

    ids.any_sender = g_array_new(FALSE, FALSE, (guint)sizeof(int));
    ids.from_client = g_array_new(FALSE, FALSE, (guint)sizeof(int));
    ids.from_server = g_array_new(FALSE, FALSE, (guint)sizeof(int));
    ids.from_tcp_client = g_array_new(FALSE, FALSE, (guint)sizeof(int));
    if (x509_ids == NULL)
        x509_ids = g_array_new(FALSE, FALSE, (guint)sizeof(int));
    g_array_set_size(x509_ids, 0);

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
            add_id(&ids, (wanted_field)f, hfi->id);
        }
    }
    x509_fields = fact_tree_fields_new(x509_ids);
    return ids;
}

static gboolean
frame_has(proto_tree *tree, wanted_field f)
{
    for (int k = 0; k < MAX_IDS_PER_FIELD && field_ids[f][k] >= 0; k++) {
        guint first;
        GPtrArray *a = fact_tree_items(tree, field_ids[f][k], &first);
        if (a != NULL && a->len > first)
            return TRUE;
    }
    return FALSE;
}

gboolean
tls_fields_frame_has_tls(proto_tree *tree)
{
    return frame_has(tree, WF_RECORD_LENGTH);
}

static gboolean
readable(const field_info *fi, gint length)
{
    return fi->ds_tvb != NULL && fi->start >= 0 && fi->length == length
           && tvb_bytes_exist(fi->ds_tvb, fi->start, length);
}

/* The 12 flag bits of the frame's (last) TCP header, or 0; from
 * fact_tree.c when TCP dissected the segment without a tree. */
static guint
tcp_flags(packet_info *pinfo, proto_tree *tree)
{
    guint flags = 0;

    if (fact_tree_segment_flags(pinfo, &flags))
        return flags;
    for (int k = 0; k < MAX_IDS_PER_FIELD && field_ids[WF_TCP_FLAGS][k] >= 0; k++) {
        guint first;
        GPtrArray *a = fact_tree_items(tree, field_ids[WF_TCP_FLAGS][k], &first);
        if (a != NULL && a->len > first) {
            field_info *fi = g_ptr_array_index(a, a->len - 1);
            if (readable(fi, 2))
                flags = tvb_get_ntohs(fi->ds_tvb, fi->start) & 0x0fff;
        }
    }
    return flags;
}

gboolean
tls_fields_frame_closes_tcp(packet_info *pinfo, proto_tree *tree)
{
    return (tcp_flags(pinfo, tree) & (TCP_FLAG_FIN | TCP_FLAG_RST)) != 0;
}

gboolean
tls_fields_frame_has_other_facts(proto_tree *tree)
{
    return frame_has(tree, WF_TCP_LOST_SEGMENT) || frame_has(tree, WF_TCP_ACK_LOST_SEGMENT)
           || frame_has(tree, WF_TLS_IGNORED_RECORD);
}

static void
fetch(frame_fields *ff, wanted_field f)
{
    ff->fetched[f] = TRUE;
    for (int k = 0; k < MAX_IDS_PER_FIELD && field_ids[f][k] >= 0; k++) {
        guint first;
        GPtrArray *a = fact_tree_items(ff->tree, field_ids[f][k], &first);
        if (a == NULL || a->len <= first)
            continue;
        if (ff->list[f] == NULL) {
            ff->list[f] = a;
            ff->first[f] = first;
            continue;
        }
        if (!ff->owned[f]) {
            GPtrArray *merged = g_ptr_array_sized_new(ff->list[f]->len - ff->first[f] + a->len - first);
            for (guint i = ff->first[f]; i < ff->list[f]->len; i++)
                g_ptr_array_add(merged, g_ptr_array_index(ff->list[f], i));
            ff->list[f] = merged;
            ff->first[f] = 0;
            ff->owned[f] = TRUE;
        }
        for (guint i = first; i < a->len; i++)
            g_ptr_array_add(ff->list[f], g_ptr_array_index(a, i));
    }
}

static void
free_fields(frame_fields *ff)
{
    for (int f = 0; f < WF_COUNT; f++) {
        if (ff->owned[f])
            g_ptr_array_free(ff->list[f], TRUE);
    }
}

static inline guint
count(frame_fields *ff, wanted_field f)
{
    if (G_UNLIKELY(!ff->fetched[f]))
        fetch(ff, f);
    return ff->list[f] != NULL ? ff->list[f]->len - ff->first[f] : 0;
}

/* The i-th field of kind f; count(ff, f) must have been asked first. */
static field_info *
nth(const frame_fields *ff, wanted_field f, guint i)
{
    return g_ptr_array_index(ff->list[f], ff->first[f] + i);
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
first_inside(frame_fields *ff, wanted_field f, const span *s)
{
    for (guint i = 0; i < count(ff, f); i++) {
        field_info *fi = nth(ff, f, i);
        if (inside(fi, s))
            return fi;
    }
    return NULL;
}

/* The first field of kind f that starts exactly at (tvb, start), or NULL. */
static field_info *
field_at(frame_fields *ff, wanted_field f, const tvbuff_t *tvb, gint start)
{
    for (guint i = 0; i < count(ff, f); i++) {
        field_info *fi = nth(ff, f, i);
        if (fi->ds_tvb == tvb && fi->start == start)
            return fi;
    }
    return NULL;
}

static const char *
read_oid(packet_info *pinfo, const field_info *fi)
{
    /* An OID longer than this is not one a certificate uses honestly. */
    enum { MAX_ENCODED = 64 };
    guint8 bytes[MAX_ENCODED];
    char *text;

    if (fi->length <= 0 || fi->length > MAX_ENCODED)
        return NULL;
    tvb_memcpy(fi->ds_tvb, bytes, fi->start, fi->length);
    text = (char *)wmem_alloc(pinfo->pool, SIPMTLS_MAX_TEXT);
    return sipmtls_oid_from_der(bytes, (size_t)fi->length, text, SIPMTLS_MAX_TEXT) ? text : NULL;
}

/* A string field's value (SIP headers), bounded; NULL when absent. */
static const char *
read_string_value(packet_info *pinfo, field_info *fi)
{
    const char *s;

    if (fi == NULL || fi->hfinfo == NULL || !FT_IS_STRING(fi->hfinfo->type))
        return NULL;
    s = fvalue_get_string(SIPMTLS_FI_FVALUE(fi));
    return s != NULL ? wmem_strndup(pinfo->pool, s, SIPMTLS_MAX_TEXT - 1) : NULL;
}

/* One part of a name, with where it starts so types and values that come
 * from different field lists can be put back in DER order. */
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

/* The RFC 4514 text of the Name whose bytes are s, or NULL.  Every part is
 * read, however many: a cap on parts would fill up with attribute types,
 * which come first, and pair the rest with no value ("OU=?").  The frame's
 * tree bounds the count, sipmtls_dn_format() the text. */
static const char *
read_name(packet_info *pinfo, frame_fields *ff, const span *s)
{
    placed_attr_part *parts;
    sipmtls_dn_attr *attrs;
    size_t max_parts = 0, n_parts = 0, n_attrs = 0;
    char *out;

    for (int f = WF_DN_ATTR_TYPE; f <= WF_DN_UNIVERSAL_STRING; f++)
        max_parts += count(ff, f);
    if (max_parts == 0)
        return NULL;
    parts = wmem_alloc_array(pinfo->pool, placed_attr_part, max_parts);
    attrs = wmem_alloc_array(pinfo->pool, sipmtls_dn_attr, max_parts);
    for (int f = WF_DN_ATTR_TYPE; f <= WF_DN_UNIVERSAL_STRING; f++) {
        for (guint i = 0; i < count(ff, f); i++) {
            field_info *fi = nth(ff, f, i);
            if (!inside(fi, s))
                continue;
            parts[n_parts].start = fi->start;
            parts[n_parts].is_type = f == WF_DN_ATTR_TYPE;
            parts[n_parts].text = f == WF_DN_ATTR_TYPE
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
read_validity(frame_fields *ff, wanted_field f, const span *cert)
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

/* Whether the bytes [at, at + total) of tvb are one BER TLV with this
 * class, form and tag and a definite length; *hdr gets the length of its
 * identifier and length octets.  The octets are read by Wireshark's BER
 * helpers, which throw where the bytes end. */
static gboolean
tlv_is(tvbuff_t *tvb, gint at, gint total, gint8 want_class, gboolean want_pc, gint32 want_tag,
       gint *hdr)
{
    gint8 cls;
    sipmtls_ber_bool pc, ind = FALSE;
    gint32 tag;
    guint32 content;
    int off;

    if (at < 0 || total < 2 || !tvb_bytes_exist(tvb, at, total))
        return FALSE;
    off = get_ber_identifier(tvb, at, &cls, &pc, &tag);
    if (cls != want_class || pc != want_pc || tag != want_tag)
        return FALSE;
    off = get_ber_length(tvb, off, &content, &ind);
    *hdr = off - at;
    return !ind && (gint64)(off - at) + content == total;
}

/* The TLV an item of a BER field stands for: a release's item may cover
 * the whole TLV or only its contents (an RDNSequence does on 4.0, an
 * authority key identifier can), which the bytes tell.  *start and
 * *length get the TLV, *hdr its identifier and length octets; FALSE when
 * the bytes are neither. */
static gboolean
item_tlv(const field_info *fi, gint8 cls, gboolean pc, gint32 tag, gint *start, gint *hdr,
         gint *length)
{
    volatile gint at = -1;

    if (fi->ds_tvb == NULL || fi->start < 0 || fi->length <= 0)
        return FALSE;
    TRY {
        /* Contents first: the octets before them are then their TLV's own
         * identifier and length, which contents seldom mimic (a key
         * identifier's random bytes could). */
        for (gint h = 2; h <= 6 && h <= fi->start && at < 0; h++) {
            if (tlv_is(fi->ds_tvb, fi->start - h, fi->length + h, cls, pc, tag, hdr) && *hdr == h)
                at = fi->start - h;
        }
        if (at < 0 && tlv_is(fi->ds_tvb, fi->start, fi->length, cls, pc, tag, hdr))
            at = fi->start;
    }
    CATCH_ALL {
        at = -1;
    }
    ENDTRY;
    if (at < 0)
        return FALSE;
    *start = at;
    *length = fi->length + (fi->start - at);
    return TRUE;
}

/* The keyIdentifier of the certificate's authorityKeyIdentifier, the only
 * place x509ce.keyIdentifier is used.  It is [0] IMPLICIT OCTET STRING
 * (RFC 5280 4.2.1.1), the first member of the extension's SEQUENCE; the
 * item may cover its contents or the whole TLV (item_tlv). */
static void
read_authority_key_id(packet_info *pinfo, frame_fields *ff, const span *cert,
                      sipmtls_cert_obs *obs)
{
    field_info *fi = first_inside(ff, WF_AKI_KEY_ID, cert);
    gint start, hdr, length;
    guint8 *bytes;

    if (fi == NULL || !item_tlv(fi, BER_CLASS_CON, FALSE, 0, &start, &hdr, &length))
        return;
    start += hdr;
    length -= hdr;
    if (length <= 0 || length > SIPMTLS_MAX_KEY_ID)
        return;
    bytes = (guint8 *)wmem_alloc(pinfo->pool, (size_t)length);
    tvb_memcpy(fi->ds_tvb, bytes, start, length);
    obs->authority_key_id = bytes;
    obs->authority_key_id_len = (unsigned)length;
}

static void
read_certificate(packet_info *pinfo, frame_fields *ff, const field_info *cert_fi,
                 sipmtls_cert_obs *obs)
{
    span cert = span_of(cert_fi);
    field_info *name;
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
    oids = wmem_alloc0_array(pinfo->pool, const char *, count(ff, WF_EKU) + 1);
    for (guint i = 0; i < count(ff, WF_EKU); i++) {
        field_info *fi = nth(ff, WF_EKU, i);
        if (inside(fi, &cert))
            oids[n++] = read_oid(pinfo, fi);
    }
    obs->ekus = oids;
    obs->n_ekus = n;
    obs->not_before = read_validity(ff, WF_NOT_BEFORE, &cert);
    obs->not_after = read_validity(ff, WF_NOT_AFTER, &cert);
    read_authority_key_id(pinfo, ff, &cert, obs);
}

/* The bytes of the handshake message whose type field is type_fi: header
 * (type and 24-bit length) and body.  FALSE when its length is not known. */
static gboolean
message_span(frame_fields *ff, const field_info *type_fi, span *msg)
{
    field_info *len = field_at(ff, WF_HS_LENGTH, type_fi->ds_tvb, type_fi->start + 1);

    if (len == NULL || !readable(len, 3))
        return FALSE;
    msg->tvb = type_fi->ds_tvb;
    msg->start = type_fi->start;
    msg->length = 4 + (gint)tvb_get_ntoh24(len->ds_tvb, len->start);
    return TRUE;
}

/* ---- certificates and names, read once per file ------------------------ */

/* Bytes already read, and what they showed: a certificate's facts, or a
 * name's text.  File scope; at most MAX_KNOWN of each are kept, the rest
 * are read every time they come. */
#define MAX_KNOWN 4096

typedef struct known_key {
    const guint8 *bytes;
    gint          length;
} known_key;

static wmem_map_t *known_certs = NULL;   /* known_key -> sipmtls_cert_obs */
static wmem_map_t *known_names = NULL;   /* known_key -> char (text, "" for none) */

static guint
known_hash(gconstpointer k)
{
    const known_key *key = (const known_key *)k;
    guint h = (guint)key->length;
    gint from = key->length > 32 ? key->length - 32 : 0;

    /* A certificate ends in its signature: its last bytes tell it apart. */
    for (gint i = from; i < key->length; i++)
        h = h * 31u + key->bytes[i];
    return h;
}

static gboolean
known_equal(gconstpointer a, gconstpointer b)
{
    const known_key *x = (const known_key *)a, *y = (const known_key *)b;
    return x->length == y->length && memcmp(x->bytes, y->bytes, (size_t)x->length) == 0;
}

void
tls_fields_file_init(void)
{
    known_certs = wmem_map_new(wmem_file_scope(), known_hash, known_equal);
    known_names = wmem_map_new(wmem_file_scope(), known_hash, known_equal);
}

void
tls_fields_file_cleanup(void)
{
    known_certs = NULL;
    known_names = NULL;
}

/* The bytes of a field, in pinfo->pool, as a key; FALSE when they are not
 * all there. */
static gboolean sequence_tlv(const field_info *fi, gint *start, gint *length);

static gboolean
key_of(packet_info *pinfo, const field_info *fi, known_key *key, gint *start)
{
    gint length;

    if (fi->ds_tvb == NULL || fi->start < 0 || fi->length <= 0
        || !tvb_bytes_exist(fi->ds_tvb, fi->start, fi->length)
        || !sequence_tlv(fi, start, &length))
        return FALSE;
    key->length = length;
    key->bytes = (const guint8 *)tvb_memdup(pinfo->pool, fi->ds_tvb, *start, length);
    return TRUE;
}

static known_key *
keep_key(const known_key *key)
{
    known_key *k = wmem_new(wmem_file_scope(), known_key);

    k->length = key->length;
    k->bytes = (const guint8 *)wmem_memdup(wmem_file_scope(), key->bytes, (size_t)key->length);
    return k;
}

/* The bytes of the DER SEQUENCE an X.509 item stands for (see item_tlv). */
static gboolean
sequence_tlv(const field_info *fi, gint *start, gint *length)
{
    gint hdr;

    return item_tlv(fi, BER_CLASS_UNI, TRUE, BER_UNI_TAG_SEQUENCE, start, &hdr, length);
}

/* Wireshark's X.509 dissector on the bytes of fi (a Certificate, oid
 * 2.5.4.36, or a Name, 2.5.4.49) into a private tree where the X.509
 * fields are real.  The items lie where they lie in the frame (same data
 * source, same offsets), so the readers below take them as they took the
 * frame's own.  It runs on a copy of pinfo whose frame number is 0, which
 * Wireshark's expert module takes for a frame not loaded: what the
 * certificate gives to say was already said by TLS's dissection of it. */
static epan_dissect_t *
dissect_again(packet_info *pinfo, const field_info *fi, const known_key *key, gint start,
              const char *oid, fact_tree_refs *refs)
{
    epan_dissect_t *edt = epan_dissect_new(pinfo->epan, TRUE, FALSE);
    packet_info copy = *pinfo;
    tvbuff_t *tvb = tvb_new_subset_length(fi->ds_tvb, start, key->length);

    copy.num = 0;
    copy.cinfo = NULL;
    fact_tree_prime(edt, x509_fields, refs);
    TRY {
        call_ber_oid_callback(oid, tvb, 0, &copy, edt->tree, NULL);
    }
    CATCH_ALL {
        /* what was dissected before the error is read */
    }
    ENDTRY;
    return edt;
}

static const char *
keep_text(const char *s)
{
    return s != NULL ? wmem_strdup(wmem_file_scope(), s) : NULL;
}

static void read_certificate(packet_info *pinfo, frame_fields *ff, const field_info *cert_fi,
                             sipmtls_cert_obs *obs);
static const char *read_name(packet_info *pinfo, frame_fields *ff, const span *s);

/* What the certificate whose bytes are cert_fi shows. */
static void
cert_facts(packet_info *pinfo, const field_info *cert_fi, sipmtls_cert_obs *obs)
{
    known_key key;
    const sipmtls_cert_obs *known;
    sipmtls_cert_obs *kept;
    epan_dissect_t *edt;
    frame_fields ff;
    fact_tree_refs refs;
    const char **ekus;
    gint start;

    memset(obs, 0, sizeof *obs);
    if (!key_of(pinfo, cert_fi, &key, &start))
        return;
    known = known_certs != NULL ? (const sipmtls_cert_obs *)wmem_map_lookup(known_certs, &key) : NULL;
    if (known != NULL) {
        *obs = *known;
        return;
    }
    memset(&refs, 0, sizeof refs);
    edt = dissect_again(pinfo, cert_fi, &key, start, "2.5.4.36", &refs);
    memset(&ff, 0, sizeof ff);
    ff.tree = edt->tree;
    read_certificate(pinfo, &ff, cert_fi, obs);
    free_fields(&ff);
    epan_dissect_free(edt);
    fact_tree_unprime(&refs);
    if (known_certs == NULL || wmem_map_size(known_certs) >= MAX_KNOWN)
        return;
    kept = wmem_new0(wmem_file_scope(), sipmtls_cert_obs);
    *kept = *obs;
    kept->subject = keep_text(obs->subject);
    kept->issuer = keep_text(obs->issuer);
    ekus = wmem_alloc0_array(wmem_file_scope(), const char *, obs->n_ekus + 1);
    for (unsigned i = 0; i < obs->n_ekus; i++)
        ekus[i] = keep_text(obs->ekus[i]);
    kept->ekus = ekus;
    if (obs->authority_key_id != NULL)
        kept->authority_key_id = (const uint8_t *)wmem_memdup(wmem_file_scope(), obs->authority_key_id,
                                                              obs->authority_key_id_len);
    wmem_map_insert(known_certs, keep_key(&key), kept);
}

/* The text of the Name whose bytes are name_fi (a CertificateRequest's
 * acceptable CA), or NULL. */
static const char *
name_facts(packet_info *pinfo, const field_info *name_fi)
{
    known_key key;
    const char *known, *text;
    epan_dissect_t *edt;
    frame_fields ff;
    fact_tree_refs refs;
    span s;
    gint start;

    if (!key_of(pinfo, name_fi, &key, &start))
        return NULL;
    s.tvb = name_fi->ds_tvb;
    s.start = start;
    s.length = key.length;
    known = known_names != NULL ? (const char *)wmem_map_lookup(known_names, &key) : NULL;
    if (known != NULL)
        return known[0] != '\0' ? known : NULL;
    memset(&refs, 0, sizeof refs);
    edt = dissect_again(pinfo, name_fi, &key, start, "2.5.4.49", &refs);
    memset(&ff, 0, sizeof ff);
    ff.tree = edt->tree;
    text = read_name(pinfo, &ff, &s);
    free_fields(&ff);
    epan_dissect_free(edt);
    fact_tree_unprime(&refs);
    if (known_names != NULL && wmem_map_size(known_names) < MAX_KNOWN)
        wmem_map_insert(known_names, keep_key(&key), (void *)keep_text(text != NULL ? text : ""));
    return text;
}

static void
read_certificate_message(packet_info *pinfo, frame_fields *ff, const span *body,
                         sipmtls_handshake_obs *msg)
{
    sipmtls_cert_obs *obs = wmem_alloc0_array(pinfo->pool, sipmtls_cert_obs,
                                              SIPMTLS_MAX_CERTS_PER_MSG);
    unsigned n = 0;

    for (guint c = 0; c < count(ff, WF_CERTIFICATE); c++) {
        field_info *cert_fi = nth(ff, WF_CERTIFICATE, c);
        if (!inside(cert_fi, body))
            continue;
        if (n < SIPMTLS_MAX_CERTS_PER_MSG)
            cert_facts(pinfo, cert_fi, &obs[n]);
        n++;
    }
    msg->certs = obs;
    msg->n_certs = n < SIPMTLS_MAX_CERTS_PER_MSG ? n : SIPMTLS_MAX_CERTS_PER_MSG;
    msg->n_certs_listed = n;
}

static void
read_certificate_request(packet_info *pinfo, frame_fields *ff, const span *body,
                         sipmtls_handshake_obs *msg)
{
    guint8 *types = wmem_alloc0_array(pinfo->pool, guint8, SIPMTLS_MAX_REQUEST_CERT_TYPES);
    guint16 *algs = wmem_alloc0_array(pinfo->pool, guint16, SIPMTLS_MAX_REQUEST_SIG_ALGS);
    const char **cas = wmem_alloc0_array(pinfo->pool, const char *, SIPMTLS_MAX_REQUEST_CAS);

    for (guint i = 0; i < count(ff, WF_HS_CERT_TYPE); i++) {
        field_info *fi = nth(ff, WF_HS_CERT_TYPE, i);
        if (inside(fi, body) && readable(fi, 1) && msg->n_cert_types < SIPMTLS_MAX_REQUEST_CERT_TYPES)
            types[msg->n_cert_types++] = tvb_get_uint8(fi->ds_tvb, fi->start);
    }
    for (guint i = 0; i < count(ff, WF_HS_SIG_ALG); i++) {
        field_info *fi = nth(ff, WF_HS_SIG_ALG, i);
        if (inside(fi, body) && readable(fi, 2) && msg->n_sig_algs < SIPMTLS_MAX_REQUEST_SIG_ALGS)
            algs[msg->n_sig_algs++] = tvb_get_ntohs(fi->ds_tvb, fi->start);
    }
    for (guint i = 0; i < count(ff, WF_HS_DNAME); i++) {
        field_info *fi = nth(ff, WF_HS_DNAME, i);
        if (!inside(fi, body))
            continue;
        if (msg->n_ca_names < SIPMTLS_MAX_REQUEST_CAS) {
            const char *name = name_facts(pinfo, fi);
            cas[msg->n_ca_names] = name != NULL ? name : "";
        }
        msg->n_ca_names++;
    }
    msg->cert_types = types;
    msg->sig_algs = algs;
    msg->ca_names = cas;
    /* The core reads as many names as it is told exist: never more than
     * were stored here. */
    if (msg->n_ca_names > SIPMTLS_MAX_REQUEST_CAS)
        msg->n_ca_names = SIPMTLS_MAX_REQUEST_CAS;
}

/* The ServerHello's version, suite and pre-shared key.  Only TLS 1.3 needs
 * the version, and it always names it in supported_versions; a TLS 1.3
 * HelloRetryRequest reads like the ServerHello that follows it, which then
 * overrides what it said. */
static void
read_server_hello(frame_fields *ff, const span *body, sipmtls_handshake_obs *msg)
{
    field_info *supported = first_inside(ff, WF_HS_SUPPORTED_VERSION, body);
    field_info *suite = first_inside(ff, WF_HS_CIPHER_SUITE, body);

    /* RFC 8446 4.1.3: a HelloRetryRequest is a ServerHello with this random. */
    static const guint8 hello_retry_random[32] = {
        0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65,
        0xb8, 0x91, 0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2,
        0xc8, 0xa8, 0x33, 0x9c
    };
    field_info *random = first_inside(ff, WF_HS_RANDOM, body);

    if (supported != NULL && readable(supported, 2))
        msg->version = tvb_get_ntohs(supported->ds_tvb, supported->start);
    if (random != NULL && readable(random, 32))
        msg->hello_retry = tvb_memeql(random->ds_tvb, random->start, hello_retry_random, 32) == 0;
    if (suite != NULL && readable(suite, 2))
        msg->cipher_suite = tvb_get_ntohs(suite->ds_tvb, suite->start);
    msg->psk = first_inside(ff, WF_HS_PSK_SELECTED, body) != NULL;
}

/* Whether a ClientHello offers post_handshake_auth (extension 49, RFC 8446
 * 4.2.6): then the server may ask for a certificate after the handshake. */
static void
read_client_hello(frame_fields *ff, const span *body, sipmtls_handshake_obs *msg)
{
    for (guint i = 0; i < count(ff, WF_HS_EXTENSION_TYPE) && i < MAX_ITEMS_PER_FRAME; i++) {
        field_info *fi = nth(ff, WF_HS_EXTENSION_TYPE, i);
        if (inside(fi, body) && readable(fi, 2) && tvb_get_ntohs(fi->ds_tvb, fi->start) == 49)
            msg->post_handshake_auth = true;
    }
}

/* Handshake messages, in order. */
static void
handshake_events(packet_info *pinfo, frame_fields *ff, tls_fields_event_cb cb, void *user)
{
    for (guint i = 0; i < count(ff, WF_HS_TYPE) && i < MAX_ITEMS_PER_FRAME; i++) {
        field_info *type_fi = nth(ff, WF_HS_TYPE, i);
        sipmtls_handshake_obs *msg = wmem_new0(pinfo->pool, sipmtls_handshake_obs);
        sipmtls_event ev;
        span body;
        gboolean known_extent;

        if (!readable(type_fi, 1))
            continue;
        msg->type = tvb_get_uint8(type_fi->ds_tvb, type_fi->start);
        known_extent = message_span(ff, type_fi, &body);
        /* Without its extent a message's parts cannot be told apart from
         * another message's: say nothing of its content, or of it at all
         * when the content is the point. */
        switch (msg->type) {
        case SIPMTLS_HS_CERTIFICATE:
            if (!known_extent)
                continue;
            read_certificate_message(pinfo, ff, &body, msg);
            break;
        case SIPMTLS_HS_CERTIFICATE_REQUEST:
            if (known_extent)
                read_certificate_request(pinfo, ff, &body, msg);
            break;
        case SIPMTLS_HS_SERVER_HELLO:
            if (known_extent)
                read_server_hello(ff, &body, msg);
            break;
        case SIPMTLS_HS_CLIENT_HELLO:
            if (known_extent)
                read_client_hello(ff, &body, msg);
            break;
        default:
            break;
        }
        memset(&ev, 0, sizeof ev);
        ev.kind = SIPMTLS_EV_HANDSHAKE;
        ev.frame = pinfo->num;
        ev.hs = msg;
        cb(&ev, user);
    }
}

static void
emit(packet_info *pinfo, sipmtls_event_kind kind, guint16 length, tls_fields_event_cb cb,
     void *user)
{
    sipmtls_event ev;

    memset(&ev, 0, sizeof ev);
    ev.kind = kind;
    ev.frame = pinfo->num;
    ev.record_length = length;
    cb(&ev, user);
}

/* Records by kind, in the order the core wants them within a frame:
 * ChangeCipherSpec, unreadable handshake records, opaque TLS 1.3 records,
 * application data, then alerts. */
static void
record_events(packet_info *pinfo, frame_fields *ff, tls_fields_event_cb cb, void *user)
{
    static const sipmtls_event_kind order[] = {
        SIPMTLS_EV_CHANGE_CIPHER_SPEC, SIPMTLS_EV_ENCRYPTED_HANDSHAKE,
        SIPMTLS_EV_OPAQUE_RECORD, SIPMTLS_EV_APP_DATA,
    };
    guint n = MIN(count(ff, WF_RECORD_LENGTH), MAX_ITEMS_PER_FRAME);
    sipmtls_event_kind kinds[MAX_ITEMS_PER_FRAME];
    guint16 lengths[MAX_ITEMS_PER_FRAME];
    gboolean unreadable_alert = FALSE;

    memset(kinds, 0, n * sizeof kinds[0]);
    memset(lengths, 0, n * sizeof lengths[0]);

    /* cppcheck takes n for 0: the field ids fetch() reads are filled in at
     * registration (tls_fields_init), not by any initialiser it sees. */
    /* cppcheck-suppress knownConditionTrueFalse */
    for (guint i = 0; i < n; i++) {
        field_info *len = nth(ff, WF_RECORD_LENGTH, i);
        gint start = len->start - 3;   /* type (1), version (2), then length */
        field_info *opaque, *type;
        span content;
        guint8 ct;

        if (!readable(len, 2) || start < 0)
            continue;
        lengths[i] = tvb_get_ntohs(len->ds_tvb, len->start);
        opaque = field_at(ff, WF_RECORD_OPAQUE_TYPE, len->ds_tvb, start);
        type = field_at(ff, WF_RECORD_CONTENT_TYPE, len->ds_tvb, start);
        if (opaque != NULL && type == NULL) {
            kinds[i] = SIPMTLS_EV_OPAQUE_RECORD;
            continue;
        }
        if (type == NULL || !readable(type, 1))
            continue;
        /* A decrypted TLS 1.3 record shows its inner type as a generated
         * field; the outer byte on the wire is then the opaque type. */
        ct = opaque != NULL ? (guint8)fvalue_get_uinteger(SIPMTLS_FI_FVALUE(type))
                            : tvb_get_uint8(type->ds_tvb, type->start);
        content.tvb = len->ds_tvb;
        content.start = start + 5;
        content.length = lengths[i];
        switch (ct) {
        case CONTENT_CHANGE_CIPHER_SPEC:
            kinds[i] = SIPMTLS_EV_CHANGE_CIPHER_SPEC;
            break;
        case CONTENT_HANDSHAKE:
            if (opaque == NULL && first_inside(ff, WF_HS_TYPE, &content) == NULL)
                kinds[i] = SIPMTLS_EV_ENCRYPTED_HANDSHAKE;
            break;
        case CONTENT_APPLICATION_DATA:
            kinds[i] = SIPMTLS_EV_APP_DATA;
            break;
        case CONTENT_ALERT:
            if (opaque == NULL && first_inside(ff, WF_ALERT_DESC, &content) == NULL)
                unreadable_alert = TRUE;
            break;
        default:
            break;
        }
    }
    for (guint k = 0; k < G_N_ELEMENTS(order); k++) {
        /* cppcheck-suppress knownConditionTrueFalse ; n as above */
        for (guint i = 0; i < n; i++) {
            if (kinds[i] == order[k])
                emit(pinfo, order[k], lengths[i], cb, user);
        }
    }
    /* Readable alerts (in clear or decrypted), else an unreadable one. */
    for (guint i = 0; i < count(ff, WF_ALERT_DESC) && i < MAX_ITEMS_PER_FRAME; i++) {
        field_info *desc = nth(ff, WF_ALERT_DESC, i);
        field_info *level = field_at(ff, WF_ALERT_LEVEL, desc->ds_tvb, desc->start - 1);
        sipmtls_event ev;

        if (!readable(desc, 1))
            continue;
        memset(&ev, 0, sizeof ev);
        ev.kind = SIPMTLS_EV_ALERT;
        ev.frame = pinfo->num;
        ev.alert_desc = tvb_get_uint8(desc->ds_tvb, desc->start);
        ev.alert_level = level != NULL && readable(level, 1)
                         ? tvb_get_uint8(level->ds_tvb, level->start) : 2;
        cb(&ev, user);
    }
    if (unreadable_alert && count(ff, WF_ALERT_DESC) == 0)
        emit(pinfo, SIPMTLS_EV_ENCRYPTED_ALERT, 0, cb, user);
}

static void
sip_events(packet_info *pinfo, frame_fields *ff, tls_fields_event_cb cb, void *user)
{
    sipmtls_sip_obs *sip;
    sipmtls_event ev;

    if (count(ff, WF_SIP_METHOD) == 0)
        return;
    sip = wmem_new0(pinfo->pool, sipmtls_sip_obs);
    sip->method = read_string_value(pinfo, nth(ff, WF_SIP_METHOD, 0));
    sip->call_id = count(ff, WF_SIP_CALL_ID) ? read_string_value(pinfo, nth(ff, WF_SIP_CALL_ID, 0)) : NULL;
    sip->from = count(ff, WF_SIP_FROM) ? read_string_value(pinfo, nth(ff, WF_SIP_FROM, 0)) : NULL;
    sip->to = count(ff, WF_SIP_TO) ? read_string_value(pinfo, nth(ff, WF_SIP_TO, 0)) : NULL;
    memset(&ev, 0, sizeof ev);
    ev.kind = SIPMTLS_EV_SIP_REQUEST;
    ev.frame = pinfo->num;
    ev.sip = sip;
    cb(&ev, user);
}

void
tls_fields_foreach_event(packet_info *pinfo, proto_tree *tree, tls_fields_event_cb cb, void *user)
{
    frame_fields ff;
    guint flags;

    memset(&ff, 0, sizeof ff);
    ff.tree = tree;
    /* What the capture lost came before everything else in the frame. */
    if (count(&ff, WF_TCP_LOST_SEGMENT) > 0)
        emit(pinfo, SIPMTLS_EV_TCP_GAP, 0, cb, user);
    if (count(&ff, WF_TCP_ACK_LOST_SEGMENT) > 0)
        emit(pinfo, SIPMTLS_EV_TCP_PEER_GAP, 0, cb, user);
    handshake_events(pinfo, &ff, cb, user);
    record_events(pinfo, &ff, cb, user);
    if (count(&ff, WF_TLS_IGNORED_RECORD) > 0)
        emit(pinfo, SIPMTLS_EV_OTHER_BYTES, 0, cb, user);
    flags = tcp_flags(pinfo, tree);
    if (flags & TCP_FLAG_RST)
        emit(pinfo, SIPMTLS_EV_TCP_RST, 0, cb, user);
    else if (flags & TCP_FLAG_FIN)
        emit(pinfo, SIPMTLS_EV_TCP_FIN, 0, cb, user);
    sip_events(pinfo, &ff, cb, user);
    free_fields(&ff);
}
