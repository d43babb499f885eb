package pop3

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestParseCommand(t *testing.T) {
	tests := []struct {
		line    string
		want    Command
		wantErr error
	}{
		{"STAT\r\n", Command{Name: "STAT", Rest: ""}, nil},
		{"stat", Command{Name: "STAT"}, nil},
		{"TOP 1 10\r\n", Command{Name: "TOP", Args: []string{"1", "10"}, Rest: "1 10"}, nil},
		{"PASS my secret \r\n", Command{Name: "PASS", Args: []string{"my", "secret"}, Rest: "my secret "}, nil},
		{"USER j\xc3\xbcrgen\n", Command{Name: "USER", Args: []string{"j\xc3\xbcrgen"}, Rest: "j\xc3\xbcrgen"}, nil},
		{"\r\n", Command{}, ErrEmptyCommand},
		{"", Command{}, ErrEmptyCommand},
		{" STAT", Command{}, ErrBadKeyword},
		{"ST", Command{}, ErrBadKeyword},
		{"XYZZY", Command{}, ErrBadKeyword},
		{"RET1 2", Command{}, ErrBadKeyword},
		{"\x00\xff\x16\x03", Command{}, ErrBadKeyword},
		{"USER a\tb", Command{}, ErrBadCharacter},
		{"USER a\rb", Command{}, ErrBadCharacter},
		{"PASS \x7f", Command{}, ErrBadCharacter},
	}
	for _, tc := range tests {
		t.Run(tc.line, func(t *testing.T) {
			got, err := ParseCommand([]byte(tc.line))
			assert.ErrorIs(t, err, tc.wantErr)
			assert.Equal(t, tc.want, got)
		})
	}
}

func FuzzParseCommand(f *testing.F) {
	for _, s := range []string{"STAT\r\n", "TOP 1 10", "PASS a b ", "\x00\xff\x16\x03", "", "APOP x y\n",
		"AUTH PLAIN =", "uidl 1\r", "RETR\x001"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		cmd, err := ParseCommand(line)
		if err != nil {
			return
		}
		if n := len(cmd.Name); n < 3 || n > 4 || strings.ToUpper(cmd.Name) != cmd.Name {
			t.Fatalf("bad keyword %q from %q", cmd.Name, line)
		}
		if strings.ContainsAny(cmd.Rest, "\r\n\x00") {
			t.Fatalf("control character in %q from %q", cmd.Rest, line)
		}
		if strings.Join(cmd.Args, " ") != strings.Join(strings.Fields(cmd.Rest), " ") {
			t.Fatalf("args %q do not match rest %q", cmd.Args, cmd.Rest)
		}
	})
}

func TestWireSize(t *testing.T) {
	tests := []struct {
		msg  string
		want int
	}{
		{"", 0},
		{"a\r\n", 3},
		{"a\n", 3},
		{"a", 3},
		{"a\r\nb\nc", 9},
		{"\n\n", 4},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, WireSize([]byte(tc.msg)), "WireSize(%q)", tc.msg)
	}
}
