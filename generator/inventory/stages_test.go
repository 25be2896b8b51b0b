package inventory

import (
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/lowlat/lowlat/generator/host"
)

// TestStagesRunApart runs the four stages of loading one by one: Validate
// checks fields only, and only Resolve reads captures and partitions.
func TestStagesRunApart(t *testing.T) {
	capture, err := os.ReadFile("../../fixtures/topologies/c5.metal.lscpu")
	if err != nil {
		t.Fatal(err)
	}
	text := replace("      tuning:\n", "      topology: {lscpu: ../topologies/c5.lscpu}\n      tuning:\n")(validInventory)
	root, problem := parseYAML([]byte(text))
	if problem != nil {
		t.Fatal(problem.Message)
	}
	inv, err := decode(root)
	if err != nil {
		t.Fatal(err)
	}
	Default(inv)
	if errs := Validate(inv); len(errs) > 0 {
		t.Fatalf("validate: %v", errs)
	}
	np := &inv.Spec.Clusters[0].NodePools[0]
	if np.Host() != nil {
		t.Fatal("Validate resolved the pool's host")
	}
	files := host.Files{FS: fstest.MapFS{"repo/topologies/c5.lscpu": {Data: capture}}, Dir: "repo/inventories"}
	if errs := Resolve(inv, files, nil); len(errs) > 0 {
		t.Fatalf("resolve: %v", errs)
	}
	if np.Host() == nil || np.Host().Partition.Reserved.String() != "0-1,48-49" {
		t.Errorf("host not resolved from the capture: %+v", np.Host())
	}
}

func TestResolveNamesACaptureMissingFromItsFileSystem(t *testing.T) {
	inv, err := Parse([]byte(validInventory), "inv.yaml", ".")
	if err != nil {
		t.Fatal(err)
	}
	inv.Spec.Clusters[0].NodePools[0].Topology = &TopologySource{LSCPU: "c5.lscpu"}
	errs := Resolve(inv, host.Files{FS: fstest.MapFS{}, Dir: "repo"}, nil)
	if len(errs) != 1 || errs[0].Field != "spec.clusters[0].nodePools[0].topology.lscpu" || !strings.Contains(errs[0].Detail, "open repo/c5.lscpu: file does not exist") {
		t.Fatalf("got %v", errs)
	}
	if inv.Spec.Clusters[0].NodePools[0].Host() != nil {
		t.Error("a pool that did not resolve keeps a host")
	}
}

func TestLoadFleetFSNamesFilesWithItsLabel(t *testing.T) {
	fsys := fstest.MapFS{}
	for n, doc := range fleetParts(t) {
		if n == 1 {
			doc = strings.Replace(doc, "replicas: 2", "replicas: 0", 1)
		}
		fsys["fleet/"+fleetPartName(n)] = &fstest.MapFile{Data: []byte(doc)}
	}
	_, err := LoadFleetFS(fsys, []string{"fleet"}, "HEAD~1:")
	if err == nil || !strings.HasPrefix(err.Error(), "HEAD~1:fleet/b.yaml: 1 problem(s):\n  HEAD~1:fleet/b.yaml:") ||
		!strings.Contains(err.Error(), "nodePools[0].replicas") {
		t.Fatalf("got %v", err)
	}
}

// TestResolveSkipsWhatValidateRejected: a pool Validate rejected gets no
// Host, its tuning is not partitioned, and its workloads are not fitted;
// the same pool, accepted, is resolved.
func TestResolveSkipsWhatValidateRejected(t *testing.T) {
	inv, err := Parse([]byte(validInventory), "inv.yaml", ".")
	if err != nil {
		t.Fatal(err)
	}
	inv.Spec.Clusters[0].Workloads.Pods = []Pod{{Name: "oslat", NodePool: "cnf", CPUs: 400}}
	files := host.Files{FS: fstest.MapFS{}, Dir: "."}
	if errs := Resolve(inv, files, nil); len(errs) != 1 || errs[0].Field != "spec.clusters[0].workloads.pods[0].cpus" {
		t.Fatalf("accepted: got %v, want the pod's CPUs refused", errs)
	}
	if inv.Spec.Clusters[0].NodePools[0].Host() == nil {
		t.Fatal("an accepted pool has no host")
	}
	rejected := field.ErrorList{
		field.Invalid(field.NewPath("spec", "clusters").Index(0).Child("nodePools").Index(0).Child("tuning", "reservedCPUs"), 4, "rejected"),
		field.Invalid(field.NewPath("spec", "clusters").Index(0).Child("workloads", "pods").Index(0).Child("name"), "oslat", "rejected"),
	}
	if errs := Resolve(inv, files, rejected); len(errs) != 0 {
		t.Fatalf("rejected: got %v, want nothing more", errs)
	}
	if inv.Spec.Clusters[0].NodePools[0].Host() != nil {
		t.Error("a pool whose tuning Validate rejected has a host")
	}
}
