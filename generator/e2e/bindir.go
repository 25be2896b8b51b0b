package e2e

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// BinDirEnv names a directory holding kube-apiserver, kubectl and etcd, to
// use instead of building them.
const BinDirEnv = "LOWLAT_E2E_BIN"

// BinDir returns the directory with the kube-apiserver, kubectl and etcd
// binaries: $LOWLAT_E2E_BIN when set (make e2e sets it), else whatever
// hack/e2e-tools.sh under repoRoot builds or finds in its cache.
func BinDir(repoRoot string) (string, error) {
	if d := os.Getenv(BinDirEnv); d != "" {
		return d, checkBinDir(d)
	}
	var stderr bytes.Buffer
	cmd := exec.Command(filepath.Join(repoRoot, "hack", "e2e-tools.sh"))
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("hack/e2e-tools.sh: %w\n%s", err, stderr.String())
	}
	d := strings.TrimSpace(string(out))
	return d, checkBinDir(d)
}

// binaries are what a bin directory must hold: the servers, and kubectl,
// with which the cluster twin runs a container's shell script.
var binaries = []string{"kube-apiserver", "kubectl", "etcd"}

// checkBinDir names every binary d lacks: a directory built before kubectl
// joined the tools has the servers only, and LOWLAT_E2E_BIN may still point
// at it.
func checkBinDir(d string) error {
	var missing []string
	for _, bin := range binaries {
		if _, err := os.Stat(filepath.Join(d, bin)); err != nil {
			missing = append(missing, bin)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("e2e binaries in %s: no %s (run make e2e-tools and use the directory it prints)", d, strings.Join(missing, ", "))
	}
	return nil
}
