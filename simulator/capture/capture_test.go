package capture_test

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/capture"
	"maillab/simulator/event"
)

var t0 = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

// fixture is a small run: a submission with a plaintext AUTH split over
// two chunks and a long DATA write, a POP3 PASS, two DNS datagrams and an
// implicit-TLS connection whose ClientHello carries helloRandom.
type fixture struct {
	log    []event.Event
	chunks []event.Chunk
}

var helloRandom = bytes.Repeat([]byte{0xab}, 32)

func clientHello(random []byte) []byte {
	body := []byte{1, 0, 0, 60, 3, 3} // ClientHello, length, legacy version
	body = append(body, random...)
	body = append(body, make([]byte, 60+4-len(body))...)
	rec := []byte{0x16, 3, 1, 0, byte(len(body))}
	return append(rec, body...)
}

func newFixture() fixture {
	var f fixture
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	ev := func(e event.Event) {
		e.Seq = uint64(len(f.log) + 1)
		f.log = append(f.log, e)
	}
	ch := func(conn uint64, dir event.Dir, b string, cred bool, ms int) {
		f.chunks = append(f.chunks, event.Chunk{Seq: uint64(len(f.log)), Time: at(ms), Conn: conn, Dir: dir,
			Bytes: []byte(b), Credential: cred})
	}
	sub := event.Event{Conn: 1, Client: "alice-laptop", Server: "smtp.example.org", Proto: "submission",
		Port: 587, Addr: "127.77.1.20:40001", ClientAddr: "127.77.1.10:50000"}
	open := sub
	open.Kind, open.Time = event.KindOpen, at(0)
	ev(open)
	ch(1, event.ServerToClient, "220 smtp.example.org ESMTP\r\n", false, 1)
	ch(1, event.ClientToServer, "EHLO alice\r\n", false, 2)
	ch(1, event.ClientToServer, "AUTH PLAIN AGFsaWNl", false, 3)
	ch(1, event.ClientToServer, "AHdvbmRlcmxhbmQ=\r\n", true, 4)
	ch(1, event.ClientToServer, "DATA\r\n", false, 5)
	ch(1, event.ClientToServer, strings.Repeat("x", 40000)+"\r\n.\r\n", false, 6)
	closed := sub
	closed.Kind, closed.Time = event.KindClose, at(7)
	ev(closed)
	ch(1, event.ServerToClient, "221 bye\r\n", false, 8) // recorded after the close event

	pop := event.Event{Kind: event.KindOpen, Time: at(9), Conn: 2, Client: "bob-laptop", Server: "mail.example.net",
		Proto: "pop3", Port: 110, Addr: "127.77.2.30:40002", ClientAddr: "127.77.2.10:50001"}
	ev(pop)
	ch(2, event.ClientToServer, "USER bob\r\nPASS builder\r\n", true, 5) // clock went back: clamped

	dns := event.Event{Kind: event.KindPacket, Time: at(11), Conn: 3, Client: "smtp.example.org", Server: "dns",
		Proto: "dns", Port: 53, Addr: "127.77.0.53:40003", ClientAddr: "127.77.1.20:50002", Dir: event.ClientToServer,
		Raw: []byte("query")}
	ev(dns)
	dns.Dir, dns.Raw, dns.Time = event.ServerToClient, []byte("answer"), at(12)
	ev(dns)

	tls := event.Event{Kind: event.KindOpen, Time: at(13), Conn: 4, Client: "bob-phone", Server: "mail.example.net",
		Proto: "imap", Port: 993, Addr: "127.77.2.30:40004", ClientAddr: "127.77.2.11:50003"}
	ev(tls)
	ch(4, event.ClientToServer, string(clientHello(helloRandom)), false, 14)
	return f
}

type written struct {
	blocks  []block
	packets []packet
}

func write(t *testing.T, f fixture, opts capture.Options) written {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, capture.Write(&buf, f.log, f.chunks, opts))
	w := written{blocks: readBlocks(t, buf.Bytes())}
	for _, b := range w.blocks {
		if b.typ == 6 {
			w.packets = append(w.packets, decodePacket(t, b.body))
		}
	}
	return w
}

func (w written) find(typ uint32) (block, bool) {
	for _, b := range w.blocks {
		if b.typ == typ {
			return b, true
		}
	}
	return block{}, false
}

// stream is the payload of one direction of a TCP connection.
func (w written) stream(src, dst string) []byte {
	var out []byte
	for _, p := range w.packets {
		if p.proto == 6 && p.src.String() == src && p.dst.String() == dst {
			out = append(out, p.payload...)
		}
	}
	return out
}

