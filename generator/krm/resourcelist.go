package krm

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"

	"go.yaml.in/yaml/v3"

	"github.com/lowlat/lowlat/generator/inventory"
)

// The KRM function specification's wire format, read and written with
// go-yaml v3 directly (see the package doc for why not kyaml's framework).
const (
	resourceListAPIVersion = "config.kubernetes.io/v1"
	resourceListKind       = "ResourceList"

	// Annotations kustomize sets on the items and the functionConfig it
	// passes (kyaml kioutil).
	pathAnnotation        = "config.kubernetes.io/path"
	legacyPathAnnotation  = "internal.config.kubernetes.io/path"
	localConfigAnnotation = "config.kubernetes.io/local-config"
)

// resourceList is a decoded ResourceList; items and the functionConfig
// stay YAML nodes, so that what the function passes through comes back as
// it came.
type resourceList struct {
	items          []*yaml.Node
	functionConfig *yaml.Node
}

// readResourceList decodes a ResourceList from r.
func readResourceList(r io.Reader) (*resourceList, error) {
	var doc yaml.Node
	if err := yaml.NewDecoder(r).Decode(&doc); err != nil {
		return nil, fmt.Errorf("failed to read ResourceList input: %w", err)
	}
	root := documentRoot(&doc)
	if root == nil || root.Kind != yaml.MappingNode {
		return nil, errors.New("failed to read ResourceList input: not a YAML mapping")
	}
	if k := scalar(root, "kind"); k != resourceListKind {
		return nil, fmt.Errorf("failed to read ResourceList input: kind is %q, want %s", k, resourceListKind)
	}
	rl := &resourceList{functionConfig: value(root, "functionConfig")}
	if items := value(root, "items"); items != nil {
		if items.Kind != yaml.SequenceNode {
			return nil, errors.New("failed to read ResourceList input: items is not a list")
		}
		rl.items = items.Content
	}
	return rl, nil
}

// readItems reads a YAML stream of objects (a standalone run's resources).
func readItems(r io.Reader) ([]*yaml.Node, error) {
	dec := yaml.NewDecoder(r)
	var out []*yaml.Node
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		if root := documentRoot(&doc); root != nil && !(root.Kind == yaml.ScalarNode && root.Tag == "!!null") {
			out = append(out, root)
		}
	}
}

// writeResourceList writes items (passed through), objs (generated), the
// functionConfig and results as a ResourceList in block YAML, the
// generated objects by writeObject. (JSON, which is YAML too, would be as
// fast to write, but kustomize reads it slower than block YAML by more
// than that saves.)
func writeResourceList(w io.Writer, items []*yaml.Node, objs []map[string]any, fc *yaml.Node, results []Result) error {
	var b bytes.Buffer
	b.WriteString("apiVersion: " + resourceListAPIVersion + "\nkind: " + resourceListKind + "\n")
	if len(items)+len(objs) == 0 {
		b.WriteString("items: []\n")
	} else {
		b.WriteString("items:\n")
	}
	for _, item := range items {
		if err := writeListItem(&b, item); err != nil {
			return err
		}
	}
	for _, obj := range objs {
		if err := writeObject(&b, obj, ""); err != nil {
			return err
		}
	}
	if fc != nil {
		b.WriteString("functionConfig:\n")
		if err := writeIndented(&b, fc); err != nil {
			return err
		}
	}
	if len(results) > 0 {
		var n yaml.Node
		if err := n.Encode(results); err != nil {
			return err
		}
		b.WriteString("results:\n")
		if err := writeIndented(&b, &n); err != nil {
			return err
		}
	}
	_, err := w.Write(b.Bytes())
	return err
}

// writeListItem writes a node as an item of a block list: "- " before its
// first line, two spaces before its others.
func writeListItem(b *bytes.Buffer, n *yaml.Node) error { return writeNode(b, n, "- ") }

// writeIndented writes a node as the block value of a key.
func writeIndented(b *bytes.Buffer, n *yaml.Node) error { return writeNode(b, n, "  ") }

