package export

import (
	"testing"

	"go.uber.org/goleak"
)

// The golden test runs a real scenario, whose servers must all be gone.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
