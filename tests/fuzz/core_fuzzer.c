/* core_fuzzer.c
 * libFuzzer harness for the sipmtls core: arbitrary bytes become a
 * sequence of events for sipmtls_conn_feed(), as a hostile capture could
 * make the glue produce them, and every step is checked against what the
 * core promises in sipmtls.h.
 *
 * Why a harness of its own: tshark fuzzing (fuzz-tshark.sh) only reaches
 * the core through Wireshark's TLS and X.509 dissectors, which reject most
 * damaged bytes long before sipmtls sees them.  Here the fuzzer controls
 * the observations themselves: certificate chains of any length, EKU lists
 * and names of any size, CertificateRequests with any content, alerts,
 * records, FIN/RST and SIP requests in both directions and any order.
 *
 * Input format (make-seeds.py writes seeds in it from the committed
 * captures): a series of operations, each one op byte and its arguments,
 * read until the input runs out (missing bytes read as 0).
 *   op bits 0-3  what: 0 handshake of any type byte, 1/13/14/15 handshake
 *                of a known type, 2 ChangeCipherSpec, 3 encrypted handshake,
 *                4 application data, 5 alert, 6 encrypted alert, 7 opaque
 *                record, 8 FIN, 9 RST, 10 SIP request, 11 odd event (NULL
 *                message or unknown kind), 12 x509 helpers
 *   op bits 4-5  direction, passed on as is (the core must mask it)
 *   op bit 6     a new frame starts first: one byte d, frame += d + 1
 *                (frames start at 1, as in Wireshark: the core reads frame
 *                0 as "not seen", so sipmtls_conn_observe(), which feeds
 *                frame 0 for unit tests, is not driven here)
 *   op bit 7     a second connection gets the event instead of the first
 * A string is a length byte L and L bytes; L = 255 reads a 16-bit length
 * (to pass SIPMTLS_MAX_TEXT), L = 254 is NULL where NULL is allowed.
 *
 * Invariants checked after every event and again, as a later pass of
 * Wireshark would read them, over every report kept:
 *   - at most SIPMTLS_MAX_FINDINGS_PER_FRAME findings, the rest counted;
 *   - at most SIPMTLS_MAX_HANDSHAKES handshakes, numbered in order;
 *   - every enum a finding or handshake holds is one of its values;
 *   - frame links never point past the current frame (first pass);
 *   - a settled verdict, a request, an answer and the roles never change;
 *   - every kept string is NUL-terminated within SIPMTLS_MAX_TEXT;
 *   - memory: what a connection allocates outside the Certificate findings
 *     of its frames stays under CONN_BOUND, and what each frame's findings
 *     allocate under FRAME_BOUND; both bounds derive from the constants.
 * A broken invariant aborts, which libFuzzer reports as a crash.
 *
 * Copyright 2026 the sipmtls authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sipmtls.h"
#include "sipmtls_ca.h"
#include "sipmtls_tls.h"
#include "sipmtls_x509.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                 \
    do {                                                                            \
        if (!(cond)) {                                                              \
            fprintf(stderr, "core_fuzzer: invariant broken at %s:%d: %s\n",         \
                    __FILE__, __LINE__, #cond);                                     \
            abort();                                                                \
        }                                                                           \
    } while (0)

/* Larger than the core's limits, so the fuzzer can try to overrun them. */
#define MAX_CERTS_GIVEN  (SIPMTLS_MAX_CERTS_PER_MSG + 4)
#define MAX_EKUS_GIVEN   (SIPMTLS_MAX_EKUS_PER_CERT + 24)
#define MAX_CAS_GIVEN    (SIPMTLS_MAX_REQUEST_CAS + 8)
#define MAX_TYPES_GIVEN  (SIPMTLS_MAX_REQUEST_CERT_TYPES + 12)
#define MAX_ALGS_GIVEN   (SIPMTLS_MAX_REQUEST_SIG_ALGS + 16)
#define MAX_DN_ATTRS     12

/* ---- memory ------------------------------------------------------------ */

/* What one kept certificate can cost at most: the struct, its subject and
 * issuer and its stored EKUs, each string at most SIPMTLS_MAX_TEXT. */
#define CERT_BOUND (sizeof(sipmtls_cert) + (2 + SIPMTLS_MAX_EKUS_PER_CERT) * (size_t)SIPMTLS_MAX_TEXT)

/* Everything a frame's findings may add: full chains in every finding. */
#define FRAME_BOUND ((size_t)SIPMTLS_MAX_FINDINGS_PER_FRAME * SIPMTLS_MAX_CERTS_PER_MSG * CERT_BOUND)

/* Everything a connection may keep besides its frames' certificates: the
 * connection itself (its size is private to conn.c: the first allocation),
 * every followed handshake with the acceptable CA names of its request and
 * the sentence saying what its record sizes showed (TLS 1.3 without keys),
 * and the first SIP request with its four strings. */
