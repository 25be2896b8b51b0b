package render

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/lowlat/lowlat/generator/argocd"
	"github.com/lowlat/lowlat/generator/gates"
	"github.com/lowlat/lowlat/generator/manifest"
	"github.com/lowlat/lowlat/generator/perfrun"
	"github.com/lowlat/lowlat/generator/perftest"
	"github.com/lowlat/lowlat/generator/tuning"
)

// The sync plan, in one place: Test → Change → Re-test.
//
// Each component is one child Application of the cluster's app-of-apps and
// carries its wave twice: on the child Application, which the root syncs in
// wave order and waits for (the argoproj.io/Application health check makes
// it wait), and on every resource inside it. Waves across child
// Applications only hold while that health check is installed (argo-cd
// #8778, #27917), so the resource waves repeat the plan: synced as one
// Application, overlays/aws/<cluster> follows the same order.
var componentWaves = map[string]int{
	ComponentOperators:        -10,
	ComponentOperatorConfig:   -5,
	ComponentMachines:         -4,
	ComponentPerftestBaseline: -3,
	ComponentTuning:           0,
	ComponentNetworking:       5,
	ComponentWorkloads:        10,
	ComponentMonitoring:       15,
	ComponentPerftestRetest:   20,
}

// componentWhy says what each wave holds and why it comes where it does;
// rendered files carry it beside their wave.
var componentWhy = map[string]string{
	ComponentOperators:        "Namespaces, OperatorGroups, Subscriptions: the operators, whose CRDs every later wave uses",
	ComponentOperatorConfig:   "SriovOperatorConfig, HyperConverged: the operators' configuration, once their CRDs exist",
	ComponentMachines:         "MachineSets: the pools' nodes, before anything measures or tunes them",
	ComponentPerftestBaseline: "the baseline kube-burner run (Test), on the pools before the change",
	ComponentTuning:           "MachineConfigPools and PerformanceProfiles (Change)",
	ComponentNetworking:       "SR-IOV policies and attachments, on the tuned pools",
	ComponentWorkloads:        "VMs and latency tests, on the tuned pools with their networks",
	ComponentMonitoring:       "alerts and a dashboard that know each pool's tuning, once the pools are tuned and networked",
	ComponentPerftestRetest:   "the kube-burner re-test (Re-test), after everything it measures",
}

// projectWave puts a cluster's AppProject before every child Application
// that names it.
func projectWave() int {
	lowest := 0
	for _, w := range componentWaves {
		lowest = min(lowest, w)
	}
	return lowest - 1
}

// Sync options, each used only where the rule that needs it applies.
const (
	// skipDryRun: the CRD arrives with an operator synced in an earlier
	// wave (and, for KubeVirt kinds, only once HyperConverged is
	// reconciled), so a dry run in the same sync would fail.
	skipDryRun = "SkipDryRunOnMissingResource=true"
	// kept objects (kindRule.Keep): neither a prune nor deleting the
	// Application may delete them.
	noPrune  = "Prune=false"
	noDelete = "Delete=false"
	// serverSideApply: client-side apply keeps the whole object in the
	// last-applied-configuration annotation, and the API server refuses
	// annotations over 256 KiB.
	serverSideApply = "ServerSideApply=true"
)

// serverSideApplyAbove is the manifest size from which an object is
// applied server-side, leaving room for its other annotations.
const serverSideApplyAbove = 200 << 10

// kindRule is how one kind is synced.
type kindRule struct {
	Group, Kind string
	// Names limits the rule to these objects; nil means every object.
	Names []string
	// Step orders the kind after others of its component, within one
	// Application: it is added to the component's wave. StepWhy says
	// why, in the rendered files.
	Step    int
	StepWhy string
	Options []string
	// Keep marks objects ArgoCD must never delete: neither a prune when
	// they leave git nor the deletion of their Application removes them.
	Keep bool
	// Prefix limits the rule to objects whose name starts with it, and
	// Label (key=value) to objects with that label.
	Prefix, Label string
}

// ignoreExtraneous is the compare option of kept objects. Once such an
// object leaves git, ArgoCD would count it as extraneous and report its
// Application OutOfSync for ever, and self-heal would sync again and
// again; with this option the live object no longer affects sync status
// (argo-cd v3.3.19 controller/state.go skips extraneous resources that
// carry it when it sums up the Application's sync status).
const ignoreExtraneous = "IgnoreExtraneous"

