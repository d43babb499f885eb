package classroom_test

import (
	"crypto/x509"
	"testing"

	"github.com/stretchr/testify/require"
)

func poolOf(t *testing.T, pemCA string) *x509.CertPool {
	t.Helper()
	p := x509.NewCertPool()
	require.True(t, p.AppendCertsFromPEM([]byte(pemCA)))
	return p
}
