package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A warning that prints on every render is silenced by acknowledging its
// code in the cluster, and then counted.
func TestAcknowledgedWarningsAreCountedNotPrinted(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(badFixtures, "unknown-warning-code.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, acknowledged string
		says, not          []string
	}{
		{"an unacknowledged warning is printed with its code and how to acknowledge it", "[]",
			[]string{"warning [existing-nodes]: ", "inventory.yaml:18: spec.clusters[0].nodePools[0].machineSet: pool cnf-c5 has no MachineSet", "acknowledgedWarnings"},
			[]string{"not shown"}},
		{"an acknowledged warning is counted", "[existing-nodes]",
			[]string{"1 acknowledged warning not shown\n"},
			[]string{"warning [", "has no MachineSet"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			file := filepath.Join(dir, "inventory.yaml")
			text := strings.Replace(string(data), "acknowledgedWarnings: [existing-node]", "acknowledgedWarnings: "+c.acknowledged, 1)
			if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			code, _, stderr := runLowlat("", "render", "-f", file, "-o", filepath.Join(dir, "out"))
			if code != 0 {
				t.Fatalf("render: exit %d: %s", code, stderr)
			}
			for _, s := range c.says {
				if !strings.Contains(stderr, s) {
					t.Errorf("stderr lacks %q:\n%s", s, stderr)
				}
			}
			for _, s := range c.not {
				if strings.Contains(stderr, s) {
					t.Errorf("stderr has %q:\n%s", s, stderr)
				}
			}
		})
	}
}
