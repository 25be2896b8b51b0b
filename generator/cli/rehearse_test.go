package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRehearseRunsTheRehearsalBinaryWithItsArguments(t *testing.T) {
	dir := t.TempDir()
	script := "#!/bin/sh\necho \"args: $*\"\nexit 1\n"
	if err := os.WriteFile(filepath.Join(dir, rehearseBinary), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir)
	var stdout, stderr bytes.Buffer
	code := Main([]string{"rehearse", "--cluster", "lab1", "-o", "json"}, nil, &stdout, &stderr)
	if code != 1 || strings.TrimSpace(stdout.String()) != "args: --cluster lab1 -o json" {
		t.Errorf("exit %d, stdout %q, stderr %q", code, stdout.String(), stderr.String())
	}
}

func TestRehearseSaysHowToBuildTheRehearsalBinary(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	var stdout, stderr bytes.Buffer
	code := Main([]string{"rehearse"}, nil, &stdout, &stderr)
	if code != 2 || !strings.Contains(stderr.String(), "run make build (it writes bin/lowlat-rehearse)") {
		t.Errorf("exit %d, stderr %q", code, stderr.String())
	}
}
