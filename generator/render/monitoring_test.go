package render

import (
	"strings"
	"testing"

	"github.com/lowlat/lowlat/generator/inventory"
)

// An inventory that turns monitoring off renders no monitoring component,
// no Application for it, and nothing the project allows for it.
func TestMonitoringOffRendersNone(t *testing.T) {
	inv, err := inventory.Load("../../fixtures/inventories/workshop.yaml")
	if err != nil {
		t.Fatal(err)
	}
	on, err := Render(inv)
	if err != nil {
		t.Fatal(err)
	}
	off := false
	inv.Spec.Clusters[0].Monitoring.Enabled = &off
	tr, err := Render(inv)
	if err != nil {
		t.Fatal(err)
	}
	if !hasPath(on.Paths(), "overlays/aws/lab1/monitoring/") {
		t.Fatal("the workshop renders no monitoring component")
	}
	for _, p := range tr.Paths() {
		if strings.HasPrefix(p, "krm/") {
			continue // the function's copy of the inventory, which says enabled: false
		}
		data, _ := tr.File(p)
		if strings.Contains(p, "monitoring") || strings.Contains(string(data), "PrometheusRule") || strings.Contains(string(data), "lowlat-monitoring") {
			t.Errorf("monitoring off, yet %s mentions it", p)
		}
	}
}

func hasPath(paths []string, prefix string) bool {
	for _, p := range paths {
		if strings.HasPrefix(p, prefix) {
			return true
		}
	}
	return false
}
