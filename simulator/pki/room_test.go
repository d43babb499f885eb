package pki

import (
	"crypto/x509"
	"encoding/pem"
	"net"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestRoomCASignsOnlyInsideItsZone(t *testing.T) {
	ca, err := NewRoomCA("room42.test")
	require.NoError(t, err)
	csr, key, err := NewCSR("mx.anna.room42.test")
	require.NoError(t, err)
	certPEM, err := ca.SignCSR(csr, []string{"mx.anna.room42.test", "anna.room42.test"}, []net.IP{net.ParseIP("192.0.2.7")})
	require.NoError(t, err)
	issued, err := NewIssued(certPEM, key, ca.PEM())
	require.NoError(t, err)
	require.Equal(t, []string{"mx.anna.room42.test", "anna.room42.test"}, issued.Cert.Leaf.DNSNames)

	// The request's own names do not matter; names outside the zone do
	// not verify, because the CA is constrained to the zone.
	outside, err := ca.SignCSR(csr, []string{"mail.example.org"}, nil)
	require.NoError(t, err, "Go signs it; the constraint bites at verification")
	block, _ := pem.Decode(outside)
	leaf, err := x509.ParseCertificate(block.Bytes)
	require.NoError(t, err)
	_, err = leaf.Verify(x509.VerifyOptions{Roots: ca.Pool()})
	require.Error(t, err)
	var inv x509.CertificateInvalidError
	require.ErrorAs(t, err, &inv)
	require.Equal(t, x509.CANotAuthorizedForThisName, inv.Reason)

	_, err = ca.SignCSR([]byte("not a request"), []string{"a.room42.test"}, nil)
	require.Error(t, err)
}