func TestWriteBlocks(t *testing.T) {
	w := write(t, newFixture(), capture.Options{})
	require.GreaterOrEqual(t, len(w.blocks), 3)
	assert.Equal(t, uint32(0x0A0D0D0A), w.blocks[0].typ, "section header first")
	assert.Equal(t, uint32(0x1A2B3C4D), binary.LittleEndian.Uint32(w.blocks[0].body), "byte-order magic")
	assert.Equal(t, uint32(1), w.blocks[1].typ, "interface description second")
	assert.Equal(t, uint16(1), binary.LittleEndian.Uint16(w.blocks[1].body), "LINKTYPE_ETHERNET")
	_, dsb := w.find(0x0A)
	assert.False(t, dsb, "no secrets block without keys")
	nrb, ok := w.find(4)
	require.True(t, ok, "name resolution block")
	assert.Contains(t, string(nrb.body), "smtp.example.org\x00")
	assert.Contains(t, string(nrb.body), "alice-laptop\x00")
	for _, p := range w.packets {
		assert.True(t, p.ipOK, "IPv4 checksum of %v → %v", p.src, p.dst)
		assert.True(t, p.l4OK, "TCP/UDP checksum of %v → %v", p.src, p.dst)
	}
	assert.Equal(t, "alice-laptop → smtp.example.org submission 127.77.1.20:40001", w.packets[0].comment,
		"the SYN names the nodes and the real address")
}

func TestWriteTCP(t *testing.T) {
	w := write(t, newFixture(), capture.Options{Secrets: true})
	client, server := "127.77.1.10:50000", "127.77.1.20:587"
	var conn []packet
	for _, p := range w.packets {
		if p.src.String() == client || p.dst.String() == client {
			conn = append(conn, p)
		}
	}
	require.GreaterOrEqual(t, len(conn), 6)
	assert.Equal(t, byte(0x02), conn[0].flags, "SYN")
	assert.Equal(t, byte(0x12), conn[1].flags, "SYN-ACK")
	assert.Equal(t, byte(0x10), conn[2].flags, "ACK")
	next := map[string]uint32{client: conn[0].seq + 1, server: conn[1].seq + 1}
	for i, p := range conn[3:] {
		src, dst := p.src.String(), p.dst.String()
		assert.Equal(t, next[src], p.seq, "packet %d: seq continues its direction", i+3)
		assert.Equal(t, next[dst], p.ack, "packet %d: ack is all the peer sent", i+3)
		assert.LessOrEqual(t, len(p.payload), 16*1024, "segments are split")
		next[src] += uint32(len(p.payload))
		if p.flags&0x01 != 0 {
			next[src]++
		}
	}
	last := conn[len(conn)-4:]
	assert.Equal(t, "221 bye\r\n", string(last[0].payload), "data recorded after the close goes before the FIN")
	assert.Equal(t, []byte{0x11, 0x11, 0x10}, []byte{last[1].flags, last[2].flags, last[3].flags}, "FIN, FIN, ACK")

	sent := "EHLO alice\r\nAUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ=\r\nDATA\r\n" + strings.Repeat("x", 40000) + "\r\n.\r\n"
	assert.True(t, string(w.stream(client, server)) == sent, "the client's bytes, exactly")
	assert.Equal(t, "220 smtp.example.org ESMTP\r\n221 bye\r\n", string(w.stream(server, client)))
}

func TestWriteTimestampsNeverGoBack(t *testing.T) {
	w := write(t, newFixture(), capture.Options{})
	var last uint64
	for i, p := range w.packets {
		assert.GreaterOrEqual(t, p.micros, last, "packet %d", i)
		last = p.micros
	}
	assert.Equal(t, uint64(t0.UnixMicro()), w.packets[0].micros)
}

func TestWritePorts(t *testing.T) {
	tests := []struct {
		name string
		opts capture.Options
		want []string
	}{
		{"well-known", capture.Options{}, []string{"127.77.1.20:587", "127.77.2.30:110", "127.77.0.53:53", "127.77.2.30:993"}},
		{"real", capture.Options{RealPorts: true},
			[]string{"127.77.1.20:40001", "127.77.2.30:40002", "127.77.0.53:40003", "127.77.2.30:40004"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := write(t, newFixture(), tc.opts)
			var servers []string
			seen := map[string]bool{}
			for _, p := range w.packets {
				if s := p.dst.String(); !seen[s] && (p.proto == 6 && p.flags == 0x02 || p.src.Port() == 50002) {
					seen[s] = true
					servers = append(servers, s)
				}
			}
			assert.Equal(t, tc.want, servers)
		})
	}
}

