package twin

import (
	"context"
	"fmt"
	"sync"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/lowlat/lowlat/generator/catalog"
	"github.com/lowlat/lowlat/generator/rehearse/timeline"
)

// machineAPINamespace is where the machine API reads MachineSets.
const machineAPINamespace = "openshift-machine-api"

// machineAPI plays the machine API of OpenShift on AWS (machine-api-operator
// release-4.20: the MachineSet and Machine controllers, the nodelink
// controller; machine-api-provider-aws) for the MachineSets of
// openshift-machine-api. A MachineSet with fewer machines than
// spec.replicas gets new ones: each is an EC2 metal instance that boots
// RHCOS from the worker Ignition config and, after the provision duration,
// registers as a Ready node with the worker role (the worker kubelet's
// --node-labels) on the config the Machine Config Server serves the worker
// pool, so that the MCO then moves it to the custom pool its labels select.
// Nodelink copies the machine's labels, annotations and taints onto it. A
// MachineSet with more machines than it wants loses its newest (deleting a
// machine drains and deletes its node), as does one that is deleted.
//
// Machines are not written as objects: the twin's cluster has no Machine
// kind; each MachineSet's status counts them (pkg/controller/machineset/
// status.go calculateStatus).
type machineAPI struct {
	t *Twin

	mu   sync.Mutex
	sets map[string]*machineSet // MachineSet name → its machines
}

// machineSet is what the controller remembers of one MachineSet.
type machineSet struct {
	// created counts the machines ever created: a new machine is a new
	// instance and a new node, never one that was deleted.
	created  int
	machines []*machine // oldest first
}

// machine is one Machine: the node its instance becomes, and when.
type machine struct {
	node   NodeSpec
	joins  time.Duration
	joined bool
}

func newMachineAPI(t *Twin) *machineAPI {
	return &machineAPI{t: t, sets: map[string]*machineSet{}}
}

func (m *machineAPI) name() string { return "machine-api" }

func (m *machineAPI) reconcile(ctx context.Context, s *snapshot) error {
	live := map[string]bool{}
	for i := range s.listIn(gvrMachineSet, machineAPINamespace) {
		ms := &s.listIn(gvrMachineSet, machineAPINamespace)[i]
		if ms.GetDeletionTimestamp() != nil {
			continue
		}
		live[ms.GetName()] = true
		if err := m.machineSet(ctx, s, ms); err != nil {
			return err
		}
	}
	// A deleted MachineSet's machines are deleted with it (owner
	// references).
	for _, name := range m.names() {
		if !live[name] {
			if err := m.scaleDown(ctx, s, name, 0); err != nil {
				return err
			}
		}
	}
	return nil
}

func (m *machineAPI) names() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []string
	for name := range m.sets {
		out = append(out, name)
	}
	return out
}

// machineSet brings one MachineSet to spec.replicas machines, joins the
// nodes whose instances are up, and reports the counts.
func (m *machineAPI) machineSet(ctx context.Context, s *snapshot, ms *unstructured.Unstructured) error {
	want := replicasOf(ms)
	for m.count(ms.GetName()) < want {
		if err := m.provision(ms); err != nil {
			return err
		}
	}
	if err := m.scaleDown(ctx, s, ms.GetName(), want); err != nil {
		return err
	}
	for _, mc := range m.due(ms.GetName()) {
		if err := m.join(ctx, s, ms, mc); err != nil {
			return err
		}
	}
	return m.status(ctx, s, ms)
}

// set returns what the controller remembers of a MachineSet; the caller
// holds mu.
func (m *machineAPI) set(name string) *machineSet {
	st := m.sets[name]
	if st == nil {
		st = &machineSet{}
		m.sets[name] = st
	}
	return st
}

// replicasOf is spec.replicas; the CRD defaults it to 1.
func replicasOf(ms *unstructured.Unstructured) int {
	n, found, _ := unstructured.NestedInt64(ms.Object, "spec", "replicas")
	if !found {
		return 1
	}
	return int(n)
}

func (m *machineAPI) count(set string) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.set(set).machines)
}

