package simulator

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// No package under simulator/, tests included, depends on lessons/ or app/.
func TestTheSimulatorImportsNothingAboveIt(t *testing.T) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		goCmd = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	out, err := exec.Command(goCmd, "list", "-deps", "-test", "-f", "{{.ImportPath}}", "maillab/simulator/...").Output()
	require.NoError(t, err, "go list")
	var above []string
	deps := strings.Fields(string(out))
	for _, p := range deps {
		if strings.HasPrefix(p, "maillab/lessons") || strings.HasPrefix(p, "maillab/app") {
			above = append(above, p)
		}
	}
	assert.Contains(t, deps, "maillab/simulator/world", "the list is the simulator's")
	assert.Empty(t, above, "the simulator depends on layers above it")
}
