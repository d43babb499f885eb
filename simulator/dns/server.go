package dns

import (
	"encoding/binary"
	"io"
	"net"
	"sync"

	"github.com/miekg/dns"
)

// Options configure the name server.
type Options struct {
	Zone Zone
}

// Server answers queries for its zones over UDP (ServePacket) and TCP
// (Serve). It reads and writes datagrams itself instead of using
// dns.Server, so any net.PacketConn works (a tap, not only *net.UDPConn) and
// no read deadline is needed: a paused tap may hold a query for minutes.
type Server struct {
	zmu  sync.RWMutex
	zone *records

	mu      sync.Mutex
	closed  bool
	closers map[io.Closer]struct{}
	wg      sync.WaitGroup
}

// New returns a server for opts.Zone (copied).
func New(opts Options) *Server {
	return &Server{zone: index(opts.Zone), closers: map[io.Closer]struct{}{}}
}

// AddTXT adds a TXT record at run time (SPF, DKIM and DMARC lessons).
func (s *Server) AddTXT(name, text string) {
	s.zmu.Lock()
	defer s.zmu.Unlock()
	n := canonical(name)
	s.zone.txt[n] = append(s.zone.txt[n], text)
}

// DeleteTXT removes every TXT record of name.
func (s *Server) DeleteTXT(name string) {
	s.zmu.Lock()
	defer s.zmu.Unlock()
	delete(s.zone.txt, canonical(name))
}

func (s *Server) reply(req *dns.Msg, udp bool) ([]byte, error) {
	s.zmu.RLock()
	m := s.zone.answer(req)
	s.zmu.RUnlock()
	return pack(m, req, udp)
}

// ServePacket answers datagrams on pc until Close.
func (s *Server) ServePacket(pc net.PacketConn) error {
	if !s.track(pc) {
		return net.ErrClosed
	}
	defer s.untrack(pc)
	buf := make([]byte, dns.MaxMsgSize)
	for {
		n, addr, err := pc.ReadFrom(buf)
		if err != nil {
			if s.isClosed() {
				return nil
			}
			if ne, ok := err.(net.Error); ok && ne.Timeout() {
				continue
			}
			return err
		}
		s.answerPacket(pc, addr, buf[:n])
	}
}

// answerPacket answers one query in place: queries are tiny, and doing it
// in order keeps a stepped run's DNS traffic deterministic.
func (s *Server) answerPacket(pc net.PacketConn, addr net.Addr, b []byte) {
	req := new(dns.Msg)
	if err := req.Unpack(b); err != nil {
		return // not DNS: a real server drops it too
	}
	out, err := s.reply(req, true)
	if err == nil {
		pc.WriteTo(out, addr)
	}
}

// Serve answers DNS over TCP (RFC 7766) on l until Close.
func (s *Server) Serve(l net.Listener) error {
	if !s.track(l) {
		return net.ErrClosed
	}
	defer s.untrack(l)
	for {
		c, err := l.Accept()
		if err != nil {
			if s.isClosed() {
				return nil
			}
			return err
		}
		if !s.trackConn(c) {
			c.Close()
			return nil
		}
		go s.serveConn(c)
	}
}

func (s *Server) serveConn(c net.Conn) {
	defer s.wg.Done()
	defer s.untrack(c)
	defer c.Close()
	for {
		var n uint16
		if binary.Read(c, binary.BigEndian, &n) != nil {
			return
		}
		b := make([]byte, n)
		if _, err := io.ReadFull(c, b); err != nil {
			return
		}
		req := new(dns.Msg)
		if req.Unpack(b) != nil {
			return
		}
		out, err := s.reply(req, false)
		if err != nil || writeFramed(c, out) != nil {
			return
		}
	}
}

// writeFramed writes one TCP DNS message with its two-octet length
// (RFC 1035 §4.2.2).
func writeFramed(w io.Writer, b []byte) error {
	out := binary.BigEndian.AppendUint16(make([]byte, 0, len(b)+2), uint16(len(b)))
	_, err := w.Write(append(out, b...))
	return err
}

func (s *Server) track(c io.Closer) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.closers[c] = struct{}{}
	return true
}

// trackConn registers a TCP connection and its goroutine in one step, so
// Close cannot start waiting between the two.
func (s *Server) trackConn(c net.Conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.closers[c] = struct{}{}
	s.wg.Add(1)
	return true
}

func (s *Server) untrack(c io.Closer) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.closers, c)
}

func (s *Server) isClosed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}

// Close closes every packet conn, listener and TCP connection and waits for
// the TCP goroutines. ServePacket and Serve return nil.
func (s *Server) Close() error {
	s.mu.Lock()
	s.closed = true
	for c := range s.closers {
		c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
	return nil
}
