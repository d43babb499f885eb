package imap

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	goimap "github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
)

var _ imapserver.SessionCatenate = (*session)(nil)

// AppendCheck refuses an APPEND into a mailbox that does not exist before
// any of its messages is read (RFC 9051 §6.3.12: NO [TRYCREATE]) and
// gives the quota's room, which all messages of one APPEND share.
func (s *session) AppendCheck(mailbox string) (room int64, err error) {
	if _, err := s.st.Mailbox(s.user, mailbox); err != nil {
		return 0, tryCreate(err)
	}
	return s.room(), nil
}

// CatenateURL reads what an IMAP URL of a CATENATE part points to (RFC
// 4469 §5): a message of the user's own, or one of its sections, or a
// range of octets of it (";PARTIAL=", RFC 5092 §3). Anything else is
// NO [BADURL url], with Dovecot's words.
func (s *session) CatenateURL(raw string) ([]byte, error) {
	data, err := s.catenateURL(raw)
	if err != nil {
		code := strings.Map(func(r rune) rune {
			if r < ' ' || r == ']' || r > 0x7e {
				return -1
			}
			return r
		}, raw)
		return nil, &goimap.Error{Type: goimap.StatusResponseTypeNo, Code: goimap.ResponseCode("BADURL " + code),
			Text: err.Error()}
	}
	return data, nil
}

func (s *session) catenateURL(raw string) ([]byte, error) {
	u, err := parseMessageURL(raw, s.user)
	if err != nil {
		return nil, err
	}
	info, err := s.st.Mailbox(s.user, u.mailbox)
	if err != nil {
		return nil, fmt.Errorf("Mailbox doesn't exist: %s.", u.mailbox)
	}
	if u.uidValidity != 0 && u.uidValidity != info.UIDValidity {
		return nil, errors.New("Invalid UIDVALIDITY.")
	}
	msgs, err := s.st.Messages(s.user, u.mailbox)
	if err != nil {
		return nil, err
	}
	var data []byte
	found := false
	for _, m := range msgs {
		if m.UID == u.uid {
			data, found = m.Raw, true
			break
		}
	}
	if !found {
		return nil, errors.New("Message not found.")
	}
	if u.section != nil { // a section the message lacks is empty, as in FETCH
		data = imapserver.ExtractBodySection(bytes.NewReader(data), u.section)
	}
	if u.partial {
		data = data[min(u.offset, int64(len(data))):]
		if u.length >= 0 {
			data = data[:min(u.length, int64(len(data)))]
		}
	}
	return data, nil
}

// messageURL is an IMAP URL of a message or part (RFC 5092 §6
// "imessagepart"), absolute or relative to the server:
//
//	[imap://[user@]host[:port]]/mailbox[;UIDVALIDITY=n]/;UID=n[/;SECTION=s][/;PARTIAL=o[.l]]
type messageURL struct {
	mailbox          string
	uidValidity, uid uint32
	section          *goimap.FetchItemBodySection
	partial          bool
	offset, length   int64 // length -1: to the end
}

func parseMessageURL(raw, user string) (messageURL, error) {
	u := messageURL{length: -1}
	path := raw
	if len(path) >= 7 && strings.EqualFold(path[:7], "imap://") {
		authority, rest, ok := strings.Cut(path[7:], "/")
		if !ok {
			return u, errors.New("Invalid IMAP URL: No message UID.")
		}
		if userinfo, _, ok := strings.Cut(authority, "@"); ok {
			name, _, _ := strings.Cut(userinfo, ";")
			if name, err := url.PathUnescape(name); err != nil || !strings.EqualFold(name, user) {
				return u, errors.New("Invalid IMAP URL: Another user's mailbox.")
			}
		}
		path = "/" + rest
	}
	if !strings.HasPrefix(path, "/") {
		return u, errors.New("Invalid IMAP URL: Not an IMAP URL.")
	}
	if strings.Contains(strings.ToUpper(path), ";URLAUTH=") {
		return u, errors.New("Invalid IMAP URL: `;URLAUTH=' is not allowed in this context.")
	}
	parts := strings.Split(path[1:], "/;")
	mailbox := parts[0]
	if i := strings.Index(strings.ToUpper(mailbox), ";UIDVALIDITY="); i >= 0 {
		n, err := strconv.ParseUint(mailbox[i+len(";UIDVALIDITY="):], 10, 32)
		if err != nil || n == 0 {
			return u, errors.New("Invalid IMAP URL: Invalid UIDVALIDITY.")
		}
		u.uidValidity, mailbox = uint32(n), mailbox[:i]
	}
	var err error
	if u.mailbox, err = url.PathUnescape(mailbox); err != nil || u.mailbox == "" {
		return u, errors.New("Invalid IMAP URL: Invalid mailbox name.")
	}
	for _, p := range parts[1:] {
		key, value, _ := strings.Cut(p, "=")
		switch strings.ToUpper(key) {
		case "UID":
			n, err := strconv.ParseUint(value, 10, 32)
			if err != nil || n == 0 {
				return u, errors.New("Invalid IMAP URL: Invalid UID.")
			}
			u.uid = uint32(n)
		case "SECTION":
			s, err := url.PathUnescape(value)
			if err == nil {
				u.section, err = imapserver.ParseSection(s)
			}
			if err != nil {
				return u, errors.New("Invalid IMAP URL: Invalid section.")
			}
		case "PARTIAL":
			if err := u.parsePartial(value); err != nil {
				return u, err
			}
		default:
			return u, fmt.Errorf("Invalid IMAP URL: Unknown part ;%s.", key)
		}
	}
	if u.uid == 0 {
		return u, errors.New("Invalid IMAP URL: No message UID.")
	}
	return u, nil
}

func (u *messageURL) parsePartial(value string) error {
	off, length, hasLength := strings.Cut(value, ".")
	o, err := strconv.ParseUint(off, 10, 32)
	if err != nil {
		return errors.New("Invalid IMAP URL: Invalid partial range.")
	}
	u.partial, u.offset = true, int64(o)
	if hasLength {
		l, err := strconv.ParseUint(length, 10, 32)
		if err != nil || l == 0 {
			return errors.New("Invalid IMAP URL: Invalid partial range.")
		}
		u.length = int64(l)
	}
	return nil
}
