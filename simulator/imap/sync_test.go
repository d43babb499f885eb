package imap_test

import (
	"testing"

	goimap "github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/imap"
	"maillab/simulator/store"
)

// watcher collects the unilateral data a client receives.
type watcher struct {
	exists   chan uint32
	expunges chan uint32
	fetches  chan *imapclient.FetchMessageBuffer
}

func newWatcher() (*watcher, *imapclient.UnilateralDataHandler) {
	w := &watcher{exists: make(chan uint32, 16), expunges: make(chan uint32, 16),
		fetches: make(chan *imapclient.FetchMessageBuffer, 16)}
	return w, &imapclient.UnilateralDataHandler{
		Mailbox: func(d *imapclient.UnilateralDataMailbox) {
			if d.NumMessages != nil {
				w.exists <- *d.NumMessages
			}
		},
		Expunge: func(seq uint32) { w.expunges <- seq },
		Fetch: func(msg *imapclient.FetchMessageData) {
			if buf, err := msg.Collect(); err == nil {
				w.fetches <- buf
			}
		},
	}
}

// TestIdleSeesDelivery: the MDA delivers while the phone idles (RFC 9051
// §6.3.13); the phone hears "* 1 EXISTS" at once.
func TestIdleSeesDelivery(t *testing.T) {
	e := start(t, imap.Options{}, nil)
	w, h := newWatcher()
	phone := e.loginSelect(t, h)
	idle, err := phone.Idle()
	require.NoError(t, err, "Idle()")

	e.deliver(t, "while you were idle")
	assert.Equal(t, uint32(1), recv(t, w.exists, "EXISTS"))
	e.deliver(t, "and another")
	assert.Equal(t, uint32(2), recv(t, w.exists, "EXISTS"))

	require.NoError(t, idle.Close())
	require.NoError(t, idle.Wait())
	msgs, err := phone.Fetch(goimap.SeqSetNum(2), &goimap.FetchOptions{Envelope: true}).Collect()
	require.NoError(t, err)
	require.Len(t, msgs, 1)
	assert.Equal(t, "and another", msgs[0].Envelope.Subject)
}

// TestTwoDevicesShareFlags is the "phone sees the \Seen flag set by the
// laptop" lesson: one idling session, one that learns at its next NOOP.
func TestTwoDevicesShareFlags(t *testing.T) {
	e := start(t, imap.Options{}, nil)
	e.deliver(t, "one", "two")
	wPhone, hPhone := newWatcher()
	wTablet, hTablet := newWatcher()
	laptop := e.loginSelect(t, nil)
	phone := e.loginSelect(t, hPhone)
	tablet := e.loginSelect(t, hTablet)
	idle, err := phone.Idle()
	require.NoError(t, err, "Idle()")

	// The laptop reads message 2: BODY[] sets \Seen.
	_, err = laptop.Fetch(goimap.SeqSetNum(2), &goimap.FetchOptions{
		BodySection: []*goimap.FetchItemBodySection{{}}}).Collect()
	require.NoError(t, err)
	got := recv(t, wPhone.fetches, "FETCH FLAGS on the phone")
	assert.Equal(t, uint32(2), got.SeqNum)
	assert.Equal(t, goimap.UID(2), got.UID)
	assert.Equal(t, []goimap.Flag{goimap.FlagSeen}, got.Flags)

	// The tablet is not idling: it hears about it with its next command.
	require.NoError(t, tablet.Noop().Wait())
	got = recv(t, wTablet.fetches, "FETCH FLAGS on the tablet")
	assert.Equal(t, []goimap.Flag{goimap.FlagSeen}, got.Flags)

	// The laptop deletes message 1; both others see the EXPUNGE.
	_, err = laptop.Store(goimap.SeqSetNum(1), &goimap.StoreFlags{Op: goimap.StoreFlagsAdd, Silent: true,
		Flags: []goimap.Flag{goimap.FlagDeleted}}, nil).Collect()
	require.NoError(t, err)
	assert.Equal(t, []goimap.Flag{goimap.FlagDeleted}, recv(t, wPhone.fetches, "\\Deleted on the phone").Flags)
	_, err = laptop.Expunge().Collect()
	require.NoError(t, err)
	assert.Equal(t, uint32(1), recv(t, wPhone.expunges, "EXPUNGE on the phone"))
	require.NoError(t, tablet.Noop().Wait())
	recv(t, wTablet.fetches, "\\Deleted on the tablet")
	assert.Equal(t, uint32(1), recv(t, wTablet.expunges, "EXPUNGE on the tablet"))

	require.NoError(t, idle.Close())
	require.NoError(t, idle.Wait())
	assert.Equal(t, uint32(1), phone.Mailbox().NumMessages)
}

// TestPOP3DeleteReachesIMAP: a POP3 session commits DELE through the store;
// the IMAP client sees the EXPUNGE, and its sequence numbers shift.
func TestPOP3DeleteReachesIMAP(t *testing.T) {
	e := start(t, imap.Options{}, nil)
	e.deliver(t, "a", "b", "c")
	w, h := newWatcher()
	c := e.loginSelect(t, h)
	require.NoError(t, e.st.Delete(bob, store.Inbox, []uint32{1, 2}))

	// FETCH may not report expunges (RFC 9051 §7.5.1); NOOP does.
	msgs, err := c.Fetch(goimap.SeqSetNum(1, 2, 3), &goimap.FetchOptions{UID: true}).Collect()
	require.NoError(t, err)
	require.Len(t, msgs, 1, "1 and 2 are gone, but 3 keeps its number until the EXPUNGEs")
	assert.Equal(t, uint32(3), msgs[0].SeqNum)
	require.NoError(t, c.Noop().Wait())
	assert.Equal(t, uint32(1), recv(t, w.expunges, "first EXPUNGE"))
	assert.Equal(t, uint32(1), recv(t, w.expunges, "second EXPUNGE"))
	msgs, err = c.Fetch(goimap.SeqSetNum(1), &goimap.FetchOptions{UID: true}).Collect()
	require.NoError(t, err)
	require.Len(t, msgs, 1)
	assert.Equal(t, goimap.UID(3), msgs[0].UID)
}
