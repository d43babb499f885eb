//go:build !(js && wasm)

package app

import (
	"encoding/base64"
	"encoding/json"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"maillab/lessons/explain"
)

// appendStreamLines appends a batch of lines as the event stream sends
// them: byte for byte what encoding/json makes of the []streamLine that
// compact returns (stream_test.go checks that on every field), written
// without reflection. A flood's 20,000 lines went through json.Marshal
// at about a fifth of `maillab serve`'s CPU, and each line's time
// (time.Time.MarshalJSON) was one allocation more. ok is false for a
// time json.Marshal refuses (a year outside 0–9999), as it refuses it.
func (c *lineCompactor) appendStreamLines(dst []byte, lines []Line) (_ []byte, ok bool) {
	for i := range lines {
		if y := lines[i].Time.Year(); y < 0 || y > 9999 {
			for i := range lines {
				c.next(&lines[i]) // the stream still remembers them, as before
			}
			return dst, false
		}
	}
	dst = append(dst, '[')
	for i := range lines {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendStreamLine(dst, &lines[i], c.next(&lines[i]))
	}
	return append(dst, ']'), true
}

// appendStreamLine writes one line's object: the fields of event.Event,
// Line and streamLine in their declaration order, with the same omitempty
// rules. Fields the flags say were left out are written as if zero.
func appendStreamLine(dst []byte, l *Line, f lineFlags) []byte {
	e := &l.Event
	dst = append(dst, `{"seq":`...)
	dst = strconv.AppendUint(dst, e.Seq, 10)
	dst = append(dst, `,"time":"`...)
	dst = e.Time.AppendFormat(dst, time.RFC3339Nano)
	dst = append(dst, `","kind":`...)
	dst = appendJSONString(dst, string(e.Kind))
	if e.Conn != 0 {
		dst = append(dst, `,"conn":`...)
		dst = strconv.AppendUint(dst, e.Conn, 10)
	}
	if !f.same {
		dst = appendStringField(dst, `,"client":`, e.Client)
		dst = appendStringField(dst, `,"server":`, e.Server)
		dst = appendStringField(dst, `,"proto":`, e.Proto)
		if e.Port != 0 {
			dst = append(dst, `,"port":`...)
			dst = strconv.AppendInt(dst, int64(e.Port), 10)
		}
		dst = appendStringField(dst, `,"addr":`, e.Addr)
		dst = appendStringField(dst, `,"clientAddr":`, e.ClientAddr)
	}
	dst = appendStringField(dst, `,"dir":`, string(e.Dir))
	dst = appendStringField(dst, `,"text":`, e.Text)
	if !f.rawText {
		dst = appendBytesField(dst, `,"raw":`, e.Raw)
	}
	dst = appendBytesField(dst, `,"wire":`, e.Wire)
	dst = appendTrueField(dst, `,"encrypted":true`, e.Encrypted)
	dst = appendTrueField(dst, `,"credential":true`, e.Credential)
	dst = appendTrueField(dst, `,"masked":true`, e.Masked)
	dst = appendTrueField(dst, `,"truncated":true`, e.Truncated)
	dst = appendStringField(dst, `,"tail":`, e.Tail)
	dst = appendIntField(dst, `,"omitted":`, e.Omitted)
	dst = appendIntField(dst, `,"omittedLines":`, e.OmittedLines)
	dst = appendIntField(dst, `,"limit":`, e.Limit)
	dst = appendStringField(dst, `,"actor":`, e.Actor)
	dst = appendStringField(dst, `,"code":`, e.Code)
	if len(e.Params) > 0 {
		dst = append(dst, `,"params":`...)
		dst = appendStringMap(dst, e.Params)
	}
	if l.Explain != nil && !f.sameExplain {
		dst = append(dst, `,"explain":`...)
		dst = appendExplanation(dst, l.Explain)
	}
	if l.WireSeq != 0 {
		dst = append(dst, `,"wireSeq":`...)
		dst = strconv.AppendUint(dst, l.WireSeq, 10)
	}
	dst = appendTrueField(dst, `,"same":true`, f.same)
	dst = appendTrueField(dst, `,"sameExplain":true`, f.sameExplain)
	dst = appendTrueField(dst, `,"rawText":true`, f.rawText)
	return append(dst, '}')
}

