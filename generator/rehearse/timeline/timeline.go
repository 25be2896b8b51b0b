package timeline

import (
	"sort"
	"sync"
	"time"
)

// Kind says what an event is.
type Kind string

// Event kinds. ArgoCD's side: Sync (an operation started or ended),
// Applied, Skipped (dry-run skipped or nothing to do), Rejected (the API
// server or a webhook refused), Pruned, Health (a resource's or an
// Application's health changed). The twin's side: Operator (an install
// step), Drain, Reboot, Node, Run (a test run), Denied (an admission
// refusal the twin provoked on purpose), Fault (an injected failure).
const (
	Sync     Kind = "sync"
	Applied  Kind = "applied"
	Skipped  Kind = "skipped"
	Rejected Kind = "rejected"
	Pruned   Kind = "pruned"
	Health   Kind = "health"
	Operator Kind = "operator"
	Drain    Kind = "drain"
	Reboot   Kind = "reboot"
	Node     Kind = "node"
	Run      Kind = "run"
	Denied   Kind = "denied"
	Fault    Kind = "fault"
)

// Event is one thing that happened, at a modelled time since the start.
type Event struct {
	At   time.Duration `json:"at"`
	Kind Kind          `json:"kind"`
	// App is the Application the event belongs to; "" for the twin.
	App string `json:"app,omitempty"`
	// Resource is group/Kind/namespace/name, or a pool or node for the twin.
	Resource string `json:"resource,omitempty"`
	// Pool is the node pool a twin event concerns.
	Pool string `json:"pool,omitempty"`
	// Status is the health status or sync phase, where the kind has one.
	Status  string `json:"status,omitempty"`
	Message string `json:"message,omitempty"`
	// Revision is the git revision being synced, in an update rehearsal.
	Revision string `json:"revision,omitempty"`
}

// Clock gives the modelled time since the rehearsal started.
type Clock interface{ Elapsed() time.Duration }

// Recorder collects events from every goroutine of a rehearsal.
type Recorder struct {
	clock  Clock
	mu     sync.Mutex
	events []Event
	stage  string
}

// New returns a recorder that stamps events with clock.
func New(clock Clock) *Recorder { return &Recorder{clock: clock} }

// SetRevision labels the events that follow with the revision being synced.
func (r *Recorder) SetRevision(rev string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stage = rev
}

// Add records e at the current modelled time.
func (r *Recorder) Add(e Event) {
	at := r.clock.Elapsed()
	r.mu.Lock()
	defer r.mu.Unlock()
	e.At = at
	if e.Revision == "" {
		e.Revision = r.stage
	}
	r.events = append(r.events, e)
}

// Events returns a copy of every event so far, in time order.
func (r *Recorder) Events() []Event {
	r.mu.Lock()
	out := append([]Event(nil), r.events...)
	r.mu.Unlock()
	sort.SliceStable(out, func(i, j int) bool { return out[i].At < out[j].At })
	return out
}
