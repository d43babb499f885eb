package imap

import (
	goimap "github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"

	"maillab/simulator/store"
)

var _ imapserver.SessionMultiAppend = (*session)(nil)

// AppendMessages stores the messages of one APPEND, one or several
// (MULTIAPPEND, RFC 3502), all or none: if one does not fit the quota,
// none is stored. APPENDUID lists their UIDs (RFC 4315 §3).
func (s *session) AppendMessages(mailbox string, msgs []imapserver.AppendMessage) (*imapserver.MultiAppendData, error) {
	in := make([]store.Incoming, len(msgs))
	for i, m := range msgs {
		raw := m.Literal
		if m.Options.Binary { // a literal8 (go-imap patch 53): see binary.go
			raw = binaryToBase64(raw)
		}
		in[i] = store.Incoming{Raw: raw, Flags: fromFlags(m.Options.Flags), Date: m.Options.Time}
	}
	stored, err := s.st.DeliverAll(s.user, mailbox, in)
	if err != nil {
		return nil, tryCreate(err)
	}
	info, err := s.st.Mailbox(s.user, mailbox)
	if err != nil {
		return nil, nil // deleted right after the append: no APPENDUID
	}
	data := &imapserver.MultiAppendData{UIDValidity: info.UIDValidity}
	for _, m := range stored {
		data.UIDs.AddNum(goimap.UID(m.UID))
	}
	return data, nil
}
