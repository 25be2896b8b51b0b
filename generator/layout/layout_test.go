package layout

import (
	"strings"
	"testing"
)

// TestLocateReadsWhatTheBuildersWrite checks both directions against each
// other.
func TestLocateReadsWhatTheBuildersWrite(t *testing.T) {
	for p, want := range map[string]Place{
		BaseDir("operators") + "/subscription-x.yaml":          {Kind: Base, Component: "operators"},
		ClusterDir("lab1") + "/tuning/performanceprofile.yaml": {Kind: Component, Cluster: "lab1", Component: "tuning"},
		ClusterDir("lab1") + "/kustomization.yaml":             {Kind: ClusterRoot, Cluster: "lab1"},
		AppsDir("lab1") + "/appproject-lowlat-lab1.yaml":       {Kind: Apps, Cluster: "lab1"},
		AppsRootsDir + "/application-lab1-root.yaml":           {Kind: Apps, Cluster: "roots"},
		KRMDir("lab1") + "/kustomization.yaml":                 {Kind: KRM, Cluster: "lab1"},
		"README.md":                                            {Kind: Other},
		"overlays/gcp/lab1/kustomization.yaml":                 {Kind: Other},
	} {
		if got := Locate(p); got != want {
			t.Errorf("%s: got %+v, want %+v", p, got, want)
		}
	}
	got := OverlayClusters([]string{ClusterDir("b") + "/kustomization.yaml", ClusterDir("a") + "/kustomization.yaml", ClusterDir("a") + "/tuning/kustomization.yaml"})
	if strings.Join(got, ",") != "a,b" {
		t.Errorf("overlay clusters %v", got)
	}
}
