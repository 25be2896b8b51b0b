package inventory

import (
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"path/filepath"
	"reflect"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/lowlat/lowlat/generator/host"
	"github.com/lowlat/lowlat/generator/osfs"
	"github.com/lowlat/lowlat/generator/parallel"
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
var fleetSettings = [...][]string{{"metadata", "name"}, {"spec", "openshift"}, {"spec", "gitops"}}

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

// LoadFleet reads inventory files and directories as one fleet, merged
// into one Inventory in memory. OpenFleet reads a fleet without holding it.
func LoadFleet(paths []string) (*Inventory, error) { return LoadFleetFS(osfs.FS{}, paths, "") }

// LoadFleetFS is LoadFleet for files in fsys, such as a git revision: the
// paths, and the captures the files name, are read from fsys, and label
// prefixes every file name in problems and in FleetFile.Path (as "HEAD~1:").
func LoadFleetFS(fsys fs.FS, paths []string, label string) (*Inventory, error) {
	f, err := OpenFleetFS(fsys, paths, label, nil)
	if err != nil {
		return nil, err
	}
	parts := make([]*Inventory, len(f.files))
	index := map[string]int{}
	for i, ff := range f.files {
		index[ff.Path] = i
	}
	err = f.Each(nil, func(ff FleetFile, part *Inventory) error {
		parts[index[ff.Path]] = part
		return nil
	})
	if err != nil {
		return nil, err
	}
	merged := parts[0]
	for _, part := range parts[1:] {
		merged.Spec.Clusters = append(merged.Spec.Clusters, part.Spec.Clusters...)
	}
	merged.warnings = f.warnings
	return merged, nil
}

// Fleet is a validated fleet of inventory files that is read again file by
// file (Each), so that a fleet of any size is never in memory whole.
type Fleet struct {
	fsys     fs.FS
	paths    []string // as given, for WithFile
	label    string
	files    []FleetFile
	settings map[string]setting
	// clustersElsewhere lets a file of a fleet give fleet-wide settings
	// only, when other files list the clusters.
	clustersElsewhere bool
	shared            *Inventory
	warnings          []Problem
}

// FleetFile is one file of a fleet.
type FleetFile struct {
	// Path names the file in messages: as given, after the fleet's label.
	Path string
	// Digest changes whenever what the file's clusters are loaded from
	// changes: the file, the fleet-wide settings, the topology captures it
	// names (path, size, modification time).
	Digest [sha256.Size]byte
	// Clusters are the names of its clusters, in order.
	Clusters []string
}

// OpenFleet reads inventory files and directories as one fleet: every
// file is parsed, defaulted, validated and resolved (on every core), and
// every problem of every file is reported at once. Files for which
// validated returns true were validated before with the same Digest and
// are not parsed again here. Only the fleet-wide settings and each file's
// cluster names are kept.
func OpenFleet(paths []string, validated func(FleetFile) bool) (*Fleet, error) {
	return OpenFleetFS(osfs.FS{}, paths, "", validated)
}

// OpenFleetFS is OpenFleet for files in fsys, labelled as LoadFleetFS
// says.
func OpenFleetFS(fsys fs.FS, paths []string, label string, validated func(FleetFile) bool) (*Fleet, error) {
	files, err := fleetFiles(fsys, paths)
	if err != nil {
		return nil, err
	}
	// Pass one reads what the fleet shares and what must be unique; pass
	// two parses each file in full.
	heads := make([]fleetHead, len(files))
	_ = parallel.Each(len(files), func(i int) error { heads[i] = readFleetHead(fsys, files[i], label); return nil })
	var bad []*Error
	for _, h := range heads {
		if h.problem != nil {
			bad = append(bad, &Error{File: h.file, Problems: []Problem{*h.problem}})
		}
	}
	settings, conflicts := fleetWide(heads)
	bad = append(bad, conflicts...)
	bad = append(bad, uniqueAcross(heads)...)
	f := &Fleet{fsys: fsys, paths: paths, label: label, settings: settings, files: make([]FleetFile, len(files))}
	settingsDigest := settingsDigest(settings)
	for i, h := range heads {
		f.clustersElsewhere = f.clustersElsewhere || len(files) > 1 && len(h.clusters) > 0
		f.files[i] = FleetFile{Path: h.file, Digest: h.digest(fsys, files[i], settingsDigest), Clusters: h.names()}
		// Only the problem is read again: while the files are checked
		// in full, a large fleet's heads would otherwise all be kept.
		heads[i] = fleetHead{problem: h.problem}
	}
	errs := make([]error, len(files))
	warnings := make([][]Problem, len(files))
	_ = parallel.Each(len(files), func(i int) error {
		if heads[i].problem != nil || validated != nil && validated(f.files[i]) {
			return nil
		}
		var part *Inventory
		if part, errs[i] = f.parse(i); part != nil {
			warnings[i] = part.warnings
		}
		return nil // every file's problems are reported, so none stops the rest
	})
	for i, err := range errs {
		var invErr *Error
		switch {
		case errors.As(err, &invErr):
			bad = append(bad, invErr)
		case err != nil:
			return nil, err
		}
		f.warnings = append(f.warnings, warnings[i]...)
	}
	if len(bad) == 1 && len(files) == 1 {
		return nil, bad[0]
	}
	if len(bad) > 0 {
		return nil, &FleetError{Files: mergeByFile(bad)}
	}
	if f.shared, err = sharedSettings(settings); err != nil {
		return nil, err
	}
	return f, nil
}

// name is the i-th file's name in the fleet's file system.
func (f *Fleet) name(i int) string { return strings.TrimPrefix(f.files[i].Path, f.label) }

// Files lists the fleet's files in order.
func (f *Fleet) Files() []FleetFile { return f.files }

// Shared is the fleet-wide settings, defaulted, without clusters.
func (f *Fleet) Shared() *Inventory { return f.shared }

// Warnings are those of the files OpenFleet validated.
func (f *Fleet) Warnings() []Problem { return f.warnings }

// ClusterNames lists every cluster of the fleet in order.
func (f *Fleet) ClusterNames() []string {
	var out []string
	for _, ff := range f.files {
		out = append(out, ff.Clusters...)
	}
	return out
}

// Each parses the files for which need returns true (all when need is nil)
// again, several at a time, and calls fn with each one's clusters as an
// Inventory with the fleet-wide settings. fn may be called from several
// goroutines at once; the first error stops the files not yet started.
func (f *Fleet) Each(need func(FleetFile) bool, fn func(FleetFile, *Inventory) error) error {
	return parallel.Each(len(f.files), func(i int) error {
		if need != nil && !need(f.files[i]) {
			return nil
		}
		part, err := f.parse(i)
		if err != nil {
			return err
		}
		return fn(f.files[i], part)
	})
}

// sharedSettings decodes and defaults the fleet-wide settings alone.
func sharedSettings(settings map[string]setting) (*Inventory, error) {
	root := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	for _, keys := range fleetSettings {
		if s, ok := settings[strings.Join(keys, ".")]; ok {
			if err := s.addTo(root, keys); err != nil {
				return nil, err
			}
		}
	}
	inv, err := decode(root)
	if err != nil {
		return nil, err
	}
	Default(inv)
	return inv, nil
}

func settingsDigest(settings map[string]setting) []byte {
	h := sha256.New()
	for _, keys := range fleetSettings {
		name := strings.Join(keys, ".")
		data, _ := json.Marshal(settings[name].value)
		fmt.Fprintf(h, "%s=%s\n", name, data)
	}
	return h.Sum(nil)
}

// fleetFiles expands directories into their inventory files.
func fleetFiles(fsys fs.FS, paths []string) ([]string, error) {
	var out []string
	namedBy := map[string]string{}
	for _, p := range paths {
		if err := firstNaming(namedBy, path.Clean(filepath.ToSlash(p)), p); err != nil {
			return nil, err
		}
		info, err := fs.Stat(fsys, p)
		if err != nil {
			return nil, err
		}
		if !info.IsDir() {
			out = append(out, p)
			continue
		}
		entries, err := fs.ReadDir(fsys, p)
		if err != nil {
			return nil, err
		}
		n := len(out)
		for _, e := range entries {
			ext := path.Ext(e.Name())
			if !e.IsDir() && (ext == ".yaml" || ext == ".yml") {
				name := joinName(p, e.Name())
				if err := firstNaming(namedBy, path.Clean(filepath.ToSlash(name)), p); err != nil {
					return nil, err
				}
				out = append(out, name)
			}
		}
		if len(out) == n {
			return nil, fmt.Errorf("%s: no inventory files (*.yaml, *.yml) in the directory", p)
		}
	}
	return out, nil
}

// firstNaming records that by names the file key, and refuses a file
// named twice: its clusters would be listed twice.
func firstNaming(namedBy map[string]string, key, by string) error {
	if first, ok := namedBy[key]; ok {
		return fmt.Errorf("%s: named twice (by %s and %s)", key, first, by)
	}
	namedBy[key] = by
	return nil
}

// joinName names a file of directory dir as the user would: with the
// operating system's separator for files on disk, with "/" in other
// file systems.
func joinName(dir, name string) string {
	if filepath.Separator != '/' && !strings.Contains(dir, "/") {
		return filepath.Join(dir, name)
	}
	return path.Join(dir, name)
}

func readInventory(fsys fs.FS, name string) ([]byte, error) {
	f, err := fsys.Open(name)
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
	settings [len(fleetSettings)]*setting // nil when not given
	clusters []clusterHead
	sum      [sha256.Size]byte // of the file's bytes
	captures []string          // the topology captures it names, as written
}

func (h fleetHead) names() []string {
	out := make([]string, len(h.clusters))
	for i, c := range h.clusters {
		out[i] = c.name
	}
	return out
}

// digest combines the file, the fleet-wide settings and the state of the
// captures the file names.
func (h fleetHead) digest(fsys fs.FS, name string, settings []byte) [sha256.Size]byte {
	d := sha256.New()
	d.Write(h.sum[:])
	d.Write(settings)
	files := filesOf(fsys, name)
	for _, c := range h.captures {
		p := files.Path(c)
		if info, err := fs.Stat(fsys, p); err == nil {
			fmt.Fprintf(d, "%s %d %d %v\n", p, info.Size(), info.ModTime().UnixNano(), info.IsDir())
		} else {
			fmt.Fprintf(d, "%s missing\n", p)
		}
	}
	return [sha256.Size]byte(d.Sum(nil))
}

type clusterHead struct {
	name           string
	nameLine, line int
	destination    string
}

func readFleetHead(fsys fs.FS, name, label string) fleetHead {
	file := label + name
	h := fleetHead{file: file}
	data, err := readInventory(fsys, name)
	if err != nil {
		h.problem = &Problem{Message: err.Error()}
		return h
	}
	h.sum = sha256.Sum256(data)
	root, problem := parseYAML(data)
	if problem != nil {
		h.problem = problem
		return h
	}
	for i, keys := range fleetSettings {
		if n := lookup(root, keys...); n != nil {
			var v any
			_ = n.Decode(&v)
			h.settings[i] = &setting{file: file, line: n.Line, value: v}
		}
	}
	if clusters := lookup(root, "spec", "clusters"); clusters != nil && clusters.Kind == yaml.SequenceNode {
		for _, c := range clusters.Content {
			ch := clusterHead{line: c.Line, destination: destinationKey(lookup(c, "destination"))}
			if n := lookup(c, "name"); n != nil {
				ch.name, ch.nameLine = n.Value, n.Line
			}
			h.clusters = append(h.clusters, ch)
			if pools := lookup(c, "nodePools"); pools != nil && pools.Kind == yaml.SequenceNode {
				for _, pool := range pools.Content {
					for _, k := range []string{"lscpu", "sysinfo"} {
						if n := lookup(pool, "topology", k); n != nil && n.Value != "" {
							h.captures = append(h.captures, n.Value)
						}
					}
				}
			}
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

// setting is a fleet-wide value, the file that gives it and its line
// there. Only the decoded value is kept: a fleet's files mostly repeat
// the same few settings, and their parsed nodes would be kept for each.
type setting struct {
	file  string
	line  int
	value any
}

// addTo adds the setting at keys to a document that lacks it, as a node
// of its own.
func (s setting) addTo(root *yaml.Node, keys []string) error {
	var value yaml.Node
	if err := value.Encode(s.value); err != nil {
		return fmt.Errorf("fleet-wide setting of %s:%d: %w", s.file, s.line, err)
	}
	parent := ensureMapping(root, keys[:len(keys)-1]...)
	parent.Content = append(parent.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: keys[len(keys)-1]}, &value)
	return nil
}

// fleetWide finds each fleet-wide setting and reports files that give a
// different value.
func fleetWide(heads []fleetHead) (map[string]setting, []*Error) {
	out := map[string]setting{}
	var bad []*Error
	for _, h := range heads {
		for i, keys := range fleetSettings {
			name := strings.Join(keys, ".")
			s := h.settings[i]
			if s == nil {
				continue
			}
			first, seen := out[name]
			switch {
			case !seen:
				out[name] = *s
			case !reflect.DeepEqual(first.value, s.value):
				bad = append(bad, &Error{File: h.file, Problems: []Problem{{Line: s.line, Path: name,
					Message: fmt.Sprintf("differs from %s:%d; a fleet gives %s once, or the same in every file", first.file, first.line, name)}}})
			}
		}
	}
	return out, bad
}

// parse validates file i with the fleet-wide settings it lacks.
func (f *Fleet) parse(i int) (*Inventory, error) {
	return parseFleetFile(f.fsys, f.name(i), f.files[i].Path, f.settings, f.clustersElsewhere)
}

// filesOf is where the captures of the inventory file name in fsys are
// read: relative to the file's directory.
func filesOf(fsys fs.FS, name string) host.Files {
	return host.Files{FS: fsys, Dir: path.Dir(filepath.ToSlash(name))}
}

// parseFleetFile validates the file name in fsys, called file in messages,
// with the fleet-wide settings it lacks; clustersElsewhere accepts a file
// without clusters.
func parseFleetFile(fsys fs.FS, name, file string, settings map[string]setting, clustersElsewhere bool) (*Inventory, error) {
	data, err := readInventory(fsys, name)
	if err != nil {
		return nil, err
	}
	root, problem := parseYAML(data)
	if problem != nil {
		return nil, &Error{File: file, Problems: []Problem{*problem}}
	}
	var added []string
	for _, keys := range fleetSettings {
		key := strings.Join(keys, ".")
		s, ok := settings[key]
		if !ok || lookup(root, keys...) != nil {
			continue
		}
		if err := s.addTo(root, keys); err != nil {
			return nil, err
		}
		added = append(added, key)
	}
	inv, err := parseRoot(root, file, filesOf(fsys, name), clustersElsewhere)
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
			return nil, &Error{File: file, Problems: []Problem{{Message: "the fleet-wide settings it shares with another file have problems (reported there)"}}}
		}
		invErr.Problems = own
	}
	if inv != nil {
		for i := range inv.warnings {
			inv.warnings[i].File = file
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
				msg := fmt.Sprintf("ArgoCD destination %s is also the destination of the cluster at %s:%d; each cluster needs its own", c.destination, first.file, first.line)
				if c.destination == "server "+InClusterServer {
					msg += fmt.Sprintf(" (%s, ArgoCD's own cluster, is the destination when none is set): register cluster %s in ArgoCD (argocd cluster add CONTEXT --name %s, or a cluster secret) and write destination: {name: %s}",
						InClusterServer, c.name, c.name, c.name)
				}
				bad = append(bad, &Error{File: h.file, Problems: []Problem{{Line: c.line, Path: path + ".destination", Message: msg}}})
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
