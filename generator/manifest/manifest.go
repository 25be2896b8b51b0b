// Package manifest is where lowlat decodes manifests and says which
// Kubernetes object each is: its group, version, kind, namespace and name,
// and the labels and annotations it carries. Rendering, ordering, review and
// schema validation all read objects as maps; they decode and identify them
// here. (Schema validation also reads YAML nodes of its own, to report line
// numbers.)
package manifest

import "strings"

// ID identifies an object, version included.
type ID struct {
	Group, Version, Kind string
	Namespace, Name      string
}

// Key is what makes two manifests the same resource: an ID without the
// version, which a resource keeps across API versions.
type Key struct {
	Group, Kind, Namespace, Name string
}

// Identify reads an object's group, version, kind, namespace and name; the
// core group is "" (apiVersion "v1").
func Identify(m map[string]any) ID {
	apiVersion, _ := m["apiVersion"].(string)
	group, version, found := strings.Cut(apiVersion, "/")
	if !found {
		group, version = "", apiVersion
	}
	id := ID{Group: group, Version: version}
	id.Kind, _ = m["kind"].(string)
	if meta, ok := m["metadata"].(map[string]any); ok {
		id.Namespace, _ = meta["namespace"].(string)
		id.Name, _ = meta["name"].(string)
	}
	return id
}

// APIVersion is the apiVersion the object states: group/version, or the
// version alone for the core group.
func (id ID) APIVersion() string {
	if id.Group == "" {
		return id.Version
	}
	return id.Group + "/" + id.Version
}

// Key drops the version.
func (id ID) Key() Key {
	return Key{Group: id.Group, Kind: id.Kind, Namespace: id.Namespace, Name: id.Name}
}

// String is "Kind namespace/name", or "Kind name" for cluster-scoped objects.
func (id ID) String() string { return id.Key().String() }

// String is "Kind namespace/name", or "Kind name" for cluster-scoped objects.
func (k Key) String() string {
	if k.Namespace == "" {
		return k.Kind + " " + k.Name
	}
	return k.Kind + " " + k.Namespace + "/" + k.Name
}
