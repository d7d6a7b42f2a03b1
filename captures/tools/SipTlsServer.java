// SipTlsServer - a small SIP-over-TLS responder on JSSE (OpenJDK's own TLS
// stack), used by ../record.sh to record Java-server handshakes.
//
//   java SipTlsServer --port 5061 --tls TLSv1.2 --cert pki/server-serverauth-chain.pem
//        --key pki/server-serverauth.key --ca pki/root-ca.pem
//        --policy none|optional|required|app-eku   [--sni HOST=POLICY ...]
//        [--connections N]
//
// policy (CertificateRequest and who checks the client certificate):
//   none      no CertificateRequest
//   optional  setWantClientAuth(true); JSSE's default PKIX trust manager
//   required  setNeedClientAuth(true); JSSE's default PKIX trust manager, which
//             also checks the clientAuth EKU (sun.security.validator.EndEntityChecker)
//   app-eku   setWantClientAuth(true) with a trust manager that validates the
//             chain (PKIX, no EKU check); the APPLICATION then looks at the leaf's
//             EKU after the handshake and, without clientAuth, drops the TCP
//             connection with SO_LINGER 0 (RST) - no TLS alert, no close_notify.
// --sni HOST=POLICY picks the policy per connection from the server_name the
// client sends: the ClientHello is read from the socket before the TLS layer
// is created and handed to JSSE as "consumed" bytes (the handshake itself is
// entirely JSSE's).  Connections are served concurrently, one thread each.
//
// Each accepted connection: TLS handshake, one SIP request read, a
// "SIP/2.0 200 OK" built from its Via/From/To/Call-ID/CSeq, then wait for the
// client's close_notify and answer it.  Test tool only: trusts pki/root-ca.pem.
import java.io.*;
import java.net.*;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.security.*;
import java.security.cert.*;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.*;
import javax.net.ssl.*;

public class SipTlsServer {
    static String port = "5061", tls = "TLSv1.2", certFile, keyFile, caFile, policy = "none";
    static int connections = 1;
    static final Map<String, String> sniPolicy = new LinkedHashMap<>();

    static void log(String s) {
        synchronized (System.out) { System.out.println(s); System.out.flush(); }
    }

