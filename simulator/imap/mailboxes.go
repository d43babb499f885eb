package imap

import (
	"errors"
	"strings"

	goimap "github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"

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

// List answers LIST and LSUB (RFC 9051 §6.3.9, LIST-EXTENDED RFC 5258).
func (s *session) List(w *imapserver.ListWriter, ref string, patterns []string, options *goimap.ListOptions) error {
	if len(patterns) == 0 || (len(patterns) == 1 && patterns[0] == "") {
		// LIST "" "" asks for the hierarchy delimiter only.
		return w.WriteList(&goimap.ListData{Attrs: []goimap.MailboxAttr{goimap.MailboxAttrNoSelect}, Delim: delim})
	}
	infos, err := s.st.Mailboxes(s.user)
	if err != nil {
		return imapError(err)
	}
	for _, in := range infos {
		if !listMatch(in.Name, ref, patterns) {
			continue
		}
		if data := listData(in, infos, options); data != nil {
			if err := w.WriteList(data); err != nil {
				return err
			}
		}
	}
	return nil
}

func listMatch(name, ref string, patterns []string) bool {
	for _, p := range patterns {
		if ref == "" && name == store.Inbox && strings.EqualFold(p, store.Inbox) {
			return true // INBOX is case-insensitive (RFC 9051 §5.1)
		}
		if imapserver.MatchList(name, delim, ref, p) {
			return true
		}
	}
	return false
}

// listData describes one mailbox, or nil when the selection options
// exclude it.
func listData(in store.MailboxInfo, all []store.MailboxInfo, options *goimap.ListOptions) *goimap.ListData {
	use, hasUse := specialUse[in.Name]
	if (options.SelectSubscribed && !in.Subscribed) || (options.SelectSpecialUse && !hasUse) {
		return nil
	}
	data := &goimap.ListData{Mailbox: in.Name, Delim: delim, Attrs: []goimap.MailboxAttr{goimap.MailboxAttrHasNoChildren}}
	for _, other := range all {
		if strings.HasPrefix(other.Name, in.Name+store.Delim) {
			data.Attrs[0] = goimap.MailboxAttrHasChildren
			break
		}
	}
	if hasUse {
		data.Attrs = append(data.Attrs, use)
	}
	if in.Subscribed && (options.SelectSubscribed || options.ReturnSubscribed) {
		data.Attrs = append(data.Attrs, goimap.MailboxAttrSubscribed)
	}
	if options.ReturnStatus != nil {
		data.Status = statusData(in, options.ReturnStatus)
	}
	return data
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
	return data
}
