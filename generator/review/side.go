package review

import (
	"sort"
	"strings"

	"github.com/lowlat/lowlat/generator/inventory"
	"github.com/lowlat/lowlat/generator/tree"
)

// nodeRolePrefix is the label that names a node's role, and so its
// MachineConfigPool, in OpenShift.
const nodeRolePrefix = "node-role.kubernetes.io/"

// Side is one side of a comparison.
type Side struct {
	// Label names the side in the report: the argument it came from.
	Label string
	// Revision is the commit when the side came from git.
	Revision string
	Tree     *tree.Tree
	// Inventory gives the pools' node counts; nil when unknown.
	Inventory *inventory.Inventory
	// InventoryName says where Inventory came from.
	InventoryName string
	// InventoryProblem says why a side that has an inventory file has no
	// Inventory (it does not load); the report shows it when a node count
	// is missing.
	InventoryProblem string
	// Notes say what the report should mention about the side, such as an
	// empty tree.
	Notes []string
}

func (s *Side) info() SideInfo {
	return SideInfo{Label: s.Label, Revision: s.Revision, Inventory: s.InventoryName}
}

func (s *Side) notes(which string) []string {
	out := make([]string, 0, len(s.Notes))
	for _, n := range s.Notes {
		out = append(out, which+" "+s.Label+": "+n)
	}
	return out
}

// nodeSet is the nodes a resource selects: a pool when its role label names
// one, else the selector itself.
type nodeSet struct {
	pool     string
	count    *int
	selector string
	// np is the inventory's pool, when known: its rollout settings.
	np *inventory.NodePool
}

// nodesOf finds the nodes obj selects in loc's cluster and, when the side
// has an inventory, how many there are.
func (s *Side) nodesOf(loc Location, obj map[string]any) nodeSet {
	labels := nodeSelector(obj)
	role := ""
	for _, k := range sortedKeys(labels) {
		if strings.HasPrefix(k, nodeRolePrefix) {
			role = strings.TrimPrefix(k, nodeRolePrefix)
			break
		}
	}
	if role == "" {
		return nodeSet{selector: formatSelector(labels)}
	}
	if np := s.pool(loc, role); np != nil {
		n := np.Replicas
		return nodeSet{pool: np.Name, count: &n, np: np}
	}
	return nodeSet{pool: role}
}

func (s *Side) pool(loc Location, role string) *inventory.NodePool {
	if s.Inventory == nil || loc.Shared {
		return nil
	}
	for i := range s.Inventory.Spec.Clusters {
		c := &s.Inventory.Spec.Clusters[i]
		if c.Name != loc.Cluster {
			continue
		}
		for j := range c.NodePools {
			if c.NodePools[j].NodeRole == role {
				return &c.NodePools[j]
			}
		}
	}
	return nil
}

// nodeSelector reads spec.nodeSelector, which is a plain label map on
// PerformanceProfiles and SR-IOV policies and a LabelSelector on
// MachineConfigPools.
func nodeSelector(obj map[string]any) map[string]any {
	spec, _ := obj["spec"].(map[string]any)
	sel, _ := spec["nodeSelector"].(map[string]any)
	if ml, ok := sel["matchLabels"].(map[string]any); ok {
		return ml
	}
	return sel
}

func formatSelector(labels map[string]any) string {
	var parts []string
	for _, k := range sortedKeys(labels) {
		parts = append(parts, k+"="+scalarText(labels[k]))
	}
	return strings.Join(parts, ",")
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
