package twin

import (
	"context"
	"fmt"
	"strconv"
)

// Node labels a real cluster's nodes carry. A node of a custom machine
// config pool keeps the worker role and gains its own
// (node-role.kubernetes.io/<role>); the installer's AWS machines carry the
// instance type, zone and region.
const (
	roleLabelPrefix   = "node-role.kubernetes.io/"
	workerRole        = "worker"
	masterRole        = "master"
	instanceTypeLabel = "node.kubernetes.io/instance-type"
	zoneLabel         = "topology.kubernetes.io/zone"
	hostnameLabel     = "kubernetes.io/hostname"
)

// platformNode is a node that is not in a lowlat pool: the control plane
// and the installer's default workers, which run the operators.
type platformNode struct {
	name, role, instanceType string
	cpus                     int
	memoryGiB                int
}

// platformNodes are what `openshift-install` creates on AWS by default:
// three m6i.xlarge control-plane and two m6i.xlarge worker machines.
func platformNodes(cluster string) []platformNode {
	var out []platformNode
	for i := 0; i < 3; i++ {
		out = append(out, platformNode{fmt.Sprintf("%s-master-%d", cluster, i), masterRole, "m6i.xlarge", 4, 16})
	}
	for i := 0; i < 2; i++ {
		out = append(out, platformNode{fmt.Sprintf("%s-worker-%d", cluster, i), workerRole, "m6i.xlarge", 4, 16})
	}
	return out
}

// installNodes creates the nodes a fresh cluster has: the platform's, and
// those of pools without MachineSets, which their owner has labelled for
// the pool. A MachineSet's nodes come later, from the machine API.
func (t *Twin) installNodes(ctx context.Context) error {
	for _, p := range platformNodes(t.spec.Cluster) {
		labels := map[string]any{roleLabelPrefix + p.role: ""}
		if p.role == masterRole {
			labels[roleLabelPrefix+"control-plane"] = ""
		}
		if err := t.createNode(ctx, p.name, p.instanceType, "", labels, p.cpus, int64(p.memoryGiB)<<10); err != nil {
			return err
		}
	}
	for _, n := range t.spec.Nodes {
		if n.MachineSet != "" {
			continue
		}
		labels := map[string]any{roleLabelPrefix + workerRole: "", roleLabelPrefix + n.Role: ""}
		if err := t.createNode(ctx, n.Name, n.InstanceType.Name, n.Zone, labels, n.InstanceType.VCPUs, int64(n.InstanceType.MemoryGiB)<<10); err != nil {
			return err
		}
	}
	return nil
}

func (t *Twin) createNode(ctx context.Context, name, instanceType, zone string, labels map[string]any, cpus int, memoryMiB int64) error {
	labels[hostnameLabel] = name
	labels[instanceTypeLabel] = instanceType
	labels["kubernetes.io/os"] = "linux"
	labels["kubernetes.io/arch"] = "amd64"
	if zone != "" {
		labels[zoneLabel] = zone
	}
	n := object("v1", "Node", "", name)
	n["metadata"].(map[string]any)["labels"] = labels
	if err := t.apply(ctx, "install", gvrNode, n); err != nil {
		return err
	}
	n["status"] = nodeStatus(cpus, memoryMiB, nil, true, t.clock.Now().UTC().Format("2006-01-02T15:04:05Z"))
	return t.applyStatus(ctx, "kubelet", gvrNode, n)
}

// nodeStatus is what a kubelet reports: capacity and allocatable (the
// kubelet reserves system CPU and memory; extended resources such as
// hugepages and SR-IOV VFs are added by the caller), and Ready.
func nodeStatus(cpus int, memoryMiB int64, extended map[string]string, ready bool, now string) map[string]any {
	capacity := map[string]any{
		"cpu": strconv.Itoa(cpus), "memory": fmt.Sprintf("%dMi", memoryMiB), "pods": "250",
		"ephemeral-storage": "120Gi", "hugepages-1Gi": "0", "hugepages-2Mi": "0",
	}
	allocatable := map[string]any{}
	for k, v := range capacity {
		allocatable[k] = v
	}
	// The kubelet's defaults on OpenShift reserve 500m CPU and 1Gi of
	// memory for the system.
	allocatable["cpu"] = fmt.Sprintf("%dm", cpus*1000-500)
	allocatable["memory"] = fmt.Sprintf("%dMi", memoryMiB-1024)
	for k, v := range extended {
		capacity[k] = v
		allocatable[k] = v
	}
	status, reason, msg := "True", "KubeletReady", "kubelet is posting ready status"
	if !ready {
		status, reason, msg = "False", "KubeletNotReady", "node is rebooting"
	}
	return map[string]any{
		"capacity": capacity, "allocatable": allocatable,
		"conditions": []any{map[string]any{"type": "Ready", "status": status, "reason": reason, "message": msg,
			"lastHeartbeatTime": now, "lastTransitionTime": now}},
	}
}

// poolNode returns the spec of a pool node by name.
func (s Spec) poolNode(name string) (NodeSpec, bool) {
	for _, n := range s.Nodes {
		if n.Name == name {
			return n, true
		}
	}
	return NodeSpec{}, false
}

// nodeSpec returns the spec of a pool node by name: the spec's, or the
// one the machine API made up for a MachineSet that asked for more nodes
// than the spec has.
func (t *Twin) nodeSpec(name string) (NodeSpec, bool) {
	if n, ok := t.spec.poolNode(name); ok {
		return n, true
	}
	return t.machines.extra(name)
}

// hugepageResource is the node resource name of a PerformanceProfile page
// size ("1G" → hugepages-1Gi).
func hugepageResource(size string) string {
	return "hugepages-" + size + "i"
}
