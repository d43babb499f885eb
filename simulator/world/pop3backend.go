package world

import (
	"crypto/md5"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"strings"

	"maillab/simulator/pop3"
	"maillab/simulator/store"
)

// pop3Backend lets the POP3 server read a provider's INBOX in the store.
type pop3Backend struct{ st *store.Store }

func (b pop3Backend) Login(user, pass string) (pop3.Maildrop, error) {
	if err := b.st.CheckPassword(user, pass); err != nil {
		return nil, pop3.ErrAuth
	}
	return &maildrop{st: b.st, user: user}, nil
}

// APOP compares md5(timestamp+password) with the client's digest (RFC 1939 §7).
func (b pop3Backend) APOP(user, timestamp, digest string) (pop3.Maildrop, error) {
	pass, ok := b.st.Password(user)
	if !ok {
		return nil, pop3.ErrAuth
	}
	sum := md5.Sum([]byte(timestamp + pass))
	if subtle.ConstantTimeCompare([]byte(hex.EncodeToString(sum[:])), []byte(strings.ToLower(digest))) != 1 {
		return nil, pop3.ErrAuth
	}
	return &maildrop{st: b.st, user: user}, nil
}

type maildrop struct {
	st   *store.Store
	user string
}

// Messages maps INBOX to POP3: the unique id is UIDVALIDITY.UID, stable as
// long as the store lives, so "leave a copy on the server" works with UIDL.
func (m *maildrop) Messages() ([]pop3.Message, error) {
	info, err := m.st.Mailbox(m.user, "INBOX")
	if err != nil {
		return nil, err
	}
	msgs, err := m.st.Messages(m.user, "INBOX")
	if err != nil {
		return nil, err
	}
	out := make([]pop3.Message, len(msgs))
	for i, msg := range msgs {
		raw := msg.Raw
		out[i] = pop3.Message{UID: fmt.Sprintf("%d.%d", info.UIDValidity, msg.UID), Size: pop3.WireSize(raw),
			Open: func() ([]byte, error) { return raw, nil }}
	}
	return out, nil
}

func (m *maildrop) Delete(uids []string) error {
	var list []uint32
	for _, u := range uids {
		var validity, uid uint32
		if _, err := fmt.Sscanf(u, "%d.%d", &validity, &uid); err == nil {
			list = append(list, uid)
		}
	}
	return m.st.Delete(m.user, "INBOX", list)
}

func (m *maildrop) Close() {}
