package topology_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

// The Performance Profile Creator's e2e suite is read from the pinned
// cluster-node-tuning-operator module in the Go module cache; nothing is
// copied into this repository. `make test` downloads the module first
// (target testdata-modules), with the same module and version.
const (
	ppcModule   = "github.com/openshift/cluster-node-tuning-operator" // lower case: its cache path needs no escaping
	ppcVersion  = "v0.0.0-20260209053755-f5fe4460e852"                // release-4.22
	ppcTestdata = "test/e2e/performanceprofile/testdata"
)

// ppcTestdataDir returns the suite's directory in the module cache, failing
// the test with the command that fetches it when it is missing.
func ppcTestdataDir(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(modCache(t), ppcModule+"@"+ppcVersion, filepath.FromSlash(ppcTestdata))
	if _, err := os.Stat(dir); err == nil {
		return dir
	}
	if strings.Contains(os.Getenv("GOFLAGS"), "-mod=vendor") {
		t.Skipf("PPC's e2e testdata is not in the module cache, and GOFLAGS=%s keeps the go command from fetching modules", os.Getenv("GOFLAGS"))
	}
	t.Fatalf("PPC's e2e testdata is not in the module cache (%s); fetch it with\n  GONOSUMDB=%s go mod download %s@%s\nor run make test, which does", dir, ppcModule, ppcModule, ppcVersion)
	return ""
}

func modCache(t *testing.T) string {
	t.Helper()
	if dir := os.Getenv("GOMODCACHE"); dir != "" {
		return dir
	}
	out, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		t.Fatalf("go env GOMODCACHE: %v", err)
	}
	return strings.TrimSpace(string(out))
}

// mustGatherObject is the part of a must-gather's Node or
// MachineConfigPool YAML that decides which nodes a pool has.
type mustGatherObject struct {
	Metadata struct {
		Name   string            `json:"name"`
		Labels map[string]string `json:"labels"`
	} `json:"metadata"`
	Spec struct {
		NodeSelector *struct {
			MatchLabels      map[string]string `json:"matchLabels"`
			MatchExpressions []any             `json:"matchExpressions"`
		} `json:"nodeSelector"`
		Taints []struct {
			Key, Value, Effect string
		} `json:"taints"`
	} `json:"spec"`
}

// poolNodes returns the nodes of a must-gather's MachineConfigPool the way
// PPC picks them (profilecreator.GetNodesForPool): a node belongs to its one
// custom pool if it has one, else to master, else to worker; Windows nodes
// and nodes tainted NoSchedule with the pool's own label are left out.
func poolNodes(t *testing.T, mustGather, pool string) []string {
	t.Helper()
	resources := findOne(t, filepath.Join(mustGather, "*", "cluster-scoped-resources"))
	pools := readObjects(t, filepath.Join(resources, "machineconfiguration.openshift.io", "machineconfigpools"))
	var names []string
	for _, n := range readObjects(t, filepath.Join(resources, "core", "nodes")) {
		if p := primaryPool(t, n, pools); p != nil && p.Metadata.Name == pool && !tainted(n, p) {
			names = append(names, n.Metadata.Name)
		}
	}
	slices.Sort(names)
	return names
}

func primaryPool(t *testing.T, node mustGatherObject, pools []mustGatherObject) *mustGatherObject {
	if node.Metadata.Labels["kubernetes.io/os"] == "windows" {
		return nil
	}
	var master, worker, custom []*mustGatherObject
	for i, p := range pools {
		if !selects(t, p, node.Metadata.Labels) {
			continue
		}
		switch p.Metadata.Name {
		case "master":
			master = append(master, &pools[i])
		case "worker":
			worker = append(worker, &pools[i])
		default:
			custom = append(custom, &pools[i])
		}
	}
	for _, group := range [][]*mustGatherObject{custom, master, worker} {
		if len(group) > 1 {
			t.Fatalf("node %s is in %d pools of one kind; PPC rejects it", node.Metadata.Name, len(group))
		}
		if len(group) == 1 {
			return group[0]
		}
	}
	return nil
}

// selects matches a pool's node selector; an empty one selects nothing.
func selects(t *testing.T, pool mustGatherObject, labels map[string]string) bool {
	sel := pool.Spec.NodeSelector
	if sel == nil || len(sel.MatchExpressions) > 0 {
		if sel != nil {
			t.Fatalf("pool %s has matchExpressions, which this test does not evaluate", pool.Metadata.Name)
		}
		return false
	}
	for k, v := range sel.MatchLabels {
		if got, ok := labels[k]; !ok || got != v {
			return false
		}
	}
	return len(sel.MatchLabels) > 0
}

func tainted(node mustGatherObject, pool *mustGatherObject) bool {
	for _, taint := range node.Spec.Taints {
		if v, ok := pool.Spec.NodeSelector.MatchLabels[taint.Key]; taint.Effect == "NoSchedule" && ok && v == taint.Value && len(pool.Spec.NodeSelector.MatchLabels) == 1 {
			return true
		}
	}
	return false
}

func readObjects(t *testing.T, dir string) []mustGatherObject {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no YAML files in %s: %v", dir, err)
	}
	objs := make([]mustGatherObject, len(files))
	for i, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := yaml.Unmarshal(data, &objs[i]); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
	}
	return objs
}

func findOne(t *testing.T, pattern string) string {
	t.Helper()
	matches, err := filepath.Glob(pattern)
	if err != nil || len(matches) != 1 {
		t.Fatalf("want one match of %s, got %v (%v)", pattern, matches, err)
	}
	return matches[0]
}
