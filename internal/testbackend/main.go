package testbackend

import (
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
)

// mainActive is set by Main; servers are started only when it is, so that
// none outlives the test binary.
var mainActive atomic.Bool

// Main runs the tests of a package that uses the harness, stops every server
// they started, and exits with the tests' status. Call it from TestMain:
//
//	func TestMain(m *testing.M) { testbackend.Main(m) }
//
// When the tests fail, the servers' logs are kept and their paths printed.
func Main(m *testing.M) {
	mainActive.Store(true)
	code := m.Run()
	mainActive.Store(false)
	for _, log := range stopAll(code != 0) {
		fmt.Fprintf(os.Stderr, "testbackend: server log kept: %s\n", log)
	}
	if built.path != "" {
		os.RemoveAll(filepath.Dir(built.path))
	}
	os.Exit(code)
}