static size_t
conn_bound(size_t conn_size)
{
    return conn_size
           + SIPMTLS_MAX_HANDSHAKES * (sizeof(sipmtls_handshake)
                                       + (size_t)(SIPMTLS_MAX_REQUEST_CAS + 1) * SIPMTLS_MAX_TEXT)
           + sizeof(sipmtls_sip) + 4 * (size_t)SIPMTLS_MAX_TEXT;
}

/* One allocator per connection: every block is its own malloc (so
 * AddressSanitizer sees overruns) and is counted. */
typedef struct counting_arena {
    void   **blocks;
    size_t   n_blocks, cap_blocks;
    size_t   total;          /* bytes handed out */
    size_t   conn_size;      /* the first allocation: the connection */
    size_t   frame_start;    /* total when the current frame began */
} counting_arena;

static void *
arena_alloc0(void *ctx, size_t size)
{
    counting_arena *a = ctx;
    void *p;

    CHECK(size > 0);
    /* No single block is larger than a full chain or the largest struct. */
    CHECK(size <= SIPMTLS_MAX_CERTS_PER_MSG * sizeof(sipmtls_cert) || size <= 4096);
    if (a->n_blocks == a->cap_blocks) {
        a->cap_blocks = a->cap_blocks ? 2 * a->cap_blocks : 64;
        a->blocks = realloc(a->blocks, a->cap_blocks * sizeof *a->blocks);
        CHECK(a->blocks != NULL);
    }
    p = calloc(1, size);
    CHECK(p != NULL);
    a->blocks[a->n_blocks++] = p;
    if (a->n_blocks == 1)
        a->conn_size = size;
    a->total += size;
    return p;
}

static void
arena_free(counting_arena *a)
{
    for (size_t i = 0; i < a->n_blocks; i++)
        free(a->blocks[i]);
    free(a->blocks);
    memset(a, 0, sizeof *a);
}

/* ---- reading the input ------------------------------------------------- */

typedef struct reader {
    const uint8_t *p;
    size_t         left;
} reader;

static uint8_t
u8(reader *r)
{
    if (r->left == 0)
        return 0;
    r->left--;
    return *r->p++;
}

static uint16_t
u16(reader *r)
{
    uint16_t hi = u8(r);
    return (uint16_t)(hi << 8 | u8(r));
}

static uint64_t
u64(reader *r)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | u8(r);
    return v;
}

/* Every string and array made for one input, freed after it. */
typedef struct scratch {
    void  **blocks;
    size_t  n, cap;
} scratch;

static void *
scratch_alloc(scratch *s, size_t size)
{
    void *p;

    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 256;
        s->blocks = realloc(s->blocks, s->cap * sizeof *s->blocks);
        CHECK(s->blocks != NULL);
    }
    /* Exact sizes: reading one byte past a string is an ASan report. */
    p = calloc(1, size ? size : 1);
    CHECK(p != NULL);
    s->blocks[s->n++] = p;
    return p;
}

static void
scratch_free(scratch *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->blocks[i]);
    free(s->blocks);
    memset(s, 0, sizeof *s);
}

/* A NUL-terminated string from the input, or NULL (when allowed). */
static const char *
str(reader *r, scratch *s, int allow_null)
{
    size_t len = u8(r);
    char *out;

    if (len == 254 && allow_null)
        return NULL;
    if (len == 255)
        len = u16(r);
    if (len > r->left)
        len = r->left;
    out = scratch_alloc(s, len + 1);
    memcpy(out, r->p, len);
    r->p += len;
    r->left -= len;
    return out;
}

/* An EKU: the ones the core treats specially are one byte away. */
static const char *
eku(reader *r, scratch *s)
{
    switch (u8(r) & 7) {
    case 0:  return SIPMTLS_OID_KP_CLIENT_AUTH;
    case 1:  return SIPMTLS_OID_KP_SERVER_AUTH;
    case 2:  return NULL;
    case 3:  return "2.5.29.37.0";
    default: return str(r, s, 1);
    }
}

static sipmtls_time
time_of(reader *r, int valid)
{
    sipmtls_time t = { 0, false };
    if (valid) {
        t.secs = (int64_t)u64(r);
        t.valid = true;
    }
    return t;
}

static const uint8_t known_types[] = {
    SIPMTLS_HS_HELLO_REQUEST, SIPMTLS_HS_CLIENT_HELLO, SIPMTLS_HS_SERVER_HELLO,
    SIPMTLS_HS_NEW_SESSION_TICKET, SIPMTLS_HS_END_OF_EARLY_DATA,
    SIPMTLS_HS_ENCRYPTED_EXTENSIONS, SIPMTLS_HS_CERTIFICATE, SIPMTLS_HS_SERVER_KEY_EXCHANGE,
    SIPMTLS_HS_CERTIFICATE_REQUEST, SIPMTLS_HS_SERVER_HELLO_DONE,
    SIPMTLS_HS_CERTIFICATE_VERIFY, SIPMTLS_HS_CLIENT_KEY_EXCHANGE, SIPMTLS_HS_FINISHED,
    SIPMTLS_HS_KEY_UPDATE,
};

