package inventory

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"go.yaml.in/yaml/v3"
)

// A fleet is kept as many inventory files, one cluster each or a few: the
// way fleet repositories keep one SiteConfig per site. LoadFleet reads
// files and directories (every *.yaml and *.yml directly inside, in name
// order) and merges their clusters in that order. The fleet-wide settings —
// metadata.name, spec.openshift and spec.gitops — are given once, in any
// file; a file may repeat them, and a value that differs from another
// file's is an error naming both. Each file is parsed, defaulted,
// validated and resolved on its own, with the fleet-wide settings it
// lacks, so every problem names its own file and line; cluster names and
// ArgoCD destinations must then be unique across the fleet.

// fleetSettings are the fields a fleet gives once.
var fleetSettings = [][]string{{"metadata", "name"}, {"spec", "openshift"}, {"spec", "gitops"}}

// FleetError lists the problems of every file of a fleet.
type FleetError struct {
	Files []*Error
}

func (e *FleetError) Error() string {
	parts := make([]string, len(e.Files))
	for i, f := range e.Files {
		parts[i] = f.Error()
	}
	return strings.Join(parts, "\n")
}

// Load reads one inventory file, or every inventory file of a directory,
// defaults, validates and resolves it. Relative paths in an inventory
// (topology captures) are resolved against its file's directory. On any
// problem it returns an *Error (one file) or a *FleetError listing all of
// them.
func Load(path string) (*Inventory, error) { return LoadFleet([]string{path}) }

// LoadFleet reads inventory files and directories as one fleet.
func LoadFleet(paths []string) (*Inventory, error) {
	files, err := fleetFiles(paths)
	if err != nil {
		return nil, err
	}
	if len(files) == 1 {
		data, err := readInventory(files[0])
		if err != nil {
			return nil, err
		}
		return Parse(data, files[0], filepath.Dir(files[0]))
	}
	// Pass one reads what the fleet shares and what must be unique; pass
	// two parses each file in full. Both run on every core, and neither
	// keeps a file's YAML once it is done with it.
	heads := make([]fleetHead, len(files))
	parallel(len(files), func(i int) { heads[i] = readFleetHead(files[i]) })
	var bad []*Error
	for _, h := range heads {
		if h.problem != nil {
			bad = append(bad, &Error{File: h.file, Problems: []Problem{*h.problem}})
		}
	}
	settings, conflicts := fleetWide(heads)
	bad = append(bad, conflicts...)
	bad = append(bad, uniqueAcross(heads)...)
	parts := make([]*Inventory, len(files))
	errs := make([]error, len(files))
	parallel(len(files), func(i int) {
		if heads[i].problem == nil {
			parts[i], errs[i] = parseFleetFile(files[i], settings)
		}
	})
	var merged *Inventory
	for i, inv := range parts {
		var invErr *Error
		switch {
		case errors.As(errs[i], &invErr):
			bad = append(bad, invErr)
			continue
		case errs[i] != nil:
			return nil, errs[i]
		case inv == nil:
			continue
		case merged == nil:
			merged = inv
			continue
		}
		merged.Spec.Clusters = append(merged.Spec.Clusters, inv.Spec.Clusters...)
		merged.warnings = append(merged.warnings, inv.warnings...)
	}
	if len(bad) > 0 {
		return nil, &FleetError{Files: mergeByFile(bad)}
	}
	return merged, nil
}

// parallel runs fn for 0..n-1 on every core.
func parallel(n int, fn func(i int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(n, runtime.GOMAXPROCS(0)) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				fn(i)
			}
		})
	}
	wg.Wait()
}

// fleetFiles expands directories into their inventory files.
func fleetFiles(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !info.IsDir() {
			out = append(out, p)
			continue
		}
		entries, err := os.ReadDir(p)
		if err != nil {
			return nil, err
		}
		n := len(out)
		for _, e := range entries {
			ext := filepath.Ext(e.Name())
			if !e.IsDir() && (ext == ".yaml" || ext == ".yml") {
				out = append(out, filepath.Join(p, e.Name()))
			}
		}
		if len(out) == n {
			return nil, fmt.Errorf("%s: no inventory files (*.yaml, *.yml) in the directory", p)
		}
	}
	return out, nil
}

func readInventory(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read inventory: %w", err)
	}
	return data, nil
}

// fleetHead is what pass one keeps of a file: its fleet-wide settings and
// its clusters' names and destinations, with their lines.
type fleetHead struct {
	file     string
	problem  *Problem
	settings map[string]setting
	clusters []clusterHead
}

type clusterHead struct {
	name           string
	nameLine, line int
	destination    string
}

func readFleetHead(file string) fleetHead {
	h := fleetHead{file: file, settings: map[string]setting{}}
	data, err := readInventory(file)
	if err != nil {
		h.problem = &Problem{Message: err.Error()}
		return h
	}
	root, problem := parseYAML(data)
	if problem != nil {
		h.problem = problem
		return h
	}
	for _, keys := range fleetSettings {
		if n := lookup(root, keys...); n != nil {
			var v any
			_ = n.Decode(&v)
			h.settings[strings.Join(keys, ".")] = setting{file: file, node: n, value: v}
		}
	}
	if clusters := lookup(root, "spec", "clusters"); clusters != nil && clusters.Kind == yaml.SequenceNode {
		for _, c := range clusters.Content {
			ch := clusterHead{line: c.Line, destination: destinationKey(lookup(c, "destination"))}
			if n := lookup(c, "name"); n != nil {
				ch.name, ch.nameLine = n.Value, n.Line
			}
			h.clusters = append(h.clusters, ch)
		}
	}
	return h
}

