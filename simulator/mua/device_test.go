package mua

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func keys(list []Local) []string {
	out := make([]string, len(list))
	for i, l := range list {
		out[i] = l.Key
	}
	return out
}

func TestDeviceRemembersInArrivalOrder(t *testing.T) {
	d := NewDevice("bob-laptop", Account{Address: "bob@example.net"}, nil)
	assert.Empty(t, d.Messages())

	for _, k := range []string{"pop3:9", "pop3:1", "imap:5"} {
		d.remember(Local{Key: k, Subject: k, Raw: []byte("raw " + k)})
	}
	assert.Equal(t, []string{"pop3:9", "pop3:1", "imap:5"}, keys(d.Messages()))

	// An update keeps the place and the stored body.
	d.remember(Local{Key: "pop3:9", Subject: "updated", Seen: true})
	msgs := d.Messages()
	require.Equal(t, []string{"pop3:9", "pop3:1", "imap:5"}, keys(msgs))
	assert.Equal(t, "updated", msgs[0].Subject)
	assert.True(t, msgs[0].Seen)
	assert.Equal(t, []byte("raw pop3:9"), msgs[0].Raw)
	assert.Equal(t, 1, msgs[0].Stored)

	d.forget("pop3:1")
	d.remember(Local{Key: "pop3:1"})
	assert.Equal(t, []string{"pop3:9", "imap:5", "pop3:1"}, keys(d.Messages()), "forgotten, then new again")
}

func TestDeviceClearVia(t *testing.T) {
	d := NewDevice("bob-phone", Account{}, nil)
	d.remember(Local{Key: "imap:1", Via: "imap"})
	d.remember(Local{Key: "imap:2", Via: "imap", Raw: []byte("read")})
	d.remember(Local{Key: "pop3:1", Via: "pop3"})
	d.clearVia("imap")
	assert.Equal(t, []string{"imap:2", "pop3:1"}, keys(d.Messages()), "read mail and POP3 mail stay")
}

func TestDeviceOnChange(t *testing.T) {
	d := NewDevice("alice-laptop", Account{}, nil)
	var mu sync.Mutex
	calls := map[string]int{}
	count := func(name string) func() {
		return func() {
			mu.Lock()
			defer mu.Unlock()
			calls[name]++
		}
	}
	cancelA := d.OnChange(count("a"))
	cancelB := d.OnChange(count("b"))

	d.remember(Local{Key: "k1"})
	d.remember(Local{Key: "k1", Seen: true})
	d.forget("k1")
	d.clearVia("imap")
	assert.Equal(t, map[string]int{"a": 4, "b": 4}, calls)

	cancelA()
	cancelA() // idempotent
	d.remember(Local{Key: "k2"})
	assert.Equal(t, map[string]int{"a": 4, "b": 5}, calls)

	cancelB()
	d.remember(Local{Key: "k3"})
	assert.Equal(t, map[string]int{"a": 4, "b": 5}, calls)
}

func TestDeviceConcurrent(t *testing.T) {
	d := NewDevice("bob-laptop", Account{}, nil)
	cancel := d.OnChange(func() {})
	defer cancel()
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 50 {
				d.remember(Local{Key: string(rune('a'+i)) + string(rune('0'+j%10))})
				d.Messages()
				d.has("a1")
			}
		}()
	}
	wg.Wait()
	assert.Len(t, d.Messages(), 40)
}
