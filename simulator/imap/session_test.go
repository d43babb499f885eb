package imap_test

import (
	"strings"
	"testing"

	goimap "github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-sasl"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/imap"
	"maillab/simulator/store"
)

func TestLogin(t *testing.T) {
	e := start(t, imap.Options{}, nil)
	for _, tc := range []struct {
		name, user, pass string
		ok               bool
	}{
		{"right password", bob, password, true},
		{"address is case-insensitive", "Bob@Example.NET", password, true},
		{"wrong password", bob, "wonderland", false},
		{"unknown user", "eve@example.net", password, false},
		{"local part only", "bob", password, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := e.client(t, nil)
			err := c.Login(tc.user, tc.pass).Wait()
			if tc.ok {
				assert.NoError(t, err)
				return
			}
			var imapErr *goimap.Error
			require.ErrorAs(t, err, &imapErr)
			assert.Equal(t, goimap.StatusResponseTypeNo, imapErr.Type)
			assert.Equal(t, goimap.ResponseCodeAuthenticationFailed, imapErr.Code)
		})
	}
}

func TestAuthenticatePlain(t *testing.T) {
	e := start(t, imap.Options{}, nil)
	c := e.client(t, nil)
	assert.True(t, c.Caps().Has(goimap.AuthCap("PLAIN")))
	require.NoError(t, c.Authenticate(sasl.NewPlainClient("", bob, password)))
	_, err := c.Select("INBOX", nil).Wait()
	assert.NoError(t, err)

	bad := e.client(t, nil)
	assert.Error(t, bad.Authenticate(sasl.NewPlainClient("", bob, "nope")))
}

func TestSelectFetchStoreExpunge(t *testing.T) {
	e := start(t, imap.Options{}, nil)
	e.deliver(t, "first", "second")
	c := e.login(t, nil)

	sel, err := c.Select("inbox", nil).Wait()
	require.NoError(t, err, "Select()")
	inbox, _ := e.st.Mailbox(bob, "INBOX")
	assert.Equal(t, uint32(2), sel.NumMessages)
	assert.Equal(t, inbox.UIDValidity, sel.UIDValidity)
	assert.Equal(t, goimap.UID(3), sel.UIDNext)
	assert.Contains(t, sel.PermanentFlags, goimap.FlagWildcard)

	msgs, err := c.Fetch(goimap.SeqSetNum(1, 2), &goimap.FetchOptions{
		UID: true, Flags: true, Envelope: true, RFC822Size: true, InternalDate: true,
		BodyStructure: &goimap.FetchItemBodyStructure{},
		BodySection:   []*goimap.FetchItemBodySection{{Peek: true}},
	}).Collect()
	require.NoError(t, err, "Fetch()")
	require.Len(t, msgs, 2)
	m := msgs[0]
	assert.Equal(t, goimap.UID(1), m.UID)
	assert.Equal(t, []goimap.Flag{`\Recent`}, m.Flags, "new to this IMAP4rev1 session (RFC 3501 §2.3.2)")
	assert.Equal(t, "first", m.Envelope.Subject)
	assert.Equal(t, "alice@example.org", m.Envelope.From[0].Addr())
	assert.Equal(t, int64(len(mail("first"))), m.RFC822Size)
	assert.False(t, m.InternalDate.IsZero())
	assert.Equal(t, "text", strings.ToLower(m.BodyStructure.(*goimap.BodyStructureSinglePart).Type))
	assert.Equal(t, string(mail("first")), string(m.FindBodySection(&goimap.FetchItemBodySection{Peek: true})))
	assert.Equal(t, []string(nil), flagsOf(t, e, 1), "BODY.PEEK[] leaves \\Seen alone")

	// RFC 9051 §6.4.5: BODY[] sets \Seen and reports the new flags.
	msgs, err = c.Fetch(goimap.SeqSetNum(2), &goimap.FetchOptions{
		BodySection: []*goimap.FetchItemBodySection{{}},
	}).Collect()
	require.NoError(t, err, "Fetch(BODY[])")
	require.Len(t, msgs, 1)
	assert.Equal(t, []goimap.Flag{goimap.FlagSeen, `\Recent`}, msgs[0].Flags)
	assert.Equal(t, []string{store.FlagSeen}, flagsOf(t, e, 2))

	msgs, err = c.Store(goimap.SeqSetNum(1), &goimap.StoreFlags{Op: goimap.StoreFlagsAdd,
		Flags: []goimap.Flag{goimap.FlagDeleted, "$Label1"}}, nil).Collect()
	require.NoError(t, err, "Store()")
	require.Len(t, msgs, 1)
	assert.Equal(t, []goimap.Flag{goimap.FlagDeleted, "$Label1", `\Recent`}, msgs[0].Flags)

	expunged, err := c.Expunge().Collect()
	require.NoError(t, err, "Expunge()")
	assert.Equal(t, []uint32{1}, expunged)
	left, _ := e.st.Messages(bob, "INBOX")
	require.Len(t, left, 1)
	assert.Equal(t, uint32(2), left[0].UID)

	require.NoError(t, c.Noop().Wait())
	require.NoError(t, c.Unselect().Wait())
	require.NoError(t, c.Logout().Wait())
}

