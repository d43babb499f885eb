package pki

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"strings"
	"sync"
)

// KeyLog collects NSS key log lines ("LABEL <client_random> <secret>") and
// indexes them by client random, so the tap can decrypt what it recorded
// and an export can include the secrets.
type KeyLog struct {
	mu      sync.Mutex
	lines   []string
	secrets map[string]map[string][]byte // client random hex -> label -> secret
}

// NewKeyLog returns an empty key log.
func NewKeyLog() *KeyLog {
	return &KeyLog{secrets: map[string]map[string][]byte{}}
}

// Write implements io.Writer for tls.Config.KeyLogWriter.
func (k *KeyLog) Write(p []byte) (int, error) {
	sc := bufio.NewScanner(bytes.NewReader(p))
	k.mu.Lock()
	defer k.mu.Unlock()
	for sc.Scan() {
		k.addLocked(sc.Text())
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
	}
	k.secrets[cr][f[0]] = secret
	k.lines = append(k.lines, line)
}

// Secret returns the secret with label for the session with clientRandom.
func (k *KeyLog) Secret(clientRandom []byte, label string) []byte {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.secrets[hex.EncodeToString(clientRandom)][label]
}

// Lines returns the whole key log in NSS format.
func (k *KeyLog) Lines() []string {
	k.mu.Lock()
	defer k.mu.Unlock()
	return append([]string(nil), k.lines...)
}
