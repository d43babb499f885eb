package terminal

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"strconv"
)

// read delivers the server's lines until the connection ends, upgrading to
// TLS when the server agrees to a STARTTLS request.
func (s *Session) read(br *bufio.Reader) {
	defer s.end()
	for {
		line, cut, err := readLine(br, MaxReceived)
		if err != nil {
			s.readFailed(err)
			return
		}
		s.mu.Lock()
		s.creds.Server(s.Service.Proto, line)
		decided, ok := s.replies.received(line)
		pending := s.upgrading != nil
		s.mu.Unlock()
		s.emit(Entry{Kind: KindReceived, Text: line})
		if cut {
			s.emit(note(KindInfo, "terminal.info.cut", map[string]string{"max": strconv.Itoa(MaxReceived)}))
		}
		if !decided || !pending {
			continue
		}
		if ok {
			if br, err = s.upgrade(br); err != nil {
				s.fail("terminal.error.tls", err)
				return
			}
		}
		s.upgraded()
	}
}

// readLine returns the next line without its line end. A line longer than
// limit comes back cut; the rest of it is read and dropped.
func readLine(br *bufio.Reader, limit int) (string, bool, error) {
	var line []byte
	cut := false
	for {
		chunk, err := br.ReadSlice('\n')
		keep := min(len(chunk), max(0, limit+2-len(line)))
		line = append(line, chunk[:keep]...)
		cut = cut || keep < len(chunk)
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil && len(line) == 0 {
			return "", false, err
		}
		break // a last line without its end still counts; the error comes again
	}
	line = bytes.TrimSuffix(line, []byte("\n"))
	line = bytes.TrimSuffix(line, []byte("\r"))
	if len(line) > limit {
		line, cut = line[:limit], true
	}
	return string(line), cut, nil
}

// upgrade does the client's TLS handshake after the server agreed.
func (s *Session) upgrade(br *bufio.Reader) (*bufio.Reader, error) {
	if br.Buffered() > 0 {
		// Bytes that came before the handshake would be read as if they
		// had come encrypted: an attacker could inject them.
		return nil, errInjected
	}
	tc := tls.Client(s.raw, s.tlsCfg)
	if err := tc.Handshake(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.conn, s.encrypted = tc, true
	s.mu.Unlock()
	s.emit(tlsEntry(s.Host, tc.ConnectionState()))
	return bufio.NewReader(tc), nil
}

var errInjected = errors.New("the server sent more after agreeing to STARTTLS; refusing to upgrade")

// upgraded lets waiting writers go on.
func (s *Session) upgraded() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.upgrading != nil {
		close(s.upgrading)
		s.upgrading = nil
	}
}

// readFailed notes why reading stopped, unless the user closed the
// terminal or the server simply hung up.
func (s *Session) readFailed(err error) {
	s.mu.Lock()
	closing := s.closing
	s.mu.Unlock()
	if closing || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) {
		return
	}
	s.fail("terminal.error.read", err)
}

// fail logs an error that ends the session.
func (s *Session) fail(key string, err error) {
	s.mu.Lock()
	s.failed = true
	s.mu.Unlock()
	s.emit(note(KindError, key, map[string]string{"err": err.Error()}))
}

// end closes the socket, releases waiting writers and logs the end.
func (s *Session) end() {
	s.raw.Close()
	s.mu.Lock()
	s.ended = true
	key := "terminal.closed.server"
	switch {
	case s.closing:
		key = "terminal.closed.user"
	case s.failed:
		key = "terminal.closed"
	}
	s.mu.Unlock()
	s.upgraded()
	s.emit(note(KindClosed, key, nil))
	close(s.done)
}

// tlsEntry says what the handshake established and whom it verified.
func tlsEntry(host string, cs tls.ConnectionState) Entry {
	issuer := ""
	if len(cs.PeerCertificates) > 0 {
		issuer = cs.PeerCertificates[0].Issuer.CommonName
	}
	return note(KindTLS, "terminal.tls.up", map[string]string{"version": tls.VersionName(cs.Version),
		"cipher": tls.CipherSuiteName(cs.CipherSuite), "host": host, "issuer": issuer})
}
