package world

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/event"
	"maillab/simulator/mta"
	"maillab/simulator/netmap"
)

// TestFullMailboxBounces delivers to Bob until his quota is used up: the
// MDA answers the next one 552 5.2.2 over LMTP, the MX passes it on, the
// sender's MTA bounces it with a DSN to Alice, and IMAP APPEND gets NO
// [OVERQUOTA]; the snapshot shows the usage.
func TestFullMailboxBounces(t *testing.T) {
	const quota = 8 << 10
	w := start(t, Options{MailboxQuota: quota, InsecureAuth: []string{"example.net"}})
	bob := w.Provider("example.net").Store
	var sent int
	for ; sent < 10; sent++ {
		deliver(t, w, "filler "+strconv.Itoa(sent))
		if q := w.Provider("example.org").Queue.Snapshot(); q[len(q)-1].State != mta.StateSent {
			break
		}
	}
	require.Less(t, sent, 10, "the quota fills up")
	require.Positive(t, sent, "the first messages fit")

	inbox, err := bob.Messages("bob@example.net", "INBOX")
	require.NoError(t, err)
	assert.Len(t, inbox, sent, "the refused message is not stored")
	q := w.Provider("example.org").Queue.Snapshot()
	assert.Equal(t, mta.StateBounced, q[len(q)-1].State, "5xx: no retry, a bounce")

	var lmtp, smtp bool
	for _, ev := range w.Conductor.Log() {
		if ev.Kind != event.KindLine {
			continue
		}
		lmtp = lmtp || (ev.Port == 24 && ev.Text == "552 5.2.2 <bob@example.net> Quota exceeded (mailbox for user is full)")
		smtp = smtp || (ev.Port == 25 && ev.Text == "552 5.2.2 <bob@example.net> Quota exceeded (mailbox for user is full)")
	}
	assert.True(t, lmtp, "the MDA's LMTP reply for Bob")
	assert.True(t, smtp, "the MX passes it on to the sending MTA")

	dsn, err := w.Provider("example.org").Store.Messages("alice@example.org", "INBOX")
	require.NoError(t, err)
	require.Len(t, dsn, 1, "the DSN is in Alice's INBOX")
	assert.Contains(t, string(dsn[0].Raw), "Status: 5.2.2")
	assert.Contains(t, string(dsn[0].Raw), "Quota exceeded (mailbox for user is full)")

	im := dialRaw(t, w, "mail.example.net", netmap.IMAP)
	im.send("a LOGIN bob@example.net builder", tagged)
	got := im.send("a APPEND INBOX {4000}", func(l string) bool { return strings.HasPrefix(l, "a ") || l[0] == '+' })
	assert.True(t, strings.HasPrefix(got[len(got)-1], "a NO [OVERQUOTA] Mailbox full"), got)

	u := w.Snapshot().Mailboxes[1].Users[0]
	assert.Equal(t, "bob@example.net", u.Address)
	assert.Equal(t, int64(quota), u.Usage.Quota)
	assert.Positive(t, u.Usage.Used)
}
