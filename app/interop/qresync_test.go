package interop_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/store"
)

// TestPythonQResync: Python's imaplib, which knows nothing of RFC 7162,
// sends ENABLE QRESYNC and SELECT INBOX (QRESYNC (...)) raw and gets back
// only what another device changed: one VANISHED (EARLIER) and one FETCH.
func TestPythonQResync(t *testing.T) {
	e := startWorld(t)
	st := e.w.Provider("example.net").Store
	for _, s := range []string{"one", "two", "three"} {
		_, err := st.Deliver("bob@example.net", store.Inbox, []byte(message(s)), nil, time.Time{})
		require.NoError(t, err, "Deliver()")
	}
	out, ok := python(t, "qresync_client.py", "127.0.0.1", e.netPort(portIMAP), e.ca)
	require.True(t, ok, "qresync_client.py: %s", out)
	for _, want := range []string{"enable OK QRESYNC", "phone select OK", "laptop flag OK", "laptop expunge OK",
		"resync OK highestmodseq=", "vanished (EARLIER) 3", `fetch 2 (UID 2 FLAGS (\Flagged) MODSEQ (`} {
		assert.Contains(t, out, want)
	}
	assert.Len(t, e.inbox(t), 2, "Bob's INBOX at the end")
}
