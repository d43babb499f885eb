package imap

import (
	"bytes"
	"encoding/base64"
	"mime"
	"strings"
)

// A message APPENDed as a literal8 (~{n}, RFC 3516 §4.4) may carry parts
// with "Content-Transfer-Encoding: binary", NUL octets included. FETCH
// BODY[] sends a plain literal, which must not hold NUL (RFC 3501 §9,
// CHAR8; RFC 9051 §4.3), while FETCH BINARY[] decodes whatever the
// encoding is. So, as Dovecot does, such parts are stored base64-encoded:
// BODY[1] then shows base64 and BINARY[1] the original octets (imaptest
// group append-binary).

// binaryToBase64 re-encodes every part of msg whose Content-Transfer-
// Encoding is binary as base64, leaving every other octet as it was.
func binaryToBase64(msg []byte) []byte {
	hdrEnd := bytes.Index(msg, []byte("\r\n\r\n"))
	var header, body []byte
	switch {
	case bytes.HasPrefix(msg, []byte("\r\n")):
		header, body = nil, msg[2:] // a part without header fields
	case hdrEnd < 0:
		return msg
	default:
		header, body = msg[:hdrEnd+2], msg[hdrEnd+4:]
	}
	ctype, params, _ := mime.ParseMediaType(headerField(header, "Content-Type"))
	if strings.HasPrefix(ctype, "multipart/") && params["boundary"] != "" {
		conv := convertParts(body, params["boundary"])
		if conv == nil {
			return msg
		}
		return join(msg[:len(msg)-len(body)], conv)
	}
	if !strings.EqualFold(strings.TrimSpace(headerField(header, "Content-Transfer-Encoding")), "binary") {
		return msg
	}
	var out bytes.Buffer
	out.Write(setBase64CTE(header))
	out.WriteString("\r\n")
	enc := base64.StdEncoding.EncodeToString(body)
	for len(enc) > 76 {
		out.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	out.WriteString(enc)
	return out.Bytes()
}

// convertParts converts the body parts of a multipart body; nil when none
// changed. A delimiter is CRLF "--boundary" (RFC 2046 §5.1.1); the CRLF
// before it belongs to it, not to the part.
func convertParts(body []byte, boundary string) []byte {
	delim := []byte("--" + boundary)
	var starts []int // offsets of the delimiter lines
	for i := 0; i < len(body); {
		j := bytes.Index(body[i:], delim)
		if j < 0 {
			break
		}
		at := i + j
		if at == 0 || at >= 2 && body[at-2] == '\r' && body[at-1] == '\n' {
			starts = append(starts, at)
		}
		i = at + len(delim)
	}
	var out bytes.Buffer
	changed := false
	prev := 0 // copied up to here
	for k, at := range starts {
		lineEnd := bytes.Index(body[at:], []byte("\r\n"))
		if lineEnd < 0 || bytes.HasPrefix(body[at+len(delim):], []byte("--")) {
			break // the close delimiter: the rest is the epilogue
		}
		partStart := at + lineEnd + 2
		partEnd := len(body)
		if k+1 < len(starts) {
			partEnd = starts[k+1] - 2
		}
		if partEnd < partStart {
			continue
		}
		part := body[partStart:partEnd]
		conv := binaryToBase64(part)
		if !bytes.Equal(conv, part) {
			changed = true
		}
		out.Write(body[prev:partStart])
		out.Write(conv)
		prev = partEnd
	}
	if !changed {
		return nil
	}
	out.Write(body[prev:])
	return out.Bytes()
}

// headerField returns the unfolded value of the first field name in a
// header block (CRLF lines), or "".
func headerField(header []byte, name string) string {
	lines := strings.Split(string(header), "\r\n")
	for i, l := range lines {
		k, v, ok := strings.Cut(l, ":")
		if !ok || !strings.EqualFold(strings.TrimSpace(k), name) || strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t") {
			continue
		}
		for _, cont := range lines[i+1:] {
			if !strings.HasPrefix(cont, " ") && !strings.HasPrefix(cont, "\t") {
				break
			}
			v += cont
		}
		return strings.TrimSpace(v)
	}
	return ""
}

// setBase64CTE replaces the Content-Transfer-Encoding field (with its
// folded lines) by "Content-Transfer-Encoding: base64".
func setBase64CTE(header []byte) []byte {
	lines := strings.SplitAfter(string(header), "\r\n")
	var b strings.Builder
	skip := false
	for _, l := range lines {
		if skip && (strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t")) {
			continue
		}
		skip = false
		if k, _, ok := strings.Cut(l, ":"); ok && strings.EqualFold(strings.TrimSpace(k), "Content-Transfer-Encoding") {
			b.WriteString("Content-Transfer-Encoding: base64\r\n")
			skip = true
			continue
		}
		b.WriteString(l)
	}
	return []byte(b.String())
}

func join(a, b []byte) []byte {
	out := make([]byte, 0, len(a)+len(b))
	return append(append(out, a...), b...)
}
