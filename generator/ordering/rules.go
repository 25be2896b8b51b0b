package ordering

import (
	"fmt"
	"sort"

	"github.com/lowlat/lowlat/generator/manifest"
	"github.com/lowlat/lowlat/generator/operators"
	"github.com/lowlat/lowlat/generator/perftest"
	"github.com/lowlat/lowlat/generator/tree"
)

// Rule names, as printed.
const (
	RuleCRD       = "custom resource after the operator that installs its CRD"
	RuleNAD       = "network attachment after the SR-IOV policy that creates its resource"
	RuleWorkload  = "VM, pod or latency test after its network attachments and its PerformanceProfile"
	RuleBaseline  = "baseline test before the change"
	RuleRetest    = "re-test after the change"
	RuleNamespace = "namespaced resource after its Namespace"
	RuleMachines  = "a pool's nodes before what tunes, measures or runs on them"
)

// Violation is one resource synced too early (or with nothing to wait for).
type Violation struct {
	Cluster  string
	Resource Resource
	Rule     string
	// Detail says what it must follow and where that is.
	Detail string
}

func (v Violation) String() string {
	return fmt.Sprintf("%s: %s (%s) in %s: %s: %s", v.Cluster, v.Resource.ID, v.Resource.Pos, v.Resource.Path, v.Rule, v.Detail)
}

