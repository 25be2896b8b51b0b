package twin

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	admissionv1 "k8s.io/api/admission/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/lowlat/lowlat/generator/catalog"
	"github.com/lowlat/lowlat/generator/rehearse/timeline"
	"github.com/lowlat/lowlat/generator/sriov"
)

// ENA's PCI identity (supported-nic-ids: Amazon_Elastic_Network_Adapter
// "1d0f ec20 ec20").
const (
	enaVendor = "1d0f"
	enaDevice = "ec20"
)

// sriovOperator plays the SR-IOV Network Operator and its config daemon:
// once SriovOperatorConfig default exists, every node its
// configDaemonNodeSelector picks gets a SriovNetworkNodeState listing its
// ENA interfaces (with the aws/NetworkID netFilter on releases whose
// operator has the AWS platform); the operator writes the policies that
// select a node into the state's spec, and the daemon applies a new spec
// one node at a time (cordon, drain, configure) before the device plugin
// advertises openshift.io/<resourceName>.
type sriovOperator struct {
	t *Twin

	mu       sync.Mutex
	applied  map[string]string // node → spec applied
	work     map[string]*sriovWork
	daemonAt map[string]time.Duration // node → daemon seen starting
}

type sriovWork struct {
	spec, stage string
	until       time.Duration
}

func newSRIOV(t *Twin) *sriovOperator {
	return &sriovOperator{t: t, applied: map[string]string{}, work: map[string]*sriovWork{}, daemonAt: map[string]time.Duration{}}
}

func (o *sriovOperator) name() string { return "sriov-network-operator" }

const sriovNamespace = "openshift-sriov-network-operator"

func (o *sriovOperator) reconcile(ctx context.Context, s *snapshot) error {
	cfg := s.get(gvrSriovConfig, sriovNamespace, "default")
	if cfg == nil || !o.t.olm.isServing("sriov-network-operator") {
		return nil
	}
	selector := stringMap(cfg.Object, "spec", "configDaemonNodeSelector")
	o.mu.Lock()
	busy := len(o.work) > 0
	o.mu.Unlock()
	for i := range s.list(gvrNode) {
		node := &s.list(gvrNode)[i]
		if !labelsMatch(selector, node.GetLabels()) || !labelsMatch(map[string]string{roleLabelPrefix + workerRole: ""}, node.GetLabels()) {
			continue
		}
		started, err := o.node(ctx, s, node, !busy)
		if err != nil {
			return err
		}
		busy = busy || started
	}
	return nil
}

// nodeInterfaces is what the config daemon discovers on a node.
func (o *sriovOperator) nodeInterfaces(node string) []any {
	n, ok := o.t.nodeSpec(node)
	if !ok {
		n = NodeSpec{Interfaces: []Interface{{PCIAddress: pciAddress(0), MAC: mac(0, 0)}}}
	}
	aws := catalog.SRIOVSupportsAWS(o.t.spec.OpenShift).AWS
	var out []any
	for i, itf := range n.Interfaces {
		e := map[string]any{"name": "ens" + strconv.Itoa(5+i), "mac": itf.MAC, "pciAddress": itf.PCIAddress,
			"vendor": enaVendor, "deviceID": enaDevice, "driver": "ena", "linkType": "ETH", "linkSpeed": "25000 Mb/s", "mtu": int64(9001)}
		if aws && itf.SubnetID != "" {
			e["netFilter"] = sriov.NetFilter(itf.SubnetID)
			e["totalvfs"] = int64(1)
		}
		out = append(out, e)
	}
	return out
}

