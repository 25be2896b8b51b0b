package krm

import (
	"path/filepath"

	"github.com/spf13/cobra"
	"sigs.k8s.io/kustomize/kyaml/fn/framework/command"
)

// NewCommand returns the function as a command: with no arguments it
// reads a ResourceList on stdin and writes one to stdout (how kustomize runs
// it); with a functionConfig file as the first argument it runs standalone
// and writes the objects alone. Errors are printed to stderr.
func NewCommand() *cobra.Command {
	p := &Processor{}
	cmd := command.Build(p, command.StandaloneEnabled, false)
	cmd.PreRun = func(_ *cobra.Command, args []string) {
		if len(args) > 0 {
			// Standalone: topology captures are relative to the config file.
			p.WorkDir = filepath.Dir(args[0])
		}
	}
	return cmd
}

// Main runs the function as a process and returns its exit code: 1 when it
// failed (the problems are already on stderr and in the Results).
func Main() int {
	cmd := NewCommand()
	cmd.SilenceUsage = true
	if err := cmd.Execute(); err != nil {
		return 1
	}
	return 0
}
