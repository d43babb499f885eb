package imap

// TODO(issue 16): temporary copy until branch imapsort's basesubject.go
// (RFC 5256 §2.1 baseSubject) is merged; then delete this file. THREAD
// takes the base subject from baseSubject and only the reply/forward mark
// from threadSubject (thread_subject.go).
func baseSubject(s string) string {
	base, _ := threadSubject(s)
	return base
}
