package imap

import (
	"errors"
	"fmt"
	"sync"
	"time"

	goimap "github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"

	"maillab/simulator/limits"
	"maillab/simulator/store"
)

// session is one IMAP connection. imapserver calls its methods from the
// connection's goroutine, except Idle, which runs while that goroutine
// waits for DONE.
type session struct {
	srv      *Server
	conn     *imapserver.Conn // tells which revision the client ENABLEd
	st       *store.Store
	user     string  // the address given at LOGIN; "" before
	failures int     // wrong passwords on this connection
	guard    *guard  // the connection's guard: idle timer, login state; nil in tests that make sessions by hand
	addr     string  // the client's address, for the limits
	release  func()  // frees the user+address slot taken at login
	sel      *view   // nil unless in the selected state
	resync   *resync // SELECT (QRESYNC ...)'s answer until Resync writes it (qresync.go)

	mu       sync.Mutex
	closed   bool
	idleDone chan struct{}
}

var _ imapserver.SessionIMAP4rev2 = (*session)(nil)

// maxAuthFailures wrong passwords end a connection (three, as POP3 and the MSA).
const maxAuthFailures = 3

// newSession refuses connections after Close with a BYE greeting (RFC 9051
// §7.1.5); admit has refused those over the caps already.
func (s *Server) newSession(conn *imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, nil, &goimap.Error{Type: goimap.StatusResponseTypeBye, Text: "Server shutting down"}
	}
	g := findGuard(conn.NetConn())
	if g != nil {
		g.setBye(conn.Bye)
	}
	return &session{srv: s, conn: conn, st: s.opts.Store, guard: g, addr: limits.Host(conn.NetConn())}, nil, nil
}

func (s *session) Close() error {
	s.mu.Lock()
	s.closed = true
	done := s.idleDone
	s.mu.Unlock()
	if done != nil {
		<-done
	}
	s.unselect()
	s.Logout()
	return nil
}

var _ imapserver.SessionLogout = (*session)(nil)

// Logout frees the user's per-address session slot when LOGOUT is
// answered, not only once the connection is gone (go-imap patch 54): a
// client that logs out and at once logs in again, as imaptest's stress
// clients do, finds the slot free, as with Dovecot.
func (s *session) Logout() {
	s.mu.Lock()
	release := s.release
	s.release = nil
	s.mu.Unlock()
	if release != nil {
		release()
	}
}

// Login checks the full address and password (RFC 9051 §6.2.3); imapserver
// also routes AUTHENTICATE PLAIN here.
func (s *session) Login(username, password string) error {
	if s.srv.opts.Penalty.Locked(s.addr) {
		// The password is not even checked: a guesser learns nothing.
		// UNAVAILABLE (RFC 5530): a temporary failure, try again later.
		return s.failed(&goimap.Error{Type: goimap.StatusResponseTypeNo, Code: goimap.ResponseCodeUnavailable,
			Text: "Too many authentication failures from your address, try again later"})
	}
	if err := s.st.CheckPassword(username, password); err != nil {
		if errors.Is(err, store.ErrAuth) {
			// Dovecot's auth_failure_delay, longer for an address that
			// keeps failing (its auth penalty), and a BYE at the third
			// failure.
			time.Sleep(s.srv.opts.Penalty.Fail(s.addr))
			return s.failed(imapserver.ErrAuthFailed)
		}
		return err
	}
	release, ok := s.srv.userAddr.Acquire(username, s.addr)
	if !ok {
		// As Dovecot, which names its setting; the client may try again
		// once one of its other sessions has ended.
		return &goimap.Error{Type: goimap.StatusResponseTypeNo, Code: goimap.ResponseCodeLimit,
			Text: fmt.Sprintf("Maximum number of connections from user+IP exceeded (mail_max_userip_connections=%d)",
				s.srv.userAddr.Max())}
	}
	s.user, s.release = username, release
	s.guard.login(s.room)
	return nil
}

// failed counts a refused login; the third on a connection ends it.
func (s *session) failed(err error) error {
	if s.failures++; s.failures >= maxAuthFailures && s.conn != nil {
		s.conn.Bye("Too many authentication failures")
	}
	return err
}

