package cli

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"maillab/simulator/event"
)

// appendLive writes what the former fmt format wrote, byte for byte, and
// masks a password unless asked not to.
func TestAppendLive(t *testing.T) {
	for _, ev := range []event.Event{
		{Conn: 7, Client: "alice-laptop", Server: "smtp.example.org", Proto: "submission", Port: 587, Dir: event.ClientToServer, Text: "EHLO alice-laptop"},
		{Conn: 12345, Server: "mx.example.net", Proto: "smtp", Port: 25, Dir: event.ServerToClient, Encrypted: true, Text: "250 2.0.0 Ok"},
	} {
		client := ev.Client
		if client == "" {
			client = "external"
		}
		lock := ""
		if ev.Encrypted {
			lock = "[TLS] "
		}
		want := fmt.Sprintf("#%-4d %s -> %s %s/%d  %s: %s%s\n", ev.Conn, client, ev.Server, ev.Proto, ev.Port, ev.Dir, lock, ev.Text)
		assert.Equal(t, want, string(appendLive(nil, ev, true)))
	}
	pass := event.Event{Conn: 3, Client: "bob-laptop", Server: "mail.example.net", Proto: "pop3", Port: 110, Dir: event.ClientToServer, Text: "PASS builder", Credential: true}
	assert.NotContains(t, string(appendLive(nil, pass, false)), "builder")
	assert.Contains(t, string(appendLive(nil, pass, true)), "PASS builder")
}