// lookup finds the value node at a path of mapping keys.
func lookup(n *yaml.Node, keys ...string) *yaml.Node {
	for _, k := range keys {
		if n == nil || n.Kind != yaml.MappingNode {
			return nil
		}
		var next *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == k {
				next = n.Content[i+1]
			}
		}
		n = next
	}
	return n
}

// setting is a fleet-wide value and the file that gives it.
type setting struct {
	file  string
	node  *yaml.Node
	value any
}

// fleetWide finds each fleet-wide setting and reports files that give a
// different value.
func fleetWide(heads []fleetHead) (map[string]setting, []*Error) {
	out := map[string]setting{}
	var bad []*Error
	for _, h := range heads {
		for _, keys := range fleetSettings {
			name := strings.Join(keys, ".")
			s, ok := h.settings[name]
			if !ok {
				continue
			}
			first, seen := out[name]
			switch {
			case !seen:
				out[name] = s
			case !reflect.DeepEqual(first.value, s.value):
				bad = append(bad, &Error{File: h.file, Problems: []Problem{{Line: s.node.Line, Path: name,
					Message: fmt.Sprintf("differs from %s:%d; a fleet gives %s once, or the same in every file", first.file, first.node.Line, name)}}})
			}
		}
	}
	return out, bad
}

// parseFleetFile validates one file with the fleet-wide settings it lacks.
func parseFleetFile(file string, settings map[string]setting) (*Inventory, error) {
	data, err := readInventory(file)
	if err != nil {
		return nil, err
	}
	root, problem := parseYAML(data)
	if problem != nil {
		return nil, &Error{File: file, Problems: []Problem{*problem}}
	}
	d := struct {
		file string
		root *yaml.Node
	}{file, root}
	var added []string
	for _, keys := range fleetSettings {
		name := strings.Join(keys, ".")
		s, ok := settings[name]
		if !ok || lookup(d.root, keys...) != nil {
			continue
		}
		parent := ensureMapping(d.root, keys[:len(keys)-1]...)
		// A copy: files parsed at the same time must not share nodes.
		node := *s.node
		parent.Content = append(parent.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: keys[len(keys)-1]}, &node)
		added = append(added, name)
	}
	inv, err := parseRoot(d.root, d.file, filepath.Dir(d.file))
	var invErr *Error
	if errors.As(err, &invErr) {
		// A setting borrowed from another file is that file's to report.
		var own []Problem
		for _, p := range invErr.Problems {
			if !underAny(p.Path, added) {
				own = append(own, p)
			}
		}
		if len(own) == 0 {
			return nil, &Error{File: d.file, Problems: []Problem{{Message: "the fleet-wide settings it shares with another file have problems (reported there)"}}}
		}
		invErr.Problems = own
	}
	if inv != nil {
		for i := range inv.warnings {
			inv.warnings[i].File = d.file
		}
	}
	return inv, err
}

func underAny(path string, prefixes []string) bool {
	for _, p := range prefixes {
		if path == p || strings.HasPrefix(path, p+".") || strings.HasPrefix(path, p+"[") {
			return true
		}
	}
	return false
}

// ensureMapping returns the mapping at keys, creating it.
func ensureMapping(n *yaml.Node, keys ...string) *yaml.Node {
	for _, k := range keys {
		next := lookup(n, k)
		if next == nil {
			next = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
			n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: k}, next)
		}
		n = next
	}
	return n
}

// uniqueAcross reports cluster names and ArgoCD destinations that two
// files share (a file's own duplicates are reported by its validation).
func uniqueAcross(heads []fleetHead) []*Error {
	type seen struct {
		file string
		line int
	}
	names, dests := map[string]seen{}, map[string]seen{}
	var bad []*Error
	for _, h := range heads {
		for i, c := range h.clusters {
			path := fmt.Sprintf("spec.clusters[%d]", i)
			if c.name != "" {
				if first, ok := names[c.name]; ok && first.file != h.file {
					bad = append(bad, &Error{File: h.file, Problems: []Problem{{Line: c.nameLine, Path: path + ".name",
						Message: fmt.Sprintf("cluster %q is also in %s:%d; cluster names are unique across the fleet", c.name, first.file, first.line)}}})
				} else if !ok {
					names[c.name] = seen{h.file, c.line}
				}
			}
			if first, ok := dests[c.destination]; ok && first.file != h.file {
				bad = append(bad, &Error{File: h.file, Problems: []Problem{{Line: c.line, Path: path + ".destination",
					Message: fmt.Sprintf("ArgoCD destination %s is also the destination of the cluster at %s:%d; each cluster needs its own", c.destination, first.file, first.line)}}})
			} else if !ok {
				dests[c.destination] = seen{h.file, c.line}
			}
		}
	}
	return bad
}

// destinationKey is how a destination compares; an omitted one is the
// cluster ArgoCD runs in.
func destinationKey(n *yaml.Node) string {
	server, name := lookup(n, "server"), lookup(n, "name")
	switch {
	case name != nil && name.Value != "":
		return "name " + name.Value
	case server != nil && server.Value != "":
		return "server " + server.Value
	}
	return "server " + InClusterServer
}

// mergeByFile joins the errors of one file, files in order of first
// appearance and each file's problems by line.
func mergeByFile(errs []*Error) []*Error {
	var order []string
	byFile := map[string]*Error{}
	for _, e := range errs {
		if f, ok := byFile[e.File]; ok {
			f.Problems = append(f.Problems, e.Problems...)
			continue
		}
		c := &Error{File: e.File, Problems: append([]Problem(nil), e.Problems...)}
		byFile[e.File] = c
		order = append(order, e.File)
	}
	out := make([]*Error, len(order))
	for i, f := range order {
		e := byFile[f]
		sort.SliceStable(e.Problems, func(a, b int) bool { return e.Problems[a].Line < e.Problems[b].Line })
		out[i] = e
	}
	return out
}
