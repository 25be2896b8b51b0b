package render

import (
	"github.com/lowlat/lowlat/generator/inventory"
	"github.com/lowlat/lowlat/generator/perftest"
)

// perftestBaseline renders the Test: it syncs before the PerformanceProfile.
func perftestBaseline(_ *inventory.Inventory, c *inventory.Cluster) ([]any, error) {
	return perftest.BaselineObjects(c)
}

// perftestRetest renders the Re-test: it syncs after the profile and the
// workloads.
func perftestRetest(_ *inventory.Inventory, c *inventory.Cluster) ([]any, error) {
	return perftest.RetestObjects(c)
}