func flagsOf(t *testing.T, e *env, uid uint32) []string {
	t.Helper()
	msgs, err := e.st.Messages(bob, "INBOX")
	require.NoError(t, err)
	for _, m := range msgs {
		if m.UID == uid {
			return m.Flags
		}
	}
	require.Failf(t, "no message", "UID %d", uid)
	return nil
}

func TestUIDCommands(t *testing.T) {
	e := start(t, imap.Options{}, nil)
	e.deliver(t, "a", "b", "c")
	require.NoError(t, e.st.Delete(bob, "INBOX", []uint32{2}))
	c := e.loginSelect(t, nil)

	msgs, err := c.Fetch(goimap.UIDSetNum(3), &goimap.FetchOptions{Envelope: true}).Collect()
	require.NoError(t, err)
	require.Len(t, msgs, 1)
	assert.Equal(t, uint32(2), msgs[0].SeqNum, "UID 3 is the second message")
	assert.Equal(t, "c", msgs[0].Envelope.Subject)

	_, err = c.Store(goimap.UIDSetNum(3), &goimap.StoreFlags{Op: goimap.StoreFlagsSet, Silent: true,
		Flags: []goimap.Flag{goimap.FlagDeleted}}, nil).Collect()
	require.NoError(t, err)
	_, err = c.Store(goimap.UIDSetNum(1), &goimap.StoreFlags{Op: goimap.StoreFlagsAdd,
		Flags: []goimap.Flag{goimap.FlagDeleted}}, nil).Collect()
	require.NoError(t, err)
	expunged, err := c.UIDExpunge(goimap.UIDSetNum(3)).Collect()
	require.NoError(t, err, "UID EXPUNGE removes only the given UIDs")
	assert.Equal(t, []uint32{2}, expunged)
	assert.Equal(t, []string{store.FlagDeleted}, flagsOf(t, e, 1))
}

func TestExamineIsReadOnly(t *testing.T) {
	e := start(t, imap.Options{}, nil)
	e.deliver(t, "a")
	require.NoError(t, setFlags(e, 1, store.FlagDeleted))
	c := e.login(t, nil)
	_, err := c.Select("INBOX", &goimap.SelectOptions{ReadOnly: true}).Wait()
	require.NoError(t, err)

	_, err = c.Fetch(goimap.SeqSetNum(1), &goimap.FetchOptions{BodySection: []*goimap.FetchItemBodySection{{}}}).Collect()
	require.NoError(t, err)
	assert.Equal(t, []string{store.FlagDeleted}, flagsOf(t, e, 1), "EXAMINE does not set \\Seen")

	_, err = c.Store(goimap.SeqSetNum(1), &goimap.StoreFlags{Op: goimap.StoreFlagsAdd,
		Flags: []goimap.Flag{goimap.FlagSeen}}, nil).Collect()
	assert.Error(t, err, "STORE in EXAMINE")
	_, err = c.Expunge().Collect()
	assert.Error(t, err, "EXPUNGE in EXAMINE")
	require.NoError(t, c.UnselectAndExpunge().Wait(), "CLOSE succeeds")
	assert.Len(t, flagsOf(t, e, 1), 1, "CLOSE after EXAMINE expunges nothing")
}

