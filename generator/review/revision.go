package review

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"os/exec"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/lowlat/lowlat/generator/tree"
)

// revision is one commit's files as an fs.FS, read through git: the listing
// from `git ls-tree`, each file from `git cat-file`. Nothing is checked out
// or extracted, so the repository's own state (index, worktrees) is never
// touched and nothing is left behind. Symbolic links and submodules are
// left out: a rendered tree never holds one, and an inventory must not
// reach outside the revision through one.
type revision struct {
	ctx    context.Context
	repo   string
	commit string
	blobs  map[string]blob          // regular files by path
	dirs   map[string][]fs.DirEntry // directories by path, "." the root
}

type blob struct {
	hash string
	size int64
	mode fs.FileMode
}

var (
	_ fs.StatFS     = (*revision)(nil)
	_ fs.ReadDirFS  = (*revision)(nil)
	_ fs.ReadFileFS = (*revision)(nil)
)

// openRevisionFS lists the files of commit.
func openRevisionFS(ctx context.Context, repo, commit string) (*revision, error) {
	out, err := gitOutput(ctx, repo, nil, "ls-tree", "-r", "-t", "-l", "-z", "--full-tree", commit)
	if err != nil {
		return nil, err
	}
	r := &revision{ctx: ctx, repo: repo, commit: commit, blobs: map[string]blob{}, dirs: map[string][]fs.DirEntry{".": nil}}
	for _, rec := range strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00") {
		if rec == "" {
			continue
		}
		if err := r.add(rec); err != nil {
			return nil, fmt.Errorf("git ls-tree %s: %w", commit, err)
		}
	}
	for _, entries := range r.dirs {
		sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	}
	return r, nil
}

// add records one `<mode> <type> <object> <size>\t<path>` record.
func (r *revision) add(rec string) error {
	meta, name, ok := strings.Cut(rec, "\t")
	fields := strings.Fields(meta)
	if !ok || len(fields) != 4 {
		return fmt.Errorf("unexpected record %q", rec)
	}
	mode, typ, hash, size := fields[0], fields[1], fields[2], fields[3]
	var e fileEntry
	switch {
	case typ == "tree":
		r.dirs[name] = r.dirs[name] // may be listed after its children
		e = fileEntry{name: path.Base(name), mode: fs.ModeDir | 0o755}
	case typ == "blob" && (mode == "100644" || mode == "100755"):
		n, err := strconv.ParseInt(size, 10, 64)
		if err != nil {
			return fmt.Errorf("size of %s: %w", name, err)
		}
		e = fileEntry{name: path.Base(name), mode: 0o644, size: n}
		r.blobs[name] = blob{hash: hash, size: n, mode: 0o644}
	default:
		return nil // symbolic links, submodules
	}
	parent := path.Dir(name)
	r.dirs[parent] = append(r.dirs[parent], e)
	return nil
}

func (r *revision) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	if entries, ok := r.dirs[name]; ok {
		return &dirFile{fileEntry: fileEntry{name: path.Base(name), mode: fs.ModeDir | 0o755}, entries: entries}, nil
	}
	data, err := r.ReadFile(name)
	if err != nil {
		return nil, err
	}
	return &blobFile{fileEntry: fileEntry{name: path.Base(name), mode: 0o644, size: int64(len(data))}, r: bytes.NewReader(data)}, nil
}

func (r *revision) Stat(name string) (fs.FileInfo, error) {
	if _, ok := r.dirs[name]; ok && fs.ValidPath(name) {
		return fileEntry{name: path.Base(name), mode: fs.ModeDir | 0o755}, nil
	}
	if b, ok := r.blobs[name]; ok {
		return fileEntry{name: path.Base(name), mode: b.mode, size: b.size}, nil
	}
	return nil, &fs.PathError{Op: "stat", Path: name, Err: fs.ErrNotExist}
}

func (r *revision) ReadDir(name string) ([]fs.DirEntry, error) {
	entries, ok := r.dirs[name]
	if !ok || !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrNotExist}
	}
	return append([]fs.DirEntry(nil), entries...), nil
}

