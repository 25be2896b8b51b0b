package review

import (
	"reflect"
	"sort"

	"github.com/lowlat/lowlat/generator/render"
)

// Change says what happened to a resource or a field.
type Change string

// The changes, as the report spells them.
const (
	Added   Change = "added"
	Removed Change = "removed"
	Changed Change = "changed"
)

// Report is the reviewed difference between two trees.
type Report struct {
	Base     SideInfo      `json:"base"`
	Head     SideInfo      `json:"head"`
	Summary  Summary       `json:"summary"`
	Warnings []Warning     `json:"warnings"`
	Clusters []ClusterDiff `json:"clusters"`
	// Notes say what the report could not know, such as node counts.
	Notes []string `json:"notes,omitempty"`
}

// SideInfo says what one side of the comparison was.
type SideInfo struct {
	Label string `json:"label"`
	// Revision is the commit when the side came from git.
	Revision string `json:"revision,omitempty"`
	// Inventory is where the side's node counts came from; empty when
	// unknown.
	Inventory string `json:"inventory,omitempty"`
}

// Summary counts the changed resources.
type Summary struct {
	Added        int `json:"added"`
	Removed      int `json:"removed"`
	Changed      int `json:"changed"`
	Applications int `json:"applications"`
	// EntryPoints counts the changed entry points that no Application
	// syncs: a cluster's overlay kustomization and its krm/ directory.
	EntryPoints int `json:"entryPoints,omitempty"`
}

// Empty reports whether nothing changed.
func (s Summary) Empty() bool { return s.Added+s.Removed+s.Changed == 0 }

// ClusterDiff holds the changed Applications of one cluster, or of base/
// when Shared.
type ClusterDiff struct {
	Name         string    `json:"name,omitempty"`
	Shared       bool      `json:"shared,omitempty"`
	Applications []AppDiff `json:"applications"`
}

// AppDiff holds the changed resources of one Application.
type AppDiff struct {
	Name      string         `json:"name"`
	Resources []ResourceDiff `json:"resources"`
}

// ResourceDiff is one added, removed or changed resource.
type ResourceDiff struct {
	Change    Change `json:"change"`
	Group     string `json:"group"`
	Kind      string `json:"kind"`
	Namespace string `json:"namespace,omitempty"`
	Name      string `json:"name"`
	// Path is the head's file, or the base's for a removed resource.
	Path string `json:"path"`
	// MovedFrom is the Application that held the resource before.
	MovedFrom string `json:"movedFrom,omitempty"`
	// KeptOnCluster marks a removed resource that ArgoCD will not prune.
	KeptOnCluster bool          `json:"keptOnCluster,omitempty"`
	Fields        []FieldChange `json:"fields,omitempty"`
}

// Identity is the resource's identity.
func (d *ResourceDiff) Identity() Identity {
	return Identity{Group: d.Group, Kind: d.Kind, Namespace: d.Namespace, Name: d.Name}
}

// entry is a ResourceDiff with what the warnings need to know about it.
type entry struct {
	ResourceDiff
	loc      Location
	old, cur map[string]any
}

// Compare reviews the change from base to head.
func Compare(base, head *Side) (*Report, error) {
	old, err := resources(base.Tree, "base")
	if err != nil {
		return nil, err
	}
	cur, err := resources(head.Tree, "head")
	if err != nil {
		return nil, err
	}
	entries := pairMoves(diffResources(old, cur))
	r := &Report{Base: base.info(), Head: head.info(), Warnings: []Warning{}, Clusters: []ClusterDiff{}}
	r.Notes = append(base.notes("base"), head.notes("head")...)
	if ws := consequences(entries, base, head); len(ws) > 0 {
		r.Warnings = ws
	}
	r.Notes = append(r.Notes, countNotes(r.Warnings, base, head)...)
	if clusters, sum := group(entries); len(clusters) > 0 {
		r.Clusters, r.Summary = clusters, sum
	}
	return r, nil
}

// countNotes explains unknown node counts by the side that had no inventory.
func countNotes(ws []Warning, base, head *Side) []string {
	unknown := false
	for i := range ws {
		w := &ws[i]
		unknown = unknown || (w.Kind == WarnReboot || w.Kind == WarnDrain) && w.Nodes == nil
	}
	var out []string
	for _, s := range []struct {
		which string
		side  *Side
	}{{"base", base}, {"head", head}} {
		if !unknown || s.side.Inventory != nil {
			continue
		}
		why := "no inventory"
		if s.side.InventoryProblem != "" {
			why = s.side.InventoryProblem
		}
		out = append(out, s.which+" "+s.side.Label+": node counts unknown: "+why)
	}
	return out
}

