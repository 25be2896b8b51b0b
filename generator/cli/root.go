package cli

import (
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"
)

// ExitError carries a specific exit code out of a command. Commands that have
// more to say than "failed" (a regression found, a drift detected) return one.
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string { return e.Err.Error() }
func (e *ExitError) Unwrap() error { return e.Err }

// errSilent marks a failure whose explanation the command already printed.
var errSilent = errors.New("failed")

// Main runs lowlat with args and returns the process exit code.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := NewRootCommand()
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.Execute()
	if err == nil {
		return 0
	}
	code := 1
	var exit *ExitError
	if errors.As(err, &exit) {
		code = exit.Code
	}
	if !errors.Is(err, errSilent) {
		fmt.Fprintf(stderr, "lowlat: %v\n", err)
	}
	return code
}

// NewRootCommand builds the lowlat command tree.
func NewRootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "lowlat",
		Short: "Render low-latency OpenShift GitOps trees for AWS EC2 metal from one inventory",
		Long: `lowlat turns an inventory of OpenShift clusters on AWS EC2 metal instances
into the plain-YAML GitOps repository that ArgoCD syncs: MachineSets for the
node pools, PerformanceProfiles computed per metal type, SR-IOV policies and
NetworkAttachmentDefinitions for the ENIs discovered from the EC2 API,
low-latency KubeVirt VMs and test pods, kube-burner performance tests, and
sync-wave-ordered ArgoCD Applications; also as a kustomize KRM function.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	var showVersion bool
	root.Flags().BoolVar(&showVersion, "version", false, "print lowlat's version and the upstream versions it renders for")
	root.RunE = func(cmd *cobra.Command, _ []string) error {
		if showVersion {
			printVersion(cmd.OutOrStdout())
			return nil
		}
		return cmd.Help()
	}
	root.AddCommand(
		newCPUsCommand(),
		newTopologyCommand(),
		newResultsCommand(),
		newRenderCommand(),
		newCheckCommand(),
		newDiffCommand(),
		newDiscoverCommand(),
		newAWSCommand(),
		newValidateCommand(),
		newFnCommand(),
		newRehearseCommand(),
		newAdviseCommand(),
	)
	return root
}
