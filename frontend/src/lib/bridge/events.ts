// Names of the events the Go side pushes. Declared once here and mirrored
// once in Go (app package); nothing else spells them.

export const EventsPushed = 'maillab:events'; // payload: MailEvent[] in seq order
export const SnapshotPushed = 'maillab:snapshot'; // payload: Snapshot
export const RunPushed = 'maillab:run'; // payload: RunInfo, when a run starts or resets
export const TerminalPushed = 'maillab:terminal'; // payload: TerminalEntry[], lines of "type it yourself" terminals

export const RoomPushed = 'maillab:room'; // payload: RoomPush, the hosted room opened, closed or has new entries
export const ShowRoomPushed = 'maillab:show-room'; // payload: null, the desktop menu asks for the room screen
export const OpenPushed = 'maillab:open'; // payload: string, a dialog to open ('classroom'; 'challenges': the room handed one out; 'challenges-changed': it withdrew it)

export const pushedEvents = [EventsPushed, SnapshotPushed, RunPushed, TerminalPushed, RoomPushed, ShowRoomPushed, OpenPushed] as const;
