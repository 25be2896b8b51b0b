package krm

import (
	"bytes"
	"flag"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"go.yaml.in/yaml/v3"
	"sigs.k8s.io/kustomize/kyaml/fn/framework/frameworktestutil"
)

var update = flag.Bool("update", false, "rewrite the expected.yaml and errors.txt fixtures under testdata/")

// TestFixtures runs each testdata/<case>/config.yaml as a standalone
// functionConfig: expected.yaml holds the objects of a success, errors.txt
// the error output of a failure. Run with -update to accept new output.
func TestFixtures(t *testing.T) {
	checker := frameworktestutil.CommandResultsChecker{
		Command:                  func() *cobra.Command { return NewCommand() },
		UpdateExpectedFromActual: *update,
		ErrorAssertionFunc:       frameworktestutil.RequireStrippedStringsEqual,
	}
	checker.Assert(t)
	if n := len(checker.TestCasesRun()); n < 7 {
		t.Errorf("%d fixture cases ran, want every case under testdata/", n)
	}
}

// TestErrorsAreResultsAndFailTheCommand runs the function as kustomize
// does, with a ResourceList on stdin: the problems come back as error
// Results in the ResourceList, and the command fails.
func TestErrorsAreResultsAndFailTheCommand(t *testing.T) {
	in := `apiVersion: config.kubernetes.io/v1
kind: ResourceList
items: []
functionConfig:
  apiVersion: lowlat.dev/v1alpha1
  kind: Inventory
  metadata: {name: bad}
  spec:
    openshift: {version: "4.20"}
    clusters:
    - {name: lab, region: mars-1, nodePools: []}
`
	var out, errOut bytes.Buffer
	cmd := NewCommand()
	cmd.SetArgs(nil)
	cmd.SetIn(strings.NewReader(in))
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	if err := cmd.Execute(); err == nil {
		t.Fatal("the command succeeded on a bad inventory")
	}
	var rl struct {
		Kind    string  `yaml:"kind"`
		Results Results `yaml:"results"`
	}
	if err := yaml.Unmarshal(out.Bytes(), &rl); err != nil {
		t.Fatalf("output is not a ResourceList: %v\n%s", err, out.String())
	}
	var fields []string
	for _, r := range rl.Results {
		if r.Severity != "error" || r.Field == nil {
			t.Errorf("result %+v is not an error about a field", r)
			continue
		}
		fields = append(fields, r.Field.Path)
	}
	want := []string{"spec.clusters[0].nodePools", "spec.clusters[0].region"}
	if rl.Kind != "ResourceList" || !slices.Equal(fields, want) {
		t.Errorf("kind %q, results about %v; want a ResourceList with results about %v", rl.Kind, fields, want)
	}
	if !strings.Contains(errOut.String(), "mars-1") {
		t.Errorf("stderr does not explain the problem: %s", errOut.String())
	}
}
