package explain

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestIMAPSubscriptionLines: LSUB, \NonExistent, \Noselect, \Subscribed
// and CHILDINFO get their own texts (RFC 3501 §6.3.9, RFC 5258).
func TestIMAPSubscriptionLines(t *testing.T) {
	tests := []struct {
		name, line, key string
		details         []string
		mailbox         string
	}{
		{"LSUB", `S: * LSUB () "/" "box/test"`, "imap.resp.lsub", nil, "box/test"},
		{"LSUB parent", `S: * LSUB (\Noselect) "/" "box/test2"`, "imap.resp.list.noselect", nil, "box/test2"},
		{"deleted but subscribed", `S: * LIST (\NonExistent \Subscribed) "/" "box/test"`, "imap.resp.list.nonexistent",
			[]string{"imap.list.subscribed"}, "box/test"},
		{"subscribed", `S: * LIST (\HasNoChildren \Subscribed) "/" Work`, "imap.resp.list",
			[]string{"imap.list.subscribed"}, "Work"},
		{"childinfo", `S: * LIST (\HasChildren) "/" "ext/test2" (CHILDINFO ("SUBSCRIBED"))`, "imap.resp.list",
			[]string{"imap.list.childinfo"}, "ext/test2"},
		{"missing parent", `S: * LIST (\Noselect \HasChildren) "/" "box/test2"`, "imap.resp.list.noselect", nil, "box/test2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			x := lastKey(t, "imap", "S: * OK hi", "C: a1 LIST \"\" *", tc.line)
			assert.Equal(t, tc.key, short(x.Key))
			if tc.details == nil {
				tc.details = []string{}
			}
			assert.Equal(t, tc.details, shorts(x.Details))
			assert.Equal(t, tc.mailbox, x.Params["mailbox"])
			assert.False(t, x.Generic)
		})
	}
}
