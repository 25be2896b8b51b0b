package krm

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"
	"go.yaml.in/yaml/v3"
)

// NewCommand returns the function as a command: with no arguments it
// reads a ResourceList on stdin and writes one to stdout (how kustomize runs
// it); with a functionConfig file as the first argument it runs standalone
// and writes the objects alone, after the resources of the files (or "-"
// for stdin) that follow it. Problems are printed to stderr, and in a
// ResourceList also written as its results.
func NewCommand() *cobra.Command {
	var cluster string
	cmd := &cobra.Command{
		Args:          cobra.ArbitraryArgs,
		SilenceErrors: true,
		SilenceUsage:  true,
		RunE: func(cmd *cobra.Command, args []string) error {
			var err error
			if len(args) == 0 {
				err = runResourceList(cmd.InOrStdin(), cmd.OutOrStdout(), cluster)
			} else {
				err = runStandalone(args, cmd.InOrStdin(), cmd.OutOrStdout(), cluster)
			}
			if err != nil {
				// kustomize prints its own message right after the
				// function's stderr.
				fmt.Fprintln(cmd.ErrOrStderr(), err)
			}
			return err
		},
	}
	cmd.Flags().StringVar(&cluster, "cluster", "", "the cluster of a multi-cluster inventory whose overlay to emit (instead of the lowlat.dev/cluster annotation)")
	return cmd
}

// runResourceList is the function as kustomize runs it.
func runResourceList(in io.Reader, out io.Writer, cluster string) error {
	rl, err := readResourceList(in)
	if err != nil {
		return err
	}
	f := function{Cluster: cluster}
	items, objs, results := f.process(rl.items, rl.functionConfig)
	if len(results) > 0 {
		results = f.inSourceFile(rl.functionConfig, results)
		if err := writeResourceList(out, rl.items, nil, rl.functionConfig, results); err != nil {
			return err
		}
		return results
	}
	return writeResourceList(out, items, objs, rl.functionConfig, nil)
}

// runStandalone reads the functionConfig from args[0]; topology captures
// are relative to it.
func runStandalone(args []string, stdin io.Reader, out io.Writer, cluster string) error {
	data, err := os.ReadFile(args[0])
	if err != nil {
		return err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return fmt.Errorf("%s: %w", args[0], err)
	}
	var items []*yaml.Node
	for _, a := range args[1:] {
		var r io.Reader = stdin
		if a != "-" {
			f, err := os.Open(a)
			if err != nil {
				return err
			}
			defer f.Close()
			r = f
		}
		more, err := readItems(r)
		if err != nil {
			return fmt.Errorf("%s: %w", a, err)
		}
		items = append(items, more...)
	}
	items, objs, results := function{WorkDir: filepath.Dir(args[0]), Cluster: cluster}.process(items, withPath(documentRoot(&doc), args[0]))
	if len(results) > 0 {
		return results
	}
	for _, obj := range objs {
		node, err := toNode(obj)
		if err != nil {
			return err
		}
		items = append(items, node)
	}
	return writeObjects(out, items)
}

// Main runs the function as a process and returns its exit code: 1 when it
// failed (the problems are already on stderr and in the Results).
func Main() int {
	if err := NewCommand().Execute(); err != nil {
		return 1
	}
	return 0
}
