package app

// Event names pushed to the UI, declared once here and mirrored once in
// frontend/src/lib/bridge/events.ts.
const (
	EventLines    = "maillab:events"    // []event.Event, in seq order
	EventSnapshot = "maillab:snapshot"  // world.Snapshot
	EventRun      = "maillab:run"       // RunInfo, when a run starts or resets
	EventTerminal = "maillab:terminal"  // []terminal.Entry, a terminal's new entries in order
	EventRoom     = "maillab:room"      // RoomPush: the hosted room opened, closed or has new entries
	EventShowRoom = "maillab:show-room" // nil: the desktop menu asks for the room screen
	EventOpen     = "maillab:open"      // string: a dialog the window should open ("classroom"; "challenges": the room handed one out; "challenges-changed": it withdrew it)
)
