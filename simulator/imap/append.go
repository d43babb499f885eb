package imap

import (
	"fmt"
	"io"

	goimap "github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
)

var _ imapserver.SessionAppendLimit = (*session)(nil)

// Append stores a message the client composed, usually into Sent (RFC 9051
// §6.3.12), and reports its UID as APPENDUID (RFC 4315 §3). Only a
// complete literal is stored: a client that hangs up in the middle leaves
// the mailbox as it was.
func (s *session) Append(mailbox string, r goimap.LiteralReader, options *goimap.AppendOptions) (*goimap.AppendData, error) {
	raw, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	if int64(len(raw)) != r.Size() {
		return nil, fmt.Errorf("imap: APPEND literal cut short after %d of %d octets", len(raw), r.Size())
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

// AppendLimit is the largest APPEND literal (RFC 7889 APPENDLIMIT, shown in
// CAPABILITY after login). go-imap checks it before it sends "+". Before
// login the guard refuses APPEND itself; after STARTTLS, where the guard
// steps aside, this keeps a literal before login to 4096 octets.
func (s *session) AppendLimit() uint32 {
	if s.user == "" {
		return maxNonSync
	}
	return uint32(min(s.srv.opts.AppendLimit, 1<<32-1))
}
