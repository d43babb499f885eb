// Package interop holds no code of its own: its tests point real
// third-party clients (curl, Python's standard library, go-smtp) and
// hostile raw connections at a running port-map world, the way a student
// or a broken program would.
package interop
