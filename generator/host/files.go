package host

import (
	"io/fs"
	"path"
	"path/filepath"

	"github.com/lowlat/lowlat/generator/osfs"
)

// Files is where captures are read: names relative to Dir inside FS.
type Files struct {
	// FS holds the captures; nil is the operating system's files, named by
	// their paths as a user types them (osfs.FS).
	FS fs.FS
	// Dir is the directory relative names start from: an inventory file's
	// own directory, so that its captures are named relative to it.
	Dir string
}

// OS reads the operating system's files, relative names from dir.
func OS(dir string) Files { return Files{FS: osfs.FS{}, Dir: dir} }

// Path is the name of a capture in FS: name itself when absolute, else
// name under Dir.
func (f Files) Path(name string) string {
	if path.IsAbs(name) || f.Dir == "" {
		return name
	}
	return path.Join(f.Dir, name)
}

func (f Files) fsys() fs.FS {
	if f.FS == nil {
		return osfs.FS{}
	}
	return f.FS
}

// DiskPath is the absolute operating-system path of a capture when files
// are the operating system's; ok is false for any other fs.FS (a git
// revision, memory) or a path that cannot be made absolute.
func (f Files) DiskPath(name string) (abs string, ok bool) {
	if _, disk := f.fsys().(osfs.FS); !disk {
		return "", false
	}
	abs, err := filepath.Abs(filepath.FromSlash(f.Path(name)))
	return abs, err == nil
}
