package explain

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestIMAPCondStore: STORE UNCHANGEDSINCE and its MODIFIED answer, SEARCH
// MODSEQ and the "(MODSEQ n)" of its result, STATUS HIGHESTMODSEQ (RFC
// 7162 §3.1.3, §3.1.5, §3.1.6), as the server of simulator/imap sends them.
func TestIMAPCondStore(t *testing.T) {
	login := []string{"S: * OK ready", "C: a1 LOGIN bob builder", "S: a1 OK Logged in",
		"C: a2 SELECT INBOX (CONDSTORE)", "S: a2 OK [READ-WRITE] SELECT completed"}
	cases := []struct {
		name    string
		rows    []string
		key     string
		details []string
		params  map[string]string
	}{
		{"conditional STORE", []string{`C: t5 STORE 1:3 (UNCHANGEDSINCE 3) +FLAGS.SILENT (\Deleted)`},
			"imap.cmd.store.deleted", []string{"imap.flag.deleted", "imap.store.unchangedsince"},
			map[string]string{"set": "1:3", "modseq": "3"}},
		{"conditional UID STORE", []string{`C: t6 UID STORE 1:3 (UNCHANGEDSINCE 5) +FLAGS.SILENT (\Answered)`},
			"imap.cmd.store.add", []string{"imap.flag.answered", "imap.store.unchangedsince", "imap.uid"},
			map[string]string{"modseq": "5"}},
		{"MODIFIED", []string{`C: t5 STORE 1:3 (UNCHANGEDSINCE 3) +FLAGS.SILENT (\Deleted)`,
			"S: * 2 FETCH (MODSEQ (6))", "S: t5 OK [MODIFIED 1,3] Conditional store failed"},
			"imap.ok.store", []string{"imap.code.modified"}, map[string]string{"args": "1,3"}},
		{"SEARCH MODSEQ", []string{"C: t7 SEARCH MODSEQ 4"}, "imap.cmd.search", []string{"imap.search.modseq"},
			map[string]string{"modseq": "4"}},
		{"SEARCH MODSEQ entry", []string{`C: t8 UID SEARCH RETURN (ALL) MODSEQ "/flags/\\draft" all 620162338`},
			"imap.cmd.search", []string{"imap.search.modseq", "imap.uid"}, map[string]string{"modseq": "620162338"}},
		{"SEARCH result", []string{"C: t7 SEARCH MODSEQ 4", "S: * SEARCH 1 2 3 (MODSEQ 7)"},
			"imap.resp.search", []string{"imap.resp.search.modseq"}, map[string]string{"ids": "1 2 3", "modseq": "7"}},
		{"ESEARCH result", []string{"C: t8 UID SEARCH RETURN (ALL) MODSEQ 4", `S: * ESEARCH (TAG "t8") UID ALL 1:3 MODSEQ 7`},
			"imap.resp.esearch.uid", []string{"imap.resp.search.modseq"}, map[string]string{"result": "ALL 1:3", "modseq": "7"}},
		{"STATUS", []string{"C: t10 STATUS Trash (HIGHESTMODSEQ MESSAGES)"}, "imap.cmd.status",
			[]string{"imap.status.highestmodseq"}, nil},
		{"STATUS response", []string{"C: t10 STATUS Trash (HIGHESTMODSEQ MESSAGES)", `S: * STATUS "Trash" (MESSAGES 0 HIGHESTMODSEQ 1)`},
			"imap.resp.status", []string{"imap.status.highestmodseq.value"}, map[string]string{"modseq": "1"}},
		{"plain STORE unchanged", []string{`C: t4 STORE 1 +FLAGS (\Seen)`}, "imap.cmd.store.add", []string{"imap.flag.seen"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			x := lastKey(t, "imap", append(append([]string(nil), login...), tc.rows...)...)
			assert.Equal(t, tc.key, short(x.Key))
			assert.Equal(t, tc.details, shorts(x.Details))
			for k, v := range tc.params {
				assert.Equal(t, v, x.Params[k], k)
			}
			checkTexts(t, x, tc.name)
		})
	}
}
