package imap

import (
	"reflect"
	"strings"

	goimap "github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"

	"maillab/simulator/store"
)

// List answers LIST and LSUB (RFC 9051 §6.3.9, RFC 3501 §6.3.9,
// LIST-EXTENDED RFC 5258). Subscriptions are a set of names apart from
// the mailboxes, so:
//   - LSUB lists subscribed names; a parent that the pattern's "%" stops
//     at, with subscribed names below it but not subscribed itself, comes
//     as \Noselect (RFC 3501 §6.3.9);
//   - LIST (SUBSCRIBED) lists subscribed names, a deleted one as
//     \Subscribed \NonExistent (RFC 5258 §3, RFC 9051 §6.3.9);
//   - with RECURSIVEMATCH, a parent with subscribed names below it that
//     the patterns do not match comes with CHILDINFO ("SUBSCRIBED")
//     (RFC 5258 §3.5, §4);
//   - plain LIST shows a missing parent of existing mailboxes that "%"
//     stops at as \Noselect \HasChildren.
func (s *session) List(w *imapserver.ListWriter, ref string, patterns []string, options *goimap.ListOptions) error {
	if len(patterns) == 0 || (len(patterns) == 1 && patterns[0] == "") {
		// LIST "" "" asks for the hierarchy delimiter only.
		return w.WriteList(&goimap.ListData{Attrs: []goimap.MailboxAttr{goimap.MailboxAttrNoSelect}, Delim: delim})
	}
	infos, err := s.st.Mailboxes(s.user)
	if err != nil {
		return imapError(err)
	}
	subs, err := s.st.Subscriptions(s.user)
	if err != nil {
		return imapError(err)
	}
	l := &lister{ref: ref, patterns: patterns, options: options, lsub: isLSub(w),
		exists: map[string]store.MailboxInfo{}, subscribed: map[string]bool{}}
	for _, in := range infos {
		l.exists[in.Name] = in
	}
	for _, name := range subs {
		l.subscribed[name] = true
	}
	for _, data := range l.list(infos, subs) {
		if err := w.WriteList(data); err != nil {
			return err
		}
	}
	return nil
}

// isLSub tells LSUB from LIST (SUBSCRIBED): go-imap passes both the same
// options and keeps which it was in the writer's unexported lsub field.
// Reading a bool field through reflect is allowed; TestSubscriptionsByHand
// fails if a go-imap update renames it.
func isLSub(w *imapserver.ListWriter) bool {
	f := reflect.ValueOf(w).Elem().FieldByName("lsub")
	return f.IsValid() && f.Kind() == reflect.Bool && f.Bool()
}

type lister struct {
	ref        string
	patterns   []string
	options    *goimap.ListOptions
	lsub       bool
	exists     map[string]store.MailboxInfo
	subscribed map[string]bool
}

func (l *lister) match(name string) bool { return listMatch(name, l.ref, l.patterns) }

// list returns the responses in the order of the names, INBOX first.
func (l *lister) list(infos []store.MailboxInfo, subs []string) []*goimap.ListData {
	var names []string
	if l.options.SelectSubscribed {
		names = subs
	} else {
		for _, in := range infos {
			names = append(names, in.Name)
		}
	}
	out := map[string]*goimap.ListData{}
	var order []string
	add := func(name string, data *goimap.ListData) {
		if data == nil {
			return
		}
		if _, ok := out[name]; !ok {
			order = append(order, name)
		}
		out[name] = data
	}
	for _, name := range names {
		if l.match(name) {
			add(name, l.entry(name))
		}
	}
	// Parents the patterns stop at, with names below them that the
	// patterns do not reach.
	for _, name := range names {
		if l.match(name) {
			continue
		}
		for _, parent := range parents(name) {
			if !l.match(parent) {
				continue
			}
			if data, ok := out[parent]; ok {
				if l.options.SelectRecursiveMatch && data.ChildInfo == nil {
					data.ChildInfo = &goimap.ListDataChildInfo{Subscribed: true}
				}
				continue
			}
			add(parent, l.parentEntry(parent))
		}
	}
	sortNames(order)
	list := make([]*goimap.ListData, 0, len(order))
	for _, name := range order {
		list = append(list, out[name])
	}
	return list
}

