package inventory

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const validInventory = `apiVersion: lowlat.dev/v1alpha1
kind: Inventory
metadata:
  name: test
spec:
  openshift:
    version: "4.20"
  clusters:
  - name: lab1
    region: us-east-2
    nodePools:
    - name: cnf
      instanceType: c5.metal
      replicas: 1
      machineSet: false
      tuning:
        reservedCPUs: 4
`

func TestLoadValidInventoryAppliesDefaults(t *testing.T) {
	inv, err := Parse([]byte(validInventory), "inv.yaml", ".")
	if err != nil {
		t.Fatal(err)
	}
	np := inv.Spec.Clusters[0].NodePools[0]
	got := []any{np.NodeRole, *np.Tuning.SMT, np.Tuning.TopologyPolicy, *np.Tuning.WorkloadHints.RealTime}
	want := []any{"cnf", true, "single-numa-node", true}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("defaults (-want +got):\n%s", diff)
	}
	if np.Host() == nil || np.Host().Partition.Reserved.String() != "0-1,48-49" {
		t.Errorf("host not resolved: %+v", np.Host())
	}
}

// problem is the part of a Problem a test pins: line and path, and a
// fragment of the message.
type problem struct {
	Line int
	Path string
	Has  string
}

func TestLoadRejectsBadInventories(t *testing.T) {
	cases := []struct {
		name string
		edit func(string) string
		want []problem
	}{
		{"a misspelt field is reported with a suggestion",
			replace("reservedCPUs: 4", "reservedCPU: 4"),
			[]problem{{17, "spec.clusters[0].nodePools[0].tuning.reservedCPU", `did you mean "reservedCPUs"`}}},
		{"a duplicate key names the first occurrence",
			replace("      replicas: 1\n", "      replicas: 1\n      replicas: 2\n"),
			[]problem{{15, "spec.clusters[0].nodePools[0].replicas", "first set on line 14"}}},
		{"a string where a number belongs is a type error",
			replace("replicas: 1", "replicas: two"),
			[]problem{{14, "spec.clusters[0].nodePools[0].replicas", "must be an integer"}}},
		{"an unquoted version is rejected because YAML reads it as a number",
			replace(`version: "4.20"`, "version: 4.20"),
			[]problem{{7, "spec.openshift.version", "quote values"}}},
		{"a cluster name with a path separator cannot escape the output directory",
			replace("name: lab1", "name: ../x"),
			[]problem{{9, "spec.clusters[0].name", "RFC 1123"}}},
		{"an unknown instance type lists the known ones",
			replace("c5.metal", "c5.large"),
			[]problem{{13, "spec.clusters[0].nodePools[0].instanceType", "i3.metal"}}},
		{"more reserved CPUs than the host has is rejected",
			replace("reservedCPUs: 4", "reservedCPUs: 200"),
			[]problem{{17, "spec.clusters[0].nodePools[0].tuning.reservedCPUs", "94"}}},
		{"an odd reserved count with SMT is rejected as PPC does",
			replace("reservedCPUs: 4", "reservedCPUs: 3"),
			[]problem{{17, "spec.clusters[0].nodePools[0].tuning.reservedCPUs", "reserve 2 or 4"}}},
		{"hugepages larger than a NUMA node's memory are rejected",
			appendTuning("        hugepages:\n        - {size: 1G, count: 100, node: 0}\n"),
			[]problem{{18, "spec.clusters[0].nodePools[0].tuning.hugepages", "98304 MiB per NUMA node"}}},
		{"hugepages on a NUMA node the host lacks are rejected",
			appendTuning("        hugepages:\n        - {size: 1G, count: 1, node: 2}\n"),
			[]problem{{19, "spec.clusters[0].nodePools[0].tuning.hugepages[0].node", "NUMA nodes [0 1]"}}},
		{"a kernel argument the workload hints imply is rejected",
			appendTuning("        additionalKernelArgs: [nohz_full=2-47]\n"),
			[]problem{{18, "spec.clusters[0].nodePools[0].tuning.additionalKernelArgs[0]", "always set to the isolated CPUs"}}},
		{"an unknown topology policy lists the supported ones",
			appendTuning("        topologyPolicy: strict\n"),
			[]problem{{18, "spec.clusters[0].nodePools[0].tuning.topologyPolicy", "single-numa-node"}}},
		{"a node role that names a built-in pool is rejected",
			replace("      replicas: 1\n", "      replicas: 1\n      nodeRole: worker\n"),
			[]problem{{15, "spec.clusters[0].nodePools[0].nodeRole", "already has"}}},
		{"two clusters with one name are rejected",
			func(s string) string { return s + strings.Join(strings.Split(s, "\n")[8:], "\n") },
			[]problem{{18, "spec.clusters[1].name", "lab1"}}},
		{"every problem is reported in one run",
			func(s string) string {
				return replace("replicas: 1", "replicas: 0")(replace("us-east-2", "Ohio")(s))
			},
			[]problem{{10, "spec.clusters[0].region", "AWS region"}, {14, "spec.clusters[0].nodePools[0].replicas", "at least 1"}}},
		{"splitting reserved CPUs under single-numa-node is rejected as PPC does",
			appendTuning("        splitReservedAcrossNUMA: true\n"),
			[]problem{{18, "spec.clusters[0].nodePools[0].tuning.splitReservedAcrossNUMA", "single-numa-node"}}},
		{"shape and semantic problems are reported together",
			func(s string) string {
				return replace("reservedCPUs: 4", "reservedCPU: 4")(replace("c5.metal", "c5.large")(replace("name: lab1", "name: ../x")(s)))
			},
			[]problem{
				{9, "spec.clusters[0].name", "RFC 1123"},
				{13, "spec.clusters[0].nodePools[0].instanceType", "unknown instance type"},
				{17, "spec.clusters[0].nodePools[0].tuning.reservedCPU", "did you mean"},
			}},
		{"an annotation that is not a string is a type error",
			replace("  name: test\n", "  name: test\n  annotations: {lowlat.dev/cluster: [lab1]}\n"),
			[]problem{{5, `metadata.annotations[lowlat.dev/cluster]`, "must be a string"}}},
		{"power hints that exclude each other are rejected",
			appendTuning("        workloadHints: {highPowerConsumption: true, perPodPowerManagement: true}\n"),
			[]problem{{18, "spec.clusters[0].nodePools[0].tuning.workloadHints.perPodPowerManagement", "choose one"}}},
		{"a second YAML document is rejected",
			func(s string) string { return s + "---\nkind: Other\n" },
			[]problem{{18, "", "more than one YAML document"}}},
		{"truncated YAML reports the line of the syntax error",
			func(s string) string { return s[:strings.Index(s, "nodePools")] + "nodePools: [\n" },
			[]problem{{11, "", "did not find expected node content"}}},
		{"a wrong apiVersion names the supported one",
			replace("lowlat.dev/v1alpha1", "lowlat.dev/v2"),
			[]problem{{1, "apiVersion", "lowlat.dev/v1alpha1"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.edit(validInventory)), "inv.yaml", ".")
			assertProblems(t, err, tc.want)
		})
	}
}

