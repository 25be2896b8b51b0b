package cli

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/spf13/cobra"
)

// rehearseBinary is the program `lowlat rehearse` runs: ArgoCD's sync
// engine and its dependencies live there, not in lowlat.
const rehearseBinary = "lowlat-rehearse"

func newRehearseCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "rehearse [-f INVENTORY] [-d DIR] [--from REV] [-o text|markdown|json]",
		Short: "Roll the committed tree out on a cluster twin with ArgoCD's sync engine and report whether it converges",
		Long: `Rehearse runs lowlat-rehearse (built by make build next to lowlat) with the
same arguments; see lowlat rehearse --help for its flags. It is a program of
its own so that lowlat and the KRM function do not carry ArgoCD's sync engine.`,
		DisableFlagParsing: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			bin, err := findRehearse()
			if err != nil {
				return &ExitError{Code: 2, Err: err}
			}
			return runForwardingSignals(cmd, bin, args)
		},
	}
}

// findRehearse looks beside the running lowlat first, then on PATH.
func findRehearse() (string, error) {
	if self, err := os.Executable(); err == nil {
		beside := filepath.Join(filepath.Dir(self), rehearseBinary)
		if fi, err := os.Stat(beside); err == nil && !fi.IsDir() {
			return beside, nil
		}
	}
	if p, err := exec.LookPath(rehearseBinary); err == nil {
		return p, nil
	}
	return "", fmt.Errorf("%s is neither next to lowlat nor on PATH: run make build (it writes bin/%s)", rehearseBinary, rehearseBinary)
}

// runForwardingSignals runs bin and passes an interrupt or termination on,
// so that the rehearsal stops its servers and removes its files before
// lowlat exits with its status.
func runForwardingSignals(cmd *cobra.Command, bin string, args []string) error {
	c := exec.Command(bin, args...)
	c.Stdin, c.Stdout, c.Stderr = cmd.InOrStdin(), cmd.OutOrStdout(), cmd.ErrOrStderr()
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	if err := c.Start(); err != nil {
		return &ExitError{Code: 2, Err: err}
	}
	done := make(chan error, 1)
	go func() { done <- c.Wait() }()
	for {
		select {
		case s := <-sigs:
			_ = c.Process.Signal(s)
		case err := <-done:
			var exit *exec.ExitError
			if errors.As(err, &exit) {
				return &ExitError{Code: exit.ExitCode(), Err: errSilent}
			}
			if err != nil {
				return &ExitError{Code: 2, Err: err}
			}
			return nil
		}
	}
}