// desired is the state spec the operator writes for node: every interface
// a policy selecting the node picks by netFilter, highest priority first
// (lower number wins).
func desired(s *snapshot, node *unstructured.Unstructured, ifaces []any) []any {
	policies := append([]unstructured.Unstructured(nil), s.listIn(gvrPolicy, sriovNamespace)...)
	sort.SliceStable(policies, func(i, j int) bool {
		pi, _, _ := unstructured.NestedInt64(policies[i].Object, "spec", "priority")
		pj, _, _ := unstructured.NestedInt64(policies[j].Object, "spec", "priority")
		return pi < pj
	})
	var out []any
	taken := map[string]bool{}
	for _, p := range policies {
		if !labelsMatch(stringMap(p.Object, "spec", "nodeSelector"), node.GetLabels()) {
			continue
		}
		filter := mustString(p.Object, "spec", "nicSelector", "netFilter")
		for _, raw := range ifaces {
			itf := raw.(map[string]any)
			pci := itf["pciAddress"].(string)
			if filter == "" || itf["netFilter"] != filter || taken[pci] {
				continue
			}
			taken[pci] = true
			out = append(out, map[string]any{"pciAddress": pci, "name": itf["name"], "numVfs": int64(1),
				"vfGroups": []any{map[string]any{"resourceName": mustString(p.Object, "spec", "resourceName"),
					"deviceType": mustString(p.Object, "spec", "deviceType"), "vfRange": "0-0", "policyName": p.GetName()}}})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].(map[string]any)["pciAddress"].(string) < out[j].(map[string]any)["pciAddress"].(string)
	})
	return out
}

// node keeps one node's state; started reports that it began a drain.
func (o *sriovOperator) node(ctx context.Context, s *snapshot, node *unstructured.Unstructured, mayStart bool) (bool, error) {
	name := node.GetName()
	now := o.t.clock.Elapsed()
	o.mu.Lock()
	seen, ok := o.daemonAt[name]
	if !ok {
		o.daemonAt[name] = now
		seen = now
	}
	w := o.work[name]
	applied, ok := o.applied[name]
	if !ok {
		applied = "null" // a new node's daemon has applied nothing
	}
	o.mu.Unlock()
	if now < seen+o.t.spec.Durations.PodStart || !nodeReady(node) {
		return false, nil
	}
	ifaces := o.nodeInterfaces(name)
	want := desired(s, node, ifaces)
	wantJSON, _ := json.Marshal(want)
	state := object("sriovnetwork.openshift.io/v1", "SriovNetworkNodeState", sriovNamespace, name)
	old := s.get(gvrNodeState, sriovNamespace, name)
	if old == nil || !sameSpec(old, map[string]any{"spec": map[string]any{"interfaces": want}}) {
		state["spec"] = map[string]any{"interfaces": want}
		if len(want) == 0 {
			state["spec"] = map[string]any{}
		}
		if err := o.t.apply(ctx, o.name(), gvrNodeState, state); err != nil {
			return false, err
		}
	}
	status, syncErr, started := "Succeeded", "", false
	switch {
	case w == nil && applied == string(wantJSON):
	case w == nil && !mayStart:
		status = "InProgress"
	case w == nil:
		o.mu.Lock()
		o.work[name] = &sriovWork{spec: string(wantJSON), stage: "draining", until: now + o.t.spec.Durations.Drain}
		o.mu.Unlock()
		o.t.rec.Add(timeline.Event{Kind: timeline.Drain, Pool: poolOf(node), Resource: "Node " + name, Status: "Draining", Message: "SR-IOV config daemon applies " + strconv.Itoa(len(want)) + " interface(s)"})
		status, started = "InProgress", true
		if err := o.cordon(ctx, name, true); err != nil {
			return true, err
		}
	case now < w.until:
		status = "InProgress"
	case w.stage == "draining":
		o.mu.Lock()
		w.stage, w.until = "configuring", now+o.t.spec.Durations.SRIOVConfig
		o.mu.Unlock()
		status = "InProgress"
	default:
		o.mu.Lock()
		delete(o.work, name)
		o.applied[name] = w.spec
		o.mu.Unlock()
		var applied []any
		_ = json.Unmarshal([]byte(w.spec), &applied)
		o.t.kubelet.setDevices(name, devicesOf(applied))
		o.t.rec.Add(timeline.Event{Kind: timeline.Node, Pool: poolOf(node), Resource: "SriovNetworkNodeState " + name, Status: "Succeeded", Message: fmt.Sprint(devicesOf(applied))})
		if err := o.cordon(ctx, name, false); err != nil {
			return false, err
		}
	}
	state = object("sriovnetwork.openshift.io/v1", "SriovNetworkNodeState", sriovNamespace, name)
	state["status"] = map[string]any{"interfaces": ifaces, "syncStatus": status, "lastSyncError": syncErr}
	if old != nil && mustString(old.Object, "status", "syncStatus") == status && old.Object["status"].(map[string]any)["interfaces"] != nil {
		return started, nil
	}
	return started, o.t.applyStatus(ctx, "sriov-config-daemon", gvrNodeState, state)
}

