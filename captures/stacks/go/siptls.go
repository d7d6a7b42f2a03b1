// siptls - a small SIP-over-TLS server and client on Go's crypto/tls, used by
// ../../record.sh to record Go handshakes.  Built at record time only
// (go build siptls.go); the product never links it.
//
//	siptls -server -addr 127.0.0.1:5061 -cert CHAIN.pem -key KEY -ca ROOT.pem
//	       -policy none|optional|required [-keylog FILE] [-connections N]
//	siptls -client -addr 127.0.0.1:5061 -sni sbc.example.test -ca ROOT.pem
//	       [-cert CHAIN.pem -key KEY] [-keylog FILE] [-suite NAME]
//	       [-connections N]
//
// policy: none = no CertificateRequest; optional = VerifyClientCertIfGiven;
// required = RequireAndVerifyClientCert (Go's verifier requires the
// clientAuth EKU of the client's leaf).  -keylog writes the NSS key log
// (tls.Config.KeyLogWriter).
//
// Server: each connection is handshaken, one SIP request read and answered
// with "SIP/2.0 200 OK" in one write (one record), then read until the
// client closes.  Client: after each handshake it prints "HANDSHAKE OK",
// then copies each chunk read from stdin to the connection in one write and
// the server's data to stdout; end of stdin closes the connection
// (close_notify).  With -connections 2 the second connection resumes the
// first's session (an in-memory ClientSessionCache) and the same stdin line
// protocol repeats: a line "NEXT" on stdin ends the first connection.
//
// Test tool only: trusts nothing but -ca.
package main

import (
	"bufio"
	"crypto/tls"
	"crypto/x509"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"strings"
)

var (
	server      = flag.Bool("server", false, "act as the TLS server")
	client      = flag.Bool("client", false, "act as the TLS client")
	addr        = flag.String("addr", "127.0.0.1:5061", "address to listen on or connect to")
	certFile    = flag.String("cert", "", "certificate chain (PEM)")
	keyFile     = flag.String("key", "", "private key (PEM)")
	caFile      = flag.String("ca", "", "trust anchor (PEM)")
	policy      = flag.String("policy", "none", "server: none|optional|required")
	keylog      = flag.String("keylog", "", "NSS key log file")
	sni         = flag.String("sni", "sbc.example.test", "client: server_name")
	suite       = flag.String("suite", "", "client: the only TLS 1.3 suite to offer (ignored by Go 1.19: logged)")
	connections = flag.Int("connections", 1, "connections to serve or make")
)

func say(format string, a ...interface{}) {
	fmt.Printf(format+"\n", a...)
}

func config() *tls.Config {
	cfg := &tls.Config{MinVersion: tls.VersionTLS13, MaxVersion: tls.VersionTLS13}
	if *certFile != "" {
		pair, err := tls.LoadX509KeyPair(*certFile, *keyFile)
		if err != nil {
			log.Fatalf("certificate: %v", err)
		}
		cfg.Certificates = []tls.Certificate{pair}
	}
	pool := x509.NewCertPool()
	pem, err := os.ReadFile(*caFile)
	if err != nil || !pool.AppendCertsFromPEM(pem) {
		log.Fatalf("trust anchor %s: %v", *caFile, err)
	}
	cfg.RootCAs, cfg.ClientCAs = pool, pool
	if *keylog != "" {
		f, err := os.OpenFile(*keylog, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			log.Fatalf("key log: %v", err)
		}
		cfg.KeyLogWriter = f
	}
	return cfg
}

func describe(cs tls.ConnectionState) string {
	peer := "none"
	if len(cs.PeerCertificates) > 0 {
		leaf := cs.PeerCertificates[0]
		peer = fmt.Sprintf("%s EKU %v", leaf.Subject, leaf.ExtKeyUsage)
	}
	return fmt.Sprintf("%s resumed=%v peer cert: %s", tls.CipherSuiteName(cs.CipherSuite), cs.DidResume, peer)
}

