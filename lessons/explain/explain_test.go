package explain

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/lessons/i18n"
	"maillab/simulator/event"
)

// TestKeysExistInEveryCatalog: every key the classifier can produce has a
// text in all three languages, and the catalogs hold no stale explain.*
// keys.
func TestKeysExistInEveryCatalog(t *testing.T) {
	keys := Keys()
	require.NotEmpty(t, keys)
	for _, lang := range i18n.Languages {
		catalog := i18n.Catalog(lang)
		for _, k := range keys {
			assert.NotEmpty(t, catalog[k], "%s has no %s text", k, lang)
		}
		for k := range catalog {
			if strings.HasPrefix(k, prefix) {
				_, ok := table[strings.TrimPrefix(k, prefix)]
				assert.True(t, ok, "%s in %s is not produced by the classifier", k, lang)
			}
		}
	}
}

func TestActionsAndStatesNeedNoExplanation(t *testing.T) {
	tr := NewTracker()
	for _, k := range []event.Kind{event.KindAction, event.KindState, event.KindOpen, event.KindClose} {
		x := tr.Explain(event.Event{Kind: k, Code: "action.alice-sends"})
		assert.Empty(t, x.Key, "%s", k)
		assert.Empty(t, Text("de", x), "%s", k)
	}
}

func TestTextJoinsKeyAndDetailsInEveryLanguage(t *testing.T) {
	x := lastKey(t, "smtp", "S: 220 x", "C: RCPT TO:<nobody@example.net>", "S: 550 5.1.1 User unknown")
	assert.Equal(t, "RFC 5321 §4.2.3; RFC 3463 §3.2", x.RFC)
	for _, lang := range i18n.Languages {
		text := Text(lang, x)
		assert.Contains(t, text, i18n.T(lang, x.Key, x.Params), lang)
		assert.Contains(t, text, "5.1.1", lang)
		assert.NotContains(t, text, "{", lang)
	}
	assert.Contains(t, Text("de", x), "Postfach")
	assert.Contains(t, Text("pl", x), "skrzynk")
}

func TestRFCReferencesMerge(t *testing.T) {
	var r references
	r.add("RFC 9051 §6.2.3")
	r.add("RFC 9051 §7.1")
	r.add("RFC 5321 §4.1.1.4, §6.1")
	r.add("RFC 4954 §4, RFC 4616 §2")
	r.add("RFC 2920")
	r.add("RFC 9051 §7.1")
	assert.Equal(t, "RFC 9051 §6.2.3, §7.1; RFC 5321 §4.1.1.4, §6.1; RFC 4954 §4; RFC 4616 §2; RFC 2920", r.String())
}

// TestForLogKeepsConnectionsApart: two interleaved connections each keep
// their own context.
func TestForLogKeepsConnectionsApart(t *testing.T) {
	a := script("smtp", "S: 220 x", "C: EHLO a", "S: 250 x", "C: MAIL FROM:<a@b>", "S: 250 ok")
	b := script("pop3", "S: +OK hi", "C: STAT", "S: +OK 0 0")
	var log []event.Event
	seq := uint64(0)
	for i := 0; i < len(a) || i < len(b); i++ {
		for _, part := range [][]event.Event{a, b} {
			if i < len(part) {
				ev := part[i]
				seq++
				ev.Seq = seq
				if ev.Proto == "pop3" {
					ev.Conn = 2
				}
				log = append(log, ev)
			}
		}
	}
	log = append(log, event.Event{Seq: 99, Kind: event.KindAction, Code: "action.x"})
	xs := ForLog(log)
	assert.Len(t, xs, len(a)+len(b), "actions are left out")
	byText := map[string]string{}
	for _, ev := range log {
		if x, ok := xs[ev.Seq]; ok {
			byText[ev.Text] = short(x.Key)
		}
	}
	assert.Equal(t, "smtp.reply.250.mail", byText["250 ok"])
	assert.Equal(t, "pop3.ok.stat", byText["+OK 0 0"])
}

// TestGarbageNeverCrashes: random bytes and truncated lines in every
// protocol get an explanation with a text, never a panic.
func TestGarbageNeverCrashes(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	samples := []string{"", " ", ".", "..", "+", "*", "* ", "* 1", "* 1 FETCH (BODY[] {99999999999999999999}", "a1",
		"250", "250-", "2500", "334 ====", "{5}", "~{3}", "ANSWER", "QUERY", "TLS", "TLS ,", "+OK", "-ERR [",
		"MAIL FROM:<", "RCPT TO:", "BDAT x", "BDAT -5 LAST", "a1 UID", "a1 STORE 1", "* LIST (", "* STATUS",
		"\x00\x01\xfe", "DONE", "a1 OK [", "* OK [CAPABILITY"}
	for i := 0; i < 300; i++ {
		b := make([]byte, r.IntN(40))
		for j := range b {
			b[j] = byte(r.IntN(256))
		}
		samples = append(samples, string(b))
	}
	for _, proto := range []string{"smtp", "submission", "lmtp", "pop3", "imap", "dns", "weird"} {
		tr := NewTracker()
		for i, s := range samples {
			dir := event.ClientToServer
			if i%2 == 1 {
				dir = event.ServerToClient
			}
			kind := event.KindLine
			switch i % 7 {
			case 5:
				kind = event.KindTLS
			case 6:
				kind = event.KindPacket
			}
			x := tr.Explain(event.Event{Kind: kind, Proto: proto, Dir: dir, Text: s})
			require.NotEmpty(t, x.Key, "%s %q", proto, s)
			for _, lang := range i18n.Languages {
				text := Text(lang, x)
				require.NotEmpty(t, strings.TrimSpace(text), "%s %q", proto, s)
				require.False(t, strings.HasPrefix(text, prefix), "%s %q: %s", proto, s, text)
			}
			require.Empty(t, missingParams(x), "%s %q", proto, s)
		}
	}
}

// missingParams lists the placeholders of x's texts that x.Params does not
// fill, in any language.
func missingParams(x Explanation) []string {
	var missing []string
	for _, lang := range i18n.Languages {
		for _, key := range append([]string{x.Key}, x.Details...) {
			for _, p := range i18n.Placeholders(i18n.T(lang, key, nil)) {
				if _, ok := x.Params[strings.Trim(p, "{}")]; !ok {
					missing = append(missing, lang+" "+key+" "+p)
				}
			}
		}
	}
	return missing
}

// finish takes a key without details from the table it made once; that
// must be what building the reference for it gives.
func TestFinishedKeysAreBuiltOnes(t *testing.T) {
	for k, cite := range table {
		var refs references
		refs.add(cite)
		x := Explanation{Key: k}
		x.finish()
		assert.Equal(t, Explanation{Key: prefix + k, RFC: refs.String()}, x, k)
	}
	x := Explanation{Key: "smtp.cmd.ehlo", Details: []string{"smtp.ehlo-name.not-fqdn"}}
	x.finish()
	assert.Equal(t, "RFC 5321 §4.1.1.1", x.RFC, "with details the reference is built")
	assert.Equal(t, []string{"explain.smtp.ehlo-name.not-fqdn"}, x.Details)
}
