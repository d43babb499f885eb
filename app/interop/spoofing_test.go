package interop_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/mail"
)

// TestSpoofingRefused: a Python impostor that sends as Alice straight to
// Bob's MX from 127.0.0.1 fails SPF, has no DKIM signature and is refused
// by example.org's DMARC policy; Alice's own mail submitted with curl
// through her MSA arrives signed and passes (needs own loopback addresses
// for SPF, as on Linux).
func TestSpoofingRefused(t *testing.T) {
	e := startWorld(t)
	out, ok := python(t, "spoof_client.py", "127.0.0.1", e.netPort(portSMTP))
	require.True(t, ok, "spoof_client.py: %s", out)
	assert.Contains(t, out, "refused 550 5.7.1 Rejected by DMARC policy of example.org")

	e.curlSend(t, "smtp://"+e.org(portSubmission), "genuine via curl")
	msgs := e.waitInbox(t, 1)
	h := mail.Header(msgs[0].Raw)
	ar := h.Get("Authentication-Results")
	assert.Contains(t, ar, "dkim=pass header.d=example.org")
	assert.Contains(t, ar, "dmarc=pass header.from=example.org")
	if ownAddresses(e) {
		assert.Contains(t, ar, "spf=pass smtp.mailfrom=example.org")
	}
	assert.Equal(t, 0, countSubject(msgs, "forged by Python"))
}

// ownAddresses: smtp.example.org dials from an address of its own, so SPF
// can tell it from a client on 127.0.0.1.
func ownAddresses(e *env) bool {
	n, _ := e.w.Node("smtp.example.org")
	return n.IP != "127.0.0.1"
}
