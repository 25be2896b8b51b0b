package schema

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"

	"go.yaml.in/yaml/v3"
	utiljson "k8s.io/apimachinery/pkg/util/json"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// Document is one YAML document of a file, decoded the way the API server
// decodes a request body (integers as int64), with the line of each field.
type Document struct {
	File   string
	Line   int
	Object map[string]any
	lines  map[string]int
}

// LineOf returns the line of a field path, or of its nearest parent that has
// one, or of the document.
func (d *Document) LineOf(p string) int {
	for p != "" {
		if l, ok := d.lines[p]; ok {
			return l
		}
		p = parentPath(p)
	}
	return d.Line
}

// parentPath drops the last element of a printed field path.
func parentPath(p string) string {
	for i := len(p) - 1; i >= 0; i-- {
		if p[i] == '.' || p[i] == '[' {
			return p[:i]
		}
	}
	return ""
}

// ReadDocuments splits a YAML file into its documents. Empty documents are
// skipped; a document that is not a mapping is a problem.
func ReadDocuments(file string, data []byte) ([]Document, []Problem) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var docs []Document
	var problems []Problem
	for {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			return docs, problems
		}
		if err != nil {
			// The decoder cannot resynchronise after a syntax error.
			return docs, append(problems, Problem{File: file, Message: "not valid YAML: " + err.Error()})
		}
		if len(n.Content) == 0 || n.Content[0].Tag == "!!null" {
			continue
		}
		doc, problem := newDocument(file, n.Content[0])
		if problem != nil {
			problems = append(problems, *problem)
			continue
		}
		docs = append(docs, doc)
	}
}

func newDocument(file string, root *yaml.Node) (Document, *Problem) {
	if root.Kind != yaml.MappingNode {
		return Document{}, &Problem{File: file, Line: root.Line, Message: "a resource must be a YAML mapping with apiVersion, kind and metadata"}
	}
	var generic any
	if err := root.Decode(&generic); err != nil {
		return Document{}, &Problem{File: file, Line: root.Line, Message: "not valid YAML: " + err.Error()}
	}
	data, err := json.Marshal(generic)
	if err != nil {
		return Document{}, &Problem{File: file, Line: root.Line, Message: "not representable as JSON (keys must be strings): " + err.Error()}
	}
	var obj map[string]any
	if err := utiljson.Unmarshal(data, &obj); err != nil {
		return Document{}, &Problem{File: file, Line: root.Line, Message: err.Error()}
	}
	doc := Document{File: file, Line: root.Line, Object: obj, lines: map[string]int{}}
	indexLines(root, nil, doc.lines, 0)
	return doc, nil
}

// maxIndexDepth bounds the line index walk; aliases can make a small file a
// deep (or, with a cycle, endless) tree.
const maxIndexDepth = 64

func indexLines(n *yaml.Node, p *field.Path, lines map[string]int, depth int) {
	if depth > maxIndexDepth || n.Kind == yaml.AliasNode {
		return
	}
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			child := childPath(p, n.Content[i].Value)
			lines[child.String()] = n.Content[i].Line
			indexLines(n.Content[i+1], child, lines, depth+1)
		}
	case yaml.SequenceNode:
		for i, item := range n.Content {
			child := p.Index(i)
			lines[child.String()] = item.Line
			indexLines(item, child, lines, depth+1)
		}
	}
}

func childPath(p *field.Path, key string) *field.Path {
	if p == nil {
		return field.NewPath(key)
	}
	return p.Child(key)
}

// Problem is one way a resource breaks its schema, or a file that cannot be
// read as resources.
type Problem struct {
	File string
	Line int // 0 when unknown
	// Resource is Kind/name, or empty for a problem with the file itself.
	Resource string
	// Field is the field path, e.g. spec.cpu.reserved; empty for the whole resource.
	Field string
	// Message names the rule broken, e.g. `Required value` or
	// `Unsupported value: "x": supported values: ...`.
	Message string
	// Schema is where the rule comes from (module@version path).
	Schema string
}

func (p Problem) String() string {
	var b bytes.Buffer
	b.WriteString(p.File)
	if p.Line > 0 {
		b.WriteString(":" + strconv.Itoa(p.Line))
	}
	for _, part := range []string{p.Resource, p.Field, p.Message} {
		if part != "" {
			fmt.Fprintf(&b, ": %s", part)
		}
	}
	return b.String()
}
