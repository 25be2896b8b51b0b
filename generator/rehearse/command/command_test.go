package command

import (
	"bytes"
	"strings"
	"testing"
)

// TestRehearseBadInputReportsEverythingBeforeAnyServer checks that every
// problem of a rehearse command line is reported at once, with exit 2,
// before etcd or an API server would start (LOWLAT_E2E_BIN points nowhere:
// reaching the servers would fail differently).
const (
	workshop    = "../../../fixtures/inventories/workshop.yaml"
	badFixtures = "../../../fixtures/bad"
)

func TestRehearseBadInputReportsEverythingBeforeAnyServer(t *testing.T) {
	t.Setenv("LOWLAT_E2E_BIN", t.TempDir())
	var stdout, stderr bytes.Buffer
	code := Main([]string{"-f", workshop, "-o", "yaml", "--speed", "0.5",
		"--duration", "reboot=soon", "--duration", "nap=1m",
		"--fail-job", "kube-burner-nightly", "--stuck-operator", "metallb-operator",
		"--lost-node", "lab1-cnf-c5-7", "--cluster", "lab9", "--argocd-health", "/nonexistent"}, &stdout, &stderr)
	if code != 2 {
		t.Fatalf("exit %d, want 2; stderr:\n%s", code, stderr.String())
	}
	for _, want := range []string{
		`--output "yaml": want one of text, markdown, json`,
		"--speed 0.5: want at least 1",
		`--duration duration "reboot=soon": "soon" is not a non-negative duration`,
		`--duration duration "nap=1m": want key=duration with key one of`,
		"--argocd-health /nonexistent: not a directory",
		"--cluster lab9: no such cluster",
		"--lost-node lab1-cnf-c5-7: no such node (nodes are <cluster>-<pool>-<n>: lab1-cnf-c5-0, lab1-cnf-c5-1, lab1-cnf-i3-0)",
		"--stuck-operator metallb-operator: not an operator package the rehearsal installs (kubevirt-hyperconverged, sriov-network-operator)",
		"--fail-job kube-burner-nightly: no Job of that name is rendered",
	} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
		}
	}
	if stdout.Len() != 0 {
		t.Errorf("a refused rehearsal printed a report:\n%s", stdout.String())
	}
}

func TestRehearseRefusesABrokenInventory(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := Main([]string{"-f", badFixtures + "/wrong-types.yaml"}, &stdout, &stderr)
	if code != 2 || !strings.Contains(stderr.String(), "must be an integer") {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr.String())
	}
}

func TestRehearseRefusesAnUnknownRevision(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := Main([]string{"-f", workshop, "--from", "no-such-revision-xyz"}, &stdout, &stderr)
	if code != 2 || !strings.Contains(stderr.String(), "--from no-such-revision-xyz") {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr.String())
	}
}

func TestRehearseRefusesATreeThatIsNotTheInventorys(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := Main([]string{"-f", workshop, "-d", "../../render/testdata/golden/two-clusters/want"}, &stdout, &stderr)
	if code != 2 || !strings.Contains(stderr.String(), "the tree does not match a fresh render of "+workshop) {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr.String())
	}
	stderr.Reset()
	code = Main([]string{"-f", workshop, "-d", t.TempDir()}, &stdout, &stderr)
	if code != 2 || !strings.Contains(stderr.String(), "no rendered tree (base/, overlays/, apps/)") {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr.String())
	}
}

func TestRehearseChangedNeedsFrom(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := Main([]string{"-f", workshop, "-d", "../../..", "--changed"}, &stdout, &stderr)
	if code != 2 || !strings.Contains(stderr.String(), "--changed needs --from") {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr.String())
	}
}
