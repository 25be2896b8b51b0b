package cli

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/lowlat/lowlat/generator/topology"
	"sigs.k8s.io/yaml"
)

const c5Fixture = "../../fixtures/topologies/c5.metal.lscpu"

// runLowlat runs lowlat in-process and returns its exit code and output.
func runLowlat(stdin string, args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = Main(args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestCPUsPrintsJSONWithSpecCPUKeysInOrder(t *testing.T) {
	code, out, stderr := runLowlat("", "cpus", "--instance-type", "c5.metal", "--reserved", "6", "--split-reserved-across-numa", "-o", "json")
	want := `{
  "reserved": "0-1,24,48-49,72",
  "isolated": "2-23,25-47,50-71,73-95",
  "offlined": ""
}
`
	if code != 0 || out != want {
		t.Errorf("exit %d, stderr %q, stdout (-want +got):\n%s", code, stderr, cmp.Diff(want, out))
	}
}

func TestCPUsPrintsYAMLThatReadsBackAsStrings(t *testing.T) {
	code, out, _ := runLowlat("", "cpus", "--lscpu", c5Fixture, "--reserved-set", "0,48", "--offlined", "1", "-o", "yaml")
	want := "reserved: \"0,48\"\nisolated: \"1-47,50-95\"\nofflined: \"49\"\n"
	if code != 0 || out != want {
		t.Fatalf("exit %d, stdout (-want +got):\n%s", code, cmp.Diff(want, out))
	}
	var got cpusResult
	if err := yaml.UnmarshalStrict([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(cpusResult{Reserved: "0,48", Isolated: "1-47,50-95", Offlined: "49"}, got); diff != "" {
		t.Errorf("yaml read back (-want +got):\n%s", diff)
	}
}

func TestCPUsPrintsATextTablePerNUMANode(t *testing.T) {
	code, out, _ := runLowlat("", "cpus", "--instance-type", "c5.metal", "--reserved", "4", "--offlined", "48")
	want := `host c5.metal: 96 CPUs, 2 NUMA nodes, 2 threads per core

set       count  CPUs
reserved  4      0-1,48-49
isolated  44     2-23,50-71
offlined  48     24-47,72-95

NUMA node  reserved   isolated    offlined
0          0-1,48-49  2-23,50-71  -
1          -          -           24-47,72-95
`
	if code != 0 || out != want {
		t.Errorf("exit %d, stdout (-want +got):\n%s", code, cmp.Diff(want, out))
	}
}

func TestCPUsTextNamesTheNosmtSiblings(t *testing.T) {
	code, out, _ := runLowlat("", "cpus", "--instance-type", "c5.metal", "--reserved", "3", "--disable-ht")
	for _, s := range []string{"nosmt     48     48-95", "add the nosmt kernel argument"} {
		if code != 0 || !strings.Contains(out, s) {
			t.Errorf("exit %d, output does not contain %q:\n%s", code, s, out)
		}
	}
}

func TestCPUsUltraLowLatencyDoesNotOfflineSockets(t *testing.T) {
	code, out, _ := runLowlat("", "cpus", "--instance-type", "c5.metal", "--reserved", "4", "--offlined", "48",
		"--power-consumption-mode", "ultra-low-latency", "-o", "json")
	if code != 0 || !strings.Contains(out, `"offlined": "2-3,50-95"`) {
		t.Errorf("exit %d, output:\n%s", code, out)
	}
}

func TestCPUsReadsLscpuFromStandardInput(t *testing.T) {
	data, err := os.ReadFile(c5Fixture)
	if err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runLowlat(string(data), "cpus", "--lscpu", "-", "--reserved", "4", "-o", "json")
	if code != 0 || !strings.Contains(out, `"reserved": "0-1,48-49"`) {
		t.Errorf("exit %d, stderr %q, output:\n%s", code, stderr, out)
	}
}

func TestCPUsRejectsBadRequests(t *testing.T) {
	cases := []struct {
		name  string
		stdin string
		args  []string
		says  string
	}{
		{"an odd count with SMT says which counts work", "", []string{"--instance-type", "c5.metal", "--reserved", "5"},
			"c5.metal: can't allocate odd number of CPUs from a NUMA Node: 5 reserved CPUs would put one thread of a core in reserved and its sibling in isolated; reserve 4 or 6, or disable hyper-threading"},
		{"no host is rejected", "", []string{"--reserved", "4"}, "give the host with --instance-type TYPE or --lscpu FILE"},
		{"two hosts are rejected", "", []string{"--instance-type", "c5.metal", "--lscpu", c5Fixture, "--reserved", "4"}, "[instance-type lscpu] were all set"},
		{"no reserved CPUs are rejected", "", []string{"--instance-type", "c5.metal"}, "give the reserved CPUs with --reserved N or --reserved-set CPUSET"},
		{"a count and a set together are rejected", "", []string{"--instance-type", "c5.metal", "--reserved", "4", "--reserved-set", "0,48"}, "[reserved reserved-set] were all set"},
		{"a set cannot be split across NUMA nodes", "", []string{"--instance-type", "c5.metal", "--reserved-set", "0,48", "--split-reserved-across-numa"}, "[reserved-set split-reserved-across-numa] were all set"},
		{"2 split across two SMT NUMA nodes ask for a core per node", "", []string{"--instance-type", "c5.metal", "--reserved", "2", "--split-reserved-across-numa"},
			"leave NUMA node 1 without any; each node needs at least one whole core (2 threads with hyper-threading on), so reserve at least 4 (2 per node)"},
		{"zero reserved says the range", "", []string{"--instance-type", "c5.metal", "--reserved", "0"}, "reserve from 2 to 94"},
		{"an unknown instance type lists the known ones", "", []string{"--instance-type", "c5.large", "--reserved", "4"}, `unknown instance type "c5.large"; known types: c5.metal,`},
		{"a missing lscpu file is rejected", "", []string{"--lscpu", "no-such.lscpu", "--reserved", "4"}, "no-such.lscpu: no such file"},
		{"a broken lscpu capture names its line", "0,0,0,0\n1,x,0,0\n", []string{"--lscpu", "-", "--reserved", "1"}, `standard input: lscpu output line 2: Core "x" is not a number`},
		{"a bad reserved set is rejected", "", []string{"--instance-type", "c5.metal", "--reserved-set", "3-1"}, `--reserved-set: invalid cpuset "3-1": range "3-1" is reversed`},
		{"a reserved set that splits a core names the sibling", "", []string{"--instance-type", "c5.metal", "--reserved-set", "0-1"}, "add 48-49 or remove 0-1"},
		{"too many offlined says the most", "", []string{"--instance-type", "c5.metal", "--reserved", "4", "--offlined", "95"}, "offline at most 91"},
		{"an unknown power consumption mode lists the valid ones", "", []string{"--instance-type", "c5.metal", "--reserved", "4", "--power-consumption-mode", "eco"}, `"eco" is not one of default, low-latency, ultra-low-latency`},
		{"an unknown output format lists the valid ones", "", []string{"--instance-type", "c5.metal", "--reserved", "4", "-o", "xml"}, `--output "xml" is not one of text, json, yaml`},
		{"an argument is rejected", "", []string{"c5.metal", "--reserved", "4"}, `unknown command "c5.metal"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, stderr := runLowlat(c.stdin, append([]string{"cpus"}, c.args...)...)
			if code != 1 || out != "" || !strings.Contains(stderr, c.says) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit 1 and stderr saying %q", code, out, stderr, c.says)
			}
		})
	}
}

func TestCPUsHelpHasExamples(t *testing.T) {
	code, out, _ := runLowlat("", "cpus", "--help")
	for _, s := range []string{"Performance Profile Creator", "lowlat cpus --instance-type c5.metal --reserved 4", "--power-consumption-mode"} {
		if code != 0 || !strings.Contains(out, s) {
			t.Errorf("help does not contain %q:\n%s", s, out)
		}
	}
}

// TestCPUsTextCountsInTheSingular: a host without SMT has "1 thread per
// core", not "1 threads per core".
func TestCPUsTextCountsInTheSingular(t *testing.T) {
	topo, err := topology.ParseLscpu(strings.NewReader("# CPU,Core,Socket,Node\n0,0,0,0\n1,1,0,0\n2,2,0,0\n3,3,0,0\n"))
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	if err := printCPUsText(&out, "h", topo, topology.Partition{}); err != nil {
		t.Fatal(err)
	}
	if first, _, _ := strings.Cut(out.String(), "\n"); first != "host h: 4 CPUs, 1 NUMA node, 1 thread per core" {
		t.Errorf("first line %q", first)
	}
}
