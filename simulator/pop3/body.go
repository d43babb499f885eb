package pop3

import (
	"bufio"
	"bytes"
)

// WireSize is the size RFC 1939 §11 asks LIST and STAT to report: the
// message with every line ended by CRLF (a bare LF counts as CRLF), before
// the server adds dot-stuffing.
func WireSize(msg []byte) int {
	n := 0
	eachLine(msg, func(line []byte) bool {
		n += len(line) + 2
		return true
	})
	return n
}

// eachLine calls fn with every line of msg, without its LF or CRLF, until
// fn returns false. A last line without a line ending still counts.
func eachLine(msg []byte, fn func(line []byte) bool) {
	for len(msg) > 0 {
		line := msg
		i := bytes.IndexByte(msg, '\n')
		if i >= 0 {
			line, msg = msg[:i], msg[i+1:]
		} else {
			msg = nil
		}
		line = bytes.TrimSuffix(line, []byte("\r"))
		if !fn(line) {
			return
		}
	}
}

// writeBody writes msg as the data of a multi-line response (RFC 1939 §3):
// CRLF line endings, a "." in front of every line that starts with ".",
// and the terminating ".". bodyLines < 0 sends the whole message; otherwise
// only the header, the blank line and that many body lines (TOP, RFC 1939 §7).
func writeBody(w *bufio.Writer, msg []byte, bodyLines int) error {
	inHeader := true
	eachLine(msg, func(line []byte) bool {
		if !inHeader {
			if bodyLines == 0 {
				return false
			}
			if bodyLines > 0 {
				bodyLines--
			}
		}
		if len(line) == 0 {
			inHeader = false
		}
		writeStuffed(w, line)
		return true
	})
	_, err := w.WriteString(".\r\n")
	return err
}

func writeStuffed(w *bufio.Writer, line []byte) {
	if len(line) > 0 && line[0] == '.' {
		w.WriteByte('.')
	}
	w.Write(line)
	w.WriteString("\r\n")
}