static void
read_certificate(reader *r, scratch *s, sipmtls_handshake_obs *m)
{
    uint8_t flags;
    unsigned n;
    sipmtls_cert_obs *certs;

    m->n_certs_listed = u8(r);
    flags = u8(r);
    n = u8(r) % (MAX_CERTS_GIVEN + 1);
    certs = scratch_alloc(s, (n ? n : 1) * sizeof *certs);
    for (unsigned i = 0; i < n; i++) {
        uint8_t cf = u8(r);
        unsigned n_ekus;
        const char **ekus;

        certs[i].subject = cf & 1 ? NULL : str(r, s, 0);
        certs[i].issuer = cf & 2 ? NULL : str(r, s, 0);
        certs[i].has_eku_extension = (cf & 4) != 0;
        n_ekus = u8(r) % (MAX_EKUS_GIVEN + 1);
        ekus = scratch_alloc(s, (n_ekus ? n_ekus : 1) * sizeof *ekus);
        for (unsigned k = 0; k < n_ekus; k++)
            ekus[k] = eku(r, s);
        certs[i].ekus = cf & 8 ? NULL : ekus;
        certs[i].n_ekus = n_ekus;
        certs[i].not_before = time_of(r, cf & 16);
        certs[i].not_after = time_of(r, cf & 32);
        if (cf & 64) {
            /* An authority key identifier, sometimes longer than is kept. */
            unsigned len = u8(r) % (SIPMTLS_MAX_KEY_ID + 8);
            uint8_t *aki = scratch_alloc(s, len ? len : 1);
            for (unsigned k = 0; k < len; k++)
                aki[k] = u8(r) % 4;
            certs[i].authority_key_id = aki;
            certs[i].authority_key_id_len = len;
        }
    }
    m->certs = flags & 1 ? NULL : certs;
    m->n_certs = n;
}

static void
read_request(reader *r, scratch *s, sipmtls_handshake_obs *m)
{
    uint8_t flags = u8(r);
    unsigned n_types = u8(r) % (MAX_TYPES_GIVEN + 1);
    unsigned n_algs = u8(r) % (MAX_ALGS_GIVEN + 1);
    unsigned n_cas = u8(r) % (MAX_CAS_GIVEN + 1);
    uint8_t *types = scratch_alloc(s, n_types);
    uint16_t *algs = scratch_alloc(s, n_algs * sizeof *algs);
    const char **cas = scratch_alloc(s, (n_cas ? n_cas : 1) * sizeof *cas);

    for (unsigned i = 0; i < n_types; i++)
        types[i] = u8(r);
    for (unsigned i = 0; i < n_algs; i++)
        algs[i] = u16(r);
    for (unsigned i = 0; i < n_cas; i++)
        cas[i] = str(r, s, 1);
    m->cert_types = flags & 1 ? NULL : types;
    m->n_cert_types = n_types;
    m->sig_algs = flags & 2 ? NULL : algs;
    m->n_sig_algs = n_algs;
    m->ca_names = flags & 4 ? NULL : cas;
    m->n_ca_names = n_cas;
}

/* Flags byte: bits 0-1 the version (1.2, 1.3, none, or 16 bits follow),
 * bit 2 HelloRetryRequest, bit 3 PSK accepted, bits 4-6 the cipher suite
 * (TLS 1.3 suites 0x1301-0x1305, none, or 16 bits follow). */
static void
read_server_hello(reader *r, sipmtls_handshake_obs *m)
{
    uint8_t v = u8(r);
    unsigned suite = (v >> 4) & 7;

    switch (v & 3) {
    case 0:  m->version = SIPMTLS_TLS_1_2; break;
    case 1:  m->version = SIPMTLS_TLS_1_3; break;
    case 2:  m->version = 0; break;
    default: m->version = u16(r); break;
    }
    m->hello_retry = (v & 4) != 0;
    m->psk = (v & 8) != 0;
    if (suite < 5)
        m->cipher_suite = (uint16_t)(0x1301 + suite);
    else if (suite == 7)
        m->cipher_suite = u16(r);
}

static sipmtls_handshake_obs *
read_handshake(reader *r, scratch *s, uint8_t type)
{
    sipmtls_handshake_obs *m = scratch_alloc(s, sizeof *m);

    m->type = type;
    switch (type) {
    case SIPMTLS_HS_CERTIFICATE:         read_certificate(r, s, m); break;
    case SIPMTLS_HS_CERTIFICATE_REQUEST: read_request(r, s, m); break;
    case SIPMTLS_HS_SERVER_HELLO:        read_server_hello(r, m); break;
    default:                             break;
    }
    return m;
}

static sipmtls_sip_obs *
read_sip(reader *r, scratch *s)
{
    uint8_t flags = u8(r);
    sipmtls_sip_obs *sip = scratch_alloc(s, sizeof *sip);

    sip->method = str(r, s, 1);
    sip->call_id = str(r, s, 1);
    sip->from = str(r, s, 1);
    sip->to = str(r, s, 1);
    return flags & 1 ? NULL : sip;
}

