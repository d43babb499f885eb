//go:build race

package bench

// The race detector makes pushing bytes ten times slower: the big-message
// test sends 12 MB then (still past the MSA's 10 MiB SIZE and far past
// the recording limit), 50 MB without it.
const raceEnabled = true
