package explain

import (
	"strconv"

	"maillab/simulator/event"
)

// skip explains the lines of a body the tap did not record (past its
// recording limit) and keeps the context right: the bytes count as sent,
// in a SIZE comparison, a BDAT chunk and an IMAP literal alike.
func (t *Tracker) skip(ev event.Event) Explanation {
	n := int(ev.Omitted)
	s, m := &t.smtp, &t.imap
	switch {
	case s.bdat > 0 && ev.Dir == event.ClientToServer:
		s.bdat -= n
	case s.data && ev.Dir == event.ClientToServer:
		s.size.sent += n
	case m.cLit > 0 && ev.Dir == event.ClientToServer:
		if m.cLit -= n; m.cLit <= 0 {
			m.cLit, m.cAfter = 0, true
		}
	case m.sLit > 0 && ev.Dir == event.ServerToClient:
		if m.sLit -= n; m.sLit <= 0 {
			m.sLit, m.sAfter = 0, true
		}
	}
	return ex("skip", "lines", strconv.FormatInt(ev.OmittedLines, 10), "bytes", strconv.FormatInt(ev.Omitted, 10),
		"limit", strconv.FormatInt(ev.Limit, 10))
}
