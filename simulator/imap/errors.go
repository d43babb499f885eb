package imap

import (
	"errors"
	"strings"

	goimap "github.com/emersion/go-imap/v2"

	"maillab/simulator/store"
)

// imapError turns a store error into the NO a client understands, with the
// response code of RFC 5530 (RFC 9051 §7.1); other errors stay as they are
// and imapserver answers NO [SERVERBUG].
func imapError(err error) error {
	if err == nil {
		return nil
	}
	code := goimap.ResponseCode("")
	switch {
	case errors.Is(err, store.ErrNoMailbox):
		code = goimap.ResponseCodeNonExistent
	case errors.Is(err, store.ErrNoUser):
		// The account was removed while this session was logged in (the
		// world settings): what it asks for no longer exists (RFC 5530).
		return &goimap.Error{Type: goimap.StatusResponseTypeNo, Code: goimap.ResponseCodeNonExistent,
			Text: "This account was removed: log out"}
	case errors.Is(err, store.ErrMailboxExists):
		code = goimap.ResponseCodeAlreadyExists
	case errors.Is(err, store.ErrInvalidName), errors.Is(err, store.ErrInvalidFlag):
		code = goimap.ResponseCodeCannot
	case errors.Is(err, store.ErrOverQuota):
		code = goimap.ResponseCodeOverQuota // RFC 9208 §4.3
	default:
		return err
	}
	return &goimap.Error{Type: goimap.StatusResponseTypeNo, Code: code, Text: text(err)}
}

// tryCreate is the NO for COPY, MOVE and APPEND into a missing mailbox:
// TRYCREATE tells the client to CREATE it first (RFC 9051 §6.3.12).
func tryCreate(err error) error {
	if errors.Is(err, store.ErrNoMailbox) {
		return &goimap.Error{Type: goimap.StatusResponseTypeNo, Code: goimap.ResponseCodeTryCreate, Text: text(err)}
	}
	return imapError(err)
}

func text(err error) string {
	s := strings.TrimPrefix(err.Error(), "store: ")
	return strings.ToUpper(s[:1]) + s[1:]
}

// errReadOnly answers a change to a mailbox opened with EXAMINE (RFC 9051
// §6.3.3).
var errReadOnly = &goimap.Error{Type: goimap.StatusResponseTypeNo,
	Text: "Mailbox is read-only (opened with EXAMINE)"}
