package appcontroller

import (
	"fmt"
	"sort"
	"strconv"

	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"

	"github.com/lowlat/lowlat/generator/rehearse/timeline"
)

// eventSync records an operation starting or ending.
func eventSync(op *v1alpha1.OperationState, revision string) timeline.Event {
	msg := op.Message
	if msg == "" && op.Operation.InitiatedBy.Automated {
		msg = "automated sync to " + revision
	}
	return timeline.Event{Kind: timeline.Sync, Status: string(op.Phase), Message: msg}
}

// ResourceKey names a resource in events: group/Kind/namespace/name.
func ResourceKey(group, kind, namespace, name string) string {
	return fmt.Sprintf("%s/%s/%s/%s", group, kind, namespace, name)
}

// report records what changed since the last reconciliation: the
// Application's health and sync status, each resource's sync result and
// each resource's health.
func (c *Controller) report(app *v1alpha1.Application, status *v1alpha1.ApplicationStatus) {
	c.mu.Lock()
	mem := c.seen[app.Name]
	if mem == nil {
		mem = &appMemory{resources: map[string]string{}, resHealth: map[string]string{}}
		c.seen[app.Name] = mem
	}
	c.mu.Unlock()
	wave := app.Annotations["argocd.argoproj.io/sync-wave"]
	if h := string(status.Health.Status); h != mem.health {
		mem.health = h
		c.record(app, timeline.Event{Kind: timeline.Health, Resource: "argoproj.io/Application/" + app.Namespace + "/" + app.Name, Status: h, Message: "wave " + waveOrZero(wave)})
	}
	if op := status.OperationState; op != nil && op.SyncResult != nil {
		c.reportResults(app, mem, op.SyncResult.Resources)
	}
	var keys []string
	byKey := map[string]v1alpha1.ResourceStatus{}
	for _, r := range status.Resources {
		if r.Health == nil {
			continue
		}
		k := ResourceKey(r.Group, r.Kind, r.Namespace, r.Name)
		keys = append(keys, k)
		byKey[k] = r
	}
	sort.Strings(keys)
	for _, k := range keys {
		r := byKey[k]
		state := string(r.Health.Status) + "|" + r.Health.Message
		if mem.resHealth[k] == state {
			continue
		}
		mem.resHealth[k] = state
		c.record(app, timeline.Event{Kind: timeline.Health, Resource: k, Status: string(r.Health.Status), Message: r.Health.Message})
	}
}

// reportResults records each resource's sync result once per change.
func (c *Controller) reportResults(app *v1alpha1.Application, mem *appMemory, results []*v1alpha1.ResourceResult) {
	for _, r := range results {
		k := ResourceKey(r.Group, r.Kind, r.Namespace, r.Name)
		state := string(r.Status) + "|" + string(r.HookPhase) + "|" + r.Message
		if mem.resources[k] == state {
			continue
		}
		mem.resources[k] = state
		c.record(app, timeline.Event{Kind: resultKind(r), Resource: k, Status: resultStatus(r), Message: r.Message})
	}
}

func resultKind(r *v1alpha1.ResourceResult) timeline.Kind {
	switch r.Status {
	case "SyncFailed":
		return timeline.Rejected
	case "Pruned":
		return timeline.Pruned
	case "PruneSkipped":
		return timeline.Skipped
	}
	return timeline.Applied
}

func resultStatus(r *v1alpha1.ResourceResult) string {
	if r.HookType != "" {
		return string(r.HookType) + " hook " + string(r.HookPhase)
	}
	return string(r.Status)
}

func waveOrZero(w string) string {
	if _, err := strconv.Atoi(w); err != nil {
		return "0"
	}
	return w
}
