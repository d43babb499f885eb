package interop_test

import (
	"crypto/tls"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/event"
)

// TestDroppedData: a client that vanishes in the middle of DATA, on the
// MX and on the MSA, with a FIN or a reset, leaves nothing delivered and
// nothing queued (RFC 5321 §4.1.1.4: only the final dot commits), and the
// next message still goes through.
func TestDroppedData(t *testing.T) {
	e := startWorld(t)
	drops := []struct{ name, how string }{{"FIN", "fin"}, {"reset", "rst"}}
	for _, d := range drops {
		t.Run("mx "+d.name, func(t *testing.T) {
			r, tcp := e.openData(t, e.net(portSMTP), false)
			e.drop(t, r, tcp, d.how, "dropped at the MX "+d.name)
		})
		t.Run("msa "+d.name, func(t *testing.T) {
			r, tcp := e.openData(t, e.org(portSubmission), true)
			e.drop(t, r, tcp, d.how, "dropped at the MSA "+d.name)
		})
	}
	t.Run("mx DATA line over 1000 octets", func(t *testing.T) {
		// What follows the long line must not be read as commands.
		r, _ := e.openData(t, e.net(portSMTP), false)
		r.send("Subject: long data line\r\n\r\n" + strings.Repeat("b", 1001) + "\r\n.\r\n" +
			"MAIL FROM:<eve@example.org>\r\nRCPT TO:<bob@example.net>\r\nDATA\r\nSubject: smuggled\r\n\r\n.\r\n")
		assert.Regexp(t, `^500 `, r.reply(), "reply to the message")
		out, _ := r.rest()
		assert.NotContains(t, out, "250 ", "commands after the long line were run")
	})
	assert.Empty(t, e.inbox(t), "nothing reached Bob")
	assert.Zero(t, e.queueItems(), "nothing was queued")

	require.NoError(t, e.submit("after the drops"), "a normal submission")
	msgs := e.waitInbox(t, 1)
	assert.Equal(t, 1, countSubject(msgs, "after the drops"))
}

// openData runs a transaction up to the 354 after DATA. On the MSA it
// first does STARTTLS and AUTH as Alice. It returns the session and the
// TCP connection beneath any TLS.
func (e *env) openData(t *testing.T, addr string, submission bool) (*rawConn, *net.TCPConn) {
	t.Helper()
	r := dialRaw(t, addr)
	tcp := r.c.(*net.TCPConn)
	require.Regexp(t, `^220 `, r.reply(), "greeting")
	cmds := []string{"EHLO client.test"}
	if submission {
		require.NoError(t, r.send("EHLO client.test\r\nSTARTTLS\r\n"))
		r.reply()
		require.Regexp(t, `^220 `, r.reply(), "STARTTLS")
		r.startTLS(&tls.Config{RootCAs: e.w.CA.Pool(), ServerName: "smtp.example.org", MinVersion: tls.VersionTLS13})
		cmds = append(cmds, "AUTH PLAIN "+plain("alice@example.org", "wonderland"))
	}
	cmds = append(cmds, "MAIL FROM:<alice@example.org>", "RCPT TO:<bob@example.net>", "DATA")
	for _, c := range cmds {
		require.NoError(t, r.send(c+"\r\n"))
		require.Regexp(t, `^[23]\d\d `, r.reply(), c)
	}
	return r, tcp
}

// drop sends a whole message but not the final dot, and vanishes: "fin" closes the sending side
// (with a TLS close_notify first), "rst" aborts the connection. It waits
// until the server has closed its end, which it does only after its DATA
// handler has returned.
func (e *env) drop(t *testing.T, r *rawConn, tcp *net.TCPConn, how, subject string) {
	t.Helper()
	local := tcp.LocalAddr().String()
	require.NoError(t, r.send(message(subject)))
	switch how {
	case "fin":
		if tc, ok := r.c.(*tls.Conn); ok {
			require.NoError(t, tc.CloseWrite())
		}
		require.NoError(t, tcp.CloseWrite())
		r.rest() // whatever the server says before it hangs up
	case "rst":
		require.NoError(t, tcp.SetLinger(0))
		require.NoError(t, tcp.Close())
	}
	require.Eventually(t, func() bool { return e.serverClosed(local) }, 10*time.Second, 10*time.Millisecond,
		"the server never closed the dropped connection")
	assert.Zero(t, countSubject(e.inbox(t), subject), "delivered anyway")
}

// serverClosed reports whether the tap logged the end of the connection
// from the client address local.
func (e *env) serverClosed(local string) bool {
	for _, ev := range e.w.Conductor.Log() {
		if ev.Kind == event.KindClose && ev.ClientAddr == local {
			return true
		}
	}
	return false
}
