package cli

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/lowlat/lowlat/generator/review"
)

var (
	diffOutputs = []string{"text", "markdown", "json"}
	diffColors  = []string{"auto", "always", "never"}
	diffSources = []string{"render", "committed"}
)

// defaultInventory is the inventory that renders the committed tree.
const defaultInventory = "fixtures/inventories/workshop.yaml"

type diffOptions struct {
	inventory     []string
	baseInventory string
	headInventory string
	output        string
	color         string
	from          string
	exitCode      bool
	markdownLimit int
}

func newDiffCommand() *cobra.Command {
	o := &diffOptions{}
	cmd := &cobra.Command{
		Use:   "diff BASE HEAD [-f INVENTORY] [-o text|markdown|json]",
		Short: "Review the rendered manifests that change between two trees or git revisions",
		Long: `Diff compares two rendered trees resource by resource and prints what a
reviewer approves: the resources added, removed and changed, grouped by cluster
and ArgoCD Application, with each changed field as a YAML path, old → new. List
items are matched by their name (or key, or hugepage size and NUMA node), not by
position. Consequences come first: node reboots (a PerformanceProfile or
MachineConfigPool changed, with each pool's node count), moved reserved,
isolated or offlined CPUs, node drains (an SR-IOV policy changed) and removed
resources that ArgoCD keeps because they carry Prune=false.

BASE and HEAD are each a directory holding base/, overlays/ and apps/, or a git
revision. A revision is rendered from its inventory (-f, a path in the
repository) by this lowlat, or with --from committed its committed tree is
read; the committed tree is what ArgoCD applies and shows generator changes too.
Node counts come from the inventory: a revision's own, or for a directory
--base-inventory/--head-inventory, else the -f path inside that directory;
without one the count is "unknown".

A directory whose inventory is at hand (--base-inventory/--head-inventory,
or the -f path inside it) must be what that inventory renders: a tree left
stale by an inventory edit that was not rendered is an error that says how
to render it, rather than a diff that misses the edit.

The exit status is 0 whether or not anything changed and 1 on an error. With
--exit-code it is 1 when something changed and 2 on an error, like diff(1).`,
		Example: `  # What a pull request changes, as CI computes it
  lowlat diff --from committed origin/main HEAD

  # The working tree's render against main, with node counts
  lowlat render -f fixtures/inventories/workshop.yaml
  lowlat diff origin/main . --head-inventory fixtures/inventories/workshop.yaml

  # Markdown for a pull-request comment
  lowlat diff origin/main HEAD -o markdown > diff.md`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			err := o.run(cmd, args[0], args[1])
			if err != nil && o.exitCode && !isExit(err) {
				return &ExitError{Code: 2, Err: err}
			}
			return err
		},
	}
	o.addFlags(cmd)
	return cmd
}

func (o *diffOptions) addFlags(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringArrayVarP(&o.inventory, "filename", "f", []string{defaultInventory}, "inventory file or directory, repeatable for a fleet: in the repository at a git revision, or inside a directory side")
	f.StringVar(&o.baseInventory, "base-inventory", "", "inventory file or directory giving node counts when BASE is a directory")
	f.StringVar(&o.headInventory, "head-inventory", "", "inventory file or directory giving node counts when HEAD is a directory")
	f.StringVarP(&o.output, "output", "o", "text", "output format: one of "+strings.Join(diffOutputs, ", "))
	f.StringVar(&o.color, "color", "auto", "colour the text output: one of "+strings.Join(diffColors, ", ")+"; auto colours a terminal unless NO_COLOR is set")
	f.StringVar(&o.from, "from", "render", "how a git revision becomes a tree: one of "+strings.Join(diffSources, ", "))
	f.BoolVar(&o.exitCode, "exit-code", false, "exit 1 when something changed and 2 on an error")
	f.IntVar(&o.markdownLimit, "markdown-limit", review.GitHubCommentLimit-1024, "largest Markdown output in bytes (0: no limit); Application sections beyond it are counted, not shown")
}

func (o *diffOptions) validate() error {
	for _, c := range []struct {
		flag, value string
		allowed     []string
	}{{"--output", o.output, diffOutputs}, {"--color", o.color, diffColors}, {"--from", o.from, diffSources}} {
		if !slices.Contains(c.allowed, c.value) {
			return fmt.Errorf("%s %q is not one of %s", c.flag, c.value, strings.Join(c.allowed, ", "))
		}
	}
	if o.markdownLimit < 0 {
		return fmt.Errorf("--markdown-limit %d is negative", o.markdownLimit)
	}
	return nil
}

func (o *diffOptions) run(cmd *cobra.Command, baseArg, headArg string) error {
	if err := o.validate(); err != nil {
		return err
	}
	base, err := o.open(cmd, "BASE", baseArg, o.baseInventory)
	if err != nil {
		return err
	}
	head, err := o.open(cmd, "HEAD", headArg, o.headInventory)
	if err != nil {
		return err
	}
	report, err := review.Compare(base, head)
	if err != nil {
		return err
	}
	if err := o.write(cmd.OutOrStdout(), report); err != nil {
		return err
	}
	if o.exitCode && !report.Summary.Empty() {
		return &ExitError{Code: 1, Err: errSilent}
	}
	return nil
}

func (o *diffOptions) open(cmd *cobra.Command, which, arg, inventoryFile string) (*review.Side, error) {
	if fi, err := os.Stat(arg); err == nil && fi.IsDir() {
		if err := o.checkFresh(which, arg, inventoryFile); err != nil {
			return nil, err
		}
	}
	side, err := review.Open(cmd.Context(), arg, review.OpenOptions{
		InventoryPaths: o.inventory,
		InventoryFile:  inventoryFile,
		Committed:      o.from == "committed",
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", which, err)
	}
	return side, nil
}

func (o *diffOptions) write(w io.Writer, r *review.Report) error {
	switch o.output {
	case "markdown":
		return review.Markdown(w, r, o.markdownLimit)
	case "json":
		return review.JSON(w, r)
	}
	return review.Text(w, r, useColor(o.color, w))
}

// useColor decides colour: always, never, or auto — a terminal, unless
// NO_COLOR (no-color.org) is set or TERM is dumb.
func useColor(mode string, w io.Writer) bool {
	switch mode {
	case "always":
		return true
	case "never":
		return false
	}
	f, ok := w.(*os.File)
	if !ok || os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" {
		return false
	}
	return term.IsTerminal(int(f.Fd()))
}

func isExit(err error) bool {
	_, ok := err.(*ExitError)
	return ok
}
