package manifest

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/yaml"
)

// A comment lands above the key its path names, at that key's column,
// however the object's other values are written: lists at their key's
// column, block scalars and wrapped strings whose lines look like keys,
// keys YAML quotes. The commented file still reads as the same object.
func TestWithCommentsPutsEachCommentAboveItsKey(t *testing.T) {
	obj := map[string]any{
		"metadata": map[string]any{"annotations": map[string]any{"argocd.argoproj.io/sync-wave": "1", "yes": "quoted key"}},
		"spec": map[string]any{
			"pages":  []any{map[string]any{"count": 16, "cpu": "not this one"}},
			"script": "#!/bin/sh\ncpu:\n  reserved: fake\n\nend\n",
			"long":   strings.Repeat("cpu: words that wrap ", 8),
			"cpu":    map[string]any{"reserved": "0-1", "isolated": "2-7"},
		},
	}
	plain, err := yaml.Marshal(obj)
	if err != nil {
		t.Fatal(err)
	}
	got, err := WithComments(plain, []Comment{
		{Path: []string{"spec", "cpu", "reserved"}, Text: "two lines\nof why"},
		{Path: []string{"spec", "cpu"}, Text: "the host"},
		{Path: []string{"metadata", "annotations", "argocd.argoproj.io/sync-wave"}, Text: "wave"},
		{Path: []string{"metadata", "annotations", "yes"}, Text: "a key YAML quotes"},
		{Path: []string{"spec"}, Text: "top"},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"    # wave\n    argocd.argoproj.io/sync-wave: \"1\"\n",
		"    # a key YAML quotes\n    \"yes\": quoted key\n",
		"# top\nspec:\n",
		"  # the host\n  cpu:\n    isolated: 2-7\n    # two lines\n    # of why\n    reserved: 0-1\n",
	} {
		if !strings.Contains(string(got), want) {
			t.Errorf("no %q in:\n%s", want, got)
		}
	}
	if n := strings.Count(string(got), "#") - strings.Count(string(plain), "#"); n != 6 {
		t.Errorf("%d comment lines added, want 6:\n%s", n, got)
	}
	var before, after map[string]any
	if err := yaml.Unmarshal(plain, &before); err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(got, &after); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(before, after); diff != "" {
		t.Errorf("comments changed the object (-before +after):\n%s", diff)
	}
}

// A comment whose key the object does not have is an error, not a comment
// above some other key: a renamed field must not leave its explanation
// beside another.
func TestWithCommentsRefusesAMissingKey(t *testing.T) {
	plain := []byte("spec:\n  cpu:\n    reserved: 0-1\n  other:\n    isolated: 2-7\n")
	for _, path := range [][]string{{"spec", "cpu", "isolated"}, {"status"}, {"spec", "cpu", "reserved", "deeper"}, {}} {
		if _, err := WithComments(plain, []Comment{{Path: path, Text: "x"}}); err == nil {
			t.Errorf("comment on %v: no error", path)
		}
	}
	if got, err := WithComments(plain, nil); err != nil || string(got) != string(plain) {
		t.Errorf("no comments changed the file: %q, %v", got, err)
	}
}
