package mda_test

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"maillab/simulator/mail/mailtest"
	"maillab/simulator/mda"
	simstore "maillab/simulator/store"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var now = time.Date(2025, 6, 2, 10, 0, 0, 0, time.UTC)

// store knows bob, carol and dave; carol's mailbox is broken, dave's full.
type store struct {
	mu   sync.Mutex
	got  map[string][]string
	date time.Time
}

func (s *store) HasUser(addr string) bool {
	return addr == "bob@example.net" || addr == "carol@example.net" || addr == "dave@example.net"
}

func (s *store) Users() []string {
	return []string{"bob@example.net", "carol@example.net", "dave@example.net"}
}

func (s *store) Deliver(addr, mailbox string, raw []byte, flags []string, date time.Time) error {
	switch addr {
	case "carol@example.net":
		return errors.New("disk full")
	case "dave@example.net":
		return fmt.Errorf("%w: 50 MiB used", simstore.ErrOverQuota)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.got[addr+"/"+mailbox] = append(s.got[addr+"/"+mailbox], string(raw))
	s.date = date
	return nil
}

func start(t *testing.T) (*mda.Server, *store, string) {
	t.Helper()
	st := &store{got: map[string][]string{}}
	srv, err := mda.New(mda.Options{Hostname: "mail.example.net", Store: st, Now: func() time.Time { return now }})
	require.NoError(t, err, "New()")
	t.Cleanup(func() { srv.Close() })
	l := mailtest.Listen(t)
	go srv.Serve(l)
	return srv, st, l.Addr().String()
}

func TestLMTPPerRecipientStatus(t *testing.T) {
	_, st, addr := start(t)
	r, greet := mailtest.Dial(t, addr)
	assert.Equal(t, "220 mail.example.net LMTP Service Ready", greet)
	assert.Equal(t, "500 5.5.1 This is a LMTP server, use LHLO", r.Cmd("EHLO mx.example.net"))
	for _, step := range [][2]string{
		{"LHLO mx.example.net", "250 mail.example.net Hello mx.example.net\nPIPELINING\n8BITMIME\nENHANCEDSTATUSCODES\nCHUNKING\nSIZE 11534336"},
		{"MAIL FROM:<alice@example.org>", "250 2.1.0 Sender <alice@example.org> OK"},
		{"RCPT TO:<bob@example.net>", "250 2.1.5 Recipient <bob@example.net> OK"},
		{"RCPT TO:<nobody@example.net>", "550 5.1.1 <nobody@example.net>: User unknown"},
		{"RCPT TO:<carol@example.net>", "250 2.1.5 Recipient <carol@example.net> OK"},
		{"RCPT TO:<bob@example.net>", "250 2.1.5 Recipient <bob@example.net> OK"},
		{"DATA", "354 Go ahead. End your data with <CR><LF>.<CR><LF>"},
	} {
		assert.Equal(t, step[1], r.Cmd(step[0]), step[0])
	}
	r.Send("Subject: hi\r\n\r\nHello\r\n.")
	// RFC 2033 §4.2: one reply per accepted RCPT, in order.
	assert.Equal(t, "250 2.0.0 <bob@example.net> Delivered to INBOX", r.Read())
	assert.Equal(t, "451 4.3.0 <carol@example.net> Temporary mailbox error, try again later", r.Read())
	assert.Equal(t, "250 2.0.0 <bob@example.net> Delivered to INBOX", r.Read())
	assert.Equal(t, "221 2.0.0 Bye", r.Cmd("QUIT"))

	st.mu.Lock()
	defer st.mu.Unlock()
	require.Len(t, st.got["bob@example.net/INBOX"], 1, "a duplicate RCPT delivers once")
	assert.Equal(t, "Return-Path: <alice@example.org>\r\nDelivered-To: bob@example.net\r\nSubject: hi\r\n\r\nHello\r\n",
		st.got["bob@example.net/INBOX"][0])
	assert.Equal(t, now, st.date)
}

func TestNullSenderAndReset(t *testing.T) {
	_, st, addr := start(t)
	r, _ := mailtest.Dial(t, addr)
	for _, l := range []string{"LHLO mx.example.net", "MAIL FROM:<>", "RCPT TO:<bob@example.net>", "RSET",
		"MAIL FROM:<>", "RCPT TO:<bob@example.net>", "DATA"} {
		r.Cmd(l)
	}
	assert.Equal(t, "250 2.0.0 <bob@example.net> Delivered to INBOX", r.Cmd("Subject: bounce\r\n\r\nx\r\n."))
	st.mu.Lock()
	defer st.mu.Unlock()
	require.Len(t, st.got["bob@example.net/INBOX"], 1, "RSET forgot the first RCPT")
	assert.True(t, strings.HasPrefix(st.got["bob@example.net/INBOX"][0], "Return-Path: <>\r\n"))
}

func TestDroppedConnectionDeliversNothing(t *testing.T) {
	srv, st, addr := start(t)
	r, _ := mailtest.Dial(t, addr)
	for _, l := range []string{"LHLO mx.example.net", "MAIL FROM:<a@example.org>", "RCPT TO:<bob@example.net>", "DATA"} {
		r.Cmd(l)
	}
	r.Send("Subject: half")
	r.Close()
	srv.Close()
	assert.Empty(t, st.got)
}

func TestConnectionCap(t *testing.T) {
	st := &store{got: map[string][]string{}}
	srv, err := mda.New(mda.Options{Hostname: "mail.example.net", Store: st, MaxConns: 1})
	require.NoError(t, err)
	t.Cleanup(func() { srv.Close() })
	l := mailtest.Listen(t)
	go srv.Serve(l)
	mailtest.Dial(t, l.Addr().String())
	_, greet := mailtest.Dial(t, l.Addr().String())
	assert.Equal(t, "421 4.3.2 mail.example.net Too many connections", greet)
}

// TestMailboxFull: a recipient over quota gets the permanent 552 5.2.2 of
// RFC 3463 in its own LMTP reply, the others are delivered.
func TestMailboxFull(t *testing.T) {
	_, st, addr := start(t)
	r, _ := mailtest.Dial(t, addr)
	for _, cmd := range []string{"LHLO mx.example.net", "MAIL FROM:<alice@example.org>", "RCPT TO:<dave@example.net>",
		"RCPT TO:<bob@example.net>"} {
		r.Cmd(cmd)
	}
	assert.Equal(t, "354 Go ahead. End your data with <CR><LF>.<CR><LF>", r.Cmd("DATA"))
	r.Send("Subject: hi\r\n\r\nHello\r\n.")
	assert.Equal(t, "552 5.2.2 <dave@example.net> Quota exceeded (mailbox for user is full)", r.Read())
	assert.Equal(t, "250 2.0.0 <bob@example.net> Delivered to INBOX", r.Read())
	st.mu.Lock()
	defer st.mu.Unlock()
	assert.Len(t, st.got["bob@example.net/INBOX"], 1)
	assert.Empty(t, st.got["dave@example.net/INBOX"])
}
