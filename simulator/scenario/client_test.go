package scenario

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	gomail "github.com/emersion/go-message/mail"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/event"
	"maillab/simulator/mua"
	"maillab/simulator/world"
)

func clientWorld(t *testing.T, o world.Options) *world.World {
	t.Helper()
	o.Now = goldenClock
	o.AuthFailureDelay = -1
	w, err := world.Start(o)
	require.NoError(t, err)
	t.Cleanup(func() { w.Close() })
	return w
}

func clientDraft(t *testing.T) mua.Draft {
	t.Helper()
	pdf, ok := mua.Sample("report.pdf")
	require.True(t, ok)
	png, ok := mua.Sample("photo.png")
	require.True(t, ok)
	return mua.Draft{From: "alice@example.org", To: []string{"bob@example.net"}, Cc: []string{"carol@example.net"},
		Bcc: []string{"dave@example.net"}, Subject: "Zdjęcie z Łodzi", Body: "Hallo Bob!\r\n",
		Attachments: []mua.Attachment{pdf, png}, Date: goldenClock()}
}

func netInbox(t *testing.T, w *world.World, addr string) [][]byte {
	t.Helper()
	msgs, err := w.Provider("example.net").Store.Messages(addr, "INBOX")
	require.NoError(t, err)
	out := make([][]byte, len(msgs))
	for i, m := range msgs {
		out[i] = m.Raw
	}
	return out
}

// TestClientSendRoutes: 587 and 465 deliver through Alice's provider
// (signed, passing the MX's checks); 25 straight from her laptop fails
// SPF and has no DKIM signature, so example.org's DMARC p=reject has the MX
// refuse it, unless the MX checks nothing.
func TestClientSendRoutes(t *testing.T) {
	cases := []struct {
		route     Route
		noChecks  bool
		delivered bool
		reject    string
	}{
		{RouteSubmission, false, true, ""},
		{RouteImplicit, false, true, ""},
		{RouteDirect, false, false, "550: Rejected by DMARC policy of example.org"},
		{RouteDirect, true, true, ""},
	}
	for _, c := range cases {
		t.Run(string(c.route), func(t *testing.T) {
			w := clientWorld(t, world.Options{ExtraDevices: true, NoAuthChecks: c.noChecks})
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			d := clientDraft(t)
			err := ClientSend(ctx, w, "alice-laptop", d, c.route)
			if !c.delivered {
				require.Error(t, err)
				assert.Contains(t, err.Error(), c.reject)
				assert.Empty(t, netInbox(t, w, "bob@example.net"))
				return
			}
			require.NoError(t, err)
			for _, who := range []string{"bob", "carol", "dave"} {
				got := netInbox(t, w, who+"@example.net")
				require.Len(t, got, 1, who)
				assertMIME(t, got[0], d, who != "dave")
			}
			log := w.Conductor.Log()
			var ehlo []string
			for _, ev := range log {
				if ev.Kind == event.KindLine && strings.HasPrefix(ev.Text, "EHLO ") && ev.Client == "alice-laptop" {
					ehlo = append(ehlo, ev.Text)
				}
			}
			if c.route == RouteDirect {
				assert.Contains(t, ehlo, "EHLO alice-laptop", "a direct sender names itself")
			}
		})
	}
}

// assertMIME: what arrived is what go-message wrote: multipart/mixed, the
// RFC 2047 subject, no Bcc (noBcc: not even its address), the text and both attachments byte for byte.
func assertMIME(t *testing.T, raw []byte, d mua.Draft, noBcc bool) {
	t.Helper()
	head := raw[:bytes.Index(raw, []byte("\r\n\r\n"))]
	assert.Contains(t, string(head), "Subject: =?utf-8?q?")
	if noBcc { // Dave's own copy says Delivered-To: dave@
		assert.NotContains(t, strings.ToLower(string(head)), "dave@", "Bcc is in no header")
	}
	assert.NotContains(t, string(head), "\r\nBcc:")
	r, err := gomail.CreateReader(bytes.NewReader(raw))
	require.NoError(t, err)
	mt, _, err := r.Header.ContentType()
	require.NoError(t, err)
	assert.Equal(t, "multipart/mixed", mt)
	subj, err := r.Header.Subject()
	require.NoError(t, err)
	assert.Equal(t, d.Subject, subj)
	p, err := r.NextPart()
	require.NoError(t, err)
	body, _ := io.ReadAll(p.Body)
	assert.Equal(t, d.Body, string(body))
	for _, a := range d.Attachments {
		p, err := r.NextPart()
		require.NoError(t, err, a.Name)
		ah, ok := p.Header.(*gomail.AttachmentHeader)
		require.True(t, ok, a.Name)
		name, _ := ah.Filename()
		assert.Equal(t, a.Name, name)
		assert.Equal(t, "base64", ah.Get("Content-Transfer-Encoding"), a.Name)
		data, _ := io.ReadAll(p.Body)
		assert.Equal(t, a.Data, data, a.Name)
	}
	_, err = r.NextPart()
	assert.ErrorIs(t, err, io.EOF)
}

// TestClientCheck: POP3 with "leave on server" keeps the mail in Bob's
// mailbox, without it the mail is deleted; IMAP lists folders and mirrors
// the inbox.
func TestClientCheck(t *testing.T) {
	w := clientWorld(t, world.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	d := mua.Draft{From: "alice@example.org", To: []string{"bob@example.net"}, Subject: "<script>x</script>",
		Body: "hi", Date: goldenClock()}
	require.NoError(t, ClientSend(ctx, w, "alice-laptop", d, RouteSubmission))

	require.NoError(t, ClientCheck(ctx, w, "bob-phone", "imap", false))
	phone := w.Device("bob-phone")
	require.Len(t, phone.Messages(), 1)
	assert.Equal(t, d.Subject, phone.Messages()[0].Subject)
	assert.Contains(t, phone.Folders(), "INBOX")
	assert.False(t, phone.Messages()[0].Seen)

	// Opening it fetches it whole; the server sets \Seen.
	require.NoError(t, ClientOpen(ctx, w, "bob-phone", 1))
	opened := phone.Messages()[0]
	assert.True(t, opened.Seen)
	assert.NotEmpty(t, opened.Raw)
	msgs, err := w.Provider("example.net").Store.Messages("bob@example.net", "INBOX")
	require.NoError(t, err)
	assert.Contains(t, msgs[0].Flags, "\\Seen")

	require.NoError(t, ClientCheck(ctx, w, "bob-laptop", "pop3", true))
	assert.Len(t, netInbox(t, w, "bob@example.net"), 1, "a copy stays")
	require.NoError(t, ClientCheck(ctx, w, "bob-laptop", "pop3", false))
	assert.Len(t, w.Device("bob-laptop").Messages(), 1, "nothing new the second time")
	assert.Len(t, netInbox(t, w, "bob@example.net"), 1, "already downloaded: not deleted by this check")

	assert.ErrorIs(t, ClientCheck(ctx, w, "nobody", "pop3", false), ErrUnknownDevice)
}
