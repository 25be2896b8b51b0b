package inventory

import "github.com/lowlat/lowlat/generator/advise"

// Needs are what a workload needs, the ten attributes of lowlat advise, each
// high, medium, low or none (omitted: none). From them lowlat derives the
// platform, the pool and the knobs the workload leaves unset.
type Needs struct {
	CPU               string `json:"cpu,omitempty"`
	Memory            string `json:"memory,omitempty"`
	DiskLatency       string `json:"diskLatency,omitempty"`
	DiskThroughput    string `json:"diskThroughput,omitempty"`
	NetworkLatency    string `json:"networkLatency,omitempty"`
	NetworkThroughput string `json:"networkThroughput,omitempty"`
	Security          string `json:"security,omitempty"`
	LiveMigration     string `json:"liveMigration,omitempty"`
	DeploymentSpeed   string `json:"deploymentSpeed,omitempty"`
	AlternativeOS     string `json:"alternativeOS,omitempty"`
}

// App is a workload that says only what it needs: lowlat advise reports
// where it runs and how it is tuned, and validation checks that a pool of
// its cluster serves it. lowlat renders nothing for it.
type App struct {
	Name string `json:"name"`
	// Replicas is how many instances run; at least 1. Default 1.
	Replicas int   `json:"replicas,omitempty"`
	Needs    Needs `json:"needs"`
	// Platform (container or vm) and NodePool override what the needs
	// derive.
	Platform string `json:"platform,omitempty"`
	NodePool string `json:"nodePool,omitempty"`
}

// levels returns the needs by attribute as written.
func (n *Needs) levels() map[advise.Attribute]string {
	return map[advise.Attribute]string{
		advise.CPU: n.CPU, advise.Memory: n.Memory, advise.DiskLatency: n.DiskLatency,
		advise.DiskThroughput: n.DiskThroughput, advise.NetworkLatency: n.NetworkLatency,
		advise.NetworkThroughput: n.NetworkThroughput, advise.Security: n.Security,
		advise.LiveMigration: n.LiveMigration, advise.DeploymentSpeed: n.DeploymentSpeed,
		advise.AlternativeOS: n.AlternativeOS,
	}
}

// parse returns the needs as levels; ok is false when a level is unknown
// (validation reports it).
func (n *Needs) parse() (advise.Needs, bool) {
	out := advise.Needs{}
	for at, s := range n.levels() {
		l, err := advise.ParseLevel(s)
		if err != nil {
			return nil, false
		}
		out[at] = l
	}
	return out, true
}
