package imap

import (
	"io"

	goimap "github.com/emersion/go-imap/v2"
)

// Append stores a message the client composed, usually into Sent (RFC 9051
// §6.3.12), and reports its UID as APPENDUID (RFC 4315 §3).
func (s *session) Append(mailbox string, r goimap.LiteralReader, options *goimap.AppendOptions) (*goimap.AppendData, error) {
	raw, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	m, err := s.st.Deliver(s.user, mailbox, raw, fromFlags(options.Flags), options.Time)
	if err != nil {
		return nil, tryCreate(err)
	}
	info, err := s.st.Mailbox(s.user, mailbox)
	if err != nil {
		return nil, nil // deleted right after the append: no APPENDUID
	}
	return &goimap.AppendData{UID: goimap.UID(m.UID), UIDValidity: info.UIDValidity}, nil
}
