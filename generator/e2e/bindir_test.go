package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBinDirWithoutTheBinariesIsAnError(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(BinDirEnv, dir)
	_, err := BinDir("../..")
	if err == nil || !strings.Contains(err.Error(), "no kube-apiserver, kubectl, etcd") || !strings.Contains(err.Error(), "make e2e-tools") {
		t.Errorf("got %v", err)
	}
}

func TestBinDirWithoutKubectlIsAnError(t *testing.T) {
	dir := t.TempDir()
	for _, bin := range []string{"kube-apiserver", "etcd"} {
		if err := os.WriteFile(filepath.Join(dir, bin), nil, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv(BinDirEnv, dir)
	_, err := BinDir("../..")
	if err == nil || !strings.Contains(err.Error(), "no kubectl ") {
		t.Errorf("a directory with the servers only: got %v, want kubectl named as missing", err)
	}
}
