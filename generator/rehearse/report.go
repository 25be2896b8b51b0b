package rehearse

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/lowlat/lowlat/generator/canary"
	"github.com/lowlat/lowlat/generator/inventory"
	"github.com/lowlat/lowlat/generator/rehearse/timeline"
)

// Report is what a rehearsal found, cluster by cluster.
type Report struct {
	Inventory string          `json:"inventory"`
	Speed     float64         `json:"speed"`
	Clusters  []ClusterReport `json:"clusters"`
	// Note says why no cluster was rehearsed.
	Note string `json:"note,omitempty"`
}

// ClusterReport is one cluster's passes and timeline.
type ClusterReport struct {
	Cluster string           `json:"cluster"`
	Passes  []Pass           `json:"passes"`
	Pools   []PoolResult     `json:"pools"`
	Events  []timeline.Event `json:"events"`
	// Errors are failures of the rehearsal's own machinery; a report with
	// errors proves nothing.
	Errors []string `json:"errors,omitempty"`
}

// Pass is one revision's rollout.
type Pass struct {
	Revision string `json:"revision"`
	Outcome  string `json:"outcome"`
	// Start is when the pass began and Took how long it ran until it
	// converged, or until the last event of a stalled pass (modelled).
	Start time.Duration `json:"start"`
	Took  time.Duration `json:"took"`
	Apps  []AppResult   `json:"applications"`
	// What the pass did to the cluster: reboots per pool, resources
	// pruned, Jobs that ran.
	Reboots map[string]int `json:"reboots,omitempty"`
	Pruned  []string       `json:"pruned,omitempty"`
	Ran     []string       `json:"ran,omitempty"`
	// Rollouts are the pools that rebooted, with how long they took next
	// to lowlat diff's estimate.
	Rollouts []Rollout `json:"rollouts,omitempty"`
}

// Rollout is how long a pass's change took to reach every node of a pool
// that rebooted for it: from the render the first drain followed to the
// last node Ready, the canary's pool included. Estimate is what lowlat
// diff says for the pool (inventory.NodePool.RolloutEstimate); both are
// modelled time, at the rehearsal's durations.
type Rollout struct {
	Pool     string        `json:"pool"`
	Canary   bool          `json:"canary,omitempty"`
	Took     time.Duration `json:"took"`
	Estimate time.Duration `json:"estimate"`
}

// AppResult is an Application at the end of a pass.
type AppResult struct {
	Name    string `json:"name"`
	Wave    int    `json:"wave"`
	Sync    string `json:"sync"`
	Health  string `json:"health"`
	Phase   string `json:"phase,omitempty"`
	Message string `json:"message,omitempty"`
	// Waiting lists the resources that are not Synced and Healthy.
	Waiting []ResourceState `json:"waiting,omitempty"`
}

// ResourceState is one resource an Application still waits for.
type ResourceState struct {
	Resource string `json:"resource"`
	Sync     string `json:"sync"`
	Health   string `json:"health,omitempty"`
	Message  string `json:"message,omitempty"`
}

// PoolResult counts what a pool's nodes went through.
type PoolResult struct {
	Pool    string        `json:"pool"`
	Drains  int           `json:"drains"`
	Reboots int           `json:"reboots"`
	First   time.Duration `json:"first,omitempty"`
	Last    time.Duration `json:"last,omitempty"`
}

// Converged reports whether every pass of every cluster converged and the
// rehearsal's machinery had no errors (true when there was nothing to
// rehearse).
func (r *Report) Converged() bool {
	for _, c := range r.Clusters {
		if len(c.Errors) > 0 || len(c.Passes) == 0 {
			return false
		}
		for _, p := range c.Passes {
			if p.Outcome != Converged {
				return false
			}
		}
	}
	return true
}

// effects fills in what each pass did, from the events of its revision.
func effects(passes []Pass, events []timeline.Event) {
	for i := range passes {
		p := &passes[i]
		for _, e := range events {
			if e.Revision != p.Revision {
				continue
			}
			switch {
			case e.Kind == timeline.Reboot:
				if p.Reboots == nil {
					p.Reboots = map[string]int{}
				}
				p.Reboots[e.Pool]++
			case e.Kind == timeline.Pruned:
				p.Pruned = append(p.Pruned, e.Resource)
			case e.Kind == timeline.Run && e.Status == "Running" && strings.HasPrefix(e.Resource, "Job "):
				p.Ran = append(p.Ran, strings.TrimPrefix(e.Resource, "Job "))
			}
		}
	}
}

