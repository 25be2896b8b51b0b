package review

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// runGit runs git in repo and returns its trimmed output; a failure carries
// git's own message.
func runGit(ctx context.Context, repo string, args ...string) (string, error) {
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, "git", append(gitDir(repo), args...)...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", gitError(args[0], err, &stderr)
	}
	return strings.TrimSpace(stdout.String()), nil
}

func gitDir(repo string) []string {
	if repo == "" {
		return nil
	}
	return []string{"-C", repo}
}

func gitError(what string, err error, stderr *bytes.Buffer) error {
	if msg := strings.TrimSpace(stderr.String()); msg != "" {
		return fmt.Errorf("git %s: %s", what, msg)
	}
	return fmt.Errorf("git %s: %w", what, err)
}

// extract writes the files of commit into dir. It reads `git archive`
// rather than checking out a worktree, so the repository's own state (index,
// worktree list) is never touched and nothing is left behind on failure.
func extract(ctx context.Context, repo, commit, dir string) error {
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, "git", append(gitDir(repo), "archive", "--format=tar", commit)...)
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("git archive: %w", err)
	}
	untarErr := untar(out, dir)
	_, _ = io.Copy(io.Discard, out) // let git finish writing before Wait
	if err := cmd.Wait(); err != nil {
		return gitError("archive", err, &stderr)
	}
	if untarErr != nil {
		return fmt.Errorf("extract %s: %w", commit, untarErr)
	}
	return nil
}

// untar writes the directories and regular files of a tar stream under dir.
// Symbolic links are skipped: a rendered tree never holds one, and an
// inventory must not reach outside the revision through one.
func untar(r io.Reader, dir string) error {
	tr := tar.NewReader(r)
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		name := filepath.FromSlash(strings.TrimSuffix(hdr.Name, "/"))
		if hdr.Typeflag != tar.TypeXGlobalHeader && !filepath.IsLocal(name) {
			return fmt.Errorf("archive entry %q is outside the tree", hdr.Name)
		}
		target := filepath.Join(dir, name)
		switch hdr.Typeflag {
		case tar.TypeDir:
			err = os.MkdirAll(target, 0o755)
		case tar.TypeReg:
			err = writeFile(target, tr)
		}
		if err != nil {
			return err
		}
	}
}

func writeFile(path string, r io.Reader) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
