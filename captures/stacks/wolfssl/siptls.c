/* siptls.c - a small SIP-over-TLS server and client on wolfSSL, used by
 * ../../record.sh to record wolfSSL handshakes.  Built at record time only
 * (cc siptls.c -lwolfssl); the product never links it.
 *
 *   siptls -s PORT CHAIN KEY CA none|optional|required [CONNECTIONS]
 *   siptls -c PORT SNI CA [CHAIN KEY|- -] [SUITE|-] [CONNECTIONS]
 *
 * Server: TLS 1.3 only; "optional" = WOLFSSL_VERIFY_PEER, "required" adds
 * WOLFSSL_VERIFY_FAIL_IF_NO_PEER_CERT.  Each connection is handshaken, one
 * SIP request read and answered with "SIP/2.0 200 OK" in one write, then
 * read until the client closes.  Client: prints "conn N: HANDSHAKE OK"
 * after each handshake, writes each chunk read from stdin in one write and
 * prints what the server sends; end of stdin closes the connection
 * (close_notify).  With CONNECTIONS 2, a line "NEXT" on stdin ends the
 * first connection and the second resumes its session.  SUITE is a wolfSSL
 * cipher list such as TLS13-AES128-GCM-SHA256.
 *
 * Test tool only: loopback, trusts nothing but CA.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <wolfssl/options.h>
#include <wolfssl/ssl.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void
die(const char *what)
{
    fprintf(stderr, "siptls: %s\n", what);
    exit(1);
}

static const char *
err_text(WOLFSSL *ssl, int ret)
{
    static char buf[WOLFSSL_MAX_ERROR_SZ];
    return wolfSSL_ERR_error_string((unsigned long)wolfSSL_get_error(ssl, ret), buf);
}

static int
tcp_socket(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    if (fd < 0)
        die("socket");
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

static struct sockaddr_in
loopback(int port)
{
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((unsigned short)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

/* The value of header NAME in a SIP message, or "". */
static void
header(const char *msg, const char *name, char *out, size_t size)
{
    size_t n = strlen(name);
    const char *p = msg;

    out[0] = '\0';
    while (p && *p) {
        if (strncasecmp(p, name, n) == 0 && p[n] == ':') {
            const char *v = p + n + 1, *e = strstr(v, "\r\n");
            while (*v == ' ')
                v++;
            snprintf(out, size, "%.*s", (int)(e ? e - v : (long)strlen(v)), v);
            return;
        }
        p = strstr(p, "\r\n");
        if (p)
            p += 2;
    }
}