/* The x509 helpers the glue calls with capture bytes. */
/* A dotted OID: digits, one dot between arcs, at least two arcs. */
static void
check_dotted(const char *oid)
{
    int dots = 0;

    CHECK(oid[0] >= '0' && oid[0] <= '2');
    for (const char *c = oid; *c != '\0'; c++) {
        if (*c == '.') {
            CHECK(c[1] >= '0' && c[1] <= '9');
            dots++;
        } else {
            CHECK(*c >= '0' && *c <= '9');
        }
    }
    CHECK(dots >= 1);
}

static void
fuzz_x509(reader *r, scratch *s)
{
    switch (u8(r) % 4) {
    case 3: {
        /* The DER OID decoder reads capture bytes as they are. */
        size_t len = u8(r) % 48;
        size_t size = u8(r) % 160;
        uint8_t *der = scratch_alloc(s, len);
        char *out = scratch_alloc(s, size);

        for (size_t i = 0; i < len; i++)
            der[i] = u8(r);
        if (sipmtls_oid_from_der(len ? der : NULL, len, out, size))
            check_dotted(out);
        else if (size > 0)
            CHECK(out[0] == '\0');
        if (size > 0)
            CHECK(strnlen(out, size) < size);
        break;
    }
    case 0: {
        sipmtls_dn_attr attrs[MAX_DN_ATTRS];
        size_t n = u8(r) % (MAX_DN_ATTRS + 1);
        size_t size = u16(r) % 700;
        char *out = scratch_alloc(s, size);

        for (size_t i = 0; i < n; i++) {
            attrs[i].oid = u8(r) & 1 ? "2.5.4.3" : str(r, s, 1);
            attrs[i].value = str(r, s, 1);
        }
        CHECK(sipmtls_dn_format(attrs, n, out, size) == out);
        if (size > 0)
            CHECK(strnlen(out, size) < size);
        break;
    }
    case 1: {
        size_t len = u8(r) % 20;
        char *text = scratch_alloc(s, len);
        sipmtls_time t;

        for (size_t i = 0; i < len; i++)
            text[i] = (char)u8(r);
        t = sipmtls_asn1_time_parse(len ? text : NULL, len);
        /* Years 0000 to 9999 only. */
        if (t.valid)
            CHECK(t.secs >= -62167219200LL && t.secs < 253402300800LL);
        break;
    }
    default: {
        const char *oid = str(r, s, 1);
        (void)sipmtls_eku_name(oid);
        (void)sipmtls_dn_attr_name(oid);
        (void)sipmtls_name_of(sipmtls_alert_names, u8(r));
        (void)sipmtls_name_of(sipmtls_sig_alg_names, u16(r));
        (void)sipmtls_name_of(sipmtls_cert_type_names, u8(r));
        break;
    }
    }
}

/* ---- invariants -------------------------------------------------------- */

/* What a connection showed so far, to check that settled things stay so. */
typedef struct conn_memory {
    sipmtls_role            role[2];
    sipmtls_verdict         verdict[SIPMTLS_MAX_HANDSHAKES];
    uint32_t                verdict_frame[SIPMTLS_MAX_HANDSHAKES];
    uint32_t                request_frame[SIPMTLS_MAX_HANDSHAKES];
    sipmtls_answer          answer[SIPMTLS_MAX_HANDSHAKES];
    const sipmtls_sip      *sip;
} conn_memory;

/* A frame's report as the glue keeps it, with the frame it belongs to. */
typedef struct kept_report {
    uint32_t             frame;
    int                  conn;
    sipmtls_frame_report report;
} kept_report;

typedef struct fuzz_conn {
    sipmtls_conn      *conn;
    counting_arena     arena;
    sipmtls_allocator  alloc;
    conn_memory        seen;
    size_t             cert_bytes_allowed;  /* sum of the budgets of its frames' chains */
    sipmtls_frame_report report;            /* the current frame's */
} fuzz_conn;

static void
check_text(const char *t)
{
    CHECK(t != NULL);
    CHECK(strnlen(t, SIPMTLS_MAX_TEXT) < SIPMTLS_MAX_TEXT);
}

static void
check_cert(const sipmtls_cert *c)
{
    int has_client_auth = 0;

    check_text(c->subject);
    check_text(c->issuer);
    CHECK(c->n_ekus <= SIPMTLS_MAX_EKUS_PER_CERT);
    CHECK(c->n_ekus <= c->n_ekus_seen);
    for (unsigned i = 0; i < c->n_ekus; i++) {
        check_text(c->ekus[i]);
        if (strcmp(c->ekus[i], SIPMTLS_OID_KP_CLIENT_AUTH) == 0)
            has_client_auth = 1;
    }
    if (has_client_auth)
        CHECK(c->client_auth);
    CHECK(c->authority_key_id_len <= SIPMTLS_MAX_KEY_ID);
}

/* A root store the fuzzer's short names can hit: a name twice with two
 * keys, one without a key, the names the cut-off table looks for. */
