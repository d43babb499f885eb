package explain

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestIMAP4rev2Session(t *testing.T) {
	cases := []struct {
		name   string
		rows   []string
		key    string
		detail string
		params map[string]string
	}{
		{"ENABLE IMAP4rev2", []string{"S: * OK hi", "C: T4 ENABLE IMAP4rev2"}, "imap.cmd.enable.rev2", "", nil},
		{"ENABLE other", []string{"S: * OK hi", "C: T4 ENABLE UTF8=ACCEPT"}, "imap.cmd.enable", "", map[string]string{"caps": "UTF8=ACCEPT"}},
		{"LIST inside SELECT", []string{"S: * OK hi", "C: T5 SELECT INBOX", `S: * LIST (\HasNoChildren) "/" INBOX`},
			"imap.resp.list", "imap.resp.list.select", nil},
		{"LIST answering LIST", []string{"S: * OK hi", `C: T5 LIST "" "*"`, `S: * LIST (\HasNoChildren) "/" INBOX`},
			"imap.resp.list", "", nil},
		{"ESEARCH empty", []string{"S: * OK hi", "C: T6 UID SEARCH UNSEEN", `S: * ESEARCH (TAG "T6") UID`},
			"imap.resp.esearch.none", "", map[string]string{"tag": "T6"}},
		{"ESEARCH by UID", []string{"S: * OK hi", "C: T6 UID SEARCH ALL", `S: * ESEARCH (TAG "T6") UID ALL 1:3`},
			"imap.resp.esearch.uid", "", map[string]string{"tag": "T6", "result": "ALL 1:3"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			x := lastKey(t, "imap", c.rows...)
			assert.Equal(t, c.key, short(x.Key))
			if c.detail != "" {
				assert.Contains(t, shorts(x.Details), c.detail)
			} else {
				assert.NotContains(t, shorts(x.Details), "imap.resp.list.select")
			}
			for k, v := range c.params {
				assert.Equal(t, v, x.Params[k], k)
			}
		})
	}
}
