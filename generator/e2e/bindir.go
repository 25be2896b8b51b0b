package e2e

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// BinDirEnv names a directory holding kube-apiserver and etcd, to use
// instead of building them.
const BinDirEnv = "LOWLAT_E2E_BIN"

// BinDir returns the directory with the kube-apiserver and etcd binaries:
// $LOWLAT_E2E_BIN when set (make e2e sets it), else whatever
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

func checkBinDir(d string) error {
	for _, bin := range []string{"kube-apiserver", "etcd"} {
		if _, err := os.Stat(filepath.Join(d, bin)); err != nil {
			return fmt.Errorf("e2e binaries in %s: %w (run make e2e-tools)", d, err)
		}
	}
	return nil
}
