package capture

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"maillab/simulator/event"
)

func TestMaskLines(t *testing.T) {
	tests := []struct {
		name, proto string
		chunks      []string // the last one is marked Credential
		want        string
	}{
		{"pop3 PASS", "pop3", []string{"PASS builder\r\n"}, "PASS *******\r\n"},
		{"pop3 APOP", "pop3", []string{"APOP bob 0123abcd\r\n"}, "APOP ************\r\n"},
		{"smtp AUTH PLAIN", "submission", []string{"AUTH PLAIN AGFs\r\n"}, "AUTH PLAIN ****\r\n"},
		{"smtp SASL response", "submission", []string{"AUTH LOGIN\r\n", "YWxpY2U=\r\n"}, "AUTH LOGIN\r\n********\r\n"},
		{"imap LOGIN", "imap", []string{"a1 LOGIN bob \"pass word\"\r\n"}, "a1 LOGIN ***************\r\n"},
		{"imap AUTHENTICATE", "imap", []string{"a1 authenticate PLAIN AGFs\r\n"}, "a1 authenticate PLAIN ****\r\n"},
		{"imap literal", "imap", []string{"a1 LOGIN {3}\r\n", "bob {7}\r\n"}, "a1 LOGIN {3}\r\n*******\r\n"},
		{"line in pieces", "pop3", []string{"USER bob\r\nPA", "SS bui", "lder\r\n"}, "USER bob\r\nPASS *******\r\n"},
		{"bare LF", "pop3", []string{"PASS builder\n"}, "PASS *******\n"},
		{"cut-off line", "pop3", []string{"PASS build", "er\r\nQUIT\r\n"}, "PASS *******\r\nQUIT\r\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var chunks []event.Chunk
			for i, b := range tc.chunks {
				chunks = append(chunks, event.Chunk{Conn: 7, Dir: event.ClientToServer, Bytes: []byte(b),
					Credential: i == len(tc.chunks)-1})
			}
			if tc.name == "cut-off line" { // a truncated line's chunk ends before its line does
				chunks[0].Credential, chunks[1].Credential = true, false
			}
			got := ""
			for _, ch := range maskCredentials(chunks, map[uint64]string{7: tc.proto}) {
				got += string(ch.Bytes)
			}
			assert.Equal(t, tc.want, got)
		})
	}
}

// A line still being typed when the run is saved may be a password.
func TestMaskUnfinishedLine(t *testing.T) {
	tests := []struct {
		name, proto string
		chunks      []string
		want        string
	}{
		{"password being typed", "pop3", []string{"USER bob\r\n", "PASS bui"}, "USER bob\r\nPASS ***"},
		{"SASL response being typed", "submission", []string{"AUTH LOGIN\r\n", "YWxp"}, "AUTH LOGIN\r\n****"},
		{"finished lines stay", "pop3", []string{"USER bob\r\n", "STAT\r\n"}, "USER bob\r\nSTAT\r\n"},
		{"TLS records stay", "pop3", []string{"STLS\r\n", "\x16\x03\x01\x00\x05hel"}, "STLS\r\n\x16\x03\x01\x00\x05hel"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var chunks []event.Chunk
			for _, b := range tc.chunks {
				chunks = append(chunks, event.Chunk{Conn: 3, Dir: event.ClientToServer, Bytes: []byte(b)})
			}
			got := ""
			for _, ch := range maskCredentials(chunks, map[uint64]string{3: tc.proto}) {
				got += string(ch.Bytes)
			}
			assert.Equal(t, tc.want, got)
			assert.Equal(t, tc.chunks[len(tc.chunks)-1], string(chunks[len(chunks)-1].Bytes), "input unchanged")
		})
	}
}
