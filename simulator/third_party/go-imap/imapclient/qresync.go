package imapclient

import (
	"sync"

	"github.com/emersion/go-imap/v2"
)

// Maillab patch 41: SELECT with the QRESYNC parameter (RFC 7162 §3.2.5).
// A client that kept a mailbox's UIDVALIDITY, its HIGHESTMODSEQ and the
// UIDs it knows sends them with SELECT; the server answers with what
// changed since: "* VANISHED (EARLIER) uids" for the messages expunged
// and an untagged FETCH (UID, FLAGS, MODSEQ) for each message whose flags
// changed. Both arrive before the tagged OK and are collected here, so
// WaitQResync returns them complete.

// QResyncOptions are what the client remembers about a mailbox from its
// last session (RFC 7162 §3.2.5: uidvalidity, mod-sequence, known UIDs).
type QResyncOptions struct {
	UIDValidity uint32
	ModSeq      uint64
	KnownUIDs   imap.UIDSet // optional
}

// QResyncData is what a SELECT with QRESYNC reported as changed.
type QResyncData struct {
	Vanished imap.UIDSet           // from "* VANISHED (EARLIER) …"
	Changed  []*FetchMessageBuffer // untagged FETCH: UID, FLAGS, MODSEQ
}

// qresyncState is the part of a SelectCommand that collects QRESYNC data.
type qresyncState struct {
	wg   sync.WaitGroup // FETCH responses still being read
	mu   sync.Mutex
	data QResyncData
}

// SelectQResync sends "SELECT mailbox (QRESYNC (uidvalidity modseq
// [known-uids]))". The client must have sent ENABLE QRESYNC first
// (RFC 7162 §3.2.3).
func (c *Client) SelectQResync(mailbox string, opts *QResyncOptions) *SelectCommand {
	cmd := &SelectCommand{mailbox: mailbox, qresync: &qresyncState{}}
	enc := c.beginCommand("SELECT", cmd)
	enc.SP().Mailbox(mailbox).SP().Special('(').Atom("QRESYNC").SP().Special('(')
	enc.Number(opts.UIDValidity).SP().ModSeq(opts.ModSeq)
	if len(opts.KnownUIDs) > 0 {
		enc.SP().NumSet(opts.KnownUIDs)
	}
	enc.Special(')').Special(')')
	enc.end()
	return cmd
}

// WaitQResync waits for the SELECT's tagged answer and for every FETCH it
// brought, and returns what changed since the client's mod-sequence.
func (cmd *SelectCommand) WaitQResync() (*imap.SelectData, *QResyncData, error) {
	err := cmd.wait()
	if cmd.qresync == nil {
		return &cmd.data, &QResyncData{}, err
	}
	cmd.qresync.wg.Wait()
	cmd.qresync.mu.Lock()
	defer cmd.qresync.mu.Unlock()
	data := cmd.qresync.data
	return &cmd.data, &data, err
}

// collectFetch takes an untagged FETCH that arrived during a QRESYNC
// SELECT. It reads the message in its own goroutine, as unilateral
// FETCHes are read, because the decoder feeds the items while it parses.
func (st *qresyncState) collectFetch(msg *FetchMessageData) {
	st.wg.Add(1)
	go func() {
		defer st.wg.Done()
		buf, err := msg.Collect()
		if err != nil {
			return
		}
		st.mu.Lock()
		st.data.Changed = append(st.data.Changed, buf)
		st.mu.Unlock()
	}()
}

// Maillab patch 42: the VANISHED response (RFC 7162 §3.2.10). With QRESYNC
// enabled the server reports expunged messages by UID: "* VANISHED
// (EARLIER) uids" answers a SELECT (or UID FETCH … VANISHED) and changes no
// message count; "* VANISHED uids" replaces "* n EXPUNGE" and removes
// that many messages from the selected mailbox.

// UnilateralDataVanished is a VANISHED response outside a QRESYNC SELECT.
type UnilateralDataVanished struct {
	UIDs    imap.UIDSet
	Earlier bool
}

func (c *Client) handleVanished() error {
	earlier := false
	if !c.dec.ExpectSP() {
		return c.dec.Err()
	}
	if c.dec.Special('(') {
		var tag string
		if !c.dec.ExpectAtom(&tag) || !c.dec.ExpectSpecial(')') || !c.dec.ExpectSP() {
			return c.dec.Err()
		}
		earlier = tag == "EARLIER"
	}
	var uids imap.UIDSet
	if !c.dec.ExpectUIDSet(&uids) {
		return c.dec.Err()
	}
	if sel := findPendingCmdByType[*SelectCommand](c); sel != nil && sel.qresync != nil && earlier {
		sel.qresync.mu.Lock()
		sel.qresync.data.Vanished = append(sel.qresync.data.Vanished, uids...)
		sel.qresync.mu.Unlock()
		return nil
	}
	if !earlier {
		n, _ := uids.Nums()
		c.mutex.Lock()
		if c.state == imap.ConnStateSelected {
			c.mailbox = c.mailbox.copy()
			if uint32(len(n)) < c.mailbox.NumMessages {
				c.mailbox.NumMessages -= uint32(len(n))
			} else {
				c.mailbox.NumMessages = 0
			}
		}
		c.mutex.Unlock()
	}
	if handler := c.options.unilateralDataHandler().Vanished; handler != nil {
		handler(&UnilateralDataVanished{UIDs: uids, Earlier: earlier})
	}
	return nil
}