func (r *revision) ReadFile(name string) ([]byte, error) {
	b, ok := r.blobs[name]
	if !ok {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return gitOutput(r.ctx, r.repo, nil, "cat-file", "blob", b.hash)
}

// tree reads the generated files under roots, as tree.Read does on disk,
// with one `git cat-file --batch` for all of them.
func (r *revision) tree(roots []string) (*tree.Tree, error) {
	var names []string
	for name := range r.blobs {
		if underAny(name, roots) {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	var stdin bytes.Buffer
	for _, name := range names {
		stdin.WriteString(r.blobs[name].hash + "\n")
	}
	out, err := gitOutput(r.ctx, r.repo, &stdin, "cat-file", "--batch")
	if err != nil {
		return nil, err
	}
	t := tree.New()
	for _, name := range names {
		var data []byte
		if data, out, err = nextBlob(out); err != nil {
			return nil, fmt.Errorf("git cat-file %s: %w", name, err)
		}
		if !tree.HasHeader(data) {
			continue
		}
		if err := t.AddFile(name, data[len(tree.Header):]); err != nil {
			return nil, err
		}
	}
	return t, nil
}

func underAny(name string, roots []string) bool {
	for _, root := range roots {
		if strings.HasPrefix(name, root+"/") {
			return true
		}
	}
	return false
}

// nextBlob splits one `<object> <type> <size>\n<content>\n` answer of
// `git cat-file --batch` off out.
func nextBlob(out []byte) (data, rest []byte, err error) {
	header, body, ok := bytes.Cut(out, []byte("\n"))
	fields := strings.Fields(string(header))
	if !ok || len(fields) != 3 {
		return nil, nil, fmt.Errorf("unexpected answer %q", header)
	}
	size, err := strconv.Atoi(fields[2])
	if err != nil || size+1 > len(body) {
		return nil, nil, fmt.Errorf("unexpected answer %q", header)
	}
	return body[:size], body[size+1:], nil
}

// gitOutput runs git in repo and returns its output as it is.
func gitOutput(ctx context.Context, repo string, stdin io.Reader, args ...string) ([]byte, error) {
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, "git", append(gitDir(repo), args...)...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = stdin, &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, gitError(args[0], err, &stderr)
	}
	return stdout.Bytes(), nil
}

// fileEntry describes a file or directory of a revision.
type fileEntry struct {
	name string
	mode fs.FileMode
	size int64
}

func (e fileEntry) Name() string               { return e.name }
func (e fileEntry) Size() int64                { return e.size }
func (e fileEntry) Mode() fs.FileMode          { return e.mode }
func (e fileEntry) ModTime() time.Time         { return time.Time{} }
func (e fileEntry) IsDir() bool                { return e.mode.IsDir() }
func (e fileEntry) Sys() any                   { return nil }
func (e fileEntry) Type() fs.FileMode          { return e.mode.Type() }
func (e fileEntry) Info() (fs.FileInfo, error) { return e, nil }

type blobFile struct {
	fileEntry
	r *bytes.Reader
}

func (f *blobFile) Stat() (fs.FileInfo, error) { return f.fileEntry, nil }
func (f *blobFile) Read(p []byte) (int, error) { return f.r.Read(p) }
func (f *blobFile) Close() error               { return nil }

type dirFile struct {
	fileEntry
	entries []fs.DirEntry
}

func (d *dirFile) Stat() (fs.FileInfo, error) { return d.fileEntry, nil }
func (d *dirFile) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: d.name, Err: fs.ErrInvalid}
}
func (d *dirFile) Close() error { return nil }

// ReadDir returns the rest of the directory's entries, all when n <= 0.
func (d *dirFile) ReadDir(n int) ([]fs.DirEntry, error) {
	if n <= 0 || n >= len(d.entries) {
		out := d.entries
		d.entries = nil
		if n > 0 && len(out) == 0 {
			return nil, io.EOF
		}
		return out, nil
	}
	out := d.entries[:n]
	d.entries = d.entries[n:]
	return out, nil
}
