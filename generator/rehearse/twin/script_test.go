package twin

import (
	"context"
	"os"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
)

func TestShellScriptsAreRecognisedByTheirShell(t *testing.T) {
	for _, tc := range []struct {
		name   string
		argv   string
		script string // the file or -c text; "" when not a script
		inline bool
		err    string
	}{
		{"a script file with arguments", "/bin/bash /scripts/canary.sh cnf cnf-2", "/scripts/canary.sh", false, ""},
		{"options before the file", "bash -e -o pipefail /scripts/pass.sh", "/scripts/pass.sh", false, ""},
		{"sh -c text", "/bin/sh -c oc|get|nodes name", "oc get nodes", true, ""},
		{"clustered options with c", "sh -ec oc|get|nodes", "oc get nodes", true, ""},
		{"behind env", "/usr/bin/env bash /scripts/pass.sh", "/scripts/pass.sh", false, ""},
		{"oc is not a shell", "oc wait --for=condition=Updated mcp/cnf", "", false, ""},
		{"a shell reading standard input", "bash", "", false, "reads standard input"},
		{"a shell told to read standard input", "bash -s x", "", false, "-s reads its script from standard input"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var argv []string
			for _, w := range strings.Fields(tc.argv) {
				argv = append(argv, strings.ReplaceAll(w, "|", " "))
			}
			s, ok, err := shellScriptOf(argv)
			switch {
			case tc.err != "":
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Errorf("got %v, want %q", err, tc.err)
				}
			case err != nil:
				t.Fatal(err)
			case tc.script == "":
				if ok {
					t.Errorf("recognised as a script: %+v", s)
				}
			case !ok || s.args[s.at] != tc.script || s.inline != tc.inline:
				t.Errorf("got %+v, want script %q inline %v", s, tc.script, tc.inline)
			}
		})
	}
}

func TestVariablesExpandAsTheKubeletExpandsThem(t *testing.T) {
	vars := [][2]string{{"NS", "lowlat-perf"}, {"EMPTY", ""}}
	for in, want := range map[string]string{
		"-n=$(NS)":        "-n=lowlat-perf",
		"$(NS)$(EMPTY)/x": "lowlat-perf/x",
		"$(UNSET)":        "$(UNSET)",
		"$$(NS)":          "$(NS)",
		"cost $5":         "cost $5",
		"open $(NS":       "open $(NS",
	} {
		if got := expandVars(in, lookupIn(vars)); got != want {
			t.Errorf("%q: got %q, want %q", in, got, want)
		}
	}
}

func TestMountPathsPointAtTheirCopies(t *testing.T) {
	mounts := map[string]string{"/scripts": "/tmp/run/0", "/scripts/lib": "/tmp/run/1", "/etc/pass.conf": "/tmp/run/2/pass.conf"}
	s := &shellScript{shell: "bash", args: []string{"-c", `. /scripts/lib/x.sh; cat "/etc/pass.conf" /scripts/a /scriptsx /other/scripts/a`, "/scripts/a"}, at: 1, inline: true}
	s.rewritePaths(mounts)
	if want := `. /tmp/run/1/x.sh; cat "/tmp/run/2/pass.conf" /tmp/run/0/a /scriptsx /other/scripts/a`; s.args[1] != want {
		t.Errorf("inline text:\n got %s\nwant %s", s.args[1], want)
	}
	if s.args[2] != "/tmp/run/0/a" {
		t.Errorf("argument: got %s", s.args[2])
	}
}

func TestTheEndOfAScriptsOutputIsKept(t *testing.T) {
	b := &tailBuffer{max: 8}
	_, _ = b.Write([]byte("0123456789"))
	_, _ = b.Write([]byte("ab"))
	if got := b.String(); got != "456789ab" {
		t.Errorf("kept %q", got)
	}
	if got := tail("one\n\ntwo\nthree\n", 2); got != "two; three" {
		t.Errorf("tail %q", got)
	}
}

func TestAScriptTheTwinCannotRunFailsSayingWhy(t *testing.T) {
	tw := &Twin{}
	defer os.RemoveAll(tw.scratch())
	p := &process{t: tw, namespace: "lowlat-system", serviceAccount: "runner", job: "pass", pod: "pass-x", podSpec: &corev1.PodSpec{}}
	for _, tc := range []struct {
		name    string
		command []string
		want    string
	}{
		{"a script in the image", []string{"/bin/bash", "/opt/pass.sh"}, "script /opt/pass.sh is not on a ConfigMap volume of the pod"},
		{"a twin without kubectl", []string{"sh", "-c", "oc get nodes"}, "the twin has no kubectl to run scripts with"},
		{"an env source the twin does not model", []string{"sh", "-c", "true"}, "env TOKEN: this valueFrom is not modelled by the twin"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &corev1.Container{Name: "pass", Command: tc.command}
			if strings.Contains(tc.want, "TOKEN") {
				c.Env = []corev1.EnvVar{{Name: "TOKEN", ValueFrom: &corev1.EnvVarSource{SecretKeyRef: &corev1.SecretKeySelector{Key: "t"}}}}
			}
			var state any
			exit, msg, done := p.script(context.Background(), c, &state)
			if exit == 0 || !done || !strings.Contains(msg, tc.want) {
				t.Errorf("exit %d done %v: %s; want a failure saying %q", exit, done, msg, tc.want)
			}
		})
	}
}
