package review

import (
	"testing"

	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/lowlat/lowlat/generator/inventory"
)

// TestBatchScalesMaxUnavailableAsTheMCODoes: percentages round down, and
// a pool always rolls at least one node.
func TestBatchScalesMaxUnavailableAsTheMCODoes(t *testing.T) {
	for _, c := range []struct {
		replicas int
		max      intstr.IntOrString
		want     int
	}{
		{4, intstr.FromInt32(1), 1},
		{4, intstr.FromInt32(3), 3},
		{4, intstr.FromString("50%"), 2},
		{3, intstr.FromString("50%"), 1},
		{3, intstr.FromString("10%"), 1},
		{10, intstr.FromString("100%"), 10},
	} {
		np := &inventory.NodePool{Replicas: c.replicas, MaxUnavailable: &inventory.NodeCount{IntOrString: c.max}}
		if got := batchOf(np); got != c.want {
			t.Errorf("%d nodes, maxUnavailable %s: %d at a time, want %d", c.replicas, c.max.String(), got, c.want)
		}
	}
}
