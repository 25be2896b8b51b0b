package advise

import (
	"strings"
	"testing"

	"github.com/lowlat/lowlat/generator/catalog"
)

func pools(t *testing.T) []Pool {
	t.Helper()
	c5, err := catalog.Lookup("c5.metal")
	if err != nil {
		t.Fatal(err)
	}
	i3, _ := catalog.Lookup("i3.metal")
	return []Pool{
		{Name: "cnf-c5", InstanceType: c5, Replicas: 2, HugepageSizes: []string{"1Gi"},
			Networks: []Network{{Name: "fast", DeviceType: "vfio-pci"}}},
		{Name: "cnf-i3", InstanceType: i3, Replicas: 1, HugepageSizes: []string{"2Mi"}},
	}
}

func TestRules(t *testing.T) {
	no := false
	cases := []struct {
		name string
		w    Workload
		// want is platform, pool and the problem fields, joined.
		want string
		// says is a phrase the problem (or, without one, a reason) holds.
		says string
	}{
		{"an app without VM needs runs in a container", Workload{Name: "a", Kind: KindApp, Needs: Needs{DeploymentSpeed: High}},
			"container cnf-c5", "a container deploys faster"},
		{"an alternative OS makes a VM", Workload{Name: "a", Kind: KindApp, Needs: Needs{AlternativeOS: Medium}},
			"vm cnf-c5", "own kernel"},
		{"high security makes a VM", Workload{Name: "a", Kind: KindApp, Needs: Needs{Security: High}},
			"vm cnf-c5", "hardware-virtualisation boundary"},
		{"high disk latency needs local NVMe", Workload{Name: "a", Kind: KindApp, Needs: Needs{DiskLatency: High}},
			"container cnf-i3", "has local NVMe"},
		{"high network latency needs an SR-IOV network", Workload{Name: "a", Kind: KindApp, Needs: Needs{NetworkLatency: High}},
			"container cnf-c5", "an SR-IOV network"},
		{"a need no pool serves is an error", Workload{Name: "a", Kind: KindApp, Needs: Needs{DiskLatency: High, NetworkLatency: High}},
			"container  needs", "no pool serves the needs"},
		{"live migration with SR-IOV is an error", Workload{Name: "v", Kind: KindVM, Needs: Needs{LiveMigration: High, NetworkLatency: High}},
			"vm cnf-c5 needs.liveMigration", "unplugs a VM's SR-IOV interfaces"},
		{"live migration with an explicit SR-IOV network is an error on networks", Workload{Name: "v", Kind: KindVM, Needs: Needs{LiveMigration: High}, Set: Settings{Networks: []string{"fast"}}},
			"vm cnf-c5 networks", "remove networks"},
		{"live migration with dedicated CPUs is allowed: KubeVirt v1.8 moves the pinning", Workload{Name: "v", Kind: KindVM, Needs: Needs{LiveMigration: High, CPU: High}},
			"vm cnf-c5", "moves the dedicated CPUs' pinning"},
		{"live migration needs a pool of two nodes", Workload{Name: "v", Kind: KindVM, Needs: Needs{LiveMigration: Medium}, Set: Settings{Pool: "cnf-i3"}},
			"vm cnf-i3 nodePool", "two nodes or more"},
		{"an explicit emulator thread that contradicts a high CPU need is an error", Workload{Name: "v", Kind: KindVM, Needs: Needs{CPU: High}, Set: Settings{IsolateEmulatorThread: &no}},
			"vm cnf-c5 isolateEmulatorThread", "isolateEmulatorThread: false contradicts needs.cpu high"},
		{"shared I/O threads contradict a disk latency need", Workload{Name: "v", Kind: KindVM, Needs: Needs{DiskLatency: Medium}, Set: Settings{IOThreadsPolicy: "shared"}},
			"vm cnf-i3 ioThreadsPolicy", "use auto"},
		{"an explicit container contradicts an alternative OS", Workload{Name: "a", Kind: KindApp, Needs: Needs{AlternativeOS: High}, Set: Settings{Platform: Container}},
			"container cnf-c5 platform", "set platform: vm"},
		{"a pod cannot be live-migrated", Workload{Name: "p", Kind: KindPod, Needs: Needs{LiveMigration: Medium}},
			"container cnf-c5 needs.liveMigration", "move it to workloads.vms"},
		{"an explicit pool without NVMe contradicts a high disk need", Workload{Name: "a", Kind: KindApp, Needs: Needs{DiskThroughput: High}, Set: Settings{Pool: "cnf-c5"}},
			"container cnf-c5 nodePool", "has no local NVMe"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := Decide("lab1", c.w, pools(t))
			parts := []string{string(a.Platform), a.Pool}
			text := ""
			for _, p := range a.Problems {
				parts = append(parts, p.Field)
				text += p.Message + "\n"
			}
			if len(a.Problems) == 0 {
				for _, r := range a.Reasons {
					text += r.Reason + "\n"
				}
				for _, k := range a.Knobs {
					text += k.Reason + "\n"
				}
			}
			if got := strings.Join(parts, " "); got != c.want {
				t.Errorf("got %q, want %q; problems:\n%s", got, c.want, text)
			}
			if !strings.Contains(text, c.says) {
				t.Errorf("want %q in:\n%s", c.says, text)
			}
		})
	}
}

func TestExplicitWinsAndSaysSo(t *testing.T) {
	yes := true
	a := Decide("lab1", Workload{Name: "v", Kind: KindVM, Needs: Needs{CPU: Low},
		Set: Settings{IsolateEmulatorThread: &yes, HugepageSize: "1Gi"}}, pools(t))
	for _, name := range []string{"isolateEmulatorThread", "hugepages"} {
		if k := a.Knob(name); k == nil || k.Source != Explicit {
			t.Errorf("knob %s = %+v, want it explicit", name, k)
		}
	}
	if k := a.Knob("ioThreadsPolicy"); k == nil || k.Source != Derived || k.Value != "shared" {
		t.Errorf("ioThreadsPolicy = %+v, want derived shared", k)
	}
}

func TestParseLevel(t *testing.T) {
	for s, want := range map[string]Level{"": None, "none": None, "low": Low, "medium": Medium, "high": High} {
		if got, err := ParseLevel(s); err != nil || got != want {
			t.Errorf("ParseLevel(%q) = %v, %v", s, got, err)
		}
	}
	if _, err := ParseLevel("hihg"); err == nil {
		t.Error("hihg parsed")
	}
}