// rollouts fills in each pass's rollouts of the cluster's pools.
func rollouts(passes []Pass, events []timeline.Event, c *inventory.Cluster) {
	for i := range passes {
		p := &passes[i]
		for j := range c.NodePools {
			np := &c.NodePools[j]
			if took, ok := rolloutTime(events, p.Revision, np.NodeRole, np.CanaryRole()); ok {
				p.Rollouts = append(p.Rollouts, Rollout{Pool: np.Name, Canary: np.Canary, Took: took, Estimate: np.RolloutEstimate(canary.Interval)})
			}
		}
	}
}

// rolloutTime is the time from the last render at or before a pool's
// first drain in the pass to its last node Ready; false when the pool did
// not drain.
func rolloutTime(events []timeline.Event, revision string, pools ...string) (time.Duration, bool) {
	var rendered, start, end time.Duration
	drained := false
	for _, e := range events {
		if e.Revision != revision || !slices.Contains(pools, e.Pool) {
			continue
		}
		switch {
		case e.Kind == timeline.Node && e.Status == "Rendered" && !drained:
			rendered = e.At
		case e.Kind == timeline.Drain && !drained:
			drained, start = true, rendered
		case e.Kind == timeline.Node && e.Status == "Ready" && drained:
			end = e.At
		}
	}
	return end - start, drained && end > start
}

// effectLine says in one line what a pass did.
func (p Pass) effectLine() string {
	var parts []string
	pools := make([]string, 0, len(p.Reboots))
	for pool := range p.Reboots {
		pools = append(pools, pool)
	}
	sort.Strings(pools)
	for _, pool := range pools {
		parts = append(parts, fmt.Sprintf("pool %s: %d reboots", pool, p.Reboots[pool]))
	}
	if len(pools) == 0 {
		parts = append(parts, "no reboots")
	}
	if len(p.Pruned) > 0 {
		parts = append(parts, "pruned "+strings.Join(p.Pruned, ", "))
	}
	if len(p.Ran) > 0 {
		parts = append(parts, "ran "+strings.Join(p.Ran, ", "))
	}
	for _, r := range p.Rollouts {
		how := ""
		if r.Canary {
			how = " through its canary"
		}
		parts = append(parts, fmt.Sprintf("pool %s rolled out%s in %s (lowlat diff estimates %s)", r.Pool, how, roundDuration(r.Took), roundDuration(r.Estimate)))
	}
	return strings.Join(parts, "; ")
}

func poolSummary(events []timeline.Event, pools []string) []PoolResult {
	by := map[string]*PoolResult{}
	for _, p := range pools {
		by[p] = &PoolResult{Pool: p}
	}
	for _, e := range events {
		p := by[e.Pool]
		if p == nil || (e.Kind != timeline.Drain && e.Kind != timeline.Reboot && e.Kind != timeline.Node) {
			continue
		}
		switch e.Kind {
		case timeline.Drain:
			p.Drains++
		case timeline.Reboot:
			p.Reboots++
		}
		if p.First == 0 || e.At < p.First {
			p.First = e.At
		}
		if e.At > p.Last {
			p.Last = e.At
		}
	}
	out := make([]PoolResult, 0, len(pools))
	for _, p := range pools {
		out = append(out, *by[p])
	}
	return out
}

func roundDuration(d time.Duration) time.Duration { return d.Round(time.Second) }

// clockTime prints a modelled time as h:mm:ss.
func clockTime(d time.Duration) string {
	d = d.Round(time.Second)
	return fmt.Sprintf("%d:%02d:%02d", int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60)
}