func TestLoadRejectsNonUTF8AndOversizedFiles(t *testing.T) {
	_, err := Parse([]byte("apiVersion: \xff\n"), "inv.yaml", ".")
	assertProblems(t, err, []problem{{1, "", "not valid UTF-8"}})
	_, err = Parse(make([]byte, MaxBytes+1), "inv.yaml", ".")
	assertProblems(t, err, []problem{{0, "", "larger than"}})
	_, err = Parse(nil, "inv.yaml", ".")
	assertProblems(t, err, []problem{{0, "", "empty"}})
}

func TestLoadReadsTopologyOverrideRelativeToTheInventory(t *testing.T) {
	dir := t.TempDir()
	inv := replace("      tuning:\n", "      topology: {lscpu: missing.lscpu}\n      tuning:\n")(validInventory)
	path := filepath.Join(dir, "inv.yaml")
	if err := os.WriteFile(path, []byte(inv), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Load(path)
	assertProblems(t, err, []problem{{16, "spec.clusters[0].nodePools[0].topology.lscpu", "no such file"}})
}

func assertProblems(t *testing.T, err error, want []problem) {
	t.Helper()
	var invErr *Error
	if !errors.As(err, &invErr) {
		t.Fatalf("want *inventory.Error, got %v", err)
	}
	if len(invErr.Problems) != len(want) {
		t.Fatalf("want %d problems, got:\n%v", len(want), err)
	}
	for i, w := range want {
		got := invErr.Problems[i]
		if got.Line != w.Line || got.Path != w.Path || !strings.Contains(got.Message, w.Has) {
			t.Errorf("problem %d: want line %d path %q containing %q, got %s", i, w.Line, w.Path, w.Has, got.String("inv.yaml"))
		}
	}
}

func replace(old, new string) func(string) string {
	return func(s string) string {
		if !strings.Contains(s, old) {
			panic("test edit does not apply: " + old)
		}
		return strings.Replace(s, old, new, 1)
	}
}

func appendTuning(lines string) func(string) string {
	return func(s string) string { return s + lines }
}
