package inventory

import (
	"encoding/json"
	"fmt"
	"strconv"

	"k8s.io/apimachinery/pkg/util/intstr"
)

// CPUQuantity is either a number of CPUs or an explicit Linux cpulist. YAML
// `4` and `"4"` are both a count; anything else is parsed as a cpulist.
type CPUQuantity struct {
	Count int
	Set   string
}

// IsSet reports whether the quantity names explicit CPUs.
func (q CPUQuantity) IsSet() bool { return q.Set != "" }

func (q CPUQuantity) String() string {
	if q.IsSet() {
		return q.Set
	}
	return strconv.Itoa(q.Count)
}

// MarshalJSON writes a count as a number and a set as a string.
func (q CPUQuantity) MarshalJSON() ([]byte, error) {
	if q.IsSet() {
		return json.Marshal(q.Set)
	}
	return json.Marshal(q.Count)
}

// UnmarshalJSON accepts a number or a string.
func (q *CPUQuantity) UnmarshalJSON(b []byte) error {
	var n int
	if err := json.Unmarshal(b, &n); err == nil {
		*q = CPUQuantity{Count: n}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("must be a CPU count or a cpulist string")
	}
	if n, err := strconv.Atoi(s); err == nil {
		*q = CPUQuantity{Count: n}
		return nil
	}
	*q = CPUQuantity{Set: s}
	return nil
}

// NodeCount is a number of nodes or a percentage of a pool ("25%"), as the
// Machine Config Operator reads a pool's maxUnavailable.
type NodeCount struct{ intstr.IntOrString }

// UnmarshalJSON leaves a value of another shape zero instead of failing,
// which would stop the decoding of the rest of the inventory: the shape
// check reports it with its line.
func (n *NodeCount) UnmarshalJSON(b []byte) error {
	if err := n.IntOrString.UnmarshalJSON(b); err != nil {
		*n = NodeCount{}
	}
	return nil
}
