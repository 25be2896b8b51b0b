package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sort"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/lowlat/lowlat/generator/layout"
	"github.com/lowlat/lowlat/generator/schema"
)

type validateOptions struct {
	listSchemas bool
}

func newValidateCommand() *cobra.Command {
	o := &validateOptions{}
	cmd := &cobra.Command{
		Use:   "validate [DIR|FILE...]",
		Short: "Check every resource against its upstream schema",
		Long: `Validate checks each resource in the YAML files under the given files and
directories (default: base/, overlays/, apps/ and krm/ of the current
directory) the way the API server would on create: custom resources against the CRD
files of the operators that own them (PerformanceProfile, MachineConfigPool,
SR-IOV, NetworkAttachmentDefinition, HyperConverged, OLM, ArgoCD) with
apiextensions-apiserver's structural schema code, KubeVirt VirtualMachines
against KubeVirt's generated schema plus the admission rules of low-latency
VMs, built-in kinds by strict decoding into their k8s.io/api types, and the
Inventory of each krm/<cluster>/ entry point with lowlat's own loader.

Unknown fields, wrong types, missing required fields, unsupported enum values
and pattern mismatches are all reported, each with file, line, resource,
field path and rule. A kind with no schema is an error, so nothing is left
unchecked. --schemas lists where each kind's schema comes from.`,
		Example: `  # What make check runs, from the repository root
  lowlat validate
  # One overlay, or the output of kustomize build
  lowlat validate overlays/aws/lab1
  kustomize build overlays/aws/lab1 > /tmp/lab1.yaml && lowlat validate /tmp/lab1.yaml`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.listSchemas {
				return writeSources(cmd.OutOrStdout())
			}
			return runValidate(cmd.OutOrStdout(), cmd.ErrOrStderr(), args)
		},
	}
	cmd.Flags().BoolVar(&o.listSchemas, "schemas", false, "list each kind's schema source (module@version path) and exit")
	return cmd
}

func runValidate(stdout, stderr io.Writer, paths []string) error {
	if len(paths) == 0 {
		var err error
		if paths, err = defaultRoots(); err != nil {
			return err
		}
	}
	res, err := schema.New().ValidatePaths(paths)
	if err != nil {
		return err
	}
	for _, p := range res.Problems {
		fmt.Fprintln(stdout, p)
	}
	if n := len(res.Problems); n > 0 {
		writeProblemSources(stdout, res.Problems)
		return fmt.Errorf("%d schema problem(s) in %d resource(s) of %d file(s)", n, res.Resources, res.Files)
	}
	fmt.Fprintf(stderr, "%d resources in %d files match their schemas\n", res.Resources, res.Files)
	return nil
}

// defaultRoots are the rendered roots that exist in the current directory.
func defaultRoots() ([]string, error) {
	var out []string
	for _, r := range layout.Roots {
		if _, err := os.Stat(r); err == nil {
			out = append(out, r)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no %v directories here; name the files or directories to validate", layout.Roots)
	}
	return out, nil
}

// writeProblemSources names the schemas the problems were found with, so a
// reader can tell a real mistake from an outdated schema.
func writeProblemSources(w io.Writer, problems []schema.Problem) {
	seen := map[string]bool{}
	var list []string
	for _, p := range problems {
		if p.Schema != "" && !seen[p.Schema] {
			seen[p.Schema] = true
			list = append(list, p.Schema)
		}
	}
	sort.Strings(list)
	for _, s := range list {
		fmt.Fprintf(w, "schema: %s\n", s)
	}
}

func writeSources(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "GROUP\tKIND\tFORMAT\tSOURCE")
	for _, s := range schema.Sources() {
		group := s.Group
		if group == "" {
			group = "core"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", group, s.Kind, s.Format, s)
	}
	return tw.Flush()
}