static const uint8_t key_a[] = { 1, 2 }, key_b[] = { 3 };
static const sipmtls_root fuzz_roots[] = {
    { "CN=R", "Let's Encrypt", key_a, sizeof key_a, 0 },
    { "CN=R", "DigiCert Inc", key_b, sizeof key_b, 0 },
    { "O=x", "Sectigo", NULL, 0, 0 },
    { "", "", NULL, 0, 0 },
};
static const sipmtls_root_store fuzz_store = { fuzz_roots, 4, "fuzz" };

/* A chain as the glue judges it: the assessment is one of its values,
 * its texts are bounded and terminated whatever the buffer. */
static void
check_assessment(const sipmtls_cert *certs, unsigned n, int64_t now)
{
    sipmtls_time t = { now, (now & 1) != 0 };
    sipmtls_assessment a = sipmtls_assess_chain(&fuzz_store, certs, n, t);
    char text[SIPMTLS_MAX_TEXT], small[7];

    CHECK(a.trust >= SIPMTLS_CHAIN_UNKNOWN && a.trust <= SIPMTLS_CHAIN_NAME_ONLY);
    CHECK((a.trust == SIPMTLS_CHAIN_PUBLIC) == (a.kind != SIPMTLS_DEADLINE_NONE));
    CHECK(a.trust != SIPMTLS_CHAIN_PUBLIC || (a.root != NULL && a.ca != NULL));
    CHECK(a.trust == SIPMTLS_CHAIN_UNKNOWN || a.top != NULL);
    CHECK(a.kind == SIPMTLS_DEADLINE_NONE || a.deadline <= sipmtls_chrome_serverauth_only);
    CHECK(strlen(sipmtls_assessment_text(&a, text, sizeof text)) < sizeof text);
    CHECK(strlen(sipmtls_assessment_brief(&a, text, sizeof text)) < sizeof text);
    CHECK(strlen(sipmtls_assessment_text(&a, small, sizeof small)) < sizeof small);
    CHECK(strlen(sipmtls_assessment_brief(&a, small, sizeof small)) < sizeof small);
}

static int
is_handshake_of(const sipmtls_conn *conn, const sipmtls_handshake *h)
{
    for (unsigned i = 0; i < sipmtls_conn_n_handshakes(conn); i++) {
        if (sipmtls_conn_handshake(conn, i) == h)
            return 1;
    }
    return 0;
}

static void
check_verdict_values(sipmtls_verdict v, sipmtls_outcome o, sipmtls_reason why)
{
    CHECK(v >= SIPMTLS_VERDICT_NONE && v <= SIPMTLS_VERDICT_MAX);
    CHECK(o >= SIPMTLS_OUTCOME_UNKNOWN && o <= SIPMTLS_OUTCOME_CLIENT_ABORTED);
    CHECK(why >= SIPMTLS_REASON_NONE && why <= SIPMTLS_REASON_PHA_HIDDEN);
    CHECK(why == SIPMTLS_REASON_NONE || sipmtls_name_of(sipmtls_reason_names, why) != NULL);
    CHECK(sipmtls_verdict_name(v) != NULL);
    CHECK(sipmtls_outcome_name(o) != NULL);
}

/* One finding, as the glue draws it on any pass. */
static void
check_finding(const sipmtls_conn *conn, const sipmtls_finding *f)
{
    CHECK(f->kind >= SIPMTLS_FINDING_HANDSHAKE_START && f->kind <= SIPMTLS_FINDING_SIP);
    CHECK(f->dir == SIPMTLS_DIR_A_TO_B || f->dir == SIPMTLS_DIR_B_TO_A);
    /* Roles learnt later leave UNKNOWN in earlier findings; they never flip. */
    CHECK(f->sender == SIPMTLS_ROLE_UNKNOWN || f->sender == sipmtls_conn_role(conn, f->dir));
    CHECK(f->handshake == NULL || is_handshake_of(conn, f->handshake));
    switch (f->kind) {
    case SIPMTLS_FINDING_HANDSHAKE_START:
        CHECK(f->handshake != NULL);
        break;
    case SIPMTLS_FINDING_CERTIFICATE:
        CHECK(f->n_certs <= SIPMTLS_MAX_CERTS_PER_MSG);
        CHECK(f->n_certs <= f->n_certs_seen);
        CHECK(f->n_certs == 0 || f->certs != NULL);
        CHECK(f->client_auth_index >= -1 && f->client_auth_index < (int)f->n_certs);
        for (unsigned i = 0; i < f->n_certs; i++) {
            check_cert(&f->certs[i]);
            if (f->certs[i].client_auth)
                CHECK(f->client_auth_index >= 0 && f->client_auth_index <= (int)i);
        }
        if (f->client_auth_index >= 0)
            CHECK(f->certs[f->client_auth_index].client_auth);
        check_assessment(f->certs, f->n_certs,
                         f->n_certs > 0 && f->certs[0].not_after.valid
                         ? f->certs[0].not_after.secs : 1);
        break;
    case SIPMTLS_FINDING_INFERENCE:
        CHECK(f->handshake != NULL && f->handshake->flight_read);
        check_text(f->handshake->inference);
        break;
    case SIPMTLS_FINDING_VERDICT:
        CHECK(f->handshake != NULL);
        CHECK(f->verdict != SIPMTLS_VERDICT_NONE);
        check_verdict_values(f->verdict, f->outcome, f->reason);
        /* Settled verdicts are final: the copy stays the handshake's. */
        CHECK(f->verdict == f->handshake->verdict);
        CHECK(f->inferred == f->handshake->inferred);
        break;
    default:
        break;
    }
}