static int
serve(int argc, char **argv)
{
    int port, mode = WOLFSSL_VERIFY_NONE, connections = 1, lfd;
    WOLFSSL_CTX *ctx;
    struct sockaddr_in a;

    if (argc < 7)
        die("usage: -s PORT CHAIN KEY CA POLICY [CONNECTIONS]");
    port = atoi(argv[2]);
    if (strcmp(argv[6], "optional") == 0)
        mode = WOLFSSL_VERIFY_PEER;
    else if (strcmp(argv[6], "required") == 0)
        mode = WOLFSSL_VERIFY_PEER | WOLFSSL_VERIFY_FAIL_IF_NO_PEER_CERT;
    else if (strcmp(argv[6], "none") != 0)
        die("policy: none, optional or required");
    if (argc > 7)
        connections = atoi(argv[7]);
    ctx = wolfSSL_CTX_new(wolfTLSv1_3_server_method());
    if (ctx == NULL
        || wolfSSL_CTX_use_certificate_chain_file(ctx, argv[3]) != WOLFSSL_SUCCESS
        || wolfSSL_CTX_use_PrivateKey_file(ctx, argv[4], WOLFSSL_FILETYPE_PEM) != WOLFSSL_SUCCESS
        || wolfSSL_CTX_load_verify_locations(ctx, argv[5], NULL) != WOLFSSL_SUCCESS)
        die("cannot load the certificate, key or CA");
    wolfSSL_CTX_set_verify(ctx, mode, NULL);
    lfd = tcp_socket();
    a = loopback(port);
    if (bind(lfd, (struct sockaddr *)&a, sizeof a) != 0 || listen(lfd, 4) != 0)
        die("bind/listen");
    printf("LISTENING 127.0.0.1:%d policy=%s\n", port, argv[6]);
    fflush(stdout);
    for (int n = 1; n <= connections; n++) {
        int fd = accept(lfd, NULL, NULL), ret, len = 0;
        char req[4096], resp[2048], via[512], from[256], to[256], callid[256], cseq[64];
        WOLFSSL *ssl;

        if (fd < 0)
            die("accept");
        ssl = wolfSSL_new(ctx);
        wolfSSL_set_fd(ssl, fd);
        ret = wolfSSL_accept(ssl);
        if (ret != WOLFSSL_SUCCESS) {
            printf("conn %d: HANDSHAKE FAILED: %s\n", n, err_text(ssl, ret));
            fflush(stdout);
            wolfSSL_free(ssl);
            close(fd);
            continue;
        }
        WOLFSSL_X509 *peer = wolfSSL_get_peer_certificate(ssl);
        printf("conn %d: HANDSHAKE OK %s %s resumed=%d peer cert: %s\n", n, wolfSSL_get_version(ssl),
               wolfSSL_get_cipher(ssl), wolfSSL_session_reused(ssl),
               peer ? wolfSSL_X509_get_subjectCN(peer) : "none");
        fflush(stdout);
        if (peer)
            wolfSSL_X509_free(peer);
        while (len < (int)sizeof req - 1) {
            ret = wolfSSL_read(ssl, req + len, (int)sizeof req - 1 - len);
            if (ret <= 0)
                break;
            len += ret;
            req[len] = '\0';
            if (strstr(req, "\r\n\r\n"))
                break;
        }
        req[len] = '\0';
        if (strstr(req, "\r\n\r\n") == NULL) {
            printf("conn %d: no SIP request\n", n);
        } else {
            printf("conn %d: SIP %.*s\n", n, (int)strcspn(req, "\r"), req);
            header(req, "Via", via, sizeof via);
            header(req, "From", from, sizeof from);
            header(req, "To", to, sizeof to);
            header(req, "Call-ID", callid, sizeof callid);
            header(req, "CSeq", cseq, sizeof cseq);
            len = snprintf(resp, sizeof resp,
                           "SIP/2.0 200 OK\r\nVia: %s;received=127.0.0.1\r\nFrom: %s\r\n"
                           "To: %s;tag=sbc-1\r\nCall-ID: %s\r\nCSeq: %s\r\n"
                           "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS\r\n"
                           "Accept: application/sdp\r\nContent-Length: 0\r\n\r\n",
                           via, from, to, callid, cseq);
            wolfSSL_write(ssl, resp, len);   /* one write = one record */
            while (wolfSSL_read(ssl, req, (int)sizeof req) > 0)
                ;   /* until close_notify */
        }
        fflush(stdout);
        wolfSSL_shutdown(ssl);
        wolfSSL_free(ssl);
        close(fd);
        printf("conn %d: CLOSED\n", n);
        fflush(stdout);
    }
    printf("DONE\n");
    wolfSSL_CTX_free(ctx);
    return 0;
}

