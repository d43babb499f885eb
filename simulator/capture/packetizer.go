package capture

import (
	"fmt"
	"time"

	"maillab/simulator/event"
)

// maxSegment splits long writes into TCP segments of at most this size.
const maxSegment = 16 * 1024

// packetizer turns events and chunks into packets, in the order the
// conductor saw them: a chunk with Seq n came after event n.
type packetizer struct {
	out       *blockWriter
	chunks    []event.Chunk
	realPorts bool
	flows     map[uint64]*flow
	active    map[addrs]uint64 // open flows by their endpoints in the file
	lastChunk map[uint64]int   // conn -> index of its last chunk
	closing   map[uint64]time.Time
	last      uint64 // timestamp of the previous packet, microseconds
	ipID      uint16
}

func newPacketizer(out *blockWriter, chunks []event.Chunk, realPorts bool) *packetizer {
	p := &packetizer{out: out, chunks: chunks, realPorts: realPorts, flows: map[uint64]*flow{},
		active: map[addrs]uint64{}, lastChunk: map[uint64]int{}, closing: map[uint64]time.Time{}}
	for i, ch := range chunks {
		p.lastChunk[ch.Conn] = i
	}
	return p
}

func (p *packetizer) run(log []event.Event) {
	ci := 0
	for _, ev := range log {
		for ci < len(p.chunks) && p.chunks[ci].Seq < ev.Seq {
			p.chunk(ci)
			ci++
		}
		p.event(ev, ci)
	}
	for ; ci < len(p.chunks); ci++ {
		p.chunk(ci)
	}
}

func (p *packetizer) event(ev event.Event, nextChunk int) {
	switch ev.Kind {
	case event.KindOpen:
		p.open(ev)
	case event.KindClose:
		// A chunk recorded after the close still belongs before the FIN.
		if last, ok := p.lastChunk[ev.Conn]; ok && last >= nextChunk {
			p.closing[ev.Conn] = ev.Time
			return
		}
		p.close(ev.Conn, ev.Time)
	case event.KindPacket:
		p.datagram(ev)
	}
}

func (p *packetizer) open(ev event.Event) {
	a, ok := endpoints(ev, p.realPorts)
	if !ok {
		return
	}
	if _, taken := p.active[a]; taken && !p.realPorts {
		// Two services share an address (a port-map world): keep the real
		// port rather than mix two connections into one.
		a, _ = endpoints(ev, true)
	}
	f := &flow{c2s: a}
	p.flows[ev.Conn] = f
	p.active[a] = ev.Conn
	ts := p.stamp(ev.Time)
	c, s := isn(ev.Conn, 0), isn(ev.Conn, 1)
	p.ipID++
	p.out.packet(ts, tcpSegment(a, c, 0, flagSYN, nil, p.ipID), connComment(ev))
	p.tcp(ts, a.reverse(), s, c+1, flagSYN|flagACK, nil)
	p.tcp(ts, a, c+1, s+1, flagACK, nil)
	f.next = [2]uint32{c + 1, s + 1}
}

func (p *packetizer) chunk(i int) {
	ch := p.chunks[i]
	f := p.flows[ch.Conn]
	if f == nil || f.closed {
		return
	}
	ts := p.stamp(ch.Time)
	me := side(ch.Dir)
	a := f.addrs(ch.Dir)
	if ch.Omitted > 0 {
		// Bytes that crossed the socket but were not recorded: the
		// sequence numbers jump over them (Wireshark: "previous segment
		// not captured") and the next packet says why.
		f.next[me] += uint32(ch.Omitted)
		f.gap[me] += ch.Omitted
	}
	for b := ch.Bytes; len(b) > 0; {
		n := min(len(b), maxSegment)
		flags := byte(flagACK)
		if n == len(b) {
			flags |= flagPSH
		}
		p.tcpNote(ts, a, f.next[me], f.next[1-me], flags, b[:n], f.gapNote(me))
		f.next[me] += uint32(n)
		b = b[n:]
	}
	if t, ok := p.closing[ch.Conn]; ok && p.lastChunk[ch.Conn] == i {
		p.close(ch.Conn, t)
	}
}

// close writes the server's FIN, the client's FIN and the last ACK.
func (p *packetizer) close(conn uint64, t time.Time) {
	f := p.flows[conn]
	if f == nil || f.closed {
		return
	}
	f.closed = true
	delete(p.active, f.c2s)
	ts := p.stamp(t)
	c, s := f.next[0], f.next[1]
	p.tcpNote(ts, f.c2s.reverse(), s, c, flagFIN|flagACK, nil, f.gapNote(1))
	p.tcpNote(ts, f.c2s, c, s+1, flagFIN|flagACK, nil, f.gapNote(0))
	p.tcp(ts, f.c2s.reverse(), s+1, c+1, flagACK, nil)
}

// datagram writes a DNS query or answer; the event holds all of it.
func (p *packetizer) datagram(ev event.Event) {
	a, ok := endpoints(ev, p.realPorts)
	if !ok || len(ev.Raw) > 65000 {
		return
	}
	if ev.Dir == event.ServerToClient {
		a = a.reverse()
	}
	p.ipID++
	p.out.packet(p.stamp(ev.Time), udpDatagram(a, ev.Raw, p.ipID), "")
}

// connComment names the nodes and the real server address on a SYN:
// language-neutral, since the file has no language.
func connComment(ev event.Event) string {
	client := ev.Client
	if client == "" {
		client = "external"
	}
	return fmt.Sprintf("%s → %s %s %s", client, ev.Server, ev.Proto, ev.Addr)
}

func (p *packetizer) tcp(ts uint64, a addrs, seq, ack uint32, flags byte, payload []byte) {
	p.tcpNote(ts, a, seq, ack, flags, payload, "")
}

func (p *packetizer) tcpNote(ts uint64, a addrs, seq, ack uint32, flags byte, payload []byte, comment string) {
	p.ipID++
	p.out.packet(ts, tcpSegment(a, seq, ack, flags, payload, p.ipID), comment)
}

// gapNote is the comment for a side's next packet after bytes that were
// not recorded, once ("" when there were none).
func (f *flow) gapNote(me int) string {
	n := f.gap[me]
	if n == 0 {
		return ""
	}
	f.gap[me] = 0
	return fmt.Sprintf("Maillab: %d bytes before this packet crossed the connection but were not recorded "+
		"(recording limit: the middle of a long line, a message body past its limit, or a connection's oldest bytes)", n)
}

// stamp converts t to microseconds, never going back in time: Wireshark
// reads a file in order and so should its clock.
func (p *packetizer) stamp(t time.Time) uint64 {
	if !t.IsZero() {
		if us := t.UnixMicro(); us > 0 && uint64(us) > p.last {
			p.last = uint64(us)
		}
	}
	return p.last
}