static void
check_request(const sipmtls_request *q)
{
    CHECK(q->n_cert_types <= SIPMTLS_MAX_REQUEST_CERT_TYPES);
    CHECK(q->n_sig_algs <= SIPMTLS_MAX_REQUEST_SIG_ALGS);
    CHECK(q->n_ca_names <= SIPMTLS_MAX_REQUEST_CAS);
    CHECK(q->n_ca_names <= q->n_ca_names_seen);
    for (unsigned i = 0; i < q->n_ca_names; i++)
        check_text(q->ca_names[i]);
}

/* The connection's handshakes.  Frame links never point past `until`: the
 * current frame on the first pass, the last frame on a later one.  On the
 * first pass, `seen` remembers what was settled to check it stays so. */
static void
check_handshakes(const sipmtls_conn *conn, uint32_t until, conn_memory *seen, int first_pass)
{
    unsigned n = sipmtls_conn_n_handshakes(conn);
    unsigned prev_index = 0;

    CHECK(n <= SIPMTLS_MAX_HANDSHAKES);
    CHECK(n <= sipmtls_conn_n_handshakes_seen(conn));
    CHECK(sipmtls_conn_handshake(conn, n) == NULL);
    for (unsigned i = 0; i < n; i++) {
        const sipmtls_handshake *h = sipmtls_conn_handshake(conn, i);

        CHECK(h != NULL);
        CHECK(h->index > prev_index && h->index <= sipmtls_conn_n_handshakes_seen(conn));
        prev_index = h->index;
        CHECK(h->kind >= SIPMTLS_HANDSHAKE_INITIAL && h->kind <= SIPMTLS_HANDSHAKE_POST_HANDSHAKE);
        CHECK(h->answer >= SIPMTLS_ANSWER_NONE && h->answer <= SIPMTLS_ANSWER_EMPTY);
        check_verdict_values(h->verdict, h->outcome, h->reason);
        CHECK(h->start_frame <= until && h->request_frame <= until && h->answer_frame <= until);
        CHECK(h->finished_frame[0] <= until && h->finished_frame[1] <= until);
        CHECK(h->outcome_frame <= until && h->verdict_frame <= until);
        check_request(&h->request);
        if (h->answer == SIPMTLS_ANSWER_CHAIN && h->answer_leaf != NULL)
            check_cert(h->answer_leaf);
        if (h->answer != SIPMTLS_ANSWER_CHAIN)
            CHECK(h->answer_leaf == NULL);
        /* An outcome settles the verdict, but for a completed handshake
         * with a request, which waits for the server's first data. */
        if (h->outcome != SIPMTLS_OUTCOME_UNKNOWN && !h->awaiting_server_data)
            CHECK(h->verdict != SIPMTLS_VERDICT_NONE);
        if (h->awaiting_server_data)
            CHECK(h->verdict == SIPMTLS_VERDICT_NONE && h->completed_frame != 0);
        /* Only the last handshake may still wait: once another begins,
         * nothing would ever settle it. */
        if (i + 1 < n)
            CHECK(!h->awaiting_server_data);
        CHECK(h->completed_frame <= until);
        if (h->verdict == SIPMTLS_VERDICT_CLIENT_AUTH_ACCEPTED)
            CHECK(h->answer_leaf != NULL && h->answer_leaf->client_auth);
        /* Only a handshake with a request, seen or inferred from record
         * sizes, can say anything about the client's certificate. */
        if (h->verdict >= SIPMTLS_VERDICT_OPTIONAL_NONE_SENT
            && h->verdict <= SIPMTLS_VERDICT_REJECTED)
            CHECK(h->request_frame != 0 || (h->inferred && h->inferred_request == SIPMTLS_YES));
        if (h->verdict == SIPMTLS_VERDICT_CHAIN_ACCEPTED_UNSEEN)
            CHECK(h->inferred && h->inferred_chain == SIPMTLS_YES);
        /* TLS 1.3 without keys. */
        CHECK(h->n_flight <= SIPMTLS_MAX_FLIGHT_RECORDS);
        CHECK(h->inferred_request >= SIPMTLS_UNKNOWN && h->inferred_request <= SIPMTLS_UNDECIDABLE);
        CHECK(h->inferred_chain >= SIPMTLS_UNKNOWN && h->inferred_chain <= SIPMTLS_UNDECIDABLE);
        CHECK(h->flight_frame <= until);
        if (h->flight_read || h->inferred)
            check_text(h->inference);
        if (!first_pass)
            continue;
        /* Settled is settled. */
        if (seen->verdict[i] != SIPMTLS_VERDICT_NONE) {
            CHECK(h->verdict == seen->verdict[i]);
            CHECK(h->verdict_frame == seen->verdict_frame[i]);
        }
        if (seen->request_frame[i] != 0)
            CHECK(h->request_frame == seen->request_frame[i]);
        if (seen->answer[i] != SIPMTLS_ANSWER_NONE)
            CHECK(h->answer == seen->answer[i]);
        seen->verdict[i] = h->verdict;
        seen->verdict_frame[i] = h->verdict_frame;
        seen->request_frame[i] = h->request_frame;
        seen->answer[i] = h->answer;
    }
    CHECK(sipmtls_conn_verdict(conn) <= SIPMTLS_VERDICT_MAX);
}

