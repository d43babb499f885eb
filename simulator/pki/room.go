package pki

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"time"
)

// NewRoomCA makes the authority of a classroom: it may only vouch for
// names inside zone (RFC 5280 §4.2.1.10 name constraints, marked
// critical), so a student who trusts it trusts it for the room and for
// nothing on the internet. It is valid for a day.
func NewRoomCA(zone string) (*CA, error) {
	return newAuthority("Maillab classroom CA "+zone, func(c *x509.Certificate) {
		c.MaxPathLenZero = true
		c.PermittedDNSDomainsCritical = true
		c.PermittedDNSDomains = []string{zone}
	})
}

// SignCSR issues a server certificate for the key of a PEM certificate
// request. The names and addresses are the ones given here, never the
// request's: the CA decides what a student's certificate is good for.
func (ca *CA) SignCSR(csrPEM []byte, names []string, ips []net.IP) ([]byte, error) {
	block, _ := pem.Decode(csrPEM)
	if block == nil || block.Type != "CERTIFICATE REQUEST" {
		return nil, errors.New("pki: not a PEM certificate request")
	}
	csr, err := x509.ParseCertificateRequest(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("pki: certificate request: %w", err)
	}
	if err := csr.CheckSignature(); err != nil {
		return nil, fmt.Errorf("pki: certificate request: %w", err)
	}
	if len(names) == 0 {
		return nil, errors.New("pki: a certificate needs a name")
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial(),
		Subject:      pkix.Name{CommonName: names[0]},
		DNSNames:     names,
		IPAddresses:  ips,
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     ca.cert.NotAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, csr.PublicKey, ca.key)
	if err != nil {
		return nil, fmt.Errorf("pki: certificate for %s: %w", names[0], err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), nil
}

// NewCSR makes a P-256 key and a PEM certificate request for name (the
// CA chooses the names it signs anyway).
func NewCSR(name string) (csrPEM []byte, key *ecdsa.PrivateKey, err error) {
	key, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	der, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{
		Subject: pkix.Name{CommonName: name}, DNSNames: []string{name}}, key)
	if err != nil {
		return nil, nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: der}), key, nil
}

// Issued is a certificate another machine's CA signed (a classroom
// student's), with what a server and a client need from it.
type Issued struct {
	Cert tls.Certificate
	Pool *x509.CertPool // the issuing CA only
}

// NewIssued joins a PEM certificate, its key and the PEM CA certificate,
// and checks that the CA really signed it.
func NewIssued(certPEM []byte, key *ecdsa.PrivateKey, caPEM []byte) (*Issued, error) {
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(caPEM) {
		return nil, errors.New("pki: no CA certificate")
	}
	block, _ := pem.Decode(certPEM)
	if block == nil || block.Type != "CERTIFICATE" {
		return nil, errors.New("pki: not a PEM certificate")
	}
	leaf, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return nil, err
	}
	if _, err := leaf.Verify(x509.VerifyOptions{Roots: pool}); err != nil {
		return nil, fmt.Errorf("pki: the certificate does not chain to the CA: %w", err)
	}
	return &Issued{Cert: tls.Certificate{Certificate: [][]byte{block.Bytes}, PrivateKey: key, Leaf: leaf}, Pool: pool}, nil
}

// ServerConfig is a TLS 1.3 server config with the issued certificate.
func (i *Issued) ServerConfig(host string) *tls.Config {
	return &tls.Config{Certificates: []tls.Certificate{i.Cert}, MinVersion: tls.VersionTLS13,
		ServerName: host, CurvePreferences: curves}
}

// ClientConfig trusts only the issuing CA and verifies host.
func (i *Issued) ClientConfig(host string) *tls.Config {
	return &tls.Config{RootCAs: i.Pool, ServerName: host, MinVersion: tls.VersionTLS13, CurvePreferences: curves}
}
