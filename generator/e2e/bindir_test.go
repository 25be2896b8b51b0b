package e2e

import (
	"strings"
	"testing"
)

func TestBinDirWithoutTheBinariesIsAnError(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(BinDirEnv, dir)
	_, err := BinDir("../..")
	if err == nil || !strings.Contains(err.Error(), "kube-apiserver") || !strings.Contains(err.Error(), "make e2e-tools") {
		t.Errorf("got %v", err)
	}
}
