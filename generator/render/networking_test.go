package render

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lowlat/lowlat/generator/inventory"
	"github.com/lowlat/lowlat/generator/kube"
)

func TestNetworkNamespacesCreatesOnlyTheOnesNobodyElseDoes(t *testing.T) {
	c := &inventory.Cluster{
		Workloads: inventory.Workloads{Namespace: "lowlat-workloads"},
		PerfTests: &inventory.PerfTests{Namespace: "lowlat-perf"},
		Networks: []inventory.Network{
			{Name: "a", Namespace: "lowlat-workloads"},
			{Name: "b", Namespace: "ran"},
			{Name: "c", Namespace: "cnf-apps"},
			{Name: "d", Namespace: "ran"},
			{Name: "e", Namespace: "lowlat-perf"},
		},
	}
	var got []string
	for _, obj := range networkNamespaces(c) {
		got = append(got, obj.(kube.Namespace).Metadata.Name)
	}
	if diff := cmp.Diff([]string{"cnf-apps", "ran"}, got); diff != "" {
		t.Errorf("namespaces (-want +got):\n%s", diff)
	}
}