func setFlags(e *env, uid uint32, flags ...string) error {
	_, err := e.st.SetFlags(bob, "INBOX", []uint32{uid}, store.FlagsAdd, flags)
	return err
}

func TestCopyMoveAppend(t *testing.T) {
	e := start(t, imap.Options{}, nil)
	e.deliver(t, "a", "b")
	c := e.loginSelect(t, nil)
	trash, _ := e.st.Mailbox(bob, "Trash")

	cp, err := c.Copy(goimap.SeqSetNum(1), "Trash").Wait()
	require.NoError(t, err, "Copy()")
	assert.Equal(t, trash.UIDValidity, cp.UIDValidity)
	assert.Equal(t, "1", cp.SourceUIDs.String())
	assert.Equal(t, "1", cp.DestUIDs.String())

	mv, err := c.Move(goimap.SeqSetNum(2), "Trash").Wait()
	require.NoError(t, err, "Move()")
	assert.Equal(t, "2", mv.SourceUIDs.String())
	assert.Equal(t, "2", mv.DestUIDs.String())
	assert.Equal(t, uint32(1), c.Mailbox().NumMessages, "MOVE expunged the source")

	_, err = c.Copy(goimap.SeqSetNum(1), "Nope").Wait()
	var imapErr *goimap.Error
	require.ErrorAs(t, err, &imapErr)
	assert.Equal(t, goimap.ResponseCodeTryCreate, imapErr.Code)

	sent := mail("sent by bob")
	ap := c.Append("Sent", int64(len(sent)), &goimap.AppendOptions{Flags: []goimap.Flag{goimap.FlagSeen}})
	_, err = ap.Write(sent)
	require.NoError(t, err)
	require.NoError(t, ap.Close())
	data, err := ap.Wait()
	require.NoError(t, err, "Append()")
	assert.Equal(t, goimap.UID(1), data.UID)
	msgs, _ := e.st.Messages(bob, "Sent")
	require.Len(t, msgs, 1)
	assert.Equal(t, string(sent), string(msgs[0].Raw))
	assert.Equal(t, []string{store.FlagSeen}, msgs[0].Flags)
}

func TestMailboxes(t *testing.T) {
	e := start(t, imap.Options{}, nil)
	c := e.login(t, nil)
	require.NoError(t, c.Create("Archive/2024", nil).Wait(), "Create() makes the parent too")
	require.NoError(t, c.Rename("Archive", "Old", nil).Wait())
	require.NoError(t, c.Delete("Old/2024").Wait())
	var imapErr *goimap.Error
	require.ErrorAs(t, c.Delete("INBOX").Wait(), &imapErr)
	assert.Equal(t, goimap.ResponseCodeCannot, imapErr.Code)
	require.ErrorAs(t, c.Create("Sent", nil).Wait(), &imapErr)
	assert.Equal(t, goimap.ResponseCodeAlreadyExists, imapErr.Code)

	list, err := c.List("", "*", nil).Collect()
	require.NoError(t, err)
	attrs := map[string][]goimap.MailboxAttr{}
	for _, l := range list {
		attrs[l.Mailbox] = l.Attrs
	}
	assert.Len(t, attrs, 4)
	assert.Contains(t, attrs["Sent"], goimap.MailboxAttrSent)
	assert.Contains(t, attrs["Trash"], goimap.MailboxAttrTrash)
	assert.Contains(t, attrs["Old"], goimap.MailboxAttrHasNoChildren)

	require.NoError(t, c.Unsubscribe("Old").Wait())
	subscribed, err := c.List("", "*", &goimap.ListOptions{SelectSubscribed: true}).Collect()
	require.NoError(t, err)
	assert.Len(t, subscribed, 3)

	e.deliver(t, "a", "b")
	require.NoError(t, setFlags(e, 1, store.FlagSeen))
	st, err := c.Status("INBOX", &goimap.StatusOptions{NumMessages: true, NumUnseen: true, UIDNext: true, UIDValidity: true}).Wait()
	require.NoError(t, err)
	assert.Equal(t, uint32(2), *st.NumMessages)
	assert.Equal(t, uint32(1), *st.NumUnseen)
	assert.Equal(t, goimap.UID(3), st.UIDNext)
	assert.NotZero(t, st.UIDValidity)

	_, err = c.Select("Nope", nil).Wait()
	require.ErrorAs(t, err, &imapErr)
	assert.Equal(t, goimap.ResponseCodeNonExistent, imapErr.Code)
}

