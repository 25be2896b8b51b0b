package osfs_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lowlat/lowlat/generator/osfs"
)

func TestNamesAreTheOperatingSystemsPaths(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.yaml"), []byte("a"), 0o644); err != nil {
		t.Fatal(err)
	}
	abs := filepath.ToSlash(filepath.Join(dir, "sub", "..", "a.yaml"))
	if data, err := fs.ReadFile(osfs.FS{}, abs); err != nil || string(data) != "a" {
		t.Fatalf("read %s: %q, %v", abs, data, err)
	}
	entries, err := fs.ReadDir(osfs.FS{}, dir)
	if err != nil || len(entries) != 1 || entries[0].Name() != "a.yaml" {
		t.Fatalf("read dir %s: %v, %v", dir, entries, err)
	}
}

func TestErrorsNameThePathAsGiven(t *testing.T) {
	_, err := osfs.FS{}.Open("no/such/file.yaml")
	if !errors.Is(err, fs.ErrNotExist) || !strings.HasPrefix(err.Error(), "open no/such/file.yaml:") {
		t.Fatalf("got %v", err)
	}
}
