package render

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path"
	"strings"

	"sigs.k8s.io/yaml"

	"github.com/lowlat/lowlat/generator/inventory"
	"github.com/lowlat/lowlat/generator/layout"
	"github.com/lowlat/lowlat/generator/manifest"
	"github.com/lowlat/lowlat/generator/topology"
	"github.com/lowlat/lowlat/generator/tree"
)

// The KRM entry point of a cluster, krm/<cluster>/: a kustomization whose
// only generator is lowlat itself, run as an exec KRM function on a copy of
// the inventory that selects the cluster.
//
//	go tool kustomize build --enable-alpha-plugins --enable-exec krm/<cluster>
//
// emits what kustomize build overlays/aws/<cluster> emits. Topology captures
// the inventory names are copied next to it (kustomize passes a function
// nothing but its functionConfig, and runs it in the kustomization's
// directory), so the entry point depends on nothing outside the tree but
// the binary.
const (
	// FunctionConfigFile is the inventory copy the kustomization generates from.
	FunctionConfigFile = "inventory.yaml"
	// FunctionAnnotation tells kustomize how to run a function.
	FunctionAnnotation = "config.kubernetes.io/function"
	// FunctionClusterAnnotation selects the cluster whose overlay the
	// function emits; it may be left out when the inventory has one cluster.
	FunctionClusterAnnotation = "lowlat.dev/cluster"
	// BinaryPath is where `make build` puts lowlat-fn, the function alone,
	// relative to the repository root. kustomize execs it on every build, and
	// the full lowlat binary takes several times longer to start.
	BinaryPath = "bin/lowlat-fn"
)

// renderKRM adds a cluster's entry point. It runs after Kustomize, which
// would list these files as resources.
func renderKRM(t *tree.Tree, inv *inventory.Inventory, c *inventory.Cluster) error {
	files, err := entryPoint(inv, c)
	if err != nil {
		return err
	}
	for _, name := range sortedFileNames(files) {
		if err := t.AddFile(path.Join(layout.KRMDir(c.Name), name), files[name]); err != nil {
			return err
		}
	}
	return nil
}

// entryPoint returns the files of krm/<cluster>/ by name: the inventory
// with only this cluster, and the cluster's topology captures.
func entryPoint(inv *inventory.Inventory, c *inventory.Cluster) (map[string][]byte, error) {
	one := *inv
	// The entry point needs its own cluster only; copying the whole fleet
	// into every entry point would grow the tree with the square of its size.
	one.Spec.Clusters = []inventory.Cluster{*c}
	files := map[string][]byte{}
	if err := copyCaptures(&one.Spec.Clusters[0], files); err != nil {
		return nil, err
	}
	cfg, err := functionConfig(&one, c.Name)
	if err != nil {
		return nil, err
	}
	files[FunctionConfigFile] = cfg
	kustomization := tree.NewKustomization()
	kustomization.Generators = []string{FunctionConfigFile}
	k, err := json.Marshal(kustomization)
	if err != nil {
		return nil, err
	}
	if files[tree.KustomizationFile], err = yaml.JSONToYAML(k); err != nil {
		return nil, err
	}
	return files, nil
}

// copyCaptures writes each pool's topology capture as topology-<cluster>-<pool>.lscpu
// and points the copied inventory at it.
func copyCaptures(c *inventory.Cluster, files map[string][]byte) error {
	c.NodePools = append([]inventory.NodePool{}, c.NodePools...)
	for j := range c.NodePools {
		np := &c.NodePools[j]
		if np.Topology == nil || np.Topology.LSCPU == "" {
			continue
		}
		if np.Host() == nil {
			return fmt.Errorf("cluster %s pool %s: topology not resolved; load the inventory first", c.Name, np.Name)
		}
		name := "topology-" + c.Name + "-" + np.Name + ".lscpu"
		var b bytes.Buffer
		if err := topology.WriteLscpu(&b, np.Host().Topology); err != nil {
			return err
		}
		files[name] = b.Bytes()
		np.Topology = &inventory.TopologySource{LSCPU: name}
	}
	return nil
}

// functionConfig is the inventory with the function annotations.
func functionConfig(inv *inventory.Inventory, cluster string) ([]byte, error) {
	data, err := json.Marshal(inv)
	if err != nil {
		return nil, fmt.Errorf("marshal inventory: %w", err)
	}
	m, err := manifest.Object(data)
	if err != nil {
		return nil, err
	}
	annotationsOf(m)[FunctionAnnotation] = execSpec(inv.Spec.GitOps.Path)
	annotationsOf(m)[FunctionClusterAnnotation] = cluster
	if data, err = json.Marshal(m); err != nil {
		return nil, err
	}
	return yaml.JSONToYAML(data)
}

// execSpec runs the binary `make build` writes, from krm/<cluster>/ under
// the tree's path in the repository.
func execSpec(treePath string) string {
	up := 2
	if treePath != "." && treePath != "" {
		up += strings.Count(treePath, "/") + 1
	}
	bin := strings.Repeat("../", up) + BinaryPath
	return fmt.Sprintf("exec:\n  path: %s\n", bin)
}

func sortedFileNames(files map[string][]byte) []string {
	set := map[string]bool{}
	for name := range files {
		set[name] = true
	}
	return sortedKeys(set)
}
