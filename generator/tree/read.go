package tree

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Read loads the generated files (those with the header) under each root of
// dir. Hand-written files are not part of the rendered tree and are skipped.
func Read(dir string, roots []string) (*Tree, error) {
	t := New()
	for _, root := range roots {
		err := filepath.WalkDir(filepath.Join(dir, root), func(p string, d fs.DirEntry, err error) error {
			if err != nil || !d.Type().IsRegular() || strings.HasPrefix(d.Name(), tempPrefix) {
				return err
			}
			data, err := os.ReadFile(p)
			if err != nil || !HasHeader(data) {
				return err
			}
			rel, _ := filepath.Rel(dir, p)
			t.files[filepath.ToSlash(rel)] = data
			return nil
		})
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	return t, nil
}
