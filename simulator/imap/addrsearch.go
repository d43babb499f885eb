package imap

import (
	"strings"

	gomessage "github.com/emersion/go-message"
)

// addressFields are the header fields SEARCH FROM/TO/CC/BCC and HEADER
// compare as addresses too (RFC 9051 §6.4.4).
var addressFields = map[string]bool{
	"from": true, "to": true, "cc": true, "bcc": true, "sender": true, "reply-to": true,
}

// matchAddressFields matches value against the parsed addresses of an
// address field, as Dovecot does: "user@domain.org" finds
// "<user (comment)@ (comment) domain.org>", "Real" finds
// "user@domain.org (Real)", a group's name finds the group. Each address
// is compared as "Name <mailbox@host>".
func matchAddressFields(fields gomessage.HeaderFields, key, value string) bool {
	if value == "" || !addressFields[strings.ToLower(key)] {
		return false
	}
	for fields.Next() {
		for _, a := range parseAddressList(fields.Value()) {
			s := a.Mailbox
			if a.Host != "" {
				s = a.Mailbox + "@" + a.Host
				if a.Name != "" {
					s = a.Name + " <" + s + ">"
				}
			}
			if s != "" && containsFold(s, value) {
				return true
			}
		}
	}
	return false
}
