// SipTlsClient - a small SIP-over-TLS client on JSSE, used by ../record.sh to
// record handshakes whose TLS client is Java 17's own stack.
//
//   java SipTlsClient --connect 127.0.0.1:5061 --sni sbc.example.test --ca pki/root-ca.pem
//        [--cert pki/client-dualeku-chain.pem --key pki/client-dualeku.key]
//        [--tls TLSv1.3] [--suite TLS_AES_128_GCM_SHA256] [--connections 2]
//
// After each handshake it prints "HANDSHAKE OK <protocol> <suite>", then
// writes each chunk read from stdin to the connection in one write (one TLS
// record) and prints what the server sends; end of stdin closes the
// connection (close_notify).  With --connections 2 a line "NEXT" on stdin
// ends the first connection and the second one, from the same SSLContext,
// resumes its session (TLS 1.3 PSK).  Test tool only: trusts --ca alone.
// Shares the PEM loading of SipTlsServer.java (compile both together).
import java.io.*;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import javax.net.ssl.*;

public class SipTlsClient {
    public static void main(String[] a) throws Exception {
        String connect = "127.0.0.1:5061", sni = "sbc.example.test", ca = null, cert = null, key = null;
        String tls = "TLSv1.3", suite = null;
        int connections = 1;
        for (int i = 0; i < a.length; i++) {
            switch (a[i]) {
            case "--connect": connect = a[++i]; break;
            case "--sni": sni = a[++i]; break;
            case "--ca": ca = a[++i]; break;
            case "--cert": cert = a[++i]; break;
            case "--key": key = a[++i]; break;
            case "--tls": tls = a[++i]; break;
            case "--suite": suite = a[++i]; break;
            case "--connections": connections = Integer.parseInt(a[++i]); break;
            default: throw new IllegalArgumentException("unknown option " + a[i]);
            }
        }
        X509Certificate root = SipTlsServer.certificates(ca)[0];
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(cert == null ? null : SipTlsServer.keyManagers(cert, key),
                 SipTlsServer.trustManagers(root).getTrustManagers(), null);
        String host = connect.substring(0, connect.lastIndexOf(':'));
        int port = Integer.parseInt(connect.substring(connect.lastIndexOf(':') + 1));
        InputStream stdin = System.in;
        for (int n = 1; n <= connections; n++) {
            SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(host, port);
            s.setTcpNoDelay(true);
            s.setEnabledProtocols(new String[] { tls });
            if (suite != null)
                s.setEnabledCipherSuites(new String[] { suite });
            SSLParameters p = s.getSSLParameters();
            p.setServerNames(Arrays.asList(new SNIHostName(sni)));
            p.setEndpointIdentificationAlgorithm("HTTPS");
            s.setSSLParameters(p);
            try {
                s.startHandshake();
            } catch (IOException e) {
                SipTlsServer.log("conn " + n + ": HANDSHAKE FAILED: " + e);
                System.exit(1);
            }
            SSLSession sess = s.getSession();
            SipTlsServer.log("conn " + n + ": HANDSHAKE OK " + sess.getProtocol() + " " + sess.getCipherSuite());
            final InputStream in = s.getInputStream();
            Thread reader = new Thread(() -> {
                byte[] buf = new byte[4096];
                try {
                    for (int k; (k = in.read(buf)) >= 0; ) {
                        synchronized (System.out) { System.out.write(buf, 0, k); System.out.flush(); }
                    }
                } catch (IOException e) {
                    SipTlsServer.log("read: " + e);
                }
            });
            reader.start();
            OutputStream out = s.getOutputStream();
            byte[] buf = new byte[16384];
            for (int k; (k = stdin.read(buf)) >= 0; ) {
                if (k == 5 && new String(buf, 0, 5, StandardCharsets.US_ASCII).equals("NEXT\n"))
                    break;
                try {
                    out.write(buf, 0, k);   // one write = one record
                    out.flush();
                } catch (IOException e) {
                    SipTlsServer.log("write: " + e);
                    break;
                }
            }
            s.close();
            reader.join(2000);
            SipTlsServer.log("conn " + n + ": CLOSED");
        }
    }
}
