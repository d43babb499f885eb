// Package simulator is the mail world: agents, the wire tap, the step
// conductor, the mail store and the scenarios, in the packages below it.
// It is the ground floor: nothing under simulator/ imports lessons/ or
// app/. It emits keys and facts; the layers above put words on them
// (ground_test.go keeps it so).
package simulator