// room is how many octets the user may still store; -1: no limit.
func (s *session) room() int64 {
	u, err := s.st.Usage(s.user)
	if err != nil {
		return -1
	}
	return u.Room()
}

// Select opens a mailbox (RFC 9051 §6.3.2, EXAMINE §6.3.3).
func (s *session) Select(name string, options *goimap.SelectOptions) (*goimap.SelectData, error) {
	s.unselect()
	v := newView(s.user, store.CanonicalName(name), options.ReadOnly)
	v.conn = s.conn
	if !s.rev2() {
		v.recent, v.rev2 = s.st, s.rev2
	}
	s.srv.hub.add(v) // before the snapshot: no change can slip between
	// One snapshot of messages and counters: HIGHESTMODSEQ must not count
	// a change the view has not seen yet (RFC 7162 §3.2).
	msgs, info, err := s.st.MailboxSnapshot(s.user, name)
	if err != nil {
		s.srv.hub.remove(v)
		return nil, imapError(err)
	}
	firstRecent := ^uint32(0)
	if v.recent != nil {
		firstRecent = s.claimRecent(name, msgs, options.ReadOnly)
	}
	v.load(msgs, info.UIDValidity, firstRecent)
	s.sel = v
	data := selectData(msgs, info, options.ReadOnly)
	v.mu.Lock()
	data.NumRecent = v.numRecentLocked()
	v.mu.Unlock()
	if s.rev2() {
		// RFC 9051 §6.3.2: an IMAP4rev2 SELECT answers with a LIST of the
		// mailbox's canonical name; RECENT and [UNSEEN] are gone.
		all, _ := s.st.Mailboxes(s.user) // only for \HasChildren
		data.List = listData(info, all, &goimap.ListOptions{})
	}
	s.selectCondStore(data, info, options) // condstore.go
	if err := s.selectQResync(options.QResync, msgs, info); err != nil {
		s.unselect()
		return nil, imapError(err)
	}
	return data, nil
}

// rev2 reports whether the client sent ENABLE IMAP4rev2 (RFC 9051 §6.3.1).
func (s *session) rev2() bool {
	return s.conn != nil && s.conn.EnabledCaps().Has(goimap.CapIMAP4rev2)
}

func selectData(msgs []store.Message, info store.MailboxInfo, readOnly bool) *goimap.SelectData {
	data := &goimap.SelectData{NumMessages: uint32(len(msgs)), UIDNext: goimap.UID(info.UIDNext),
		UIDValidity: info.UIDValidity, PermanentFlags: []goimap.Flag{}}
	for i, m := range msgs {
		if data.FirstUnseenSeqNum == 0 && !store.HasFlag(m.Flags, store.FlagSeen) {
			data.FirstUnseenSeqNum = uint32(i + 1)
		}
	}
	flags := mailboxFlags(msgs)
	data.Flags = toFlags(flags)
	data.PermanentFlags = permanentFlags(flags, readOnly)
	return data
}

func (s *session) Unselect() error {
	s.unselect()
	return nil
}

func (s *session) unselect() {
	if s.sel != nil {
		s.srv.hub.remove(s.sel)
		s.sel = nil
	}
}

// Poll reports changes at the end of every command (RFC 9051 §5.2).
func (s *session) Poll(w *imapserver.UpdateWriter, allowExpunge bool) error {
	if s.sel == nil {
		return nil
	}
	return s.sel.poll(w, allowExpunge)
}

// Idle streams changes until the client sends DONE (RFC 9051 §6.3.13).
func (s *session) Idle(w *imapserver.UpdateWriter, stop <-chan struct{}) error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	done := make(chan struct{})
	s.idleDone = done
	s.mu.Unlock()
	defer close(done)

	v := s.sel
	if v == nil {
		<-stop
		return nil
	}
	for {
		if err := v.poll(w, true); err != nil {
			return err
		}
		select {
		case <-v.notify:
		case <-stop:
			return nil
		}
	}
}

func (s *session) Namespace() (*goimap.NamespaceData, error) {
	return &goimap.NamespaceData{Personal: []goimap.NamespaceDescriptor{{Delim: delim}}}, nil
}