func appendExplanation(dst []byte, x *explain.Explanation) []byte {
	dst = append(dst, `{"key":`...)
	dst = appendJSONString(dst, x.Key)
	if len(x.Params) > 0 {
		dst = append(dst, `,"params":`...)
		dst = appendStringMap(dst, x.Params)
	}
	if len(x.Details) > 0 {
		dst = append(dst, `,"details":[`...)
		for i, d := range x.Details {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendJSONString(dst, d)
		}
		dst = append(dst, ']')
	}
	dst = append(dst, `,"rfc":`...)
	dst = appendJSONString(dst, x.RFC)
	dst = appendStringField(dst, `,"class":`, x.Class)
	dst = appendTrueField(dst, `,"generic":true`, x.Generic)
	return append(dst, '}')
}

// appendStringMap writes a map as encoding/json does: keys sorted.
func appendStringMap(dst []byte, m map[string]string) []byte {
	var small [8]string
	keys := small[:0]
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	dst = append(dst, '{')
	for i, k := range keys {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendJSONString(dst, k)
		dst = append(dst, ':')
		dst = appendJSONString(dst, m[k])
	}
	return append(dst, '}')
}

func appendStringField(dst []byte, name, s string) []byte {
	if s == "" {
		return dst
	}
	return appendJSONString(append(dst, name...), s)
}

func appendBytesField(dst []byte, name string, b []byte) []byte {
	if len(b) == 0 {
		return dst
	}
	dst = append(dst, name...)
	dst = append(dst, '"')
	dst = base64.StdEncoding.AppendEncode(dst, b)
	return append(dst, '"')
}

func appendIntField(dst []byte, name string, n int64) []byte {
	if n == 0 {
		return dst
	}
	return strconv.AppendInt(append(dst, name...), n, 10)
}

func appendTrueField(dst []byte, field string, b bool) []byte {
	if !b {
		return dst
	}
	return append(dst, field...)
}

// appendJSONString quotes s as encoding/json does by default: <, > and &
// escaped for HTML, invalid UTF-8 as U+FFFD, U+2028 and U+2029 escaped.
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		b := s[i]
		if b < utf8.RuneSelf {
			if b >= 0x20 && b != '"' && b != '\\' && b != '<' && b != '>' && b != '&' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '\\', '"':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[b>>4], hexDigits[b&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i++
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

const hexDigits = "0123456789abcdef"

// marshalPayload is what handleEvents sends for one message: lines as the
// stream compacts them, anything else as encoding/json writes it.
func (c *lineCompactor) marshalPayload(dst []byte, data any) ([]byte, bool) {
	if lines, ok := data.([]Line); ok {
		return c.appendStreamLines(dst, lines)
	}
	b, err := json.Marshal(data)
	if err != nil {
		return dst, false
	}
	return append(dst, b...), true
}

// appendEventPage appends what encoding/json writes for p (the events
// API: a page of up to 5,000 lines, what a late viewer and the e2e tests
// read the log with), as appendStreamLines writes lines, none left out.
func appendEventPage(dst []byte, p *EventPage) (_ []byte, ok bool) {
	for i := range p.Events {
		if y := p.Events[i].Time.Year(); y < 0 || y > 9999 {
			return dst, false
		}
	}
	dst = append(dst, `{"events":`...)
	if p.Events == nil {
		dst = append(dst, "null"...)
	} else {
		dst = append(dst, '[')
		for i := range p.Events {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendStreamLine(dst, &p.Events[i], lineFlags{})
		}
		dst = append(dst, ']')
	}
	dst = strconv.AppendUint(append(dst, `,"first":`...), p.First, 10)
	dst = strconv.AppendUint(append(dst, `,"dropped":`...), p.Dropped, 10)
	dst = strconv.AppendUint(append(dst, `,"last":`...), p.Last, 10)
	dst = strconv.AppendBool(append(dst, `,"more":`...), p.More)
	return append(dst, '}'), true
}