// writeNode writes a node's block YAML indented by two spaces, its first
// line after first instead. Empty lines stay empty (inside a block scalar
// they are read the same either way).
func writeNode(b *bytes.Buffer, n *yaml.Node, first string) error {
	var doc bytes.Buffer
	if err := encode(&doc, n); err != nil {
		return err
	}
	line, rest, _ := bytes.Cut(doc.Bytes(), []byte("\n"))
	b.WriteString(first)
	b.Write(line)
	b.WriteByte('\n')
	indent(b, "  ", rest)
	return nil
}

func indent(b *bytes.Buffer, prefix string, text []byte) {
	for len(text) > 0 {
		line, rest, _ := bytes.Cut(text, []byte("\n"))
		if len(line) > 0 {
			b.WriteString(prefix)
			b.Write(line)
		}
		b.WriteByte('\n')
		text = rest
	}
}

// writeObjects writes items as a YAML stream (a standalone run's output).
func writeObjects(w io.Writer, items []*yaml.Node) error {
	for i, n := range items {
		if i > 0 {
			if _, err := io.WriteString(w, "---\n"); err != nil {
				return err
			}
		}
		if err := encode(w, n); err != nil {
			return err
		}
	}
	return nil
}

// encode writes one node as kyaml does: two-space indents, sequences not
// indented under their key.
func encode(w io.Writer, n *yaml.Node) error {
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	enc.CompactSeqIndent()
	if err := enc.Encode(n); err != nil {
		return err
	}
	if err := enc.Close(); err != nil {
		return err
	}
	_, err := w.Write(b.Bytes())
	return err
}

func documentRoot(doc *yaml.Node) *yaml.Node {
	if doc.Kind == yaml.DocumentNode {
		if len(doc.Content) == 0 {
			return nil
		}
		return doc.Content[0]
	}
	return doc
}

// value is the value of key in a mapping node, or nil.
func value(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

func scalar(m *yaml.Node, keys ...string) string {
	for _, k := range keys {
		m = value(m, k)
	}
	if m == nil || m.Kind != yaml.ScalarNode {
		return ""
	}
	return m.Value
}

func annotation(m *yaml.Node, key string) string { return scalar(m, "metadata", "annotations", key) }

func str(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }

// withoutKey returns a copy of mapping m without key.
func withoutKey(m *yaml.Node, key string) *yaml.Node {
	c := *m
	c.Content = nil
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value != key {
			c.Content = append(c.Content, m.Content[i], m.Content[i+1])
		}
	}
	return &c
}

// Result is one entry of a ResourceList's results, as the KRM function
// specification defines it.
type Result struct {
	Message     string            `yaml:"message,omitempty"`
	Severity    string            `yaml:"severity,omitempty"`
	ResourceRef *ResourceRef      `yaml:"resourceRef,omitempty"`
	Field       *Field            `yaml:"field,omitempty"`
	File        *File             `yaml:"file,omitempty"`
	Tags        map[string]string `yaml:"tags,omitempty"`
}

// ResourceRef names the object a result is about.
type ResourceRef struct {
	APIVersion string `yaml:"apiVersion,omitempty"`
	Kind       string `yaml:"kind,omitempty"`
	Name       string `yaml:"name,omitempty"`
}

// Field is the field a result is about.
type Field struct {
	Path string `yaml:"path,omitempty"`
}

// File is the file a result is about.
type File struct {
	Path string `yaml:"path,omitempty"`
}

// String formats a result as lowlat formats an inventory problem:
// "file:line: field: message".
func (r Result) String() string {
	return r.problem().String(r.file())
}

func (r Result) problem() inventory.Problem {
	line, _ := strconv.Atoi(r.Tags["line"])
	p := inventory.Problem{Line: line, Message: r.Message}
	if r.Field != nil {
		p.Path = r.Field.Path
	}
	return p
}

// file is the functionConfig's file, or "functionConfig" when nobody
// said which it is.
func (r Result) file() string {
	if r.File == nil || r.File.Path == "" {
		return "functionConfig"
	}
	return r.File.Path
}

// Results are a function's results; as an error, all of them, listed the
// way lowlat lists an inventory's problems.
type Results []Result

func (rs Results) Error() string {
	switch len(rs) {
	case 0:
		return "no results"
	case 1:
		return rs[0].String()
	}
	e := &inventory.Error{File: rs[0].file()}
	for _, r := range rs {
		p := r.problem()
		if f := r.file(); f != e.File {
			p.File = f
		}
		e.Problems = append(e.Problems, p)
	}
	return e.Error()
}