static int
dial(int argc, char **argv)
{
    int port, connections = 1;
    const char *sni, *suite;
    WOLFSSL_CTX *ctx;
    WOLFSSL_SESSION *session = NULL;

    if (argc < 8)
        die("usage: -c PORT SNI CA CHAIN|- KEY|- SUITE|- [CONNECTIONS]");
    port = atoi(argv[2]);
    sni = argv[3];
    suite = argv[7];
    if (argc > 8)
        connections = atoi(argv[8]);
    ctx = wolfSSL_CTX_new(wolfTLSv1_3_client_method());
    if (ctx == NULL || wolfSSL_CTX_load_verify_locations(ctx, argv[4], NULL) != WOLFSSL_SUCCESS)
        die("cannot load the CA");
    if (strcmp(argv[5], "-") != 0
        && (wolfSSL_CTX_use_certificate_chain_file(ctx, argv[5]) != WOLFSSL_SUCCESS
            || wolfSSL_CTX_use_PrivateKey_file(ctx, argv[6], WOLFSSL_FILETYPE_PEM) != WOLFSSL_SUCCESS))
        die("cannot load the client certificate or key");
    if (strcmp(suite, "-") != 0 && wolfSSL_CTX_set_cipher_list(ctx, suite) != WOLFSSL_SUCCESS)
        die("unknown cipher suite");
    wolfSSL_CTX_set_verify(ctx, WOLFSSL_VERIFY_PEER, NULL);
    for (int n = 1; n <= connections; n++) {
        int fd = tcp_socket(), ret;
        struct sockaddr_in a = loopback(port);
        WOLFSSL *ssl;
        char buf[16384];
        int open_in = 1;

        if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0)
            die("connect");
        ssl = wolfSSL_new(ctx);
        wolfSSL_set_fd(ssl, fd);
        wolfSSL_UseSNI(ssl, WOLFSSL_SNI_HOST_NAME, sni, (unsigned short)strlen(sni));
        wolfSSL_check_domain_name(ssl, sni);
        if (session)
            wolfSSL_set_session(ssl, session);
        ret = wolfSSL_connect(ssl);
        if (ret != WOLFSSL_SUCCESS) {
            printf("conn %d: HANDSHAKE FAILED: %s\n", n, err_text(ssl, ret));
            return 1;
        }
        printf("conn %d: HANDSHAKE OK %s %s resumed=%d\n", n, wolfSSL_get_version(ssl),
               wolfSSL_get_cipher(ssl), wolfSSL_session_reused(ssl));
        fflush(stdout);
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
        while (open_in) {
            struct pollfd p[2] = { { 0, POLLIN, 0 }, { fd, POLLIN, 0 } };
            if (poll(p, 2, -1) < 0 && errno != EINTR)
                break;
            if (p[1].revents) {
                ret = wolfSSL_read(ssl, buf, sizeof buf);
                if (ret > 0) {
                    fwrite(buf, 1, (size_t)ret, stdout);
                    fflush(stdout);
                } else if (wolfSSL_get_error(ssl, ret) != WOLFSSL_ERROR_WANT_READ) {
                    printf("conn %d: server closed: %s\n", n, err_text(ssl, ret));
                    fflush(stdout);
                    p[1].fd = -1;
                    break;
                }
            }
            if (p[0].revents) {
                ssize_t k = read(0, buf, sizeof buf);
                if (k <= 0 || (k == 5 && memcmp(buf, "NEXT\n", 5) == 0))
                    break;
                for (int off = 0; off < k;) {
                    ret = wolfSSL_write(ssl, buf + off, (int)(k - off));
                    if (ret > 0)
                        off += ret;
                    else if (wolfSSL_get_error(ssl, ret) != WOLFSSL_ERROR_WANT_WRITE)
                        break;
                }
            }
        }
        if (session)
            wolfSSL_SESSION_free(session);
        session = wolfSSL_get1_session(ssl);
        wolfSSL_shutdown(ssl);
        wolfSSL_free(ssl);
        close(fd);
        printf("conn %d: CLOSED\n", n);
        fflush(stdout);
    }
    wolfSSL_CTX_free(ctx);
    return 0;
}

int
main(int argc, char **argv)
{
    wolfSSL_Init();
    if (argc > 1 && strcmp(argv[1], "-s") == 0)
        return serve(argc, argv);
    if (argc > 1 && strcmp(argv[1], "-c") == 0)
        return dial(argc, argv);
    die("-s (server) or -c (client)");
    return 1;
}
