package wire_test

import (
	"bytes"
	"crypto/tls"
	"io"
	"net"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/conductor"
	"maillab/simulator/event"
	"maillab/simulator/wire"
)

// tapeConn keeps every byte the client wrote and read.
type tapeConn struct {
	net.Conn
	mu          sync.Mutex
	sent, heard bytes.Buffer
}

func (c *tapeConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	c.mu.Lock()
	c.sent.Write(p[:n])
	c.mu.Unlock()
	return n, err
}

func (c *tapeConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.mu.Lock()
	c.heard.Write(p[:n])
	c.mu.Unlock()
	return n, err
}

// TestChunksAreTheWireBytes: the recorded chunks of each direction are
// exactly the bytes that crossed the socket, plaintext and TLS records;
// only a credential sent in plaintext is marked.
func TestChunksAreTheWireBytes(t *testing.T) {
	ca := newCA(t)
	cond := newConductor(t, conductor.Instant)
	srv := newLineServer()
	srv.tls = serverConfig(t, ca)
	addr := srv.serve(t, cond, ca.KeyLog, nil)

	cl := dial(t, addr)
	tape := &tapeConn{Conn: cl.conn}
	cl.conn, cl.r = tape, newReader(tape)
	cl.send("EHLO client\r\nAUTH PLAIN AGFs")
	cl.send("aWNl\r\n")
	assert.Equal(t, "echo: EHLO client", cl.readLine())
	assert.Equal(t, "echo: AUTH PLAIN AGFsaWNl", cl.readLine())
	cl.send("STARTTLS\r\n")
	assert.Equal(t, "220 go ahead", cl.readLine())
	tc := tls.Client(tape, ca.ClientConfig("mx.example.net"))
	require.NoError(t, tc.Handshake(), "Handshake()")
	cl.conn, cl.r = tc, newReader(tc)
	cl.send("AUTH PLAIN AGJvYg==\r\n")
	assert.Equal(t, "echo: AUTH PLAIN AGJvYg==", cl.readLine())
	cl.send("QUIT\r\n")
	assert.Equal(t, "221 bye", cl.readLine())
	_, err := io.Copy(io.Discard, tape) // the server's close_notify, then EOF
	require.NoError(t, err)

	chunks := cond.Chunks()
	var c2s, s2c []byte
	var marked []string
	for i, ch := range chunks {
		assert.Equal(t, cond.Log()[0].Conn, ch.Conn)
		assert.False(t, ch.Time.IsZero(), "chunk %d has a time", i)
		if i > 0 {
			assert.GreaterOrEqual(t, ch.Seq, chunks[i-1].Seq, "chunk %d in log order", i)
		}
		if ch.Dir == event.ClientToServer {
			c2s = append(c2s, ch.Bytes...)
		} else {
			s2c = append(s2c, ch.Bytes...)
		}
		if ch.Credential {
			marked = append(marked, string(ch.Bytes))
		}
	}
	tape.mu.Lock()
	defer tape.mu.Unlock()
	assert.True(t, bytes.Equal(tape.sent.Bytes(), c2s), "client to server: %d bytes sent, %d recorded", tape.sent.Len(), len(c2s))
	assert.True(t, bytes.Equal(tape.heard.Bytes(), s2c), "server to client: %d bytes read, %d recorded", tape.heard.Len(), len(s2c))
	// The server may read the AUTH line in one piece or in two.
	require.Len(t, marked, 1, "the plaintext AUTH only; the one inside TLS is ciphertext")
	assert.True(t, strings.HasSuffix(marked[0], "aWNl\r\n"), "the chunk that ends the line: %q", marked[0])
}

// A sink that keeps no bytes still taps: Recorder is optional.
func TestSinkWithoutRecorder(t *testing.T) {
	cond := newConductor(t, conductor.Instant)
	srv := newLineServer()
	addr := srv.serve(t, struct{ wire.Sink }{cond}, nil, nil)
	cl := dial(t, addr)
	cl.send("QUIT\r\n")
	assert.Equal(t, "221 bye", cl.readLine())
	assert.Equal(t, []string{"C: QUIT", "S: 221 bye"}, transcript(linesOf(cond.Log())))
	assert.Empty(t, cond.Chunks())
}
