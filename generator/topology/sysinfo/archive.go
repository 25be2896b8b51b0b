package sysinfo

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strings"
)

// Limits bound what reading one archive may cost, so that a corrupt or
// hostile file cannot exhaust memory or time.
type Limits struct {
	// MaxEntries is the most tar entries, directories and links included.
	MaxEntries int
	// MaxBytes is the most bytes the archive may uncompress to.
	MaxBytes int64
	// MaxFileBytes is the largest file the reader keeps.
	MaxFileBytes int64
}

// DefaultLimits are far above what real snapshots need: the 112-CPU
// control-plane node of PPC's must-gather.bare-metal has 19,034 entries
// that uncompress to 20 MB, and the largest file read, a cpulist, has a few
// hundred bytes.
var DefaultLimits = Limits{MaxEntries: 1_000_000, MaxBytes: 1 << 30, MaxFileBytes: 1 << 20}

func (l Limits) orDefault() Limits {
	if l == (Limits{}) {
		return DefaultLimits
	}
	return l
}

// wantedFiles are the files the parser reads; an archive keeps only these.
var wantedFiles = []string{
	cpuDir + "/online",
	cpuDir + "/offline",
	cpuDir + "/cpu*/online",
	cpuDir + "/cpu*/topology/core_id",
	cpuDir + "/cpu*/topology/physical_package_id",
	cpuDir + "/cpu*/topology/thread_siblings_list",
	cpuDir + "/cpu*/topology/core_cpus_list",
	nodeDir + "/node*/cpulist",
}

// marker is where a snapshot's root shows in an entry name: whatever
// precedes it is the prefix an archive puts on every name.
const marker = "sys/devices/system/"

// archiveFiles is the part of an archive the parser reads.
type archiveFiles struct {
	content map[string]string
	kind    map[string]string          // wanted names that are not regular files
	dirs    map[string]map[string]bool // directory → its entries' names
	prefix  *string                    // the snapshot's root inside the archive
}

func readArchive(r io.Reader, l Limits) (*archiveFiles, error) {
	br := bufio.NewReader(r)
	if magic, _ := br.Peek(2); string(magic) != "\x1f\x8b" {
		return nil, fmt.Errorf("%w: not a gzip-compressed tar archive", ErrNotSnapshot)
	}
	zr, err := gzip.NewReader(br)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNotSnapshot, err)
	}
	tr := tar.NewReader(&cappedReader{r: zr, left: l.MaxBytes, most: l.MaxBytes})
	a := &archiveFiles{content: map[string]string{}, kind: map[string]string{}, dirs: map[string]map[string]bool{}}
	for n := 0; ; n++ {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return a, a.checkFound()
		}
		if errors.Is(err, ErrTooLarge) {
			return nil, err
		}
		if err != nil {
			return nil, fmt.Errorf("%w: reading entry %d: %w", ErrIncomplete, n+1, err)
		}
		if n >= l.MaxEntries {
			return nil, fmt.Errorf("%w: more than %d entries", ErrTooLarge, l.MaxEntries)
		}
		if err := a.add(hdr, tr, l.MaxFileBytes); err != nil {
			return nil, err
		}
	}
}

// add records one entry if it lies under the snapshot's CPU or node
// directories.
func (a *archiveFiles) add(hdr *tar.Header, r io.Reader, maxFile int64) error {
	name := strings.TrimLeft(path.Clean("/"+hdr.Name), "/")
	i := strings.Index("/"+name, "/"+marker)
	if i < 0 {
		return nil
	}
	prefix, rel := name[:i], name[i:]
	if a.prefix == nil {
		a.prefix = &prefix
	} else if *a.prefix != prefix {
		return fmt.Errorf("%w: two snapshots in one archive, under %q and %q", ErrInconsistent, *a.prefix+marker, prefix+marker)
	}
	a.addToDirs(rel)
	if !wanted(rel) {
		return nil
	}
	if hdr.Typeflag != tar.TypeReg {
		a.kind[rel] = fmt.Sprintf("a %s, not a regular file", typeName(hdr.Typeflag))
		return nil
	}
	data, err := readCapped(r, maxFile)
	if err != nil {
		return fmt.Errorf("%s: %w", rel, err)
	}
	a.content[rel] = data
	delete(a.kind, rel)
	return nil
}

// addToDirs lists rel, and its parent directory if it is a CPU's or a NUMA
// node's entry, under the directories the parser lists. Archives need not
// have entries for directories, so listings come from every path.
func (a *archiveFiles) addToDirs(rel string) {
	parts := strings.Split(rel, "/") // sys devices system cpu|node X Y ...
	for i := 4; i < len(parts) && i <= 5; i++ {
		dir := strings.Join(parts[:i], "/")
		if a.dirs[dir] == nil {
			a.dirs[dir] = map[string]bool{}
		}
		a.dirs[dir][parts[i]] = true
	}
}

func wanted(rel string) bool {
	for _, pattern := range wantedFiles {
		if ok, _ := path.Match(pattern, rel); ok {
			return true
		}
	}
	return false
}

func (a *archiveFiles) checkFound() error {
	if a.prefix == nil {
		return fmt.Errorf("%w: the archive has no %s", ErrNotSnapshot, marker)
	}
	return nil
}

func (a *archiveFiles) read(name string) (string, error) {
	if kind, ok := a.kind[name]; ok {
		return "", fmt.Errorf("%s is %s", name, kind)
	}
	data, ok := a.content[name]
	if !ok {
		return "", fmt.Errorf("%s: %w", name, fs.ErrNotExist)
	}
	return data, nil
}

func (a *archiveFiles) list(dir string) ([]string, error) {
	entries, ok := a.dirs[dir]
	if !ok {
		return nil, fmt.Errorf("%s: %w", dir, fs.ErrNotExist)
	}
	names := make([]string, 0, len(entries))
	for name := range entries {
		names = append(names, name)
	}
	return names, nil
}

// readCapped reads all of r, failing when it holds more than most bytes.
func readCapped(r io.Reader, most int64) (string, error) {
	data, err := io.ReadAll(io.LimitReader(r, most+1))
	if err != nil {
		return "", err
	}
	if int64(len(data)) > most {
		return "", fmt.Errorf("%w: larger than %d bytes", ErrTooLarge, most)
	}
	return string(data), nil
}

// cappedReader fails once more than most bytes have been read through it.
type cappedReader struct {
	r          io.Reader
	left, most int64
}

func (c *cappedReader) Read(p []byte) (int, error) {
	if c.left < 0 {
		return 0, c.err()
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	if c.left < 0 {
		return n, c.err()
	}
	return n, err
}

func (c *cappedReader) err() error {
	return fmt.Errorf("%w: uncompresses to more than %d bytes", ErrTooLarge, c.most)
}

func typeName(flag byte) string {
	switch flag {
	case tar.TypeSymlink:
		return "symbolic link"
	case tar.TypeLink:
		return "hard link"
	case tar.TypeDir:
		return "directory"
	}
	return fmt.Sprintf("tar entry of type %q", flag)
}
