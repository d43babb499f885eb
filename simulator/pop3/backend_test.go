package pop3

import (
	"errors"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
)

// flakyBackend wraps MemoryBackend with failures and counts Close calls.
type flakyBackend struct {
	*MemoryBackend
	loginErr, messagesErr, deleteErr, openErr error

	mu             sync.Mutex
	opened, closed int
}

type flakyDrop struct {
	Maildrop
	b *flakyBackend
}

func (b *flakyBackend) Login(user, pass string) (Maildrop, error) {
	if b.loginErr != nil {
		return nil, b.loginErr
	}
	d, err := b.MemoryBackend.Login(user, pass)
	if err != nil {
		return nil, err
	}
	b.mu.Lock()
	b.opened++
	b.mu.Unlock()
	return &flakyDrop{Maildrop: d, b: b}, nil
}

func (d *flakyDrop) Messages() ([]Message, error) {
	if d.b.messagesErr != nil {
		return nil, d.b.messagesErr
	}
	msgs, err := d.Maildrop.Messages()
	for i := range msgs {
		if d.b.openErr != nil {
			msgs[i].Open = func() ([]byte, error) { return nil, d.b.openErr }
		}
	}
	return msgs, err
}

func (d *flakyDrop) Delete(uids []string) error {
	if d.b.deleteErr != nil {
		return d.b.deleteErr
	}
	return d.Maildrop.Delete(uids)
}

func (d *flakyDrop) Close() {
	d.b.mu.Lock()
	d.b.closed++
	d.b.mu.Unlock()
}

func TestBackendFailures(t *testing.T) {
	boom := errors.New("disk on fire")
	tests := []struct {
		name  string
		setup func(*flakyBackend)
		steps []step
	}{
		{"login", func(b *flakyBackend) { b.loginErr = boom }, []step{
			{send: "USER " + alice, want: "+OK"}, {send: "PASS x", want: "-ERR [SYS/TEMP]"}}},
		{"messages", func(b *flakyBackend) { b.messagesErr = boom }, []step{
			{send: "USER " + alice, want: "+OK"}, {send: "PASS " + alicePass, want: "-ERR [SYS/TEMP] cannot open maildrop"},
			{send: "STAT", want: "-ERR"}}},
		{"open", func(b *flakyBackend) { b.openErr = boom }, []step{
			{send: "USER " + alice, want: "+OK"}, {send: "PASS " + alicePass, want: "+OK"},
			{send: "RETR 1", want: "-ERR [SYS/TEMP] cannot read message"}, {send: "NOOP", want: "+OK"}}},
		{"delete", func(b *flakyBackend) { b.deleteErr = boom }, []step{
			{send: "USER " + alice, want: "+OK"}, {send: "PASS " + alicePass, want: "+OK"},
			{send: "DELE 1", want: "+OK"}, {send: "QUIT", want: "-ERR [SYS/TEMP] some deleted messages not removed"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			be := &flakyBackend{MemoryBackend: newBackend(t)}
			tc.setup(be)
			ts := start(t, Options{Backend: be})
			r := ts.connect(t)
			runSteps(t, r, tc.steps)
			r.c.Close()
			ts.srv.Close()
			assert.Equal(t, be.opened, be.closed, "every maildrop is closed")
		})
	}
}

func TestMaildropClosedOnEveryEnd(t *testing.T) {
	be := &flakyBackend{MemoryBackend: newBackend(t)}
	ts := start(t, Options{Backend: be})
	quit := ts.login(t, alice, alicePass)
	locked := ts.connect(t)
	locked.cmd("USER "+alice, "+OK")
	locked.cmd("PASS "+alicePass, "-ERR [IN-USE]")
	quit.cmd("QUIT", "+OK")
	ts.login(t, bob, bobPass).c.Close()
	ts.login(t, alice, alicePass) // still open at Close
	ts.srv.Close()
	assert.Equal(t, 4, be.opened)
	assert.Equal(t, 4, be.closed)
}