// provision creates a machine: its node is the next of the spec's nodes
// of this MachineSet, or one made up once the spec has no more.
func (m *machineAPI) provision(ms *unstructured.Unstructured) error {
	name := ms.GetName()
	m.mu.Lock()
	st := m.set(name)
	k := st.created
	m.mu.Unlock()
	node, err := m.nodeFor(ms, k)
	if err != nil {
		return err
	}
	m.mu.Lock()
	st.created++
	st.machines = append(st.machines, &machine{node: node, joins: m.t.clock.Elapsed() + m.t.spec.Durations.Provision})
	m.mu.Unlock()
	m.t.rec.Add(timeline.Event{Kind: timeline.Node, Pool: node.Pool, Resource: "MachineSet " + name, Status: "Provisioning",
		Message: fmt.Sprintf("%s instance in %s for node %s", providerString(ms, "instanceType"), providerString(ms, "placement", "availabilityZone"), node.Name)})
	return nil
}

// nodeFor is the node of the k-th machine a MachineSet creates.
func (m *machineAPI) nodeFor(ms *unstructured.Unstructured, k int) (NodeSpec, error) {
	var own []NodeSpec
	for _, n := range m.t.spec.Nodes {
		if n.MachineSet == ms.GetName() {
			own = append(own, n)
		}
	}
	if k < len(own) {
		return own[k], nil
	}
	it, err := catalog.Lookup(providerString(ms, "instanceType"))
	if err != nil {
		return NodeSpec{}, fmt.Errorf("MachineSet %s: %w", ms.GetName(), err)
	}
	// Named as the MachineSet controller names its Machines, with the
	// instance's primary interface only.
	n := NodeSpec{
		Name: ms.GetName() + "-" + shortHash(fmt.Sprint(ms.GetName(), "/", k)), InstanceType: it,
		Zone: providerString(ms, "placement", "availabilityZone"), MachineSet: ms.GetName(),
		Interfaces: []Interface{{PCIAddress: pciAddress(0), MAC: mac(k, 0)}},
	}
	if len(own) > 0 {
		n.Pool, n.Role = own[0].Pool, own[0].Role
	}
	return n, nil
}

// providerString reads a field of the machines' AWSMachineProviderConfig.
func providerString(ms *unstructured.Unstructured, fields ...string) string {
	return mustString(ms.Object, append([]string{"spec", "template", "spec", "providerSpec", "value"}, fields...)...)
}

// scaleDown deletes a MachineSet's newest machines until it has want.
func (m *machineAPI) scaleDown(ctx context.Context, s *snapshot, set string, want int) error {
	for {
		m.mu.Lock()
		st := m.set(set)
		if len(st.machines) <= want {
			m.mu.Unlock()
			return nil
		}
		mc := st.machines[len(st.machines)-1]
		st.machines = st.machines[:len(st.machines)-1]
		m.mu.Unlock()
		if mc.joined {
			if err := m.removeNode(ctx, s, mc.node.Name); err != nil {
				return err
			}
		}
		m.t.rec.Add(timeline.Event{Kind: timeline.Node, Pool: mc.node.Pool, Resource: "Node " + mc.node.Name, Status: "Deleted",
			Message: fmt.Sprintf("MachineSet %s wants %d machines: its newest is deleted", set, want)})
	}
}

// removeNode drains a deleted machine's node (its pods are deleted) and
// deletes it once the instance is terminated.
func (m *machineAPI) removeNode(ctx context.Context, s *snapshot, node string) error {
	for _, p := range s.list(gvrPod) {
		if mustString(p.Object, "spec", "nodeName") == node {
			if err := m.t.dyn.Resource(gvrPod).Namespace(p.GetNamespace()).Delete(ctx, p.GetName(), metav1.DeleteOptions{}); err != nil && !ignorable(ctx, err) {
				return err
			}
		}
	}
	return m.t.dyn.Resource(gvrNode).Delete(ctx, node, metav1.DeleteOptions{})
}

// due returns the machines whose instances are up but whose nodes have
// not joined yet.
func (m *machineAPI) due(set string) []*machine {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.t.clock.Elapsed()
	var out []*machine
	for _, mc := range m.set(set).machines {
		if !mc.joined && now >= mc.joins {
			out = append(out, mc)
		}
	}
	return out
}

