package cli

import (
	"os"
	"testing"

	"github.com/lowlat/lowlat/generator/rendercache"
)

// TestMain keeps the render cache of the tests' renders out of the user's
// cache directory.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "lowlat-cache-")
	if err != nil {
		panic(err)
	}
	os.Setenv(rendercache.EnvDir, dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
