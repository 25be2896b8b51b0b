package osfs

import (
	"io/fs"
	"os"
	"path/filepath"
)

// FS reads the operating system's files. Unlike os.DirFS it accepts any path
// os.Open does, so it does not meet fs.ValidPath's rules: give it only to
// code that passes names through (fs.Stat, fs.ReadDir, fs.ReadFile), never
// to fs.Sub or fs.WalkDir on an absolute root.
type FS struct{}

var (
	_ fs.StatFS     = FS{}
	_ fs.ReadDirFS  = FS{}
	_ fs.ReadFileFS = FS{}
	_ fs.SubFS      = FS{}
)

// Open opens a file by its operating-system path.
func (FS) Open(name string) (fs.File, error) { return os.Open(filepath.FromSlash(name)) }

// Stat describes a file by its operating-system path, following symbolic links.
func (FS) Stat(name string) (fs.FileInfo, error) { return os.Stat(filepath.FromSlash(name)) }

// ReadDir lists a directory, sorted by name.
func (FS) ReadDir(name string) ([]fs.DirEntry, error) { return os.ReadDir(filepath.FromSlash(name)) }

// ReadFile reads a whole file.
func (FS) ReadFile(name string) ([]byte, error) { return os.ReadFile(filepath.FromSlash(name)) }

// Sub is the directory dir, an operating-system path, as os.DirFS: names in
// it are valid fs paths relative to dir. fs.Sub refuses the paths FS takes,
// so call this method directly.
func (FS) Sub(dir string) (fs.FS, error) { return os.DirFS(filepath.FromSlash(dir)), nil }