// join registers a machine's node as its kubelet does (the worker role),
// on the config the Machine Config Server served it, and labels and
// taints it as nodelink does.
func (m *machineAPI) join(ctx context.Context, s *snapshot, ms *unstructured.Unstructured, mc *machine) error {
	n := mc.node
	labels := map[string]any{roleLabelPrefix + workerRole: ""}
	if err := m.t.createNode(ctx, n.Name, providerString(ms, "instanceType"), providerString(ms, "placement", "availabilityZone"),
		labels, n.InstanceType.VCPUs, int64(n.InstanceType.MemoryGiB)<<10); err != nil {
		return err
	}
	config := servedConfig(s, workerRole)
	if config != "" {
		if err := m.t.annotateConfig(ctx, n.Name, config, config, "Done"); err != nil {
			return err
		}
	}
	if err := m.t.apply(ctx, "nodelink", gvrNode, nodelink(ms, n.Name)); err != nil {
		return err
	}
	m.mu.Lock()
	mc.joined = true
	m.mu.Unlock()
	m.t.rec.Add(timeline.Event{Kind: timeline.Node, Pool: n.Pool, Resource: "Node " + n.Name, Status: "Ready",
		Message: fmt.Sprintf("joined from MachineSet %s on %s", ms.GetName(), orNone(config))})
	return nil
}

// servedConfig is the rendered config the Machine Config Server gives a
// new node of pool (pkg/server/cluster_server.go GetConfig): the pool's
// target once one of its nodes runs it, else the config all its nodes
// run.
func servedConfig(s *snapshot, pool string) string {
	p := s.get(gvrMCP, "", pool)
	if p == nil {
		return ""
	}
	if updated, _, _ := unstructured.NestedInt64(p.Object, "status", "updatedMachineCount"); updated > 0 {
		return mustString(p.Object, "spec", "configuration", "name")
	}
	return mustString(p.Object, "status", "configuration", "name")
}

func orNone(config string) string {
	if config == "" {
		return "no rendered config yet"
	}
	return config
}

// nodelink is what the nodelink controller puts on a machine's node: the
// labels and annotations of the machine's spec.metadata and its taints.
func nodelink(ms *unstructured.Unstructured, node string) map[string]any {
	obj := object("v1", "Node", "", node)
	meta := obj["metadata"].(map[string]any)
	tmpl := []string{"spec", "template", "spec"}
	for _, field := range []string{"labels", "annotations"} {
		if v, _, _ := unstructured.NestedMap(ms.Object, append(tmpl, "metadata", field)...); len(v) > 0 {
			meta[field] = v
		}
	}
	if taints, _, _ := unstructured.NestedSlice(ms.Object, append(tmpl, "taints")...); len(taints) > 0 {
		obj["spec"] = map[string]any{"taints": taints}
	}
	return obj
}

// status writes the MachineSet's counts when they change. Every machine
// carries the template's labels; a machine is ready when its node is, and
// available as soon (minReadySeconds 0). Counts of zero are left out, as
// the upstream type's omitempty does; replicas is always written.
func (m *machineAPI) status(ctx context.Context, s *snapshot, ms *unstructured.Unstructured) error {
	m.mu.Lock()
	st := m.set(ms.GetName())
	machines, ready := int64(len(st.machines)), int64(0)
	for _, mc := range st.machines {
		if n := s.get(gvrNode, "", mc.node.Name); mc.joined && n != nil && nodeReady(n) {
			ready++
		}
	}
	m.mu.Unlock()
	status, same := map[string]any{}, true
	for field, v := range map[string]int64{
		"replicas": machines, "fullyLabeledReplicas": machines, "readyReplicas": ready, "availableReplicas": ready,
		"observedGeneration": ms.GetGeneration(),
	} {
		old, _, _ := unstructured.NestedInt64(ms.Object, "status", field)
		same = same && old == v
		if v != 0 || field == "replicas" {
			status[field] = v
		}
	}
	if same {
		return nil
	}
	obj := object("machine.openshift.io/v1beta1", "MachineSet", ms.GetNamespace(), ms.GetName())
	obj["status"] = status
	return m.t.applyStatus(ctx, m.name(), gvrMachineSet, obj)
}

// extra returns the spec of a node the machine API made up, by name.
func (m *machineAPI) extra(name string) (NodeSpec, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, st := range m.sets {
		for _, mc := range st.machines {
			if mc.node.Name == name {
				return mc.node, true
			}
		}
	}
	return NodeSpec{}, false
}
