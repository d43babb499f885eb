package pki

import (
	"bytes"
	"encoding/hex"
	"strings"
	"sync"
)

// MaxKeyLogSessions is how many TLS sessions' secrets a KeyLog keeps: the
// most recent ones. The tap needs a session's secrets only during its
// handshake, an export only for the connections it still holds, and a
// projector PC runs for a whole day.
const MaxKeyLogSessions = 4096

// KeyLog collects NSS key log lines ("LABEL <client_random> <secret>") and
// indexes them by client random, so the tap can decrypt what it recorded
// and an export can include the secrets. It keeps the last
// MaxKeyLogSessions sessions.
type KeyLog struct {
	mu      sync.Mutex
	lines   []keyLine
	secrets map[string]map[string][]byte // client random hex -> label -> secret
	order   []string                     // client randoms, oldest first
}

type keyLine struct {
	random, text string
}

// NewKeyLog returns an empty key log.
func NewKeyLog() *KeyLog {
	return &KeyLog{secrets: map[string]map[string][]byte{}}
}

// Write implements io.Writer for tls.Config.KeyLogWriter (crypto/tls writes
// one line per call).
func (k *KeyLog) Write(p []byte) (int, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	for rest := p; len(rest) > 0; {
		var line []byte
		line, rest, _ = bytes.Cut(rest, []byte{'\n'})
		k.addLocked(string(bytes.TrimSuffix(line, []byte{'\r'})))
	}
	return len(p), nil
}

func (k *KeyLog) addLocked(line string) {
	f := strings.Fields(line)
	if len(f) != 3 {
		return
	}
	secret, err := hex.DecodeString(f[2])
	if err != nil {
		return
	}
	cr := strings.ToLower(f[1])
	if k.secrets[cr] == nil {
		k.secrets[cr] = map[string][]byte{}
		k.order = append(k.order, cr)
	}
	k.secrets[cr][f[0]] = secret
	k.lines = append(k.lines, keyLine{random: cr, text: line})
	if len(k.order) > MaxKeyLogSessions+MaxKeyLogSessions/8 {
		k.forgetOldestLocked(len(k.order) - MaxKeyLogSessions)
	}
}

// forgetOldestLocked drops the n oldest sessions, in one pass over the lines.
func (k *KeyLog) forgetOldestLocked(n int) {
	for _, cr := range k.order[:n] {
		delete(k.secrets, cr)
	}
	k.order = append([]string(nil), k.order[n:]...)
	kept := k.lines[:0]
	for _, l := range k.lines {
		if k.secrets[l.random] != nil {
			kept = append(kept, l)
		}
	}
	clear(k.lines[len(kept):])
	k.lines = kept
}

// Secret returns the secret with label for the session with clientRandom.
func (k *KeyLog) Secret(clientRandom []byte, label string) []byte {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.secrets[hex.EncodeToString(clientRandom)][label]
}

// Lines returns the key log in NSS format, oldest first.
func (k *KeyLog) Lines() []string {
	k.mu.Lock()
	defer k.mu.Unlock()
	out := make([]string, len(k.lines))
	for i, l := range k.lines {
		out[i] = l.text
	}
	return out
}
