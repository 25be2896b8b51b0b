package inventory

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Monitoring is on by default, in lowlat-monitoring; an inventory can turn
// it off or name another namespace.
func TestMonitoringDefaultsOn(t *testing.T) {
	inv, err := Parse([]byte(machinesInventory), "inv.yaml", ".")
	if err != nil {
		t.Fatal(err)
	}
	if m := inv.Spec.Clusters[0].Monitoring; !m.On() || m.Namespace != DefaultMonitoringNamespace {
		t.Errorf("default monitoring %+v", m)
	}
	off := strings.Replace(machinesInventory, "    nodePools:\n", "    monitoring: {enabled: false}\n    nodePools:\n", 1)
	if inv, err = Parse([]byte(off), "inv.yaml", "."); err != nil {
		t.Fatal(err)
	}
	if inv.Spec.Clusters[0].Monitoring.On() {
		t.Error("enabled: false left monitoring on")
	}
}

// The alerts' namespace gets the label that makes the platform Prometheus
// read it: a platform namespace or one of lowlat's others is refused, with
// the field and the line.
func TestMonitoringNamespaceMustBeItsOwn(t *testing.T) {
	cases := []struct{ namespace, message string }{
		{"openshift-monitoring", `Invalid value: "openshift-monitoring": is the platform's; give lowlat's alerts a namespace of their own, such as lowlat-monitoring`},
		{"lowlat-workloads", `Invalid value: "lowlat-workloads": is workloads.namespace; the platform Prometheus would scrape the workloads' monitors too: give the alerts a namespace of their own`},
		{"Bad_Name", `Invalid value: "Bad_Name": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`},
	}
	for _, tc := range cases {
		t.Run(tc.namespace, func(t *testing.T) {
			text := strings.Replace(machinesInventory, "    nodePools:\n", "    monitoring:\n      namespace: "+tc.namespace+"\n    nodePools:\n", 1)
			_, err := Parse([]byte(text), "inv.yaml", ".")
			e, ok := err.(*Error)
			if !ok {
				t.Fatalf("got %v, want an inventory error", err)
			}
			line := strings.Count(text[:strings.Index(text, "namespace: "+tc.namespace)], "\n") + 1
			want := []Problem{{Line: line, Path: "spec.clusters[0].monitoring.namespace", Message: tc.message}}
			if diff := cmp.Diff(want, e.Problems); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
}
