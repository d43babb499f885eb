package explain

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestIMAPResync: the lines of a QRESYNC resynchronisation (RFC 7162
// §3.2.5.2's exchange on a small mailbox) and of CONDSTORE's CHANGEDSINCE.
func TestIMAPResync(t *testing.T) {
	const hi = "S: * OK ready"
	cases := []struct {
		name    string
		rows    []string
		key     string
		details []string
		params  map[string]string
	}{
		{"ENABLE QRESYNC", []string{hi, "C: T3 ENABLE QRESYNC"}, "imap.cmd.enable.qresync", nil, map[string]string{"caps": "QRESYNC"}},
		{"ENABLE CONDSTORE", []string{hi, "C: T3 ENABLE CONDSTORE"}, "imap.cmd.enable.condstore", nil, nil},
		{"ENABLED QRESYNC", []string{hi, "C: T3 ENABLE QRESYNC", "S: * ENABLED QRESYNC"},
			"imap.resp.enabled", []string{"imap.enabled.qresync"}, nil},
		{"ENABLED CONDSTORE", []string{hi, "C: T3 ENABLE CONDSTORE", "S: * ENABLED CONDSTORE"},
			"imap.resp.enabled", []string{"imap.enabled.condstore"}, nil},
		{"ENABLED other", []string{hi, "C: T3 ENABLE UTF8=ACCEPT", "S: * ENABLED UTF8=ACCEPT"}, "imap.resp.enabled", []string{}, nil},
		{"SELECT QRESYNC", []string{hi, "C: T4 SELECT INBOX (QRESYNC (1764151200 4 1:3))"}, "imap.cmd.select.qresync", nil,
			map[string]string{"command": "SELECT", "mailbox": "INBOX", "uidvalidity": "1764151200", "modseq": "4", "uids": "1:3"}},
		{"SELECT QRESYNC without UIDs", []string{hi, `C: T4 EXAMINE "INBOX" (QRESYNC (67890007 20050715194045000))`},
			"imap.cmd.select.qresync.nouids", nil, map[string]string{"command": "EXAMINE", "mailbox": "INBOX", "modseq": "20050715194045000"}},
		{"plain SELECT", []string{hi, "C: T4 SELECT INBOX"}, "imap.cmd.select", nil, nil},
		{"SELECT CONDSTORE", []string{hi, "C: T4 SELECT INBOX (CONDSTORE)"}, "imap.cmd.select", []string{"imap.select.condstore"},
			map[string]string{"mailbox": "INBOX"}},
		{"EXAMINE CONDSTORE", []string{hi, `C: T4 EXAMINE "Sent" (CONDSTORE)`}, "imap.cmd.examine", []string{"imap.select.condstore"},
			map[string]string{"mailbox": "Sent"}},
		{"HIGHESTMODSEQ", []string{hi, "C: T4 SELECT INBOX", "S: * OK [HIGHESTMODSEQ 8] Highest"}, "imap.code.highestmodseq", nil,
			map[string]string{"args": "8"}},
		{"VANISHED (EARLIER) in SELECT", []string{hi, "C: T4 SELECT INBOX (QRESYNC (1 4 1:3))", "S: * VANISHED (EARLIER) 3"},
			"imap.resp.vanished.earlier.select", nil, map[string]string{"uids": "3"}},
		{"FETCH in SELECT", []string{hi, "C: T4 SELECT INBOX (QRESYNC (1 4 1:3))", `S: * 1 FETCH (UID 1 FLAGS (\Seen) MODSEQ (5))`},
			"imap.resp.fetch.qresync", []string{"imap.flag.seen", "imap.item.modseq"}, map[string]string{"n": "1", "uid": "1", "modseq": "5"}},
		{"VANISHED", []string{hi, "C: T6 IDLE", "S: + idling", "S: * VANISHED 1"}, "imap.resp.vanished", nil, map[string]string{"uids": "1"}},
		{"pushed FETCH with MODSEQ", []string{hi, "C: T6 IDLE", "S: + idling", `S: * 1 FETCH (UID 1 FLAGS (\Seen \Deleted) MODSEQ (9))`},
			"imap.resp.fetch.push", []string{"imap.flag.seen", "imap.flag.deleted", "imap.item.modseq"}, nil},
		{"UID FETCH CHANGEDSINCE", []string{hi, "C: T5 UID FETCH 1:* (FLAGS) (CHANGEDSINCE 4)"}, "imap.cmd.fetch",
			[]string{"imap.fetch.changedsince", "imap.uid"}, map[string]string{"modseq": "4"}},
		{"UID FETCH CHANGEDSINCE VANISHED", []string{hi, "C: T5 UID FETCH 1:* (FLAGS) (CHANGEDSINCE 4 VANISHED)"}, "imap.cmd.fetch",
			[]string{"imap.fetch.changedsince", "imap.fetch.vanished", "imap.uid"}, nil},
		{"VANISHED (EARLIER) in FETCH", []string{hi, "C: T5 UID FETCH 1:* (FLAGS) (CHANGEDSINCE 4 VANISHED)", "S: * VANISHED (EARLIER) 3,5:7"},
			"imap.resp.vanished.earlier", nil, map[string]string{"uids": "3,5:7"}},
		{"FETCH answer with MODSEQ", []string{hi, "C: T5 UID FETCH 1:* (FLAGS) (CHANGEDSINCE 4)", `S: * 2 FETCH (UID 2 FLAGS (\Flagged) MODSEQ (6))`},
			"imap.resp.fetch", []string{"imap.flag.flagged", "imap.item.uid", "imap.item.modseq"}, nil},
		{"capabilities", []string{hi, "C: a CAPABILITY", "S: * CAPABILITY IMAP4rev1 CONDSTORE QRESYNC IDLE"}, "imap.resp.capability",
			[]string{"imap.cap.condstore", "imap.cap.qresync"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			x := lastKey(t, "imap", tc.rows...)
			assert.Equal(t, tc.key, short(x.Key))
			assert.False(t, x.Generic)
			if tc.details != nil {
				assert.Equal(t, tc.details, append([]string{}, shorts(x.Details)...))
			}
			for k, v := range tc.params {
				assert.Equal(t, v, x.Params[k], k)
			}
		})
	}
}
