package pop3

import "strings"

// Error is a negative reply, "-ERR [CODE] text" (RFC 1939 §3). The server
// sends its rejections as Errors; the client returns every -ERR as one.
type Error struct {
	// Code is the response code without brackets (RFC 2449 §8, RFC 3206),
	// for example "IN-USE", "AUTH" or "SYS/TEMP"; empty when there is none.
	Code string
	// Text is the human-readable rest of the line.
	Text string
}

func (e *Error) Error() string { return "pop3: -ERR " + e.line() }

// line is the reply text after "-ERR ".
func (e *Error) line() string {
	if e.Code == "" {
		return e.Text
	}
	return "[" + e.Code + "] " + e.Text
}

// parseError reads the text after "-ERR" back into an Error.
func parseError(text string) *Error {
	text = strings.TrimPrefix(text, " ")
	if strings.HasPrefix(text, "[") {
		if code, rest, ok := strings.Cut(text[1:], "]"); ok {
			return &Error{Code: code, Text: strings.TrimPrefix(rest, " ")}
		}
	}
	return &Error{Text: text}
}

// Rejections the server sends in more than one place.
func errSyntax(usage string) *Error { return &Error{Text: "syntax: " + usage} }

func errAuthFailed() *Error {
	return &Error{Code: "AUTH", Text: "invalid user name or password"}
}
