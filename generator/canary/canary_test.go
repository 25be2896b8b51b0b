package canary

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The script's decisions, one pass each, against a stand-in oc
// (testdata/oc) that answers from files and records what the pass changes.
// The rehearsal runs the same script with a real kubectl against the
// cluster twin.

const (
	oldConfig = "rendered-cnf-0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f"
	newConfig = "rendered-cnf-1a2b3c4d5e6f708192a3b4c5d6e7f809"
	newCanary = "rendered-cnf-canary-1a2b3c4d5e6f708192a3b4c5d6e7f809"
	oldCanary = "rendered-cnf-canary-0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f"
	job       = "canary-cnf-1a2b3c4d5e"
)

type pass struct {
	name  string
	state map[string]string // file under OC_STATE → what oc get prints
	exit  int
	calls []string
	says  string // a line of the pass's output
}

func TestScriptPasses(t *testing.T) {
	held := map[string]string{
		"machineconfigpool-cnf": newConfig + "|" + oldConfig + "|true",
		"nodes-cnf":             "rendered-worker-0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f\n" + oldConfig + "\n",
	}
	with := func(base map[string]string, kv ...string) map[string]string {
		out := map[string]string{}
		for k, v := range base {
			out[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			out[kv[i]] = kv[i+1]
		}
		return out
	}
	canaryUpdated := "machineconfigpool-cnf-canary"
	passes := []pass{
		{name: "nothing rendered yet", state: map[string]string{"machineconfigpool-cnf": "||true"},
			says: "cnf: no rendered config yet"},
		{name: "all nodes run the config: stays held", state: map[string]string{"machineconfigpool-cnf": oldConfig + "|" + oldConfig + "|true"},
			says: "cnf: all nodes run " + oldConfig},
		{name: "a released pool that has rolled out is held again",
			state: map[string]string{"machineconfigpool-cnf": newConfig + "|" + newConfig + "|"},
			calls: []string{`patch machineconfigpool cnf --type merge -p {"spec":{"paused":true}}`},
			says:  "held for the next change"},
		{name: "a config with the content the nodes run is released without a re-test",
			state: map[string]string{"machineconfigpool-cnf": newConfig + "|" + oldConfig + "|true",
				"nodes-cnf": "rendered-worker-1a2b3c4d5e6f708192a3b4c5d6e7f809\n"},
			calls: []string{`patch machineconfigpool cnf --type merge -p {"spec":{"paused":false}}`},
			says:  "changes nothing its nodes run; released"},
		{name: "held while the canary updates", state: with(held, canaryUpdated, oldCanary+"|True|1"),
			says: "cnf: held at " + oldConfig + " while the canary updates to " + newConfig},
		{name: "held while the canary reboots into the config", state: with(held, canaryUpdated, newCanary+"|False|1"),
			says: "while the canary updates"},
		{name: "the canary runs the config: its re-test starts", state: with(held, canaryUpdated, newCanary+"|True|1"),
			calls: []string{"create job " + job + " -n lowlat-perf --from=cronjob/canary-cnf"},
			says:  "re-test " + job + " started"},
		{name: "held while the re-test runs", state: with(held, canaryUpdated, newCanary+"|True|1", "job-"+job, job+"|"),
			says: "while canary re-test " + job + " runs"},
		{name: "a passed re-test releases the pool", state: with(held, canaryUpdated, newCanary+"|True|1", "job-"+job, job+"|SuccessCriteriaMet Complete"),
			calls: []string{`patch machineconfigpool cnf --type merge -p {"spec":{"paused":false}}`},
			says:  "canary re-test " + job + " passed; released to " + newConfig},
		{name: "a failed re-test keeps the pool held and fails the pass", state: with(held, canaryUpdated, newCanary+"|True|1", "job-"+job, job+"|FailureTarget Failed"),
			exit: 1, says: "canary re-test " + job + " failed on " + newConfig},
		{name: "no canary node fails the pass", state: with(held, canaryUpdated, "||0"),
			exit: 1, says: "no canary node: label one node node-role.kubernetes.io/cnf-canary="},
		{name: "a released pool keeps rolling out the config that passed",
			state: with(held, "machineconfigpool-cnf", newConfig+"|"+oldConfig+"|false", "job-"+job, job+"|Complete"),
			says:  "rolling out " + newConfig + ", which passed " + job},
		{name: "a newer config during a rollout is held for its own re-test",
			state: with(held, "machineconfigpool-cnf", newConfig+"|"+oldConfig+"|false"),
			exit:  1, calls: []string{`patch machineconfigpool cnf --type merge -p {"spec":{"paused":true}}`},
			says: "appeared while the pool rolled out"},
	}
	for _, p := range passes {
		t.Run(p.name, func(t *testing.T) {
			exit, out, calls := runPass(t, p.state, "cnf")
			if exit != p.exit {
				t.Errorf("exit %d, want %d; output:\n%s", exit, p.exit, out)
			}
			if !strings.Contains(out, p.says) {
				t.Errorf("output does not say %q:\n%s", p.says, out)
			}
			if diff := cmp.Diff(p.calls, calls); diff != "" {
				t.Errorf("changes (-want +got):\n%s", diff)
			}
		})
	}
}

// TestScriptNeedsPerfNamespace: the pass refuses to run without knowing
// where the re-tests are.
func TestScriptNeedsPerfNamespace(t *testing.T) {
	cmd := exec.Command("bash", "-c", Script, "canary.sh", "cnf")
	cmd.Env = []string{"PATH=" + os.Getenv("PATH")}
	if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(out), "PERF_NAMESPACE") {
		t.Errorf("want a failure naming PERF_NAMESPACE, got %v: %s", err, out)
	}
}

func runPass(t *testing.T, state map[string]string, pools ...string) (int, string, []string) {
	t.Helper()
	dir := t.TempDir()
	for name, content := range state {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	bin, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("bash", append([]string{"-c", Script, "canary.sh"}, pools...)...)
	cmd.Env = []string{"PATH=" + bin + ":" + os.Getenv("PATH"), "OC_STATE=" + dir, "PERF_NAMESPACE=lowlat-perf"}
	out, err := cmd.CombinedOutput()
	exit := 0
	if ee, ok := err.(*exec.ExitError); ok {
		exit = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	var calls []string
	if data, err := os.ReadFile(filepath.Join(dir, "calls")); err == nil {
		calls = strings.Split(strings.TrimSpace(string(data)), "\n")
	}
	return exit, string(out), calls
}
