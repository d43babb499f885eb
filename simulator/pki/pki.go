// Package pki makes a certificate authority for one run and certificates for
// its host names, so built-in and external clients can verify every server.
package pki

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// CA is a throw-away authority generated per run.
type CA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	der  []byte
	pool *x509.CertPool
	// KeyLog receives the TLS secrets of every connection that uses one of
	// this CA's configs (NSS key log format), for the tap and for exports.
	KeyLog *KeyLog

	mu      sync.Mutex
	certs   map[string]*tls.Certificate
	clients map[string]*tls.Config // ClientConfig's, by host
}

// NewCA generates a fresh P-256 authority valid for a day.
func NewCA() (*CA, error) { return newAuthority("Maillab teaching CA", nil) }

// newAuthority makes a self-signed P-256 authority valid for a day; constrain,
// when given, limits the names it may vouch for.
func newAuthority(name string, constrain func(*x509.Certificate)) (*CA, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial(),
		Subject:               pkix.Name{CommonName: name, Organization: []string{"Maillab"}},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		IsCA:                  true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
	}
	if constrain != nil {
		constrain(tmpl)
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &CA{cert: cert, key: key, der: der, pool: pool, KeyLog: NewKeyLog(),
		certs: map[string]*tls.Certificate{}, clients: map[string]*tls.Config{}}, nil
}

func serial() *big.Int {
	n, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	return n
}

// PEM returns the CA certificate in PEM form.
func (ca *CA) PEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.der})
}

// WriteFile stores the CA certificate so external clients can trust it.
// It writes a new file of its own (O_EXCL, a random name) beside path and
// renames it over path: a planted symlink is replaced, never followed, and
// a client reading the file never sees half of it.
func (ca *CA) WriteFile(path string) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".maillab-ca-*.pem")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(ca.PEM())
	if err == nil {
		err = f.Chmod(0o644) // a certificate is public: clients of other users may read it
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}

// Pool returns a pool holding only this CA.
func (ca *CA) Pool() *x509.CertPool { return ca.pool }

// Certificate returns (and caches) a leaf certificate for host, valid also
// for the loopback addresses so "openssl s_client -connect 127.0.0.1" works
// with -verify_hostname.
func (ca *CA) Certificate(host string) (*tls.Certificate, error) {
	ca.mu.Lock()
	defer ca.mu.Unlock()
	if c, ok := ca.certs[host]; ok {
		return c, nil
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial(),
		Subject:      pkix.Name{CommonName: host},
		DNSNames:     []string{host, "localhost"},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1"), net.ParseIP("::1")},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		return nil, fmt.Errorf("pki: certificate for %s: %w", host, err)
	}
	c := &tls.Certificate{Certificate: [][]byte{der, ca.der}, PrivateKey: key}
	ca.certs[host] = c
	return c, nil
}

// ServerConfig returns a TLS 1.3 server config for host. TLS 1.3 only: the
// wire tap decrypts 1.3 records for the endpoint view, and every current
// client speaks it.
func (ca *CA) ServerConfig(host string) (*tls.Config, error) {
	c, err := ca.Certificate(host)
	if err != nil {
		return nil, err
	}
	return &tls.Config{Certificates: []tls.Certificate{*c}, MinVersion: tls.VersionTLS13,
		KeyLogWriter: ca.KeyLog, ServerName: host, CurvePreferences: curves}, nil
}

// curves are the key exchanges the world's servers and clients offer:
// X25519 (RFC 7748, RFC 8446 §4.2.7), what Postfix and Dovecot with the
// OpenSSL of Debian 12 negotiate and what most mail servers use today,
// then P-256. Go's default puts the post-quantum hybrid X25519MLKEM768
// first, which costs a tenth of the CPU of a message's way through the
// world and is not yet what mail servers speak to each other.
var curves = []tls.CurveID{tls.X25519, tls.CurveP256}

// ClientConfig returns a config that trusts only this CA and verifies host.
// It is made once per host and shared: callers must not change it. It
// keeps no sessions, so every handshake with it is a full one; a client
// that resumes sessions as real ones do has its own Client.
func (ca *CA) ClientConfig(host string) *tls.Config {
	ca.mu.Lock()
	defer ca.mu.Unlock()
	if c, ok := ca.clients[host]; ok {
		return c
	}
	c := ca.clientConfig(host, nil)
	ca.clients[host] = c
	return c
}

func (ca *CA) clientConfig(host string, sessions tls.ClientSessionCache) *tls.Config {
	return &tls.Config{RootCAs: ca.pool, ServerName: host, MinVersion: tls.VersionTLS13,
		KeyLogWriter: ca.KeyLog, ClientSessionCache: sessions, CurvePreferences: curves}
}

// Client is one TLS client (a device, an MTA) with its own session cache:
// after a first full handshake with a server it resumes the session with
// the server's ticket (TLS 1.3 PSK with a fresh key exchange, RFC 8446
// §2.2, §4.6.1), as Thunderbird, Postfix and OpenSSL clients do. A
// resumed handshake sends no certificate: the ticket vouches for the
// server that was verified the first time.
type Client struct {
	ca       *CA
	sessions tls.ClientSessionCache
	mu       sync.Mutex
	configs  map[string]*tls.Config
}

// clientSessions is how many servers' tickets one client keeps.
const clientSessions = 64

// NewClient returns a client with an empty session cache.
func (ca *CA) NewClient() *Client {
	return &Client{ca: ca, sessions: tls.NewLRUClientSessionCache(clientSessions), configs: map[string]*tls.Config{}}
}

// Config returns the client's config for host (made once, shared: callers
// must not change it).
func (c *Client) Config(host string) *tls.Config {
	c.mu.Lock()
	defer c.mu.Unlock()
	if cfg, ok := c.configs[host]; ok {
		return cfg
	}
	cfg := c.ca.clientConfig(host, c.sessions)
	c.configs[host] = cfg
	return cfg
}
