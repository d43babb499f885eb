package imap

// ThreadAlgorithm is a threading algorithm.
type ThreadAlgorithm string

const (
	ThreadOrderedSubject ThreadAlgorithm = "ORDEREDSUBJECT"
	ThreadReferences     ThreadAlgorithm = "REFERENCES"
)

// ThreadData is one thread of a THREAD response (RFC 5256 §4, §5): Chain holds
// messages that each have exactly one child, in order; SubThreads holds
// the branches after the chain's last message. A thread whose Chain is
// empty stands for a missing (dummy) parent.
//
// Maillab patch 20: shared by imapclient and imapserver (THREAD).
type ThreadData struct {
	Chain      []uint32
	SubThreads []ThreadData
}
