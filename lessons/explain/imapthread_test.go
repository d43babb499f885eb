package explain

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestIMAPThreadAppend: THREAD (RFC 5256), MULTIAPPEND (RFC 3502) and
// CATENATE (RFC 4469) lines get their own explanation, RFC and texts in
// every language.
func TestIMAPThreadAppend(t *testing.T) {
	cases := []struct {
		name   string
		rows   []string
		key    string
		detail string
		params map[string]string
	}{
		{"THREAD REFERENCES", []string{"S: * OK hi", "C: t1 THREAD REFERENCES UTF-8 ALL"},
			"imap.cmd.thread.references", "", map[string]string{"charset": "UTF-8", "criteria": "ALL"}},
		{"UID THREAD ORDEREDSUBJECT", []string{"S: * OK hi", "C: t1 UID THREAD ORDEREDSUBJECT US-ASCII SINCE 5-MAR-2000"},
			"imap.cmd.thread.orderedsubject", "imap.uid", map[string]string{"criteria": "SINCE 5-MAR-2000"}},
		{"THREAD answer", []string{"S: * OK hi", "C: t1 THREAD REFERENCES UTF-8 ALL", "S: * THREAD (2)(3 6 (4 23)(44 7 96))"},
			"imap.resp.thread", "", map[string]string{"threads": "(2)(3 6 (4 23)(44 7 96))"}},
		{"THREAD answer empty", []string{"S: * OK hi", "C: t1 THREAD REFERENCES UTF-8 TEXT gewp", "S: * THREAD"},
			"imap.resp.thread.none", "", nil},
		{"THREAD capabilities", []string{"S: * OK hi", "S: * CAPABILITY IMAP4rev1 THREAD=ORDEREDSUBJECT THREAD=REFERENCES"},
			"imap.resp.capability", "imap.cap.thread", nil},
		{"MULTIAPPEND capability", []string{"S: * OK hi", "S: * CAPABILITY IMAP4rev1 MULTIAPPEND"},
			"imap.resp.capability", "imap.cap.multiappend", nil},
		{"MULTIAPPEND next message", []string{"S: * OK hi", "C: b1 APPEND INBOX {9}", "S: + Ready for literal data",
			"C: Subj: x", "C:  (\\Seen) {9}"}, "imap.literal.rest", "imap.append.next", nil},
		{"MULTIAPPEND end", []string{"S: * OK hi", "C: b1 APPEND INBOX {9}", "S: + Ready for literal data",
			"C: Subj: x", "C:  {9}", "S: + Ready for literal data", "C: Subj: y", "C: ",
			"S: b1 OK [APPENDUID 1 1:2] APPEND completed"}, "imap.ok.append", "imap.code.appenduid", nil},
		{"CATENATE command", []string{"S: * OK hi", `C: b1 APPEND Drafts CATENATE (URL "/INBOX;UIDVALIDITY=7/;UID=20/;section=1" TEXT {9}`},
			"imap.cmd.append", "imap.append.catenate", map[string]string{"mailbox": "Drafts"}},
		{"CATENATE next TEXT part", []string{"S: * OK hi", "C: b1 APPEND Drafts CATENATE (TEXT {9}", "S: + Ready for literal data",
			"C: Subj: x", `C:  URL "/INBOX/;UID=2" TEXT {9}`}, "imap.literal.rest", "imap.append.text", nil},
		{"CATENATE next message", []string{"S: * OK hi", "C: b1 APPEND Drafts CATENATE (TEXT {9}", "S: + Ready for literal data",
			"C: Subj: x", `C: ) CATENATE (TEXT {9}`}, "imap.literal.rest", "imap.append.next", nil},
		{"BADURL", []string{"S: * OK hi", `C: b1 APPEND Drafts CATENATE (URL "/INBOX;UIDVALIDITY=7/;UID=20")`,
			`S: b1 NO [BADURL /INBOX;UIDVALIDITY=7/;UID=20] Invalid UIDVALIDITY.`}, "imap.no", "imap.code.badurl", nil},
		{"BADCHARSET", []string{"S: * OK hi", "C: t1 THREAD REFERENCES KOI8-R ALL",
			"S: t1 NO [BADCHARSET] Only US-ASCII and UTF-8 are supported THREAD charsets"}, "imap.no", "imap.code.badcharset", nil},
		{"CATENATE capability", []string{"S: * OK hi", "S: * CAPABILITY IMAP4rev1 MULTIAPPEND CATENATE"},
			"imap.resp.capability", "imap.cap.catenate", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			x := lastKey(t, "imap", c.rows...)
			assert.Equal(t, c.key, short(x.Key))
			assert.False(t, x.Generic)
			assert.NotEmpty(t, x.RFC)
			if c.detail != "" {
				assert.Contains(t, shorts(x.Details), c.detail)
			}
			for k, v := range c.params {
				assert.Equal(t, v, x.Params[k], k)
			}
			checkTexts(t, x, c.name)
		})
	}
}
