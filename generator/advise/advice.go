package advise

import "slices"

// Advice is what lowlat decides for one workload.
type Advice struct {
	Cluster  string   `json:"cluster"`
	Name     string   `json:"name"`
	Kind     Kind     `json:"kind"`
	Platform Platform `json:"platform"`
	// Pool is empty when no pool can serve the needs (see Problems).
	Pool    string   `json:"pool"`
	Knobs   []Knob   `json:"knobs"`
	Reasons []Reason `json:"reasons"`
	// Problems are conflicts and needs no pool serves; a workload with
	// problems is not rendered.
	Problems []Problem `json:"problems,omitempty"`
}

// Reason is one row of the attribute → decision → reason table. Attribute
// is a need, or "platform" or "pool".
type Reason struct {
	Attribute string `json:"attribute"`
	Level     string `json:"level,omitempty"`
	Decision  string `json:"decision"`
	Reason    string `json:"reason"`
	Source    Source `json:"source"`
}

// Knob is one setting of the workload's tuning.
type Knob struct {
	Name   string `json:"name"`
	Value  string `json:"value"`
	Reason string `json:"reason"`
	Source Source `json:"source"`
	// Rendered: lowlat writes the knob into the workload's manifests;
	// otherwise it is advice for whoever deploys the workload.
	Rendered bool `json:"rendered"`
}

// Problem is a conflict or an unserved need. Field is relative to the
// workload (needs.liveMigration, nodePool, networks, ...).
type Problem struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Knob returns the knob called name, or nil.
func (a *Advice) Knob(name string) *Knob {
	for i := range a.Knobs {
		if a.Knobs[i].Name == name {
			return &a.Knobs[i]
		}
	}
	return nil
}

// Decide advises on one workload of a cluster with these pools.
func Decide(cluster string, w Workload, pools []Pool) Advice {
	a := Advice{Cluster: cluster, Name: w.Name, Kind: w.Kind, Knobs: []Knob{}}
	d := &decider{w: w, a: &a}
	d.platform()
	pool := d.pool(pools)
	if pool != nil {
		d.knobs(pool)
		d.migration(pool)
	}
	d.attributeRows(pool)
	slices.SortStableFunc(a.Reasons, func(x, y Reason) int { return rowOrder(x.Attribute) - rowOrder(y.Attribute) })
	return a
}

// decider accumulates one workload's advice.
type decider struct {
	w Workload
	a *Advice
}

func (d *decider) need(at Attribute) Level { return d.w.Needs.At(at) }

func (d *decider) reason(attr, decision, why string, src Source) {
	d.a.Reasons = append(d.a.Reasons, Reason{Attribute: attr, Decision: decision, Reason: why, Source: src})
}

func (d *decider) knob(k Knob) { d.a.Knobs = append(d.a.Knobs, k) }

func (d *decider) problem(field, msg string) {
	d.a.Problems = append(d.a.Problems, Problem{Field: field, Message: msg})
}

// rowOrder puts the attributes in the seed's order, then platform and pool.
func rowOrder(attr string) int {
	for i, a := range Attributes {
		if string(a) == attr {
			return i
		}
	}
	if attr == "platform" {
		return len(Attributes)
	}
	return len(Attributes) + 1
}
