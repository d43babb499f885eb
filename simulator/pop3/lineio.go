package pop3

import (
	"bufio"
	"errors"
)

// errLineTooLong reports a line over the limit. The whole line has been
// consumed, so the next read starts at the next line.
var errLineTooLong = errors.New("pop3: line too long")

// readLine reads one line including its LF. A line longer than max octets
// (terminator included) is read to its end without being kept, so a peer
// cannot make us buffer without bound, and errLineTooLong is returned.
// A connection that ends in the middle of a line returns the read error.
func readLine(r *bufio.Reader, max int) ([]byte, error) {
	var line []byte
	tooLong := false
	for {
		frag, err := r.ReadSlice('\n')
		if !tooLong && len(line)+len(frag) <= max {
			line = append(line, frag...)
		} else {
			tooLong, line = true, nil
		}
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case err != nil:
			return nil, err
		case tooLong:
			return nil, errLineTooLong
		}
		return line, nil
	}
}
