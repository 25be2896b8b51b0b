package krm

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"

	"go.yaml.in/yaml/v3"
)

// kustomizationFiles are the names kustomize reads a kustomization from,
// in its order (konfig.RecognizedKustomizationFileNames).
var kustomizationFiles = []string{"kustomization.yaml", "kustomization.yml", "Kustomization"}

// sourceFile finds the file in dir that kustomize read the functionConfig
// fc from: one of the generators of dir's kustomization with the same
// content, annotations aside. kustomize names neither the file nor its
// lines, and the lines of the ResourceList on stdin mean nothing to a
// user; the file's own document gives both. It returns the file's path and
// its document's root, or "" when no generator matches.
func sourceFile(dir string, fc *yaml.Node) (string, *yaml.Node) {
	want, ok := withoutAnnotations(fc)
	if !ok {
		return "", nil
	}
	for _, name := range generatorFiles(dir) {
		root := readDocument(name)
		if got, ok := withoutAnnotations(root); ok && reflect.DeepEqual(want, got) {
			if abs, err := filepath.Abs(name); err == nil {
				name = abs
			}
			return name, root
		}
	}
	return "", nil
}

// generatorFiles lists the files the kustomization in dir names under
// generators.
func generatorFiles(dir string) []string {
	for _, k := range kustomizationFiles {
		root := readDocument(filepath.Join(dir, k))
		if root == nil {
			continue
		}
		var out []string
		if gens := value(root, "generators"); gens != nil && gens.Kind == yaml.SequenceNode {
			for _, g := range gens.Content {
				if g.Kind == yaml.ScalarNode && g.Value != "" {
					out = append(out, filepath.Join(dir, filepath.FromSlash(g.Value)))
				}
			}
		}
		return out
	}
	return nil
}

// readDocument returns the root of the first YAML document of a small
// regular file, or nil.
func readDocument(name string) *yaml.Node {
	fi, err := os.Stat(name)
	if err != nil || !fi.Mode().IsRegular() || fi.Size() > 4<<20 {
		return nil
	}
	data, err := os.ReadFile(name)
	if err != nil {
		return nil
	}
	var doc yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(data)).Decode(&doc); err != nil && !errors.Is(err, io.EOF) {
		return nil
	}
	return documentRoot(&doc)
}

// withoutAnnotations decodes a mapping without its metadata.annotations,
// which kustomize adds to.
func withoutAnnotations(n *yaml.Node) (map[string]any, bool) {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil, false
	}
	var m map[string]any
	if err := n.Decode(&m); err != nil {
		return nil, false
	}
	if meta, ok := m["metadata"].(map[string]any); ok {
		delete(meta, "annotations")
	}
	return m, true
}

// inSourceFile reports results against the file kustomize read fc from,
// with that file's lines, when dir's kustomization names it; otherwise
// without lines, which would be the ResourceList's.
func (f function) inSourceFile(fc *yaml.Node, results Results) Results {
	if configPath(fc) != "functionConfig" {
		return results
	}
	dir := f.WorkDir
	if dir == "" {
		dir = "."
	}
	name, root := sourceFile(dir, fc)
	if root == nil {
		return withoutLines(results)
	}
	if _, _, again := f.process(nil, withPath(root, name)); len(again) > 0 {
		return again
	}
	return withoutLines(results)
}

func withoutLines(results Results) Results {
	out := make(Results, len(results))
	for i, r := range results {
		delete(r.Tags, "line")
		if len(r.Tags) == 0 {
			r.Tags = nil
		}
		out[i] = r
	}
	return out
}

// withPath returns a copy of fc annotated with its file, which the
// results then name.
func withPath(fc *yaml.Node, path string) *yaml.Node {
	meta := value(fc, "metadata")
	if meta == nil || meta.Kind != yaml.MappingNode {
		return fc
	}
	annotations := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	if a := value(meta, "annotations"); a != nil && a.Kind == yaml.MappingNode {
		annotations.Content = withoutKey(a, pathAnnotation).Content
	}
	annotations.Content = append(annotations.Content, str(pathAnnotation), str(path))
	m := withoutKey(meta, "annotations")
	m.Content = append(m.Content, str("annotations"), annotations)
	c := withoutKey(fc, "metadata")
	c.Content = append(c.Content, str("metadata"), m)
	return c
}
