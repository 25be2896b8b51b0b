package sysinfo

import (
	"fmt"
	"io/fs"
	"strings"
)

// dirFiles reads a sysfs tree on disk. strip is removed from every name
// first, for a tree whose root is sysfs itself rather than its parent.
type dirFiles struct {
	fsys    fs.FS
	strip   string
	maxFile int64
}

func (d dirFiles) read(name string) (string, error) {
	path := strings.TrimPrefix(name, d.strip)
	fi, err := fs.Stat(d.fsys, path)
	if err != nil {
		return "", err
	}
	if !fi.Mode().IsRegular() { // opening a named pipe would block
		return "", fmt.Errorf("%s is not a regular file", name)
	}
	f, err := d.fsys.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	// sysfs reports every attribute as 4096 bytes long: only reading tells.
	data, err := readCapped(f, d.maxFile)
	if err != nil {
		return "", fmt.Errorf("%s: %w", name, err)
	}
	return data, nil
}

func (d dirFiles) list(dir string) ([]string, error) {
	entries, err := fs.ReadDir(d.fsys, strings.TrimPrefix(dir, d.strip))
	if err != nil {
		return nil, err
	}
	names := make([]string, len(entries))
	for i, e := range entries {
		names[i] = e.Name()
	}
	return names, nil
}