func serve(cfg *tls.Config) {
	switch *policy {
	case "none":
		cfg.ClientAuth = tls.NoClientCert
	case "optional":
		cfg.ClientAuth = tls.VerifyClientCertIfGiven
	case "required":
		cfg.ClientAuth = tls.RequireAndVerifyClientCert
	default:
		log.Fatalf("unknown policy %s", *policy)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	say("LISTENING %s policy=%s", *addr, *policy)
	for n := 1; n <= *connections; n++ {
		raw, err := ln.Accept()
		if err != nil {
			log.Fatal(err)
		}
		c := tls.Server(raw, cfg)
		if err := c.Handshake(); err != nil {
			say("conn %d: HANDSHAKE FAILED: %v", n, err)
			c.Close()
			continue
		}
		say("conn %d: HANDSHAKE OK %s", n, describe(c.ConnectionState()))
		r := bufio.NewReader(c)
		var req strings.Builder
		for {
			line, err := r.ReadString('\n')
			req.WriteString(line)
			if err != nil || line == "\r\n" {
				break
			}
		}
		if req.Len() == 0 {
			say("conn %d: no SIP request", n)
			c.Close()
			continue
		}
		say("conn %d: SIP %s", n, strings.SplitN(req.String(), "\r\n", 2)[0])
		c.Write([]byte(response(req.String())))
		io.Copy(io.Discard, r)
		c.Close()
		say("conn %d: CLOSED", n)
	}
	say("DONE")
}

func header(req, name string) string {
	for _, l := range strings.Split(req, "\r\n") {
		if len(l) > len(name) && strings.EqualFold(l[:len(name)+1], name+":") {
			return strings.TrimSpace(l[len(name)+1:])
		}
	}
	return ""
}

func response(req string) string {
	return "SIP/2.0 200 OK\r\n" +
		"Via: " + header(req, "Via") + ";received=127.0.0.1\r\n" +
		"From: " + header(req, "From") + "\r\n" +
		"To: " + header(req, "To") + ";tag=sbc-1\r\n" +
		"Call-ID: " + header(req, "Call-ID") + "\r\n" +
		"CSeq: " + header(req, "CSeq") + "\r\n" +
		"Allow: INVITE, ACK, CANCEL, BYE, OPTIONS\r\n" +
		"Accept: application/sdp\r\n" +
		"Content-Length: 0\r\n\r\n"
}

func dial(cfg *tls.Config) {
	cfg.ServerName = *sni
	cfg.ClientSessionCache = tls.NewLRUClientSessionCache(4)
	if *suite != "" {
		say("note: Go 1.19 does not let a client choose TLS 1.3 suites; %s not enforced", *suite)
	}
	in := bufio.NewReader(os.Stdin)
	for n := 1; n <= *connections; n++ {
		c, err := tls.Dial("tcp", *addr, cfg)
		if err != nil {
			say("conn %d: HANDSHAKE FAILED: %v", n, err)
			os.Exit(1)
		}
		say("conn %d: HANDSHAKE OK %s", n, describe(c.ConnectionState()))
		done := make(chan struct{})
		go func() {
			io.Copy(os.Stdout, c)
			close(done)
		}()
		buf := make([]byte, 16384)
		for {
			k, err := in.Read(buf)
			if k > 0 {
				if string(buf[:k]) == "NEXT\n" {
					break
				}
				if _, werr := c.Write(buf[:k]); werr != nil {
					break
				}
			}
			if err != nil {
				break
			}
		}
		c.Close()
		<-done
		say("conn %d: CLOSED", n)
	}
}

func main() {
	flag.Parse()
	log.SetFlags(0)
	cfg := config()
	switch {
	case *server:
		serve(cfg)
	case *client:
		dial(cfg)
	default:
		log.Fatal("-server or -client")
	}
}