    public static void main(String[] a) throws Exception {
        for (int i = 0; i < a.length; i++) {
            switch (a[i]) {
            case "--port": port = a[++i]; break;
            case "--tls": tls = a[++i]; break;
            case "--cert": certFile = a[++i]; break;
            case "--key": keyFile = a[++i]; break;
            case "--ca": caFile = a[++i]; break;
            case "--policy": policy = a[++i]; break;
            case "--connections": connections = Integer.parseInt(a[++i]); break;
            case "--sni": { String[] kv = a[++i].split("=", 2); sniPolicy.put(kv[0].toLowerCase(), kv[1]); break; }
            default: throw new IllegalArgumentException("unknown option " + a[i]);
            }
        }
        X509Certificate root = certificates(caFile)[0];
        KeyManager[] kms = keyManagers(certFile, keyFile);
        TrustManagerFactory tmf = trustManagers(root);

        SSLContext jsse = SSLContext.getInstance("TLS");            // JSSE default trust manager (checks EKU)
        jsse.init(kms, tmf.getTrustManagers(), null);
        SSLContext appEku = SSLContext.getInstance("TLS");          // chain only; EKU left to the application
        appEku.init(kms, new TrustManager[] { new ChainOnlyTrustManager(root) }, null);

        try (ServerSocket ss = new ServerSocket()) {
            ss.setReuseAddress(true);
            ss.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), Integer.parseInt(port)));
            log("LISTENING 127.0.0.1:" + port + " " + tls + " policy=" + policy
                + (sniPolicy.isEmpty() ? "" : " sni=" + sniPolicy));
            List<Thread> threads = new ArrayList<>();
            for (int n = 1; n <= connections; n++) {
                Socket plain = ss.accept();
                final int id = n;
                Thread t = new Thread(() -> serve(id, plain, jsse, appEku));
                t.start();
                threads.add(t);
            }
            for (Thread t : threads) t.join();
        }
        log("DONE");
    }

    // The certificates of a PEM file, in order.
    static X509Certificate[] certificates(String file) throws Exception {
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        try (InputStream in = Files.newInputStream(Paths.get(file))) {
            return cf.generateCertificates(in).toArray(new X509Certificate[0]);
        }
    }

    // A key manager holding CHAIN (PEM) and its unencrypted PKCS#8 RSA key.
    static KeyManager[] keyManagers(String chainFile, String keyFile) throws Exception {
        X509Certificate[] chain = certificates(chainFile);
        String pem = new String(Files.readAllBytes(Paths.get(keyFile)), StandardCharsets.US_ASCII);
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
        PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("peer", key, new char[0], chain);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
        kmf.init(ks, new char[0]);
        return kmf.getKeyManagers();
    }

    // JSSE's default PKIX trust manager, trusting ROOT only.
    static TrustManagerFactory trustManagers(X509Certificate root) throws Exception {
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        ts.setCertificateEntry("root", root);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(ts);
        return tmf;
    }

    static void serve(int id, Socket plain, SSLContext jsse, SSLContext appEku) {
        String tag = "conn " + id + " (client port " + plain.getPort() + ")";
        try {
            plain.setTcpNoDelay(true);
            byte[] hello = new byte[0];
            String pol = policy;
            if (!sniPolicy.isEmpty()) {
                hello = readRecord(plain.getInputStream());
                String sni = serverName(hello);
                pol = sni == null ? policy : sniPolicy.getOrDefault(sni.toLowerCase(), policy);
                log(tag + ": SNI " + sni + " -> policy " + pol);
            }
            SSLContext ctx = pol.equals("app-eku") ? appEku : jsse;
            SSLSocket s = (SSLSocket) ctx.getSocketFactory()
                .createSocket(plain, new ByteArrayInputStream(hello), true);
            s.setEnabledProtocols(new String[] { tls });
            switch (pol) {
            case "none": break;
            case "optional": case "app-eku": s.setWantClientAuth(true); break;
            case "required": s.setNeedClientAuth(true); break;
            default: throw new IllegalArgumentException("unknown policy " + pol);
            }
            try {
                s.startHandshake();
            } catch (IOException e) {
                log(tag + ": HANDSHAKE FAILED: " + e);
                for (Throwable c = e.getCause(); c != null; c = c.getCause()) log(tag + ":   caused by " + c);
                s.close();
                return;
            }
            SSLSession sess = s.getSession();
            X509Certificate leaf = null;
            try {
                leaf = (X509Certificate) sess.getPeerCertificates()[0];
            } catch (SSLPeerUnverifiedException e) { /* no client certificate */ }
            List<String> eku = null;
            try {
                if (leaf != null) eku = leaf.getExtendedKeyUsage();
            } catch (CertificateParsingException e) { log(tag + ": bad EKU extension: " + e); }
            log(tag + ": HANDSHAKE OK " + sess.getProtocol() + " " + sess.getCipherSuite() + " client cert: "
                + (leaf == null ? "none" : leaf.getSubjectX500Principal() + " EKU " + eku));
            if (pol.equals("app-eku") && (leaf == null || eku == null || !eku.contains("1.3.6.1.5.5.7.3.2"))) {
                log(tag + ": APPLICATION REJECT: client certificate lacks clientAuth EKU, resetting the TCP connection");
                plain.setSoLinger(true, 0);
                plain.close();          // the plain socket: no close_notify, RST
                return;
            }
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            String req = readSip(in);
            if (req == null) {
                log(tag + ": no SIP request (EOF)");
                s.close();
                return;
            }
            log(tag + ": SIP " + req.substring(0, req.indexOf('\r')));
            out.write(response(req).getBytes(StandardCharsets.US_ASCII));   // one write = one record
            out.flush();
            byte[] buf = new byte[4096];
            while (in.read(buf) >= 0) { /* until close_notify */ }
            s.close();
            log(tag + ": CLOSED");
        } catch (IOException e) {
            log(tag + ": ERROR " + e);
            try { plain.close(); } catch (IOException ignored) { }
        }
    }

    // One whole TLS record (the ClientHello) read off the plain socket.
    static byte[] readRecord(InputStream in) throws IOException {
        DataInputStream d = new DataInputStream(in);
        byte[] hdr = new byte[5];
        d.readFully(hdr);
        int len = ((hdr[3] & 0xff) << 8) | (hdr[4] & 0xff);
        byte[] rec = Arrays.copyOf(hdr, 5 + len);
        d.readFully(rec, 5, len);
        return rec;
    }

    // server_name from a ClientHello record, or null.
    static String serverName(byte[] r) {
        try {
            if (r[0] != 22 || r[5] != 1) return null;
            int p = 5 + 4 + 2 + 32;
            p += 1 + (r[p] & 0xff);                                      // session id
            p += 2 + (((r[p] & 0xff) << 8) | (r[p + 1] & 0xff));          // cipher suites
            p += 1 + (r[p] & 0xff);                                      // compression
            int end = p + 2 + (((r[p] & 0xff) << 8) | (r[p + 1] & 0xff));
            p += 2;
            while (p + 4 <= end) {
                int type = ((r[p] & 0xff) << 8) | (r[p + 1] & 0xff);
                int len = ((r[p + 2] & 0xff) << 8) | (r[p + 3] & 0xff);
                if (type == 0) {
                    int q = p + 4 + 2;                                   // server_name_list length
                    if (r[q] == 0) {
                        int n = ((r[q + 1] & 0xff) << 8) | (r[q + 2] & 0xff);
                        return new String(r, q + 3, n, StandardCharsets.US_ASCII);
                    }
                }
                p += 4 + len;
            }
        } catch (ArrayIndexOutOfBoundsException e) { /* truncated */ }
        return null;
    }

    static String readSip(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            sb.append((char) c);
            if (sb.length() >= 4 && sb.substring(sb.length() - 4).equals("\r\n\r\n")) return sb.toString();
        }
        return null;
    }

    static String header(String req, String name) {
        for (String l : req.split("\r\n"))
            if (l.regionMatches(true, 0, name + ":", 0, name.length() + 1)) return l.substring(name.length() + 1).trim();
        return "";
    }

    static String response(String req) {
        return "SIP/2.0 200 OK\r\n"
            + "Via: " + header(req, "Via") + ";received=127.0.0.1\r\n"
            + "From: " + header(req, "From") + "\r\n"
            + "To: " + header(req, "To") + ";tag=sbc-1\r\n"
            + "Call-ID: " + header(req, "Call-ID") + "\r\n"
            + "CSeq: " + header(req, "CSeq") + "\r\n"
            + "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS\r\n"
            + "Accept: application/sdp\r\n"
            + "Content-Length: 0\r\n\r\n";
    }

    // PKIX path validation to the test root, with no EKU requirement: the
    // application decides about the EKU itself (policy app-eku).
    static final class ChainOnlyTrustManager extends X509ExtendedTrustManager {
        final X509Certificate root;
        ChainOnlyTrustManager(X509Certificate root) { this.root = root; }

        void validate(X509Certificate[] chain) throws CertificateException {
            try {
                CertificateFactory cf = CertificateFactory.getInstance("X.509");
                CertPath path = cf.generateCertPath(Arrays.asList(chain));
                PKIXParameters p = new PKIXParameters(Collections.singleton(new TrustAnchor(root, null)));
                p.setRevocationEnabled(false);
                CertPathValidator.getInstance("PKIX").validate(path, p);
            } catch (GeneralSecurityException e) {
                throw new CertificateException("chain does not validate: " + e, e);
            }
        }
        public void checkClientTrusted(X509Certificate[] c, String a) throws CertificateException { validate(c); }
        public void checkClientTrusted(X509Certificate[] c, String a, Socket s) throws CertificateException { validate(c); }
        public void checkClientTrusted(X509Certificate[] c, String a, SSLEngine e) throws CertificateException { validate(c); }
        public void checkServerTrusted(X509Certificate[] c, String a) throws CertificateException { throw new CertificateException("server side only"); }
        public void checkServerTrusted(X509Certificate[] c, String a, Socket s) throws CertificateException { throw new CertificateException("server side only"); }
        public void checkServerTrusted(X509Certificate[] c, String a, SSLEngine e) throws CertificateException { throw new CertificateException("server side only"); }
        public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[] { root }; }
    }
}