func TestSearch(t *testing.T) {
	e := start(t, imap.Options{}, nil)
	e.deliver(t, "lunch on friday", "meeting notes", "lunch again")
	require.NoError(t, setFlags(e, 2, store.FlagSeen))
	c := e.loginSelect(t, nil)
	for _, tc := range []struct {
		name string
		uid  bool
		crit goimap.SearchCriteria
		want []uint32
	}{
		{"all", false, goimap.SearchCriteria{}, []uint32{1, 2, 3}},
		{"unseen", false, goimap.SearchCriteria{NotFlag: []goimap.Flag{goimap.FlagSeen}}, []uint32{1, 3}},
		{"seen", false, goimap.SearchCriteria{Flag: []goimap.Flag{goimap.FlagSeen}}, []uint32{2}},
		{"uid range", true, goimap.SearchCriteria{UID: []goimap.UIDSet{{{Start: 2, Stop: 0}}}}, []uint32{2, 3}},
		{"sequence range", false, goimap.SearchCriteria{SeqNum: []goimap.SeqSet{goimap.SeqSetNum(1, 3)}}, []uint32{1, 3}},
		{"subject", false, goimap.SearchCriteria{Header: []goimap.SearchCriteriaHeaderField{{Key: "Subject", Value: "LUNCH"}}}, []uint32{1, 3}},
		{"from", false, goimap.SearchCriteria{Header: []goimap.SearchCriteriaHeaderField{{Key: "From", Value: "alice@"}}}, []uint32{1, 2, 3}},
		{"body", false, goimap.SearchCriteria{Body: []string{"notes"}}, []uint32{2}},
		{"not", false, goimap.SearchCriteria{Not: []goimap.SearchCriteria{{Body: []string{"lunch"}}}}, []uint32{2}},
		{"or", false, goimap.SearchCriteria{Or: [][2]goimap.SearchCriteria{{{Body: []string{"friday"}}, {Flag: []goimap.Flag{goimap.FlagSeen}}}}}, []uint32{1, 2}},
		{"nothing", false, goimap.SearchCriteria{Text: []string{"zebra"}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmd := c.Search(&tc.crit, nil)
			if tc.uid {
				cmd = c.UIDSearch(&tc.crit, nil)
			}
			data, err := cmd.Wait()
			require.NoError(t, err)
			var got []uint32
			if tc.uid {
				for _, u := range data.AllUIDs() {
					got = append(got, uint32(u))
				}
			} else {
				got = data.AllSeqNums()
			}
			assert.Equal(t, tc.want, got)
		})
	}
}

// TestCloseWhileIdling checks that closing the server while a
// client is idling neither hangs nor leaks (goleak in TestMain).
func TestCloseWhileIdling(t *testing.T) {
	e := start(t, imap.Options{}, nil)
	c := e.loginSelect(t, &imapclient.UnilateralDataHandler{})
	idle, err := c.Idle()
	require.NoError(t, err)
	require.NoError(t, e.srv.Close())
	<-c.Closed()
	_ = idle.Close()
	require.NoError(t, e.srv.Close(), "second Close")
}
