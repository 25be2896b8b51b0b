package ordering

import (
	"encoding/json"
	"path"
	"strings"

	"github.com/lowlat/lowlat/generator/manifest"
	"github.com/lowlat/lowlat/generator/perfrun"
	"github.com/lowlat/lowlat/generator/sriov"
)

// multusAnnotation lists a pod's secondary networks.
const multusAnnotation = "k8s.v1.cni.cncf.io/networks"

// nadRule: an attachment's resourceName annotation names the device plugin
// resource its SR-IOV policy creates.
func nadRule(c *cluster) []Violation {
	var out []Violation
	for _, r := range c.resources {
		if !isKind(r, "k8s.cni.cncf.io", "NetworkAttachmentDefinition") {
			continue
		}
		res := manifest.Annotation(r.Object, sriov.ResourceNameAnnotation)
		if res == "" {
			continue // not an SR-IOV attachment
		}
		name := path.Base(res)
		out = append(out, c.after(r, RuleNAD, "pods and VMs on it need the VFs the policy creates", func(o Resource) bool {
			return isKind(o, "sriovnetwork.openshift.io", "SriovNetworkNodePolicy") && stringAt(o.Object, "spec", "resourceName") == name
		}, "a SriovNetworkNodePolicy with resourceName "+name)...)
	}
	return out
}

// isLatencyRun reports a latency test's run: a Job of the latency phase
// (package perfrun), whose pod runs on a tuned pool like a workload's.
func isLatencyRun(r Resource) bool {
	return isKind(r, "batch", "Job") && manifest.Label(r.Object, perfrun.PhaseLabel) == perfrun.PhaseLatency
}

// workloadRule: a VM, pod or latency test run comes after each attachment it names and after
// the PerformanceProfile whose node selector its own contains (that
// profile's runtime class and isolated CPUs are what it runs on).
func workloadRule(c *cluster) []Violation {
	var out []Violation
	for _, r := range c.resources {
		var nads []string
		var selector map[string]any
		switch {
		case isKind(r, "kubevirt.io", "VirtualMachine"):
			nads, selector = vmNetworks(r), mapAt(r.Object, "spec", "template", "spec", "nodeSelector")
		case isKind(r, "", "Pod"):
			nads, selector = podNetworks(r.Object), mapAt(r.Object, "spec", "nodeSelector")
		case isLatencyRun(r):
			template := mapAt(r.Object, "spec", "template")
			nads, selector = podNetworks(template), mapAt(r.Object, "spec", "template", "spec", "nodeSelector")
		default:
			continue
		}
		for _, nad := range nads {
			ns, name := splitNAD(nad, r.Namespace)
			want := manifest.ID{Group: "k8s.cni.cncf.io", Kind: "NetworkAttachmentDefinition", Namespace: ns, Name: name}
			out = append(out, c.after(r, RuleWorkload, "Multus needs the attachment to start it",
				func(o Resource) bool { return sameObject(o.ID, want) }, want.String())...)
		}
		out = append(out, c.profileBefore(r, selector)...)
	}
	return out
}

// profileBefore checks r against the profiles that select its nodes; a
// workload on no tuned pool has none to wait for.
func (c *cluster) profileBefore(r Resource, selector map[string]any) []Violation {
	var out []Violation
	for _, o := range c.resources {
		if isKind(o, "performance.openshift.io", "PerformanceProfile") && subset(mapAt(o.Object, "spec", "nodeSelector"), selector) && !o.Pos.Before(r.Pos) {
			out = append(out, Violation{Cluster: c.name, Resource: r, Rule: RuleWorkload,
				Detail: "must come after " + o.ID.String() + " (" + o.Pos.String() + "); its nodes must be tuned first"})
		}
	}
	return out
}

func vmNetworks(r Resource) []string {
	var out []string
	networks, _ := sliceAt(r.Object, "spec", "template", "spec", "networks")
	for _, n := range networks {
		if name := stringAt(n, "multus", "networkName"); name != "" {
			out = append(out, name)
		}
	}
	return out
}

// podNetworks reads the Multus annotation in either of its forms: a comma
// separated list of [namespace/]name, or a JSON list of selections.
func podNetworks(obj map[string]any) []string {
	value := strings.TrimSpace(manifest.Annotation(obj, multusAnnotation))
	if value == "" {
		return nil
	}
	var selections []struct{ Name, Namespace string }
	if strings.HasPrefix(value, "[") && json.Unmarshal([]byte(value), &selections) == nil {
		var out []string
		for _, s := range selections {
			out = append(out, path.Join(s.Namespace, s.Name))
		}
		return out
	}
	var out []string
	for _, n := range strings.Split(value, ",") {
		n, _, _ = strings.Cut(strings.TrimSpace(n), "@") // name@interface
		out = append(out, n)
	}
	return out
}

func splitNAD(ref, defaultNamespace string) (string, string) {
	if ns, name, ok := strings.Cut(ref, "/"); ok {
		return ns, name
	}
	return defaultNamespace, ref
}

// subset reports whether every pair of small is in big; an empty small
// selects every node, which says nothing about a workload's pool.
func subset(small, big map[string]any) bool {
	if len(small) == 0 {
		return false
	}
	for k, v := range small {
		if w, ok := big[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func mapAt(obj map[string]any, keys ...string) map[string]any {
	var cur any = obj
	for _, k := range keys {
		m, _ := cur.(map[string]any)
		cur = m[k]
	}
	m, _ := cur.(map[string]any)
	return m
}

func sliceAt(obj map[string]any, keys ...string) ([]map[string]any, bool) {
	m := mapAt(obj, keys[:len(keys)-1]...)
	list, ok := m[keys[len(keys)-1]].([]any)
	var out []map[string]any
	for _, e := range list {
		if em, ok := e.(map[string]any); ok {
			out = append(out, em)
		}
	}
	return out, ok
}

func stringAt(obj map[string]any, keys ...string) string {
	s, _ := mapAt(obj, keys[:len(keys)-1]...)[keys[len(keys)-1]].(string)
	return s
}
