package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lowlat/lowlat/generator/layout"
)

// A reviewer reads check's output as git's: a hand edit of a rendered file
// is a unified diff from the committed file (a/) to the render (b/).
func TestCheckShowsAHandEditAsAUnifiedDiff(t *testing.T) {
	dir := writeWorkshop(t)
	rel := filepath.ToSlash(filepath.Join(layout.AppsDir("lab1"), "application-lab1-perftest-retest.yaml"))
	app := filepath.Join(dir, filepath.FromSlash(rel))
	data, err := os.ReadFile(app)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(app, bytes.Replace(data, []byte(`sync-wave: "20"`), []byte(`sync-wave: "21"`), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runLowlat("", "check", "-f", workshop, "-d", dir)
	if code == 0 {
		t.Fatalf("check passed a hand-edited tree:\n%s%s", stdout, stderr)
	}
	for _, want := range []string{
		"--- a/" + rel + "\n+++ b/" + rel + "\n@@ -",
		"\n-    argocd.argoproj.io/sync-wave: \"21\"\n+    argocd.argoproj.io/sync-wave: \"20\"\n",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout, "…") {
		t.Errorf("stdout still has the old elisions:\n%s", stdout)
	}
	if !strings.Contains(stderr, "1 file(s) differ") {
		t.Errorf("stderr does not count the file: %s", stderr)
	}
}