// entry describes a name the selection lists, or nil when the options
// exclude it.
func (l *lister) entry(name string) *goimap.ListData {
	in, exists := l.exists[name]
	use, hasUse := specialUse[name]
	if l.options.SelectSpecialUse && (!hasUse || !exists) {
		return nil
	}
	data := &goimap.ListData{Mailbox: name, Delim: delim}
	if l.lsub {
		return data // LSUB: no attributes for a subscribed name
	}
	if !exists {
		data.Attrs = append(data.Attrs, goimap.MailboxAttrNonExistent)
	} else {
		data.Attrs = append(data.Attrs, l.childrenAttr(in.Name))
		if hasUse {
			data.Attrs = append(data.Attrs, use)
		}
	}
	if l.subscribed[name] && (l.options.SelectSubscribed || l.options.ReturnSubscribed) {
		data.Attrs = append(data.Attrs, goimap.MailboxAttrSubscribed)
	}
	if exists && l.options.ReturnStatus != nil {
		data.Status = statusData(in, l.options.ReturnStatus)
	}
	return data
}

// parentEntry describes a parent listed only for the names below it, or
// nil when it is not to be listed.
func (l *lister) parentEntry(name string) *goimap.ListData {
	data := &goimap.ListData{Mailbox: name, Delim: delim}
	in, exists := l.exists[name]
	switch {
	case l.lsub:
		data.Attrs = []goimap.MailboxAttr{goimap.MailboxAttrNoSelect}
	case l.options.SelectSubscribed:
		if !l.options.SelectRecursiveMatch {
			return nil
		}
		data.ChildInfo = &goimap.ListDataChildInfo{Subscribed: true}
		if !exists {
			data.Attrs = append(data.Attrs, goimap.MailboxAttrNonExistent)
		} else if l.options.ReturnChildren {
			data.Attrs = append(data.Attrs, l.childrenAttr(in.Name))
		}
	case l.options.SelectSpecialUse || exists:
		return nil // an existing one was listed already if it matched
	default:
		data.Attrs = []goimap.MailboxAttr{goimap.MailboxAttrNoSelect, goimap.MailboxAttrHasChildren}
	}
	return data
}

func (l *lister) childrenAttr(name string) goimap.MailboxAttr {
	for other := range l.exists {
		if strings.HasPrefix(other, name+store.Delim) {
			return goimap.MailboxAttrHasChildren
		}
	}
	return goimap.MailboxAttrHasNoChildren
}

// parents returns "a" and "a/b" for "a/b/c".
func parents(name string) []string {
	var out []string
	for i := 0; i < len(name); i++ {
		if name[i] == delim {
			out = append(out, name[:i])
		}
	}
	return out
}

func sortNames(names []string) {
	for i := 1; i < len(names); i++ {
		for j := i; j > 0 && lessName(names[j], names[j-1]); j-- {
			names[j], names[j-1] = names[j-1], names[j]
		}
	}
}

func lessName(a, b string) bool {
	if a == store.Inbox || b == store.Inbox {
		return a == store.Inbox && b != store.Inbox
	}
	return a < b
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

// listData describes one existing mailbox as LIST does (for the LIST
// response of an IMAP4rev2 SELECT, RFC 9051 §6.3.2).
func listData(in store.MailboxInfo, all []store.MailboxInfo, options *goimap.ListOptions) *goimap.ListData {
	l := &lister{options: options, exists: map[string]store.MailboxInfo{}, subscribed: map[string]bool{}}
	for _, other := range all {
		l.exists[other.Name] = other
	}
	l.subscribed[in.Name] = in.Subscribed
	return l.entry(in.Name)
}
