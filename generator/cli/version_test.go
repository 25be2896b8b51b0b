package cli

import (
	"strings"
	"testing"
)

// TestVersionNamesTheUpstreamPins: --version prints lowlat's version and
// the versions of the operators, ArgoCD and kube-burner it renders for.
func TestVersionNamesTheUpstreamPins(t *testing.T) {
	code, stdout, stderr := runLowlat("", "--version")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"lowlat ", "github.com/openshift/cluster-node-tuning-operator ", "github.com/k8snetworkplumbingwg/sriov-network-operator v",
		"kubevirt.io/kubevirt v", "github.com/argoproj/argo-cd/v3 v", "kube-burner v"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("--version lacks %q:\n%s", want, stdout)
		}
	}
	if code, stdout, _ := runLowlat("", "--help"); code != 0 || !strings.Contains(stdout, "--version") || !strings.Contains(stdout, "MachineSets") {
		t.Errorf("help does not offer --version or name what lowlat renders:\n%s", stdout)
	}
}