// kindRules is the one table of per-kind sync settings.
var kindRules = []kindRule{
	// Deleting a namespace deletes what is in it: an operator, the
	// workloads, the kube-burner results.
	{Group: "", Kind: "Namespace", Keep: true},
	// A re-test that leaves git (a new one replaces it) stays: it may be
	// running, and its pod's log is a record. The retention pass deletes
	// it once it has finished and newer runs are enough (package perfrun).
	{Group: "batch", Kind: "Job", Prefix: perftest.Series(perftest.PhaseRetest) + "-", Keep: true},
	// So does a latency test run (oslat, cyclictest) that a newer one
	// replaces.
	{Group: "batch", Kind: "Job", Label: perfrun.PhaseLabel + "=" + perfrun.PhaseLatency, Keep: true},
	{Group: "", Kind: "ConfigMap", Prefix: perftest.Series(perftest.PhaseRetest) + "-", Keep: true},
	{Group: "operators.coreos.com", Kind: "OperatorGroup", Keep: true},
	{Group: "operators.coreos.com", Kind: "Subscription", Keep: true},
	{Group: "hco.kubevirt.io", Kind: "HyperConverged", Options: []string{skipDryRun}, Keep: true},
	// Deleting the operator's configuration removes its webhook, its
	// network resources injector and its config daemons.
	{Group: "sriovnetwork.openshift.io", Kind: "SriovOperatorConfig", Options: []string{skipDryRun}, Keep: true},
	// Removing a policy resets the VFs, which drains the nodes.
	{Group: "sriovnetwork.openshift.io", Kind: "SriovNetworkNodePolicy", Options: []string{skipDryRun}, Keep: true},
	{Group: "sriovnetwork.openshift.io", Kind: "SriovNetwork", Options: []string{skipDryRun}},
	// The attachment names the resource its policy creates. Its CRD is
	// OpenShift's own (Multus), present before any sync.
	{Group: "k8s.cni.cncf.io", Kind: "NetworkAttachmentDefinition", Step: 1, StepWhy: "after the policy that creates its resource"},
	// Deleting a profile or a pool reboots the pool's nodes into the plain
	// worker configuration. A profile selects its pool by label: the pool
	// must have taken its nodes (Healthy) before the profile's machine
	// configs are rendered for it, so the profile is one step later.
	{Group: "machineconfiguration.openshift.io", Kind: "MachineConfigPool", Keep: true},
	// Deleting a MachineSet deletes its Machines: the pool's instances are
	// terminated with whatever runs on them.
	{Group: "machine.openshift.io", Kind: "MachineSet", Keep: true},
	{Group: "performance.openshift.io", Kind: "PerformanceProfile", Step: 1, StepWhy: "after its MachineConfigPool has taken the pool's nodes", Keep: true},
	// A pool's tuning marker lands once its profile is Healthy, which the
	// Node Tuning Operator reports when it has written the profile's
	// machine configs: every rendered config that merges the marker then
	// merges those too, so the marker in a pool's status means its nodes
	// run the profile. The marker of an earlier tuning is pruned; it
	// merges into nothing, so neither costs a reboot (package tuning,
	// MarkerFor).
	{Group: "machineconfiguration.openshift.io", Kind: "MachineConfig", Prefix: tuning.MarkerPrefix, Step: 2, StepWhy: "once its profile is Available, so that the pool's status names it only when its nodes run the profile"},
	{Group: "kubevirt.io", Kind: "VirtualMachine", Options: []string{skipDryRun}},
	// The waits (package gates) run after everything else of their
	// component: the Subscriptions, the profiles (step 1), the policies and
	// attachments (step 1).
	{Group: "batch", Kind: "Job", Prefix: gates.JobPrefix, Step: 2, StepWhy: "a wait, after what it waits for"},
	{Group: "cdi.kubevirt.io", Kind: "DataVolume", Options: []string{skipDryRun}},
}

// ComponentWave is the sync wave of a component's Application.
func ComponentWave(component string) (int, error) {
	w, ok := componentWaves[component]
	if !ok {
		return 0, fmt.Errorf("component %q has no sync wave in render/waves.go", component)
	}
	return w, nil
}

// annotateObject is annotate for an object that may carry comments
// (manifest.Commented); its file also says which wave it is in and why.
func annotateObject(component string, obj any) (annotated, error) {
	var comments []manifest.Comment
	if c, ok := obj.(manifest.Commented); ok {
		obj, comments = c.Object, c.Comments
	}
	m, rule, err := annotate(component, obj)
	if err != nil {
		return annotated{}, err
	}
	return annotated{m: m, comments: append(comments, resourceWaveComment(component, rule))}, nil
}