static void
check_conn(fuzz_conn *c, uint32_t frame)
{
    const sipmtls_sip *sip = sipmtls_conn_sip(c->conn);
    sipmtls_role a = sipmtls_conn_role(c->conn, SIPMTLS_DIR_A_TO_B);
    sipmtls_role b = sipmtls_conn_role(c->conn, SIPMTLS_DIR_B_TO_A);
    size_t frame_alloc;

    /* Roles: unknown both, or opposite; once known, for good. */
    CHECK((a == SIPMTLS_ROLE_UNKNOWN && b == SIPMTLS_ROLE_UNKNOWN)
          || (a == SIPMTLS_ROLE_CLIENT && b == SIPMTLS_ROLE_SERVER)
          || (a == SIPMTLS_ROLE_SERVER && b == SIPMTLS_ROLE_CLIENT));
    if (c->seen.role[0] != SIPMTLS_ROLE_UNKNOWN)
        CHECK(c->seen.role[0] == a && c->seen.role[1] == b);
    c->seen.role[0] = a;
    c->seen.role[1] = b;
    if (c->seen.sip != NULL)
        CHECK(sip == c->seen.sip);
    c->seen.sip = sip;
    if (sip != NULL) {
        CHECK(sip->frame <= frame);
        check_text(sip->method);
        check_text(sip->call_id);
        check_text(sip->from);
        check_text(sip->to);
    }
    CHECK(c->report.n_findings <= SIPMTLS_MAX_FINDINGS_PER_FRAME);
    for (unsigned i = 0; i < c->report.n_findings; i++)
        check_finding(c->conn, &c->report.findings[i]);
    check_handshakes(c->conn, frame, &c->seen, 1);

    /* Memory: a frame adds at most FRAME_BOUND, and the connection,
     * outside the certificates its frames keep, at most conn_bound(). */
    frame_alloc = c->arena.total - c->arena.frame_start;
    CHECK(frame_alloc <= FRAME_BOUND + conn_bound(c->arena.conn_size));
    {
        size_t certs_now = 0;
        for (unsigned i = 0; i < c->report.n_findings; i++) {
            if (c->report.findings[i].kind == SIPMTLS_FINDING_CERTIFICATE)
                certs_now += c->report.findings[i].n_certs * CERT_BOUND;
        }
        CHECK(certs_now <= FRAME_BOUND);
        CHECK(c->arena.total <= conn_bound(c->arena.conn_size) + c->cert_bytes_allowed + certs_now);
    }
}

/* ---- driving ----------------------------------------------------------- */

typedef struct fuzz_state {
    fuzz_conn    conns[2];
    kept_report *kept;
    size_t       n_kept, cap_kept;
    uint32_t     frame;
} fuzz_state;

/* The frame is over: the glue keeps a report with findings, and the
 * certificates it holds are the frame's, not the connection's. */
static void
end_frame(fuzz_state *st)
{
    for (int i = 0; i < 2; i++) {
        fuzz_conn *c = &st->conns[i];

        for (unsigned k = 0; k < c->report.n_findings; k++) {
            if (c->report.findings[k].kind == SIPMTLS_FINDING_CERTIFICATE)
                c->cert_bytes_allowed += c->report.findings[k].n_certs * CERT_BOUND;
        }
        if (c->report.n_findings > 0) {
            if (st->n_kept == st->cap_kept) {
                st->cap_kept = st->cap_kept ? 2 * st->cap_kept : 64;
                st->kept = realloc(st->kept, st->cap_kept * sizeof *st->kept);
                CHECK(st->kept != NULL);
            }
            st->kept[st->n_kept].frame = st->frame;
            st->kept[st->n_kept].conn = i;
            st->kept[st->n_kept].report = c->report;
            st->n_kept++;
        }
        memset(&c->report, 0, sizeof c->report);
        c->arena.frame_start = c->arena.total;
    }
}

/* A later pass: the glue only reads what it kept. */
static void
replay(const fuzz_state *st)
{
    for (size_t k = 0; k < st->n_kept; k++) {
        const kept_report *kr = &st->kept[k];
        const fuzz_conn *c = &st->conns[kr->conn];

        CHECK(kr->report.n_findings >= 1
              && kr->report.n_findings <= SIPMTLS_MAX_FINDINGS_PER_FRAME);
        for (unsigned i = 0; i < kr->report.n_findings; i++)
            check_finding(c->conn, &kr->report.findings[i]);
        (void)sipmtls_report_has(&kr->report, SIPMTLS_FINDING_VERDICT);
        (void)sipmtls_report_has_client_auth(&kr->report);
    }
    for (int i = 0; i < 2; i++)
        check_handshakes(st->conns[i].conn, st->frame, NULL, 0);
}

