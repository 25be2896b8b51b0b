package tree

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// journalFile, inside a staging directory, lists the roots whose swap has
// begun, each with the identity of its staged directory. It exists only while
// roots are being swapped: a staging directory that still has one belongs to
// a write that was interrupted half-way, whose swaps must be undone.
const journalFile = "journal"

// ErrInterrupted is returned by Read when an interrupted write left some
// roots swapped and others not.
var ErrInterrupted = errors.New("an interrupted render left the tree half-swapped")

// swapAll swaps each staged root into place, journalling each swap before it
// happens. On a failure it undoes the swaps already done.
func swapAll(outDir, staging string, roots []string) error {
	journal := filepath.Join(staging, journalFile)
	j, err := os.OpenFile(journal, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer j.Close()
	for i, root := range roots {
		staged := filepath.Join(staging, "new", root)
		id, err := dirID(staged)
		if err == nil {
			_, err = fmt.Fprintf(j, "%s %s\n", root, id)
		}
		if err == nil {
			err = swap(staged, filepath.Join(outDir, root), filepath.Join(staging, "old", root))
		}
		if err != nil {
			return errors.Join(err, rollback(outDir, staging))
		}
		if i < len(roots)-1 {
			step("swapped " + root)
		}
	}
	// Removing the journal commits the write: from here on the new tree stays.
	return os.Remove(journal)
}

// swap puts staged in place of current, moving the previous current out of
// the way (to old, or wherever exchange leaves it inside the staging area).
// An empty staged root removes current rather than leaving an empty directory.
func swap(staged, current, old string) error {
	if err := os.MkdirAll(filepath.Dir(old), 0o755); err != nil {
		return err
	}
	_, err := os.Lstat(current)
	exists := err == nil
	if entries, _ := os.ReadDir(staged); len(entries) == 0 {
		if exists {
			return os.Rename(current, old)
		}
		return nil
	}
	if !exists {
		return os.Rename(staged, current)
	}
	return exchange(staged, current, old)
}

// Recover puts back the previous tree of a write that was interrupted while
// swapping roots, and removes what interrupted writes left behind. Write
// calls it first; `lowlat render` therefore repairs a tree on its next run.
func Recover(outDir string) error {
	unlock, err := lockDir(outDir)
	if err != nil {
		return err
	}
	defer unlock()
	return recoverStaging(outDir)
}

func recoverStaging(outDir string) error {
	stale, err := filepath.Glob(filepath.Join(outDir, stagingPrefix+"*"))
	if err != nil {
		return err
	}
	for _, staging := range stale {
		if err := rollback(outDir, staging); err != nil {
			return fmt.Errorf("restore the tree from %s: %w", staging, err)
		}
		if err := os.RemoveAll(staging); err != nil {
			return err
		}
	}
	return nil
}

// rollback undoes, newest first, the journalled swaps of one staging
// directory. Each undo looks at what is on disk, so running it twice (after
// a second interruption) is safe.
func rollback(outDir, staging string) error {
	entries, err := readJournal(filepath.Join(staging, journalFile))
	if err != nil || len(entries) == 0 {
		return err
	}
	for i := len(entries) - 1; i >= 0; i-- {
		if err := undo(outDir, staging, entries[i].root, entries[i].id); err != nil {
			return err
		}
	}
	return os.Remove(filepath.Join(staging, journalFile))
}

// undo restores one root. The staged directory's identity tells whether its
// swap happened: if the root is that directory, the previous root is where
// swap left it (staging/new after an exchange, staging/old after renames, or
// nowhere if there was none).
func undo(outDir, staging, root, id string) error {
	current := filepath.Join(outDir, root)
	prevExchanged := filepath.Join(staging, "new", root)
	prevRenamed := filepath.Join(staging, "old", root)
	aside := filepath.Join(staging, "undone", root)
	curID, err := dirID(current)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		// Either the root was emptied, or renames stopped half-way.
		return renameIfExists(prevRenamed, current)
	case err != nil:
		return err
	case curID != id:
		return nil // this swap never happened, or is already undone
	case exists(prevExchanged):
		return exchange(prevExchanged, current, aside)
	}
	if err := os.MkdirAll(filepath.Dir(aside), 0o755); err != nil {
		return err
	}
	if err := os.Rename(current, aside); err != nil {
		return err
	}
	return renameIfExists(prevRenamed, current)
}

type journalEntry struct{ root, id string }

func readJournal(p string) ([]journalEntry, error) {
	f, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []journalEntry
	s := bufio.NewScanner(f)
	for s.Scan() {
		fields := strings.Fields(s.Text())
		if len(fields) == 2 {
			out = append(out, journalEntry{fields[0], fields[1]})
		}
	}
	return out, s.Err()
}

// interrupted reports a staging directory of outDir that still has a
// journal, i.e. a write stopped between swaps.
func interrupted(outDir string) (string, error) {
	journals, err := filepath.Glob(filepath.Join(outDir, stagingPrefix+"*", journalFile))
	if err != nil || len(journals) == 0 {
		return "", err
	}
	return filepath.Dir(journals[0]), nil
}

func exists(p string) bool {
	_, err := os.Lstat(p)
	return err == nil
}

func renameIfExists(from, to string) error {
	if !exists(from) {
		return nil
	}
	return os.Rename(from, to)
}

// formatID prints a device and inode pair.
func formatID(dev, ino uint64) string {
	return strconv.FormatUint(dev, 10) + ":" + strconv.FormatUint(ino, 10)
}
