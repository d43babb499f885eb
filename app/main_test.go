package app

import (
	"testing"

	"go.uber.org/goleak"
)

// runtime.handleEvent is js/wasm's own goroutine for callbacks from JavaScript.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m, goleak.IgnoreAnyFunction("runtime.handleEvent"))
}