/* CORE_FUZZER_DEBUG=1: what each handshake came to, to review seeds. */
static void
describe(const fuzz_state *st)
{
    for (int i = 0; i < 2; i++) {
        const sipmtls_conn *conn = st->conns[i].conn;

        for (unsigned k = 0; k < sipmtls_conn_n_handshakes(conn); k++) {
            const sipmtls_handshake *h = sipmtls_conn_handshake(conn, k);
            fprintf(stderr, "conn %d handshake %u: request %u answer %u in %u, %s, %s (frame %u)\n",
                    i, h->index, h->request_frame, (unsigned)h->answer, h->answer_frame,
                    sipmtls_outcome_name(h->outcome), sipmtls_verdict_name(h->verdict),
                    h->verdict_frame);
        }
        fprintf(stderr, "conn %d: %zu bytes in %zu blocks\n", i, st->conns[i].arena.total,
                st->conns[i].arena.n_blocks);
    }
}

static void
one_op(fuzz_state *st, reader *r, scratch *s)
{
    uint8_t op = u8(r);
    unsigned what = op & 15;
    sipmtls_dir dir = (sipmtls_dir)((op >> 4) & 3);
    fuzz_conn *c = &st->conns[op >> 7];
    sipmtls_event ev;

    if (op & 0x40) {
        end_frame(st);
        st->frame += 1u + u8(r);
    }
    memset(&ev, 0, sizeof ev);
    ev.frame = st->frame;
    switch (what) {
    case 0:
        ev.kind = SIPMTLS_EV_HANDSHAKE;
        ev.hs = read_handshake(r, s, u8(r));
        break;
    case 1: case 13: case 14:
        ev.kind = SIPMTLS_EV_HANDSHAKE;
        ev.hs = read_handshake(r, s, known_types[u8(r) % sizeof known_types]);
        break;
    case 15: {
        /* What the capture lost, and bytes that are no TLS. */
        static const sipmtls_event_kind other[] = {
            SIPMTLS_EV_TCP_GAP, SIPMTLS_EV_TCP_PEER_GAP, SIPMTLS_EV_OTHER_BYTES
        };
        ev.kind = other[u8(r) % 3];
        break;
    }
    case 2: ev.kind = SIPMTLS_EV_CHANGE_CIPHER_SPEC; ev.record_length = u16(r); break;
    case 3: ev.kind = SIPMTLS_EV_ENCRYPTED_HANDSHAKE; ev.record_length = u16(r); break;
    case 4: ev.kind = SIPMTLS_EV_APP_DATA; ev.record_length = u16(r); break;
    case 5:
        ev.kind = SIPMTLS_EV_ALERT;
        ev.alert_level = u8(r);
        ev.alert_desc = u8(r);
        break;
    case 6: ev.kind = SIPMTLS_EV_ENCRYPTED_ALERT; break;
    case 7: ev.kind = SIPMTLS_EV_OPAQUE_RECORD; ev.record_length = u16(r); break;
    case 8: ev.kind = SIPMTLS_EV_TCP_FIN; break;
    case 9: ev.kind = SIPMTLS_EV_TCP_RST; break;
    case 10:
        ev.kind = SIPMTLS_EV_SIP_REQUEST;
        ev.sip = read_sip(r, s);
        break;
    case 11: {
        /* What the glue never sends, but a mistake in it could. */
        uint8_t k = u8(r);
        ev.kind = (k & 1) ? SIPMTLS_EV_HANDSHAKE : (sipmtls_event_kind)(k >> 1);
        break;
    }
    case 12:
        fuzz_x509(r, s);
        return;
    }
    sipmtls_conn_feed(c->conn, dir, &ev, &c->report);
    check_conn(c, st->frame);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_state st;
    reader r = { data, size };
    scratch s = { NULL, 0, 0 };

    memset(&st, 0, sizeof st);
    st.frame = 1;
    for (int i = 0; i < 2; i++) {
        st.conns[i].alloc.alloc = arena_alloc0;
        st.conns[i].alloc.ctx = &st.conns[i].arena;
        st.conns[i].conn = sipmtls_conn_new(&st.conns[i].alloc);
        CHECK(st.conns[i].conn != NULL);
        CHECK(st.conns[i].arena.n_blocks == 1);
        st.conns[i].arena.frame_start = st.conns[i].arena.total;
    }
    while (r.left > 0)
        one_op(&st, &r, &s);
    end_frame(&st);
    replay(&st);
    if (getenv("CORE_FUZZER_DEBUG") != NULL)
        describe(&st);

    for (int i = 0; i < 2; i++)
        arena_free(&st.conns[i].arena);
    free(st.kept);
    scratch_free(&s);
    return 0;
}
