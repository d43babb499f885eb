package world

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"time"

	"maillab/simulator/netmap"
	"maillab/simulator/wire"
	"maillab/simulator/worldspec"
)

// listenAddr is where host's service listens: its own address and an
// ephemeral port in a scenario world, bind:base+port in a port-map world.
func (w *World) listenAddr(host string, svc netmap.Service) string {
	if w.roomHost(host) {
		return w.roomListenAddr(host, svc)
	}
	if w.opts.Bind == "" {
		n, _ := w.Node(host)
		return net.JoinHostPort(n.IP, "0")
	}
	return net.JoinHostPort(w.opts.Bind, fmt.Sprint(w.portBase(host)+svc.Port))
}

// portBase: example.org's services and DNS at PortBase, example.net's at
// PortBase+10000 (product.md), example.com's at PortBase+20000.
func (w *World) portBase(host string) int {
	return w.opts.PortBase + netmap.PortOffset(host)
}

// MaxPortBase is the highest port base at which every provider of a
// world with the third provider (or without: third false) has its
// ports, up to 995 above its base, below 65536.
func MaxPortBase(third bool) int {
	if third {
		return 65535 - 995 - netmap.PortOffset(worldspec.ThirdDomain)
	}
	return 65535 - 995 - netmap.PortOffset("example.net")
}

// hostIP is the address DNS gives for host: the bind address in a port-map
// world, the host's own one otherwise.
func (w *World) hostIP(host string) string {
	if w.opts.Bind != "" {
		if ip := net.ParseIP(w.opts.Bind); ip != nil && !ip.IsUnspecified() {
			return w.opts.Bind
		}
		return "127.0.0.1"
	}
	n, _ := w.Node(host)
	return n.IP
}

// listen opens and taps the listener of host's service.
func (w *World) listen(host string, svc netmap.Service) (net.Listener, error) {
	return w.listenAt(w.listenAddr(host, svc), host, svc)
}

// listenAt opens and taps host's service on addr.
func (w *World) listenAt(addr, host string, svc netmap.Service) (net.Listener, error) {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	w.Dir.Set(host, svc.Port, l.Addr().String())
	var tapped net.Listener = l
	if !w.opts.NoTap {
		tapped = wire.Listen(l, wire.Service{Node: host, Proto: svc.Proto, Port: svc.Port, BodyRecord: w.bodyRecord(host, svc.Proto)}, w.Conductor,
			w.identify, w.CA.KeyLog)
	}
	if svc.Implicit {
		cfg, err := w.serverTLS(host)
		if err != nil {
			l.Close()
			return nil, err
		}
		return tlsListener(tapped, cfg, w.opts.HandshakeTimeout), nil
	}
	return guardHTTP(tapped, svc.Proto), nil
}

// DialService connects from a node to host's well-known port, from the
// node's own address so servers see who is calling.
func (w *World) DialService(ctx context.Context, from, host string, port int) (net.Conn, error) {
	addr, ok := w.Dir.Addr(host, port)
	if !ok {
		return nil, fmt.Errorf("world: %s has no service on port %d", host, port)
	}
	return w.dialFrom(ctx, from, "tcp", addr)
}

func (w *World) dialFrom(ctx context.Context, from, network, addr string) (net.Conn, error) {
	d := net.Dialer{Timeout: 30 * time.Second}
	n, _ := w.Node(from)
	if _, own := w.byIP[n.IP]; own {
		if strings.HasPrefix(network, "udp") {
			d.LocalAddr = &net.UDPAddr{IP: net.ParseIP(n.IP)}
		} else {
			d.LocalAddr = &net.TCPAddr{IP: net.ParseIP(n.IP)}
		}
	}
	done := w.ports.expect(from)
	c, err := d.DialContext(ctx, network, addr)
	if err != nil {
		done("")
		return nil, err
	}
	done(c.LocalAddr().String())
	if strings.HasPrefix(network, "udp") {
		return c, nil
	}
	return wire.NewTimedConn(c, w.Conductor.HeldClock), nil
}

// identify names the node behind a client address: by its own IP, or by
// the port a built-in client dialled from when all hosts share 127.0.0.1.
func (w *World) identify(remote string) string {
	host, _, _ := net.SplitHostPort(remote)
	if id, ok := w.byIP[host]; ok {
		return id
	}
	if id := w.ports.lookup(remote); id != "" {
		return id
	}
	return netmap.External
}

// portRegistry remembers which built-in node dialled from which local
// address, for systems where every host shares 127.0.0.1.
type portRegistry struct {
	mu      sync.Mutex
	cond    *sync.Cond
	pending int
	byAddr  map[string]string
}

func newPortRegistry() *portRegistry {
	r := &portRegistry{byAddr: map[string]string{}}
	r.cond = sync.NewCond(&r.mu)
	return r
}

// expect notes a dial in flight; the returned func records its local
// address (or "" when it failed).
func (r *portRegistry) expect(node string) func(local string) {
	r.mu.Lock()
	r.pending++
	r.mu.Unlock()
	return func(local string) {
		r.mu.Lock()
		r.pending--
		if local != "" {
			r.byAddr[local] = node
		}
		r.mu.Unlock()
		r.cond.Broadcast()
	}
}

// lookup waits briefly while dials are in flight: the server may accept
// before the dialler has recorded its address.
func (r *portRegistry) lookup(addr string) string {
	deadline := time.Now().Add(500 * time.Millisecond)
	r.mu.Lock()
	defer r.mu.Unlock()
	for {
		if id, ok := r.byAddr[addr]; ok {
			return id
		}
		if r.pending == 0 || time.Now().After(deadline) {
			return ""
		}
		waitBriefly(r.cond)
	}
}

// waitBriefly waits on cond but wakes after a few milliseconds anyway.
func waitBriefly(cond *sync.Cond) {
	t := time.AfterFunc(10*time.Millisecond, cond.Broadcast)
	cond.Wait()
	t.Stop()
}

func isClosedErr(err error) bool {
	return errors.Is(err, net.ErrClosed)
}