// Check returns every ordering violation of the tree, sorted.
func Check(t *tree.Tree) ([]Violation, error) {
	cs, err := clusters(t)
	if err != nil {
		return nil, err
	}
	var out []Violation
	for _, c := range cs {
		for _, rule := range []func(*cluster) []Violation{crdRule, nadRule, workloadRule, perftestRule, namespaceRule, machinesRule} {
			out = append(out, rule(c)...)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out, nil
}

// installer is what makes a group's CRDs exist.
type installer struct {
	Group string
	By    manifest.ID
	Why   string
}

var hyperConverged = manifest.ID{Group: "hco.kubevirt.io", Kind: "HyperConverged", Namespace: operators.Virtualization.Namespace, Name: operators.HyperConvergedName}

// installers is the one table of which object installs which group's CRDs.
// Groups OpenShift serves from the start (performance.openshift.io,
// machineconfiguration.openshift.io, k8s.cni.cncf.io) need none.
var installers = []installer{
	{Group: "sriovnetwork.openshift.io", By: subscription(operators.SRIOV), Why: "OLM installs the CRDs with the SR-IOV Network Operator"},
	{Group: "hco.kubevirt.io", By: subscription(operators.Virtualization), Why: "OLM installs the CRD with OpenShift Virtualization"},
	{Group: "kubevirt.io", By: hyperConverged, Why: "KubeVirt's CRDs appear once the HyperConverged CR is reconciled"},
	{Group: "cdi.kubevirt.io", By: hyperConverged, Why: "CDI's CRDs appear once the HyperConverged CR is reconciled"},
}

func subscription(op operators.Operator) manifest.ID {
	return manifest.ID{Group: "operators.coreos.com", Kind: "Subscription", Namespace: op.Namespace, Name: op.Subscription}
}

func crdRule(c *cluster) []Violation {
	var out []Violation
	for _, r := range c.resources {
		for _, in := range installers {
			if r.Group == in.Group {
				out = append(out, c.after(r, RuleCRD, in.Why, func(o Resource) bool { return sameObject(o.ID, in.By) }, in.By.String())...)
			}
		}
	}
	return out
}

// after checks that r comes after every resource match selects, and that
// there is one; want names what was looked for.
func (c *cluster) after(r Resource, rule, why string, match func(Resource) bool, want string) []Violation {
	found := false
	var out []Violation
	for _, o := range c.resources {
		if !match(o) {
			continue
		}
		found = true
		if !o.Pos.Before(r.Pos) {
			out = append(out, Violation{Cluster: c.name, Resource: r, Rule: rule,
				Detail: fmt.Sprintf("must come after %s (%s); %s", o.ID, o.Pos, why)})
		}
	}
	if !found {
		out = append(out, Violation{Cluster: c.name, Resource: r, Rule: rule,
			Detail: fmt.Sprintf("needs %s, which the tree does not render; %s", want, why)})
	}
	return out
}

// before checks that r comes before every resource match selects.
func (c *cluster) before(r Resource, rule, why string, match func(Resource) bool) []Violation {
	var out []Violation
	for _, o := range c.resources {
		if match(o) && !r.Pos.Before(o.Pos) {
			out = append(out, Violation{Cluster: c.name, Resource: r, Rule: rule,
				Detail: fmt.Sprintf("must come before %s (%s); %s", o.ID, o.Pos, why)})
		}
	}
	return out
}

func sameObject(a, b manifest.ID) bool {
	return a.Group == b.Group && a.Kind == b.Kind && a.Namespace == b.Namespace && a.Name == b.Name
}

func isKind(r Resource, group, kind string) bool { return r.Group == group && r.Kind == kind }

// perftestRule orders Test → Change → Re-test: the change is every
// PerformanceProfile and MachineConfigPool.
func perftestRule(c *cluster) []Violation {
	change := func(o Resource) bool {
		return isKind(o, "performance.openshift.io", "PerformanceProfile") || isKind(o, "machineconfiguration.openshift.io", "MachineConfigPool")
	}
	var out []Violation
	for _, r := range c.resources {
		if !isKind(r, "batch", "Job") {
			continue
		}
		switch manifest.Label(r.Object, perftest.PhaseLabel) {
		case perftest.PhaseBaseline:
			out = append(out, c.before(r, RuleBaseline, "the baseline measures the untuned nodes", change)...)
		case perftest.PhaseRetest:
			out = append(out, c.after(r, RuleRetest, "the re-test measures the tuned nodes", change, "a PerformanceProfile")...)
		}
	}
	return out
}

// machinesRule puts every MachineSet before what needs the nodes it
// creates: a pool's MachineConfigPool and PerformanceProfile (a pool that
// takes its nodes while a profile rolls out reboots them twice), the
// baseline test (it measures the untuned nodes), and the VMs and pods.
func machinesRule(c *cluster) []Violation {
	needsNodes := func(o Resource) bool {
		return isKind(o, "machineconfiguration.openshift.io", "MachineConfigPool") || isKind(o, "performance.openshift.io", "PerformanceProfile") ||
			isKind(o, "kubevirt.io", "VirtualMachine") || isKind(o, "", "Pod") || isLatencyRun(o) ||
			isKind(o, "batch", "Job") && manifest.Label(o.Object, perftest.PhaseLabel) == perftest.PhaseBaseline
	}
	var out []Violation
	for _, r := range c.resources {
		if isKind(r, "machine.openshift.io", "MachineSet") {
			out = append(out, c.before(r, RuleMachines, "its Machines become the pool's nodes", needsNodes)...)
		}
	}
	return out
}

// builtinNamespaces exist in every cluster; openshift-machine-api and
// openshift-config-managed in every OpenShift cluster, created by the
// release payload (the machine-api-operator's and the
// cluster-config-operator's manifests).
// The namespace the cluster's Applications live in (ArgoCD's) exists too.
var builtinNamespaces = map[string]bool{
	"default": true, "kube-system": true, "kube-public": true, "kube-node-lease": true, "openshift": true,
	"openshift-machine-api": true, "openshift-config-managed": true,
}

func namespaceRule(c *cluster) []Violation {
	var out []Violation
	for _, r := range c.resources {
		if r.Namespace == "" || builtinNamespaces[r.Namespace] || c.argo[r.Namespace] {
			continue
		}
		if a := c.apps[r.Pos.App]; a.createNamespace && a.namespace == r.Namespace {
			continue
		}
		ns := manifest.ID{Kind: "Namespace", Name: r.Namespace}
		var ok bool
		for _, o := range c.resources {
			if sameObject(o.ID, ns) && (o.Pos.Before(r.Pos) || o.Pos.Together(r.Pos)) {
				ok = true
			}
		}
		if !ok {
			out = append(out, Violation{Cluster: c.name, Resource: r, Rule: RuleNamespace,
				Detail: fmt.Sprintf("no Namespace %s is synced before it or with it, and its Application does not create it", r.Namespace)})
		}
	}
	return out
}
