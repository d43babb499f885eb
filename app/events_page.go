package app

// Paging the events API: a long run's history comes page by page, never
// in one body however long the day was.

// Page sizes of Events.
const (
	DefaultEventsPage = 500
	MaxEventsPage     = 5000
	// maxEventsPageBytes ends a page early when its events are big (long
	// lines, TLS records): about this much JSON per page.
	maxEventsPageBytes = 4 << 20
)

// EventPage is one page of a run's log.
type EventPage struct {
	Events []Line `json:"events"`
	// First is the seq of the oldest event the run still keeps (0: none
	// yet); the Dropped events before it were let go (recording limit).
	First   uint64 `json:"first"`
	Dropped uint64 `json:"dropped"`
	// Last is the seq of the newest event logged.
	Last uint64 `json:"last"`
	// More says events follow this page: ask again since its last one.
	More bool `json:"more"`
}

// lineSize estimates a line's JSON: base64 makes bytes a third bigger.
func lineSize(l Line) int {
	return 300 + 2*len(l.Text) + len(l.Tail) + (len(l.Raw)+len(l.Wire))*4/3
}
