package explain

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/event"
)

// Lines the tap did not record (a cut line's middle, a skipped body) still
// count as sent: the SIZE comparison at the end of DATA stays exact, and a
// BDAT chunk or an IMAP literal ends where it ends on the wire.
func TestSkippedBytesStillCount(t *testing.T) {
	line := func(dir event.Dir, text string) event.Event {
		return event.Event{Kind: event.KindLine, Dir: dir, Text: text, Raw: []byte(text + "\r\n")}
	}
	c := func(text string) event.Event { return line(event.ClientToServer, text) }
	s := func(text string) event.Event { return line(event.ServerToClient, text) }
	cut := c("AAAA")
	cut.Truncated, cut.Tail, cut.Omitted = true, "ZZZZ", 100
	cut.Raw = []byte("AAAAZZZZ\r\n") // 10 kept + 100 left out
	skip := event.Event{Kind: event.KindSkip, Dir: event.ClientToServer, Omitted: 500, OmittedLines: 5, Limit: 2000}

	t.Run("SIZE", func(t *testing.T) {
		tr := NewTracker()
		for _, ev := range []event.Event{s("220 x"), c("EHLO a"), s("250 x"), c("MAIL FROM:<a@b> SIZE=100"), s("250 ok"),
			c("RCPT TO:<c@d>"), s("250 ok"), c("DATA"), s("354 go"), c("Subject: x"), cut} {
			ev.Proto = "smtp"
			tr.Explain(ev)
		}
		skip.Proto = "smtp"
		x := tr.Explain(skip)
		assert.Equal(t, "explain.skip", x.Key)
		assert.Equal(t, map[string]string{"lines": "5", "bytes": "500", "limit": "2000"}, x.Params)
		end := c(".")
		end.Proto = "smtp"
		x = tr.Explain(end)
		assert.Equal(t, "explain.smtp.data.end", x.Key)
		assert.Equal(t, "622", x.Params["sent"], "12 + 110 + 500: every byte of the body")
		assert.Contains(t, x.Details, "explain.smtp.size.over")
	})
	t.Run("IMAP literal", func(t *testing.T) {
		tr := NewTracker()
		for _, ev := range []event.Event{c("A1 APPEND INBOX {512+}"), c("Subject: x"), skip} {
			ev.Proto = "imap"
			tr.Explain(ev)
		}
		require.Zero(t, tr.imap.cLit, "the literal's 512 bytes are all counted")
		rest := c("")
		rest.Proto = "imap"
		assert.Equal(t, "explain.imap.literal.rest", tr.Explain(rest).Key, "the line after the literal ends the command")
	})
}
