package imap

import (
	"errors"
	"strings"

	goimap "github.com/emersion/go-imap/v2"

	"maillab/simulator/store"
)

// delim is store.Delim as a rune, for go-imap.
const delim = '/'

// specialUse marks the well-known mailboxes for clients (RFC 6154 §2), so
// Thunderbird files sent mail into Sent without asking.
var specialUse = map[string]goimap.MailboxAttr{
	store.Sent: goimap.MailboxAttrSent, store.Trash: goimap.MailboxAttrTrash,
	"Drafts": goimap.MailboxAttrDrafts, "Junk": goimap.MailboxAttrJunk, "Archive": goimap.MailboxAttrArchive,
}

// Create makes a mailbox and any missing parents (RFC 9051 §6.3.4). A
// trailing delimiter only declares the intent to create children.
func (s *session) Create(name string, _ *goimap.CreateOptions) error {
	name = strings.TrimSuffix(name, store.Delim)
	levels := strings.Split(name, store.Delim)
	for i := 1; i < len(levels); i++ {
		err := s.st.CreateMailbox(s.user, strings.Join(levels[:i], store.Delim))
		if err != nil && !errors.Is(err, store.ErrMailboxExists) {
			return imapError(err)
		}
	}
	return imapError(s.st.CreateMailbox(s.user, name))
}

func (s *session) Delete(name string) error {
	return imapError(s.st.DeleteMailbox(s.user, name))
}

func (s *session) Rename(oldName, newName string, _ *goimap.RenameOptions) error {
	return imapError(s.st.RenameMailbox(s.user, oldName, newName))
}

func (s *session) Subscribe(name string) error {
	return imapError(s.st.SetSubscribed(s.user, name, true))
}

func (s *session) Unsubscribe(name string) error {
	return imapError(s.st.SetSubscribed(s.user, name, false))
}

// Status reports counters of a mailbox without selecting it (RFC 9051
// §6.3.11).
func (s *session) Status(name string, options *goimap.StatusOptions) (*goimap.StatusData, error) {
	in, err := s.st.Mailbox(s.user, name)
	if err != nil {
		return nil, imapError(err)
	}
	return statusData(in, options), nil
}

func statusData(in store.MailboxInfo, options *goimap.StatusOptions) *goimap.StatusData {
	data := &goimap.StatusData{Mailbox: in.Name}
	count := func(want bool, n int) *uint32 {
		if !want {
			return nil
		}
		v := uint32(n)
		return &v
	}
	data.NumMessages = count(options.NumMessages, in.Count)
	data.NumUnseen = count(options.NumUnseen, in.Unseen)
	data.NumDeleted = count(options.NumDeleted, in.Deleted)
	data.NumRecent = count(options.NumRecent, in.Recent) // not yet seen by any session
	if options.UIDNext {
		data.UIDNext = goimap.UID(in.UIDNext)
	}
	if options.UIDValidity {
		data.UIDValidity = in.UIDValidity
	}
	if options.Size {
		size := in.Size
		data.Size = &size
	}
	if options.HighestModSeq { // RFC 7162 §3.1.6
		data.HighestModSeq = in.HighestModSeq
	}
	return data
}
