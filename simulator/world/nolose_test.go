package world

import (
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/netmap"
)

// Where a careless client hangs up in the middle of a submission.
type dropPoint int

const (
	dropAfterGreeting dropPoint = iota
	dropAfterMail
	dropMidData    // half the body sent, then gone: must never be stored
	dropAfterDot   // "." sent, the reply never read: the server decides
	dropNever      // the reply to "." read, QUIT: a 250 here is a promise
	dropPointCount // how many there are
)

// TestAcceptedMailIsNeverLost is the invariant of a mail server: every
// message answered 250 after its "." is delivered (or bounced), and a
// message whose client vanished before the "." is never stored, however
// the connections end. Clients hang up at random points, on submission
// (through the queue, the MTA, the MX and LMTP) and straight to the MX.
func TestAcceptedMailIsNeverLost(t *testing.T) {
	w := start(t, Options{InsecureAuth: []string{"example.org"}, AuthFailureDelay: -1})
	rng := rand.New(rand.NewPCG(17, 17))
	accepted := map[string]bool{} // subject → answered 250 after "."
	var cut []string              // subjects cut off before their "."
	for i := range 48 {
		subject := fmt.Sprintf("invariant-%02d", i)
		svc, host := netmap.Submission, "smtp.example.org"
		if i%2 == 1 {
			svc, host = netmap.SMTP, "mx.example.net"
		}
		drop := dropPoint(rng.IntN(int(dropPointCount)))
		switch ok := submitUntil(t, w, host, svc, subject, drop); {
		case ok:
			accepted[subject] = true
		case drop <= dropMidData:
			cut = append(cut, subject)
		}
	}
	require.NotEmpty(t, accepted, "some messages are accepted")
	require.NotEmpty(t, cut, "some are cut off")
	require.NoError(t, w.Provider("example.org").Queue.Flush(ctx(t)), "Flush()")

	inbox, err := w.Provider("example.net").Store.Messages("bob@example.net", "INBOX")
	require.NoError(t, err)
	got := map[string]int{}
	for _, m := range inbox {
		for _, l := range strings.Split(string(m.Raw), "\r\n") {
			if s, ok := strings.CutPrefix(l, "Subject: "); ok {
				got[s]++
			}
		}
	}
	for s := range accepted {
		assert.Equal(t, 1, got[s], "%s was answered 250: delivered once", s)
	}
	for _, s := range cut {
		assert.Zero(t, got[s], "%s was cut off before its \".\": never stored", s)
	}
	bounces, err := w.Provider("example.org").Store.Messages("alice@example.org", "INBOX")
	require.NoError(t, err)
	assert.Empty(t, bounces, "every recipient exists: nothing bounces")
}

// submitUntil speaks SMTP to host until drop; it reports whether the
// server answered 250 to the message's ".".
func submitUntil(t *testing.T, w *World, host string, svc netmap.Service, subject string, drop dropPoint) bool {
	r := dialRaw(t, w, host, svc) // reads the greeting
	defer r.c.Close()
	if drop == dropAfterGreeting {
		return false
	}
	smtpCmd(r, "EHLO client.example")
	if svc == netmap.Submission {
		auth := base64.StdEncoding.EncodeToString([]byte("\x00alice@example.org\x00wonderland"))
		require.Equal(t, "235", smtpCmd(r, "AUTH PLAIN "+auth)[:3], "AUTH")
	}
	require.Equal(t, "250", smtpCmd(r, "MAIL FROM:<alice@example.org>")[:3], "MAIL")
	if drop == dropAfterMail {
		return false
	}
	require.Equal(t, "250", smtpCmd(r, "RCPT TO:<bob@example.net>")[:3], "RCPT")
	require.Equal(t, "354", smtpCmd(r, "DATA")[:3], "DATA")
	head := "From: alice@example.org\r\nTo: bob@example.net\r\nSubject: " + subject +
		"\r\nMessage-ID: <" + subject + "@example.org>\r\nDate: Mon, 07 Dec 2026 10:00:00 +0000\r\n\r\n"
	body := strings.Repeat("A line of the body that a careless client may cut off.\r\n", 20)
	if drop == dropMidData {
		r.c.Write([]byte(head + body[:len(body)/2]))
		return false
	}
	_, err := r.c.Write([]byte(head + body + ".\r\n"))
	require.NoError(t, err)
	if drop == dropAfterDot {
		return false
	}
	ok := strings.HasPrefix(smtpReply(r), "250")
	smtpCmd(r, "QUIT")
	return ok
}

// smtpCmd sends a command and returns the last line of its reply.
func smtpCmd(r *rawLine, line string) string {
	_, err := r.c.Write([]byte(line + "\r\n"))
	require.NoError(r.t, err)
	return smtpReply(r)
}

// smtpReply reads a reply up to its last line ("250 …", not "250-…").
func smtpReply(r *rawLine) string {
	for {
		l := r.read()
		if len(l) < 4 || l[3] != '-' {
			return l
		}
	}
}
