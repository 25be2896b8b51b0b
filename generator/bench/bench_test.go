package bench

import (
	"fmt"
	"testing"

	"sigs.k8s.io/yaml"

	"github.com/lowlat/lowlat/generator/render"
)

var sizes = []int{1, 10, 100, 1000}

// BenchmarkRender renders fleets of growing size in memory; ns/cluster
// should stay flat as the fleet grows.
func BenchmarkRender(b *testing.B) {
	for _, n := range sizes {
		b.Run(fmt.Sprintf("clusters=%d", n), func(b *testing.B) {
			inv, err := Fleet(n)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := render.Render(inv); err != nil {
					b.Fatal(err)
				}
			}
			perOp := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
			b.ReportMetric(perOp/float64(n), "ns/cluster")
		})
	}
}

// BenchmarkMarshalFloor only marshals the objects a one-cluster render emits:
// the cost no renderer of the same YAML can avoid.
func BenchmarkMarshalFloor(b *testing.B) {
	inv, err := Fleet(1)
	if err != nil {
		b.Fatal(err)
	}
	objs, err := render.ClusterObjects(inv, inv.Spec.Clusters[0].Name)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, o := range objs {
			if _, err := yaml.Marshal(o); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func TestFleetHasDistinctClusters(t *testing.T) {
	inv, err := Fleet(3)
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Spec.Clusters) != 3 || inv.Spec.Clusters[2].Name != "c2" {
		t.Fatalf("want clusters c0..c2, got %d", len(inv.Spec.Clusters))
	}
}
