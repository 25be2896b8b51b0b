package twin

import (
	"context"
	"fmt"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/restmapper"
	"k8s.io/client-go/util/jsonpath"

	"github.com/lowlat/lowlat/generator/rehearse/timeline"
)

// process is one container of a Job's pod, run by the twin with the rights
// of the pod's service account (the API server checks them: the twin
// impersonates the account).
type process struct {
	t                         *Twin
	namespace, serviceAccount string
	job                       string
	// pod is the name the Job controller would give the pod; podSpec its
	// template's spec.
	pod     string
	podSpec *corev1.PodSpec
	started time.Duration
	// extraPath is put before oc and kubectl on a script's PATH;
	// extraMounts map more paths of a script's arguments to files of the
	// twin's (a program the twin plays).
	extraPath   string
	extraMounts map[string]string
	// emptyDirs are the pod's emptyDir volumes; nil when the pod has no
	// files of its own (a pod the kubelet model runs).
	emptyDirs *emptyDirs
}

// run advances one container; done reports that it exited, with exit and
// msg. state carries the program's progress between ticks. kube-burner
// and `oc wait` are modelled; a shell script is run for real
// (script_run.go); anything else exits 0 at once.
func (p *process) run(ctx context.Context, c *corev1.Container, state *any) (exit int, msg string, done bool) {
	switch {
	case strings.Contains(c.Image, "kube-burner"):
		return p.kubeBurner(ctx, c, state)
	case isOCWait(c):
		return p.ocWait(ctx, c)
	case isShell(c) && latencyRunner(c) != "":
		return p.latencyTest(ctx, c)
	case isShell(c):
		return p.script(ctx, c, state)
	}
	return 0, "", true
}

// isShell reports a container whose command runs bash or sh
// (shellScriptOf tells the rest).
func isShell(c *corev1.Container) bool {
	_, ok, _ := shellScriptOf(append(append([]string(nil), c.Command...), c.Args...))
	return ok
}

func isOCWait(c *corev1.Container) bool {
	argv := append(append([]string(nil), c.Command...), c.Args...)
	return len(argv) >= 2 && (argv[0] == "oc" || argv[0] == "kubectl" || strings.HasSuffix(argv[0], "/oc") || strings.HasSuffix(argv[0], "/kubectl")) && argv[1] == "wait"
}

// client is a dynamic client acting as the pod's service account.
func (p *process) client() (dynamic.Interface, error) {
	cfg := rest.CopyConfig(p.t.cfg)
	cfg.Impersonate = p.identity()
	return dynamic.NewForConfig(cfg)
}

// kubeBurner models kube-burner init as a lowlat perf job runs it (v2.7.3):
// it reads its configuration ConfigMap, creates its namespace labelled
// kube-burner.io/job, measures for the perf-run duration and deletes the
// namespace again. On the way the twin checks the account cannot delete a
// namespace that is not its own (a dry run on openshift-gitops).
func (p *process) kubeBurner(ctx context.Context, c *corev1.Container, state *any) (int, string, bool) {
	ref := "Job " + p.namespace + "/" + p.job
	cli, err := p.client()
	if err != nil {
		return 1, err.Error(), true
	}
	nsName := "kube-burner-" + p.job + "-0"
	if *state == nil {
		cm := flagValue(c.Args, "--configmap")
		ns := orDefault(flagValue(c.Args, "--namespace"), p.namespace)
		if _, err := cli.Resource(gvrConfigMap).Namespace(ns).Get(ctx, cm, metav1.GetOptions{}); err != nil {
			p.t.rec.Add(timeline.Event{Kind: timeline.Denied, Resource: ref, Message: err.Error()})
			return 1, err.Error(), true
		}
		ns0 := object("v1", "Namespace", "", nsName)
		ns0["metadata"].(map[string]any)["labels"] = map[string]any{"kube-burner.io/job": p.job}
		if _, err := cli.Resource(gvrNamespace).Create(ctx, &unstructured.Unstructured{Object: ns0}, metav1.CreateOptions{}); err != nil && !apierrors.IsAlreadyExists(err) {
			p.t.rec.Add(timeline.Event{Kind: timeline.Denied, Resource: ref, Message: err.Error()})
			return 1, err.Error(), true
		}
		*state = true
	}
	if p.t.clock.Elapsed() < p.started+p.t.spec.Durations.PerfRun {
		return 0, "", false
	}
	probe := "openshift-gitops"
	if err := cli.Resource(gvrNamespace).Delete(ctx, probe, metav1.DeleteOptions{DryRun: []string{metav1.DryRunAll}}); err == nil {
		p.t.rec.Add(timeline.Event{Kind: timeline.Fault, Resource: ref, Status: "Allowed", Message: "kube-burner's service account may delete namespace " + probe})
	} else {
		p.t.rec.Add(timeline.Event{Kind: timeline.Denied, Resource: ref, Status: "Refused", Message: "deleting namespace " + probe + ": " + err.Error()})
	}
	if err := cli.Resource(gvrNamespace).Delete(ctx, nsName, metav1.DeleteOptions{}); err != nil && !apierrors.IsNotFound(err) {
		p.t.rec.Add(timeline.Event{Kind: timeline.Denied, Resource: ref, Message: err.Error()})
		return 1, err.Error(), true
	}
	if isShell(c) {
		return p.kubeBurnerWrapped(ctx, c, flagValue(c.Args, "--configmap"), orDefault(flagValue(c.Args, "--namespace"), p.namespace))
	}
	return 0, "", true
}