// waveKey is the path of the sync-wave annotation, for its comment.
var waveKey = []string{"metadata", "annotations", argocd.SyncWaveAnnotation}

// resourceWaveComment says which wave a resource of component is in, and
// why.
func resourceWaveComment(component string, rule kindRule) manifest.Comment {
	wave := componentWaves[component]
	text := fmt.Sprintf("wave %d, component %s: %s", wave, component, componentWhy[component])
	if rule.Step > 0 {
		text = fmt.Sprintf("wave %d, component %s (%d) + %d: %s", wave+rule.Step, component, wave, rule.Step, rule.StepWhy)
	}
	return manifest.Comment{Path: waveKey, Text: text}
}

// applicationWaveComment says why a component's Application syncs where
// it does among its cluster's.
func applicationWaveComment(component string) manifest.Comment {
	return manifest.Comment{Path: waveKey, Text: fmt.Sprintf("wave %d: %s; the root syncs its children in wave order, each once the one before is Healthy",
		componentWaves[component], componentWhy[component])}
}

// annotate returns obj as a JSON map with its sync wave and sync options,
// and the kind rule that set them.
func annotate(component string, obj any) (map[string]any, kindRule, error) {
	data, err := json.Marshal(obj)
	if err != nil {
		return nil, kindRule{}, fmt.Errorf("component %s: marshal resource: %w", component, err)
	}
	m, err := manifest.Object(data)
	if err != nil {
		return nil, kindRule{}, fmt.Errorf("component %s: %w", component, err)
	}
	wave, err := ComponentWave(component)
	if err != nil {
		return nil, kindRule{}, err
	}
	id := manifest.Identify(m)
	rule := ruleFor(id, m)
	options := append([]string{}, rule.Options...)
	if rule.Keep {
		options = append(options, noPrune, noDelete)
	}
	if len(data) > serverSideApplyAbove {
		options = append(options, serverSideApply)
	}
	ann := annotationsOf(m)
	if w, set := ann[argocd.SyncWaveAnnotation]; set {
		return nil, kindRule{}, fmt.Errorf("component %s: %s sets its own sync wave %v; waves come from render/waves.go", component, id, w)
	}
	ann[argocd.SyncWaveAnnotation] = strconv.Itoa(wave + rule.Step)
	if merged := mergeOptions(ann[argocd.SyncOptionsAnnotation], options); merged != "" {
		ann[argocd.SyncOptionsAnnotation] = merged
	}
	if rule.Keep {
		ann[argocd.CompareOptionsAnnotation] = mergeOptions(ann[argocd.CompareOptionsAnnotation], []string{ignoreExtraneous})
	}
	return m, rule, nil
}

func ruleFor(id manifest.ID, obj map[string]any) kindRule {
	for _, r := range kindRules {
		if r.Group == id.Group && r.Kind == id.Kind && (r.Names == nil || contains(r.Names, id.Name)) && strings.HasPrefix(id.Name, r.Prefix) && hasLabel(obj, r.Label) {
			return r
		}
	}
	return kindRule{}
}

// hasLabel reports whether obj carries label key=value; an empty label
// matches every object.
func hasLabel(obj map[string]any, label string) bool {
	if label == "" {
		return true
	}
	key, value, _ := strings.Cut(label, "=")
	return manifest.Label(obj, key) == value
}

// annotationsOf returns the object's annotations map, creating it.
func annotationsOf(m map[string]any) map[string]any {
	meta, ok := m["metadata"].(map[string]any)
	if !ok {
		meta = map[string]any{}
		m["metadata"] = meta
	}
	ann, ok := meta["annotations"].(map[string]any)
	if !ok {
		ann = map[string]any{}
		meta["annotations"] = ann
	}
	return ann
}

// mergeOptions joins the options an object already has with more, sorted
// and without repeats.
func mergeOptions(existing any, more []string) string {
	set := map[string]bool{}
	if s, ok := existing.(string); ok && s != "" {
		for _, o := range strings.Split(s, ",") {
			set[strings.TrimSpace(o)] = true
		}
	}
	for _, o := range more {
		set[o] = true
	}
	out := make([]string, 0, len(set))
	for o := range set {
		out = append(out, o)
	}
	sort.Strings(out)
	return strings.Join(out, ",")
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}
