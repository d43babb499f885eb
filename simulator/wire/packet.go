package wire

import (
	"context"
	"net"
	"sync"

	"maillab/simulator/event"
)

// PacketConn taps a datagram server (DNS): every query and every answer is
// one event, held at the gate like a line.
type PacketConn struct {
	net.PacketConn
	svc      Service
	sink     Sink
	identify Identify
	describe func([]byte) string
	ctx      context.Context
	cancel   context.CancelFunc

	mu    sync.Mutex
	conns map[string]uint64 // last exchange id per client address
}

// ListenPacket wraps pc; describe renders a datagram as one line of text.
func ListenPacket(pc net.PacketConn, svc Service, sink Sink, identify Identify, describe func([]byte) string) *PacketConn {
	ctx, cancel := context.WithCancel(context.Background())
	return &PacketConn{PacketConn: pc, svc: svc, sink: sink, identify: identify, describe: describe,
		ctx: ctx, cancel: cancel, conns: map[string]uint64{}}
}

// ReadFrom returns the next datagram once its event was released.
func (p *PacketConn) ReadFrom(b []byte) (int, net.Addr, error) {
	n, addr, err := p.PacketConn.ReadFrom(b)
	if n <= 0 || addr == nil {
		return n, addr, err
	}
	id := p.sink.NextConnID()
	p.mu.Lock()
	p.conns[addr.String()] = id
	p.mu.Unlock()
	if gerr := p.sink.Gate(p.ctx, p.event(id, addr, event.ClientToServer, b[:n])); gerr != nil {
		return 0, addr, gerr
	}
	return n, addr, err
}

// WriteTo sends an answer once its event was released.
func (p *PacketConn) WriteTo(b []byte, addr net.Addr) (int, error) {
	p.mu.Lock()
	id := p.conns[addr.String()]
	p.mu.Unlock()
	if err := p.sink.Gate(p.ctx, p.event(id, addr, event.ServerToClient, b)); err != nil {
		return 0, err
	}
	return p.PacketConn.WriteTo(b, addr)
}

func (p *PacketConn) event(id uint64, addr net.Addr, dir event.Dir, b []byte) *event.Event {
	client := ""
	if p.identify != nil {
		client = p.identify(addr.String())
	}
	text := ""
	if p.describe != nil {
		text = p.describe(b)
	}
	return &event.Event{Kind: event.KindPacket, Conn: id, Client: client, Server: p.svc.Node,
		Proto: p.svc.Proto, Port: p.svc.Port, Addr: p.PacketConn.LocalAddr().String(),
		ClientAddr: addr.String(), Dir: dir, Text: text, Raw: append([]byte(nil), b...)}
}

// Close stops the socket and wakes a held datagram.
func (p *PacketConn) Close() error {
	p.cancel()
	return p.PacketConn.Close()
}
