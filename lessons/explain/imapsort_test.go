package explain

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestIMAPSort: every line SORT (RFC 5256), SORT=DISPLAY (RFC 5957) and
// ESORT (RFC 5267) put on the wire, as Maillab's server sends them.
func TestIMAPSort(t *testing.T) {
	const hi = "S: * OK hi"
	cases := []struct {
		name    string
		rows    []string
		key     string
		details []string
		params  map[string]string
	}{
		{"SORT", []string{hi, "C: a SORT (REVERSE ARRIVAL) UTF-8 ALL"}, "imap.cmd.sort", []string{"imap.sort.reverse"},
			map[string]string{"program": "REVERSE ARRIVAL", "charset": "UTF-8", "criteria": "ALL"}},
		{"SORT SUBJECT DATE", []string{hi, "C: a sort (subject reverse date) US-ASCII SINCE 1-Feb-1994"}, "imap.cmd.sort",
			[]string{"imap.sort.subject", "imap.sort.date", "imap.sort.reverse"},
			map[string]string{"program": "subject reverse date", "criteria": "SINCE 1-Feb-1994"}},
		{"UID SORT FROM", []string{hi, "C: a UID SORT (FROM CC) UTF-8 UNSEEN"}, "imap.cmd.sort",
			[]string{"imap.sort.address", "imap.uid"}, nil},
		{"SORT DISPLAYFROM", []string{hi, "C: a SORT (DISPLAYFROM) UTF-8 ALL"}, "imap.cmd.sort",
			[]string{"imap.sort.display"}, nil},
		{"SORT RETURN", []string{hi, "C: a SORT RETURN (MIN MAX) (DATE) UTF-8 ALL"}, "imap.cmd.sort.return",
			[]string{"imap.sort.date"}, map[string]string{"opts": "MIN MAX", "program": "DATE", "criteria": "ALL"}},
		{"SORT RETURN ()", []string{hi, "C: a SORT RETURN () (SIZE) UTF-8 ALL"}, "imap.cmd.sort.return",
			nil, map[string]string{"opts": "ALL", "program": "SIZE"}},
		{"* SORT", []string{hi, "C: a SORT (DATE) UTF-8 ALL", "S: * SORT 2 4 1"}, "imap.resp.sort", nil,
			map[string]string{"ids": "2 4 1"}},
		{"* SORT empty", []string{hi, "C: a SORT (DATE) UTF-8 ALL", "S: * SORT"}, "imap.resp.sort.none", nil, nil},
		{"* SORT with MODSEQ", []string{hi, "C: a SORT (DATE) UTF-8 MODSEQ 4", "S: * SORT 3 2 (MODSEQ 5)"}, "imap.resp.sort",
			[]string{"imap.resp.search.modseq"}, map[string]string{"ids": "3 2", "modseq": "5"}},
		{"ESEARCH for SORT", []string{hi, "C: a SORT RETURN (ALL) (DATE) UTF-8 ALL", `S: * ESEARCH (TAG "a") ALL 4:6,2,1`},
			"imap.resp.esearch.seq", []string{"imap.resp.esearch.sort"}, map[string]string{"tag": "a", "result": "ALL 4:6,2,1"}},
		{"ESEARCH for UID SORT", []string{hi, "C: a UID SORT RETURN (COUNT) (DATE) UTF-8 ALL", `S: * ESEARCH (TAG "a") UID COUNT 3`},
			"imap.resp.esearch.uid", []string{"imap.resp.esearch.sort"}, nil},
		{"ESEARCH for SORT, nothing found", []string{hi, "C: a SORT RETURN (MIN) (DATE) UTF-8 ALL", `S: * ESEARCH (TAG "a")`},
			"imap.resp.esearch.none", []string{"imap.resp.esearch.sort"}, nil},
		{"BADCHARSET", []string{hi, "C: a SORT (DATE) KOI8-R ALL", "S: a NO [BADCHARSET (UTF-8 US-ASCII)] Unknown charset"},
			"imap.no", []string{"imap.code.badcharset"}, map[string]string{"args": "(UTF-8 US-ASCII)"}},
		{"capabilities", []string{hi, "C: a CAPABILITY", "S: * CAPABILITY IMAP4rev1 SORT SORT=DISPLAY ESORT CONTEXT=SEARCH CONTEXT=SORT"},
			"imap.resp.capability", []string{"imap.cap.sort", "imap.cap.sortdisplay", "imap.cap.esort",
				"imap.cap.contextsearch", "imap.cap.contextsort"}, nil},

		// CONTEXT=SEARCH and CONTEXT=SORT (RFC 5267 §4)
		{"SEARCH RETURN (UPDATE)", []string{hi, "C: a SEARCH RETURN (UPDATE CONTEXT) BODY hello SEEN"}, "imap.cmd.search",
			[]string{"imap.search.update", "imap.search.context"}, nil},
		{"SEARCH RETURN (PARTIAL)", []string{hi, "C: a UID SEARCH RETURN (PARTIAL 1:50) ALL"}, "imap.cmd.search",
			[]string{"imap.search.partial", "imap.uid"}, nil},
		{"SORT RETURN (UPDATE)", []string{hi, "C: a SORT RETURN (UPDATE ALL) (SUBJECT) UTF-8 UNSEEN"}, "imap.cmd.sort.return",
			[]string{"imap.search.update", "imap.sort.subject"}, nil},
		{"ADDTO", []string{hi, "C: a SEARCH RETURN (UPDATE) SEEN", `S: * ESEARCH (TAG "a")`, "S: a OK SEARCH completed",
			"C: b STORE 1 +FLAGS (\\Seen)", `S: * ESEARCH (TAG "a") ADDTO (0 1:2,5)`},
			"imap.resp.esearch.update", nil, map[string]string{"tag": "a", "result": "ADDTO (0 1:2,5)"}},
		{"REMOVEFROM by UID", []string{hi, `S: * ESEARCH (TAG "a") UID REMOVEFROM (0 4)`},
			"imap.resp.esearch.update", []string{"imap.uid"}, map[string]string{"result": "REMOVEFROM (0 4)"}},
		{"ADDTO in a sort", []string{hi, `S: * ESEARCH (TAG "a") REMOVEFROM (5 3 2 2,5) ADDTO (2 6)`},
			"imap.resp.esearch.update", []string{"imap.resp.esearch.position"}, nil},
		{"PARTIAL", []string{hi, "C: a SEARCH RETURN (PARTIAL 1:6) ALL", `S: * ESEARCH (TAG "a") PARTIAL (1:6 1:5)`},
			"imap.resp.esearch.seq", []string{"imap.resp.esearch.partial"}, nil},
		{"NOUPDATE", []string{hi, "C: c10 SEARCH RETURN (UPDATE) ALL", `S: * NO [NOUPDATE "c10"] Too many contexts, no updates`},
			"imap.resp.no", []string{"imap.code.noupdate"}, map[string]string{"args": `"c10"`}},
		{"ESEARCH for RETURN (UPDATE)", []string{hi, "C: a SEARCH RETURN (UPDATE) SEEN", `S: * ESEARCH (TAG "a")`},
			"imap.resp.esearch.watch", nil, map[string]string{"tag": "a"}},
		{"ESEARCH for RETURN (UPDATE COUNT)", []string{hi, "C: a SEARCH RETURN (UPDATE COUNT) SEEN", `S: * ESEARCH (TAG "a") COUNT 0`},
			"imap.resp.esearch.seq", nil, nil},
		{"SORT RETURN (SAVE)", []string{hi, "C: a SORT RETURN (SAVE) (DATE) UTF-8 FROM carl"}, "imap.cmd.sort.return",
			[]string{"imap.search.save", "imap.sort.date"}, nil},
		{"CANCELUPDATE", []string{hi, `C: d CANCELUPDATE "c1" "c2"`}, "imap.cmd.cancelupdate", nil,
			map[string]string{"tags": `"c1" "c2"`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			x := lastKey(t, "imap", c.rows...)
			assert.Equal(t, c.key, short(x.Key))
			assert.False(t, x.Generic, "generic")
			for _, d := range c.details {
				assert.Contains(t, shorts(x.Details), d)
			}
			for k, v := range c.params {
				assert.Equal(t, v, x.Params[k], k)
			}
		})
	}
	// an ESEARCH answering SEARCH gets no SORT detail
	x := lastKey(t, "imap", hi, "C: a SEARCH RETURN (ALL) ALL", `S: * ESEARCH (TAG "a") ALL 1:3`)
	assert.NotContains(t, shorts(x.Details), "imap.resp.esearch.sort")
}
