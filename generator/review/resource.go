package review

import (
	"errors"
	"fmt"
	"path"

	"github.com/lowlat/lowlat/generator/layout"
	"github.com/lowlat/lowlat/generator/manifest"
	"github.com/lowlat/lowlat/generator/tree"
)

// Application names for the parts of a tree that are not a component
// directory. Parentheses keep them apart from component names, which are
// DNS-1123 labels.
const (
	// AppArgoCD holds a cluster's ArgoCD Applications (apps/<cluster>/).
	AppArgoCD = "argocd"
	// AppClusterRoot is a cluster's entry kustomization
	// (overlays/aws/<cluster>/kustomization.yaml).
	AppClusterRoot = "(cluster)"
	// AppKRM is a cluster's KRM function entry point (krm/<cluster>/).
	AppKRM = "(krm)"
)

// Location is where a resource sits: its cluster and its Application.
type Location struct {
	// Cluster is the cluster's name; empty when Shared.
	Cluster string
	// Shared is true for base/, which every cluster's overlay includes.
	Shared bool
	// App is the component directory the cluster's Application syncs.
	App string
}

// locate maps a tree path to its cluster and Application (layout.Locate).
func locate(p string) Location {
	switch pl := layout.Locate(p); pl.Kind {
	case layout.Base:
		return Location{Shared: true, App: pl.Component}
	case layout.Component:
		return Location{Cluster: pl.Cluster, App: pl.Component}
	case layout.ClusterRoot:
		return Location{Cluster: pl.Cluster, App: AppClusterRoot}
	case layout.Apps:
		return Location{Cluster: pl.Cluster, App: AppArgoCD}
	case layout.KRM:
		return Location{Cluster: pl.Cluster, App: AppKRM}
	}
	return Location{Shared: true, App: path.Dir(p)}
}

// Identity is what makes two documents the same resource: group, kind,
// namespace and name, not the version (manifest.Key).
type Identity = manifest.Key

// resource is one parsed document of a tree.
type resource struct {
	Location
	Identity
	Path   string
	Object map[string]any
}

// key places a resource in its cluster and Application.
type key struct {
	Location
	Identity
}

// FileKind is the kind of a generated file that is not YAML (a topology
// capture beside a KRM function's inventory); its path is its name and its
// text its only field, "content".
const FileKind = "File"

// resources parses every document of t. Kustomizations have no name; their
// directory stands for one.
func resources(t *tree.Tree, side string) (map[key]*resource, error) {
	out := map[key]*resource{}
	for _, p := range t.Paths() {
		data, _ := t.File(p)
		if !isYAML(p) {
			r := &resource{Location: locate(p), Identity: Identity{Kind: FileKind, Name: p}, Path: p,
				Object: map[string]any{"content": string(data)}}
			out[key{r.Location, r.Identity}] = r
			continue
		}
		docs, err := manifest.Documents(data)
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w", side, p, err)
		}
		for i, obj := range docs {
			r, err := newResource(p, obj)
			if err != nil {
				return nil, fmt.Errorf("%s %s: document %d: %w", side, p, i+1, err)
			}
			k := key{r.Location, r.Identity}
			if prev, dup := out[k]; dup {
				return nil, fmt.Errorf("%s %s: %s is also in %s", side, p, r.Identity, prev.Path)
			}
			out[k] = r
		}
	}
	return out, nil
}

func newResource(p string, obj map[string]any) (*resource, error) {
	id := manifest.Identify(obj).Key()
	if id.Kind == "" {
		return nil, errors.New("no kind")
	}
	if id.Name == "" && id.Kind == "Kustomization" {
		id.Name = path.Dir(p)
	}
	if id.Name == "" {
		return nil, fmt.Errorf("%s has no metadata.name", id.Kind)
	}
	return &resource{Location: locate(p), Identity: id, Path: p, Object: obj}, nil
}

func isYAML(p string) bool {
	switch path.Ext(p) {
	case ".yaml", ".yml", ".json":
		return true
	}
	return false
}
