package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/lowlat/lowlat/generator/inventory"
	"github.com/lowlat/lowlat/generator/tree"
)

// ErrStaleTree: a directory side of diff is not what its inventory renders,
// so diffing it would hide the inventory's edits.
var ErrStaleTree = errors.New("the rendered tree is stale")

// checkFresh fails when dir holds a tree that differs from what its
// inventory renders: an edited inventory that was not rendered would
// otherwise diff as "no changes". A directory without its inventory, or
// whose inventory does not load, has nothing to compare with.
func (o *diffOptions) checkFresh(which, dir, inventoryFile string) error {
	paths := o.insideDir(dir, inventoryFile)
	if len(paths) == 0 {
		return nil
	}
	fleet, err := inventory.OpenFleet(paths, nil)
	if err != nil {
		return nil // the report notes the inventory's problem
	}
	checker := tree.NewChecker(dir)
	if err := stream(fleet, nil, checker, paths, io.Discard); err != nil {
		return nil
	}
	n := len(checker.Changes())
	if n == 0 {
		return nil
	}
	fix := fmt.Sprintf("lowlat render -f %s -o %s", strings.Join(paths, " -f "), dir)
	if filepath.Clean(dir) == "." && len(paths) == 1 && paths[0] == defaultInventory {
		fix = "make generate (or " + fix + ")"
	}
	return fmt.Errorf("%s: %w: %d file(s) in %s differ from what %s renders, so the diff would not show the inventory's changes; run %s, then diff again",
		which, ErrStaleTree, n, dir, strings.Join(paths, ", "), fix)
}

// insideDir is the inventory of a directory side: inventoryFile, or the
// -f paths inside dir when they are all there.
func (o *diffOptions) insideDir(dir, inventoryFile string) []string {
	if inventoryFile != "" {
		return []string{inventoryFile}
	}
	var out []string
	for _, p := range o.inventory {
		b := filepath.Join(dir, p)
		if _, err := os.Stat(b); err != nil {
			return nil
		}
		out = append(out, b)
	}
	return out
}
