package manifest

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestFileKeepsNumbersExactAndRefusesSecondDocuments(t *testing.T) {
	m, err := File("a.yaml", []byte("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {}\nbig: 9007199254740993\n"))
	if err != nil {
		t.Fatal(err)
	}
	if n, ok := m["big"].(json.Number); !ok || n.String() != "9007199254740993" {
		t.Errorf("big = %#v, want the exact json.Number", m["big"])
	}
	if _, err := File("b.yaml", []byte("kind: A\n---\nkind: B\n")); err == nil || !strings.Contains(err.Error(), "b.yaml: more than one YAML document") {
		t.Errorf("two documents: %v", err)
	}
	if _, err := File("c.yaml", []byte("- a list\n")); err == nil || !strings.Contains(err.Error(), "not a JSON object") {
		t.Errorf("a list: %v", err)
	}
}

func TestDocumentsSkipsEmptyOnes(t *testing.T) {
	docs, err := Documents([]byte("---\nkind: A\n---\n# nothing\n---\nkind: B\nmetadata: {name: b}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 2 || docs[0]["kind"] != "A" || Identify(docs[1]).String() != "B b" {
		t.Errorf("got %v", docs)
	}
	if _, err := Documents([]byte("kind: [\n")); err == nil {
		t.Error("broken YAML decoded")
	}
}