// TestWriteSharedAddress: in a port-map world both providers listen on
// 127.0.0.1; two connections that would look alike keep the real port.
func TestWriteSharedAddress(t *testing.T) {
	var f fixture
	for i, addr := range []string{"127.0.0.1:10587", "127.0.0.1:20587"} {
		f.log = append(f.log, event.Event{Seq: uint64(i + 1), Kind: event.KindOpen, Conn: uint64(i + 1),
			Proto: "submission", Port: 587, Addr: addr, ClientAddr: "127.0.0.1:50000"})
	}
	w := write(t, f, capture.Options{})
	require.Len(t, w.packets, 6)
	assert.Equal(t, "127.0.0.1:587", w.packets[0].dst.String())
	assert.Equal(t, "127.0.0.1:20587", w.packets[3].dst.String())
	_, nrb := w.find(4)
	assert.False(t, nrb, "one address, many nodes: no names")
}

func TestWriteCredentials(t *testing.T) {
	tests := []struct {
		name       string
		opts       capture.Options
		auth, pass string
	}{
		{"masked", capture.Options{}, "AUTH PLAIN " + strings.Repeat("*", 24) + "\r\n", "USER bob\r\nPASS *******\r\n"},
		{"secrets", capture.Options{Secrets: true}, "AUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ=\r\n", "USER bob\r\nPASS builder\r\n"},
		{"keys imply secrets", capture.Options{KeyLog: []string{}}, "AUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ=\r\n",
			"USER bob\r\nPASS builder\r\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture()
			before := string(f.chunks[3].Bytes)
			w := write(t, f, tc.opts)
			want := "EHLO alice\r\n" + tc.auth + "DATA\r\n"
			smtp := string(w.stream("127.77.1.10:50000", "127.77.1.20:587"))
			require.Greater(t, len(smtp), len(want))
			assert.Equal(t, want, smtp[:len(want)], "same length, line end kept")
			assert.Equal(t, tc.pass, string(w.stream("127.77.2.10:50001", "127.77.2.30:110")))
			assert.Equal(t, before, string(f.chunks[3].Bytes), "the caller's chunks are not changed")
		})
	}
}

func TestWriteKeyLog(t *testing.T) {
	mine, other := hex.EncodeToString(helloRandom), strings.Repeat("cd", 32)
	lines := []string{
		"CLIENT_HANDSHAKE_TRAFFIC_SECRET " + other + " 01",
		"CLIENT_HANDSHAKE_TRAFFIC_SECRET " + mine + " 02",
		"SERVER_HANDSHAKE_TRAFFIC_SECRET " + strings.ToUpper(mine) + " 03",
		"CLIENT_HANDSHAKE_TRAFFIC_SECRET " + mine + " 02", // the server logs it too
		"not a key log line",
	}
	w := write(t, newFixture(), capture.Options{KeyLog: lines})
	dsb, ok := w.find(0x0A)
	require.True(t, ok, "secrets block with keys")
	assert.Equal(t, uint32(0x544c534b), binary.LittleEndian.Uint32(dsb.body), "TLSK")
	n := binary.LittleEndian.Uint32(dsb.body[4:])
	assert.Equal(t, "CLIENT_HANDSHAKE_TRAFFIC_SECRET "+mine+" 02\nSERVER_HANDSHAKE_TRAFFIC_SECRET "+
		strings.ToUpper(mine)+" 03\n", string(dsb.body[8:8+n]), "this capture's sessions, each line once")
	for _, b := range w.blocks {
		if b.typ == 6 {
			break
		}
		if b.typ == 0x0A {
			return // before the first packet
		}
	}
	assert.Fail(t, "the secrets block comes before the first packet")
}

func TestWriteKeyLogWithoutSessions(t *testing.T) {
	f := newFixture()
	f.chunks = f.chunks[:len(f.chunks)-1] // no ClientHello
	w := write(t, f, capture.Options{KeyLog: []string{"CLIENT_RANDOM " + hex.EncodeToString(helloRandom) + " 01"}})
	_, ok := w.find(0x0A)
	assert.False(t, ok, "no TLS in the capture: no secrets block")
}

func TestWriteUDP(t *testing.T) {
	w := write(t, newFixture(), capture.Options{})
	var dns []packet
	for _, p := range w.packets {
		if p.proto == 17 {
			dns = append(dns, p)
		}
	}
	require.Len(t, dns, 2)
	assert.Equal(t, netip.MustParseAddrPort("127.77.0.53:53"), dns[0].dst)
	assert.Equal(t, "query", string(dns[0].payload))
	assert.Equal(t, netip.MustParseAddrPort("127.77.1.20:50002"), dns[1].dst)
	assert.Equal(t, "answer", string(dns[1].payload))
}