func diffResources(old, cur map[key]*resource) []*entry {
	var out []*entry
	for k, o := range old {
		c, ok := cur[k]
		switch {
		case !ok:
			out = append(out, newEntry(Removed, o, o.Object, nil))
		case !reflect.DeepEqual(o.Object, c.Object):
			e := newEntry(Changed, c, o.Object, c.Object)
			e.Fields = diffFields(o.Object, c.Object)
			out = append(out, e)
		}
	}
	for k, c := range cur {
		if _, ok := old[k]; !ok {
			out = append(out, newEntry(Added, c, nil, c.Object))
		}
	}
	return out
}

func newEntry(change Change, r *resource, old, cur map[string]any) *entry {
	e := &entry{loc: r.Location, old: old, cur: cur}
	e.ResourceDiff = ResourceDiff{
		Change: change, Group: r.Group, Kind: r.Kind, Namespace: r.Namespace, Name: r.Name, Path: r.Path,
		KeptOnCluster: change == Removed && pruneDisabled(old),
	}
	return e
}

// pairMoves joins a removal and an addition of the same resource in the same
// cluster into one change: the resource moved to another Application (and
// another sync wave), which the reviewer should see as such.
func pairMoves(entries []*entry) []*entry {
	type where struct {
		cluster string
		shared  bool
		Identity
	}
	removed, added := map[where][]*entry{}, map[where][]*entry{}
	for _, e := range entries {
		w := where{e.loc.Cluster, e.loc.Shared, e.Identity()}
		switch e.Change {
		case Removed:
			removed[w] = append(removed[w], e)
		case Added:
			added[w] = append(added[w], e)
		}
	}
	drop := map[*entry]bool{}
	for w, rs := range removed {
		as := added[w]
		if len(rs) != 1 || len(as) != 1 {
			continue
		}
		a, r := as[0], rs[0]
		a.Change, a.MovedFrom, a.old = Changed, r.loc.App, r.old
		a.Fields = diffFields(r.old, a.cur)
		drop[r] = true
	}
	out := entries[:0]
	for _, e := range entries {
		if !drop[e] {
			out = append(out, e)
		}
	}
	return out
}

// group sorts entries into clusters and Applications: base/ first, then
// clusters by name; Applications in sync order; resources by kind,
// namespace and name.
func group(entries []*entry) ([]ClusterDiff, Summary) {
	sort.Slice(entries, func(i, j int) bool { return entryLess(entries[i], entries[j]) })
	var out []ClusterDiff
	var sum Summary
	for _, e := range entries {
		countChange(&sum, e.Change)
		if n := len(out); n == 0 || out[n-1].Name != e.loc.Cluster || out[n-1].Shared != e.loc.Shared {
			out = append(out, ClusterDiff{Name: e.loc.Cluster, Shared: e.loc.Shared})
		}
		c := &out[len(out)-1]
		if n := len(c.Applications); n == 0 || c.Applications[n-1].Name != e.loc.App {
			c.Applications = append(c.Applications, AppDiff{Name: e.loc.App})
			if e.loc.App == AppClusterRoot || e.loc.App == AppKRM {
				sum.EntryPoints++
			} else {
				sum.Applications++
			}
		}
		a := &c.Applications[len(c.Applications)-1]
		a.Resources = append(a.Resources, e.ResourceDiff)
	}
	return out, sum
}

func countChange(s *Summary, c Change) {
	switch c {
	case Added:
		s.Added++
	case Removed:
		s.Removed++
	case Changed:
		s.Changed++
	}
}

func entryLess(a, b *entry) bool {
	if a.loc.Shared != b.loc.Shared {
		return a.loc.Shared
	}
	if a.loc.Cluster != b.loc.Cluster {
		return a.loc.Cluster < b.loc.Cluster
	}
	if oa, ob := appOrder(a.loc.App), appOrder(b.loc.App); oa != ob {
		return oa < ob
	}
	if a.loc.App != b.loc.App {
		return a.loc.App < b.loc.App
	}
	ia, ib := a.Identity(), b.Identity()
	if ia.Kind != ib.Kind {
		return ia.Kind < ib.Kind
	}
	if ia.Namespace != ib.Namespace {
		return ia.Namespace < ib.Namespace
	}
	if ia.Name != ib.Name {
		return ia.Name < ib.Name
	}
	return ia.Group < ib.Group
}

// appOrder puts a cluster's ArgoCD Applications and entry points first,
// then its components in sync order, then anything else.
func appOrder(app string) int {
	entries := []string{AppArgoCD, AppClusterRoot, AppKRM}
	for i, e := range entries {
		if app == e {
			return i
		}
	}
	for i, c := range render.Components {
		if c.Name == app {
			return len(entries) + i
		}
	}
	return len(entries) + len(render.Components)
}
