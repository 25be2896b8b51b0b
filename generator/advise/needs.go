package advise

import (
	"fmt"
	"strings"
)

// Level is how much a workload needs an attribute: the seed's High, Medium,
// Low and N/A.
type Level int

// The levels, in increasing need. An omitted attribute is None.
const (
	None Level = iota
	Low
	Medium
	High
)

// LevelNames are the spellings of the levels in an inventory.
var LevelNames = []string{"high", "medium", "low", "none"}

func (l Level) String() string {
	switch l {
	case High:
		return "high"
	case Medium:
		return "medium"
	case Low:
		return "low"
	}
	return "none"
}

// ParseLevel reads a level; "" is None, as an omitted attribute is.
func ParseLevel(s string) (Level, error) {
	switch s {
	case "", "none":
		return None, nil
	case "low":
		return Low, nil
	case "medium":
		return Medium, nil
	case "high":
		return High, nil
	}
	return None, fmt.Errorf("unknown level %q; one of %s", s, strings.Join(LevelNames, ", "))
}

// Attribute is one of the ten things a workload may need, the rows of the
// seed's workload → infrastructure mapping.
type Attribute string

// The attributes, spelled as inventory fields.
const (
	CPU               Attribute = "cpu"
	Memory            Attribute = "memory"
	DiskLatency       Attribute = "diskLatency"
	DiskThroughput    Attribute = "diskThroughput"
	NetworkLatency    Attribute = "networkLatency"
	NetworkThroughput Attribute = "networkThroughput"
	Security          Attribute = "security"
	LiveMigration     Attribute = "liveMigration"
	DeploymentSpeed   Attribute = "deploymentSpeed"
	AlternativeOS     Attribute = "alternativeOS"
)

// Attributes lists every attribute in the seed's order, which is the order
// of every report.
var Attributes = []Attribute{CPU, Memory, DiskLatency, DiskThroughput, NetworkLatency,
	NetworkThroughput, Security, LiveMigration, DeploymentSpeed, AlternativeOS}

// Needs are a workload's levels; a missing attribute is None.
type Needs map[Attribute]Level

// At is the level of an attribute.
func (n Needs) At(a Attribute) Level { return n[a] }