func flagValue(args []string, name string) string {
	for i, a := range args {
		if a == name && i+1 < len(args) {
			return args[i+1]
		}
		if v, ok := strings.CutPrefix(a, name+"="); ok {
			return v
		}
	}
	return ""
}

// ocWait evaluates `oc wait` (kubectl wait's semantics): resources by
// TYPE/NAME, TYPE NAME..., or TYPE with -l SELECTOR or --all, in -n
// NAMESPACE; --for=condition=TYPE[=STATUS], --for=jsonpath={EXPR}=VALUE or
// --for=create; --timeout (30s by default). A named resource that does not
// exist, or a selector that matches nothing, fails at once, as kubectl
// does; otherwise it waits until every resource meets the condition or the
// timeout passes.
func (p *process) ocWait(ctx context.Context, c *corev1.Container) (int, string, bool) {
	argv := append(append([]string(nil), c.Command...), c.Args...)[2:]
	w, err := parseWait(argv)
	if err != nil {
		return 1, err.Error(), true
	}
	if w.namespace == "" {
		w.namespace = p.namespace
	}
	cli, err := p.client()
	if err != nil {
		return 1, err.Error(), true
	}
	gvr, namespaced, err := p.t.resourceFor(w.resource)
	if err != nil {
		return 1, err.Error(), true
	}
	ri := cli.Resource(gvr).Namespace(w.namespace)
	if !namespaced {
		ri = cli.Resource(gvr)
	}
	var items []unstructured.Unstructured
	if len(w.names) > 0 {
		for _, n := range w.names {
			obj, err := ri.Get(ctx, n, metav1.GetOptions{})
			if apierrors.IsNotFound(err) && w.forCreate {
				return p.waiting(w)
			}
			if err != nil {
				return 1, err.Error(), true
			}
			items = append(items, *obj)
		}
	} else {
		list, err := ri.List(ctx, metav1.ListOptions{LabelSelector: w.selector})
		if err != nil {
			return 1, err.Error(), true
		}
		if len(list.Items) == 0 {
			if w.forCreate {
				return p.waiting(w)
			}
			return 1, "error: no matching resources found", true
		}
		items = list.Items
	}
	for i := range items {
		ok, err := w.met(&items[i])
		if err != nil {
			return 1, err.Error(), true
		}
		if !ok {
			return p.waiting(w)
		}
	}
	return 0, "", true
}

func (p *process) waiting(w *wait) (int, string, bool) {
	if p.t.clock.Elapsed() >= p.started+w.timeout {
		return 1, "error: timed out waiting for the condition on " + w.resource, true
	}
	return 0, "", false
}

// wait is a parsed `oc wait` command line.
type wait struct {
	resource  string
	names     []string
	namespace string
	selector  string
	condition string // condition type
	status    string // condition status, or the jsonpath value
	path      *jsonpath.JSONPath
	forCreate bool
	timeout   time.Duration
}

