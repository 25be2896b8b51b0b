//go:build e2e

package command

import (
	"bytes"
	"strings"
	"testing"
)

// TestRehearseFromHEADAsAPullRequestComment runs the pull-request
// workflow: HEAD's committed tree rolled out, then this checkout's render
// of the workshop as an update, reported as markdown.
func TestRehearseFromHEADAsAPullRequestComment(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := Main([]string{"-f", workshop, "-d", "../../..", "--from", "HEAD", "-o", "markdown", "--speed", "300"}, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d; stderr:\n%s\nreport:\n%s", code, stderr.String(), stdout.String())
	}
	md := stdout.String()
	for _, want := range []string{"### lowlat rehearse: every rollout converges", "`HEAD`: **converged**", "`../../..`: **converged**", "| 5 | lab1-networking | Synced | Healthy |"} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
}

// TestRehearseChangedOnlyWhenNothingChanged: a pull request that changes no
// cluster's tree rehearses nothing and says so (the checkout is clean in
// CI, so HEAD's committed tree is the working tree).
func TestRehearseChangedOnlyWhenNothingChanged(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := Main([]string{"-f", workshop, "-d", "../../..", "--from", "HEAD", "--changed", "-o", "markdown"}, &stdout, &stderr)
	if code != 0 || !strings.Contains(stdout.String(), "no cluster's synced tree changes from HEAD") {
		t.Fatalf("exit %d; stderr:\n%s\nreport:\n%s", code, stderr.String(), stdout.String())
	}
}
