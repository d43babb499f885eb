package export

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestMdCode(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "EHLO [127.77.1.10]", "`EHLO [127.77.1.10]`"},
		{"html stays literal inside code", "<script>alert(1)</script>", "`<script>alert(1)</script>`"},
		{"pipe", "a | b", "`a \\| b`"},
		{"backtick inside", "say `hi`", "`` say `hi` ``"},
		{"run of backticks", "a ``` b", "````a ``` b````"},
		{"empty line", "", "` `"},
		{"spaces on both sides", " x ", "`  x  `"},
		{"control characters", "a\rb\x00", "`a␍b␀`"},
		{"invalid utf-8", "a\xffb", "`a\uFFFDb`"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, mdCode(tc.in))
		})
	}
}

func TestMdText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "the server greets", "the server greets"},
		{"html", "<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"},
		{"entity", "&amp; &#60;", `&amp;amp; &amp;\#60;`},
		{"emphasis and links", "*a* _b_ [c](d) `e`", `\*a\* \_b\_ \[c\](d) \` + "`e\\`"},
		{"table and heading", "a | b # c", `a \| b \# c`},
		{"one line", "a\nb", "a␊b"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, mdText(tc.in))
		})
	}
}