func (o *sriovOperator) cordon(ctx context.Context, node string, on bool) error {
	n := object("v1", "Node", "", node)
	n["spec"] = map[string]any{"unschedulable": on}
	return o.t.apply(ctx, "sriov-config-daemon-drain", gvrNode, n)
}

// devicesOf counts the VFs per resource the device plugin advertises.
func devicesOf(spec []any) map[string]string {
	count := map[string]int{}
	for _, raw := range spec {
		itf, _ := raw.(map[string]any)
		groups, _ := itf["vfGroups"].([]any)
		for _, g := range groups {
			if gm, ok := g.(map[string]any); ok {
				count["openshift.io/"+fmt.Sprint(gm["resourceName"])]++
			}
		}
	}
	out := map[string]string{}
	for k, v := range count {
		out[k] = strconv.Itoa(v)
	}
	return out
}

// poolOf names a node's pool by its non-worker role label.
func poolOf(node *unstructured.Unstructured) string {
	var roles []string
	for k := range node.GetLabels() {
		if role, ok := strings.CutPrefix(k, roleLabelPrefix); ok && role != workerRole {
			roles = append(roles, role)
		}
	}
	sort.Strings(roles)
	return strings.Join(roles, ",")
}

// admitSRIOV is the operator webhook's check of a policy
// (k8snetworkplumbingwg/sriov-network-operator pkg/webhook/validate.go,
// dynamicValidateSriovNetworkNodePolicy): some node must match the node
// selector, and some interface in a selected node's state must match the
// nicSelector. Node states list ENA interfaces with a netFilter only where
// the operator has the AWS platform.
func admitSRIOV(t *Twin, req *admissionv1.AdmissionRequest) (bool, string) {
	if req.Kind.Kind != "SriovNetworkNodePolicy" {
		return true, ""
	}
	var policy unstructured.Unstructured
	if err := json.Unmarshal(req.Object.Raw, &policy.Object); err != nil {
		return false, err.Error()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	sel := labels.SelectorFromSet(stringMap(policy.Object, "spec", "nodeSelector"))
	nodes, err := t.dyn.Resource(gvrNode).List(ctx, metav1.ListOptions{LabelSelector: sel.String()})
	if err != nil {
		return false, err.Error()
	}
	if len(nodes.Items) == 0 {
		return false, fmt.Sprintf("no matched node is selected by the nodeSelector in CR %s", policy.GetName())
	}
	filter := mustString(policy.Object, "spec", "nicSelector", "netFilter")
	for _, n := range nodes.Items {
		state, err := t.dyn.Resource(gvrNodeState).Namespace(sriovNamespace).Get(ctx, n.GetName(), metav1.GetOptions{})
		if err != nil {
			continue
		}
		ifaces, _, _ := unstructured.NestedSlice(state.Object, "status", "interfaces")
		for _, raw := range ifaces {
			if itf, ok := raw.(map[string]any); ok && filter != "" && itf["netFilter"] == filter {
				return true, ""
			}
		}
	}
	return false, fmt.Sprintf("no supported NIC is selected by the nicSelector in CR %s", policy.GetName())
}