func parseWait(args []string) (*wait, error) {
	w := &wait{timeout: 30 * time.Second}
	var positional []string
	all := false
	for i := 0; i < len(args); i++ {
		a := args[i]
		name, value, hasValue := strings.Cut(a, "=")
		next := func() (string, error) {
			if hasValue {
				return value, nil
			}
			if i+1 >= len(args) {
				return "", fmt.Errorf("flag %s needs a value", name)
			}
			i++
			return args[i], nil
		}
		var err error
		switch name {
		case "-n", "--namespace":
			w.namespace, err = next()
		case "-l", "--selector":
			w.selector, err = next()
		case "--all":
			all = true
		case "--timeout":
			var v string
			if v, err = next(); err == nil {
				w.timeout, err = time.ParseDuration(v)
			}
		case "--for":
			var v string
			if v, err = next(); err == nil {
				err = w.parseFor(v)
			}
		default:
			if strings.HasPrefix(a, "-") {
				return nil, fmt.Errorf("oc wait: flag %s is not modelled", a)
			}
			positional = append(positional, a)
		}
		if err != nil {
			return nil, err
		}
	}
	if len(positional) == 0 {
		return nil, fmt.Errorf("oc wait: no resource")
	}
	if res, name, ok := strings.Cut(positional[0], "/"); ok {
		w.resource, w.names = res, []string{name}
		for _, p := range positional[1:] {
			_, n, _ := strings.Cut(p, "/")
			w.names = append(w.names, n)
		}
	} else {
		w.resource, w.names = positional[0], positional[1:]
	}
	if len(w.names) == 0 && w.selector == "" && !all {
		return nil, fmt.Errorf("oc wait: resource(s) were provided, but no name was specified")
	}
	if w.condition == "" && w.path == nil && !w.forCreate {
		return nil, fmt.Errorf("oc wait: --for is required")
	}
	if _, err := labels.Parse(w.selector); err != nil {
		return nil, err
	}
	return w, nil
}

func (w *wait) parseFor(v string) error {
	switch {
	case v == "create":
		w.forCreate = true
	case strings.HasPrefix(v, "condition="):
		typ, status, ok := strings.Cut(strings.TrimPrefix(v, "condition="), "=")
		if !ok {
			status = "True"
		}
		w.condition, w.status = typ, status
	case strings.HasPrefix(v, "jsonpath="):
		expr := strings.TrimPrefix(v, "jsonpath=")
		end := strings.LastIndex(expr, "}")
		if !strings.HasPrefix(expr, "{") || end < 0 || !strings.HasPrefix(expr[end+1:], "=") {
			return fmt.Errorf("oc wait: jsonpath wait format must be --for=jsonpath='{.status.readyReplicas}'=3, got %q", v)
		}
		j := jsonpath.New("wait").AllowMissingKeys(true)
		if err := j.Parse(expr[:end+1]); err != nil {
			return err
		}
		w.path, w.status = j, expr[end+2:]
	default:
		return fmt.Errorf("oc wait: unrecognized condition %q", v)
	}
	return nil
}

func (w *wait) met(obj *unstructured.Unstructured) (bool, error) {
	switch {
	case w.forCreate:
		return true, nil
	case w.condition != "":
		return strings.EqualFold(conditionStatus(obj, w.condition), w.status), nil
	}
	results, err := w.path.FindResults(obj.Object)
	if err != nil || len(results) == 0 || len(results[0]) == 0 {
		return false, nil
	}
	if len(results) > 1 || len(results[0]) > 1 {
		return false, fmt.Errorf("given jsonpath expression matches more than one value")
	}
	return fmt.Sprint(results[0][0].Interface()) == w.status, nil
}

// resourceFor resolves a kubectl resource argument (plural, singular,
// kind or short name, optionally .group) through discovery.
func (t *Twin) resourceFor(arg string) (schema.GroupVersionResource, bool, error) {
	t.mapperOnce.Do(func() {
		dc, err := discovery.NewDiscoveryClientForConfig(t.cfg)
		if err != nil {
			t.mapperErr = err
			return
		}
		cached := memory.NewMemCacheClient(dc)
		t.mapper = restmapper.NewDeferredDiscoveryRESTMapper(cached)
		t.expander = restmapper.NewShortcutExpander(t.mapper, cached, nil)
	})
	if t.mapperErr != nil {
		return schema.GroupVersionResource{}, false, t.mapperErr
	}
	m, expander := t.mapper, t.expander
	res, group, _ := strings.Cut(arg, ".")
	gvr, err := expander.ResourceFor(schema.GroupVersionResource{Group: group, Resource: res})
	if err != nil {
		m.Reset()
		gvr, err = expander.ResourceFor(schema.GroupVersionResource{Group: group, Resource: res})
		if err != nil {
			return gvr, false, fmt.Errorf("error: the server doesn't have a resource type %q", arg)
		}
	}
	gvk, err := m.KindFor(gvr)
	if err != nil {
		return gvr, false, err
	}
	mapping, err := m.RESTMapping(gvk.GroupKind(), gvk.Version)
	if err != nil {
		return gvr, false, err
	}
	return gvr, mapping.Scope.Name() == "namespace", nil
}