// WriteJSON writes the report as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteText writes the report for a terminal: per cluster and pass the
// outcome, the Applications by wave with what unfinished ones wait for,
// the pools' drains and reboots, then the timeline.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "rehearsal of inventory %s (modelled time, %gx)\n", r.Inventory, r.Speed)
	if r.Note != "" {
		fmt.Fprintf(&b, "%s\n", r.Note)
	}
	for _, c := range r.Clusters {
		fmt.Fprintf(&b, "\ncluster %s\n", c.Cluster)
		for _, p := range c.Passes {
			fmt.Fprintf(&b, "  %s: %s after %s\n", p.Revision, p.Outcome, roundDuration(p.Took))
			fmt.Fprintf(&b, "    %s\n", p.effectLine())
			for _, a := range p.Apps {
				fmt.Fprintf(&b, "    wave %4d  %-32s %-10s %-12s %s\n", a.Wave, a.Name, a.Sync, a.Health, oneLine(a.Message))
				for _, rs := range a.Waiting {
					fmt.Fprintf(&b, "               waits for %s: %s %s %s\n", rs.Resource, rs.Sync, rs.Health, oneLine(rs.Message))
				}
			}
		}
		for _, p := range c.Pools {
			fmt.Fprintf(&b, "  pool %s: %d drains, %d reboots", p.Pool, p.Drains, p.Reboots)
			if p.Last > 0 {
				fmt.Fprintf(&b, ", from %s to %s", clockTime(p.First), clockTime(p.Last))
			}
			b.WriteString("\n")
		}
		for _, e := range c.Errors {
			fmt.Fprintf(&b, "  rehearsal error: %s\n", e)
		}
		b.WriteString("  timeline:\n")
		for _, e := range c.Events {
			fmt.Fprintf(&b, "    %s %s\n", clockTime(e.At), eventLine(e))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func eventLine(e timeline.Event) string {
	parts := []string{fmt.Sprintf("%-8s", e.Kind)}
	for _, s := range []string{e.App, e.Pool, e.Resource, e.Status} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	line := strings.Join(parts, " ")
	if e.Message != "" {
		line += ": " + oneLine(e.Message)
	}
	return line
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 240 {
		s = s[:237] + "..."
	}
	return s
}

// WriteMarkdown writes the report for a pull request comment: a summary
// table per cluster and the timeline in a collapsed section.
func (r *Report) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	verdict := "every rollout converges"
	if !r.Converged() {
		verdict = "**a rollout does not converge**"
	}
	if r.Note != "" {
		verdict = r.Note
	}
	fmt.Fprintf(&b, "### lowlat rehearse: %s\n\nInventory `%s`, modelled time at %gx.\n", verdict, r.Inventory, r.Speed)
	for _, c := range r.Clusters {
		fmt.Fprintf(&b, "\n#### cluster `%s`\n\n", c.Cluster)
		for _, p := range c.Passes {
			fmt.Fprintf(&b, "`%s`: **%s** after %s — %s\n\n", p.Revision, p.Outcome, roundDuration(p.Took), escapeCell(p.effectLine()))
			b.WriteString("| wave | application | sync | health | waits for |\n| ---: | --- | --- | --- | --- |\n")
			for _, a := range p.Apps {
				var waits []string
				for _, rs := range a.Waiting {
					waits = append(waits, fmt.Sprintf("%s (%s %s: %s)", rs.Resource, rs.Sync, rs.Health, oneLine(rs.Message)))
				}
				fmt.Fprintf(&b, "| %d | %s | %s | %s | %s |\n", a.Wave, a.Name, a.Sync, a.Health, escapeCell(strings.Join(waits, "; ")))
			}
			b.WriteString("\n")
		}
		if len(c.Pools) > 0 {
			b.WriteString("| pool | drains | reboots | from | to |\n| --- | ---: | ---: | --- | --- |\n")
			for _, p := range c.Pools {
				fmt.Fprintf(&b, "| %s | %d | %d | %s | %s |\n", p.Pool, p.Drains, p.Reboots, clockTime(p.First), clockTime(p.Last))
			}
		}
		for _, e := range c.Errors {
			fmt.Fprintf(&b, "\n> rehearsal error: %s\n", escapeCell(e))
		}
		b.WriteString("\n<details><summary>timeline</summary>\n\n```\n")
		for _, e := range c.Events {
			fmt.Fprintf(&b, "%s %s\n", clockTime(e.At), eventLine(e))
		}
		b.WriteString("```\n</details>\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func escapeCell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
