package review

import (
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// FieldChange is one difference inside a changed resource.
type FieldChange struct {
	// Path is a YAML path: spec.cpu.reserved, metadata.labels["a.b/c"],
	// spec.containers[name=app].image, spec.hugepages.pages[size=1G,node=0],
	// args[=-v] for an item of a list of scalars, or items[2] when a list
	// has no key to match its items by.
	Path   string `json:"path"`
	Change Change `json:"change"`
	Old    any    `json:"old,omitempty"`
	New    any    `json:"new,omitempty"`
}

// listKeys are the fields that identify an item of a list, tried in order.
// The first field of a key must be in every item; the others may be absent
// (hugepages without a NUMA node). Kubernetes merges such lists by the same
// keys (name for containers, volumes, disks; key for match expressions).
var listKeys = [][]string{{"name"}, {"key"}, {"size", "node"}}

// diffFields lists the differences between two decoded objects in a stable
// order: map keys and list selectors sorted, unkeyed list items by index.
func diffFields(old, cur any) []FieldChange {
	var out []FieldChange
	diffValue("", old, cur, &out)
	return out
}

func diffValue(p string, old, cur any, out *[]FieldChange) {
	om, oIsMap := old.(map[string]any)
	cm, cIsMap := cur.(map[string]any)
	ol, oIsList := old.([]any)
	cl, cIsList := cur.([]any)
	switch {
	case oIsMap && cIsMap:
		diffMaps(p, om, cm, out)
	case oIsList && cIsList:
		diffLists(p, ol, cl, out)
	case !reflect.DeepEqual(old, cur):
		*out = append(*out, FieldChange{Path: p, Change: Changed, Old: old, New: cur})
	}
}

func diffMaps(p string, old, cur map[string]any, out *[]FieldChange) {
	for _, k := range unionKeys(old, cur) {
		ov, inOld := old[k]
		cv, inCur := cur[k]
		child := joinKey(p, k)
		switch {
		case !inOld:
			*out = append(*out, FieldChange{Path: child, Change: Added, New: cv})
		case !inCur:
			*out = append(*out, FieldChange{Path: child, Change: Removed, Old: ov})
		default:
			diffValue(child, ov, cv, out)
		}
	}
}

func diffLists(p string, old, cur []any, out *[]FieldChange) {
	if reflect.DeepEqual(old, cur) {
		return
	}
	if fields := listKey(old, cur); fields != nil {
		diffKeyed(p, selectors(old, fields), selectors(cur, fields), out)
		return
	}
	if distinctScalars(old) && distinctScalars(cur) {
		diffScalarSet(p, old, cur, out)
		return
	}
	for i := 0; i < max(len(old), len(cur)); i++ {
		child := fmt.Sprintf("%s[%d]", p, i)
		switch {
		case i >= len(old):
			*out = append(*out, FieldChange{Path: child, Change: Added, New: cur[i]})
		case i >= len(cur):
			*out = append(*out, FieldChange{Path: child, Change: Removed, Old: old[i]})
		default:
			diffValue(child, old[i], cur[i], out)
		}
	}
}

// diffKeyed matches items by selector, so a reordered list shows no change
// and an inserted item does not shift every later one.
func diffKeyed(p string, old, cur map[string]any, out *[]FieldChange) {
	for _, sel := range unionKeys(old, cur) {
		ov, inOld := old[sel]
		cv, inCur := cur[sel]
		child := p + "[" + sel + "]"
		switch {
		case !inOld:
			*out = append(*out, FieldChange{Path: child, Change: Added, New: cv})
		case !inCur:
			*out = append(*out, FieldChange{Path: child, Change: Removed, Old: ov})
		default:
			diffValue(child, ov, cv, out)
		}
	}
}

// diffScalarSet reports the values that left or joined a list of distinct
// scalars; when only the order changed, it reports the whole list.
func diffScalarSet(p string, old, cur []any, out *[]FieldChange) {
	oldSet, curSet := scalarSet(old), scalarSet(cur)
	before := len(*out)
	for _, v := range old {
		if _, ok := curSet[scalarText(v)]; !ok {
			*out = append(*out, FieldChange{Path: p + "[=" + scalarText(v) + "]", Change: Removed, Old: v})
		}
	}
	for _, v := range cur {
		if _, ok := oldSet[scalarText(v)]; !ok {
			*out = append(*out, FieldChange{Path: p + "[=" + scalarText(v) + "]", Change: Added, New: v})
		}
	}
	if len(*out) == before {
		*out = append(*out, FieldChange{Path: p, Change: Changed, Old: old, New: cur})
	}
}

// listKey returns the first of listKeys that identifies every item of both
// lists uniquely, or nil.
func listKey(lists ...[]any) []string {
	for _, fields := range listKeys {
		if keyFits(fields, lists) {
			return fields
		}
	}
	return nil
}

func keyFits(fields []string, lists [][]any) bool {
	for _, list := range lists {
		seen := map[string]bool{}
		for _, item := range list {
			sel, ok := selector(item, fields)
			if !ok || seen[sel] {
				return false
			}
			seen[sel] = true
		}
	}
	return true
}

// selector formats an item's key as name=app or size=1G,node=0.
func selector(item any, fields []string) (string, bool) {
	m, ok := item.(map[string]any)
	if !ok {
		return "", false
	}
	var parts []string
	for i, f := range fields {
		v, present := m[f]
		if !present && i > 0 {
			continue
		}
		if !present || !isScalar(v) || v == nil {
			return "", false
		}
		parts = append(parts, f+"="+scalarText(v))
	}
	return strings.Join(parts, ","), true
}

func selectors(list []any, fields []string) map[string]any {
	out := make(map[string]any, len(list))
	for _, item := range list {
		sel, _ := selector(item, fields)
		out[sel] = item
	}
	return out
}

func distinctScalars(list []any) bool {
	seen := map[string]bool{}
	for _, v := range list {
		if !isScalar(v) || seen[scalarText(v)] {
			return false
		}
		seen[scalarText(v)] = true
	}
	return true
}

func scalarSet(list []any) map[string]struct{} {
	out := make(map[string]struct{}, len(list))
	for _, v := range list {
		out[scalarText(v)] = struct{}{}
	}
	return out
}

func isScalar(v any) bool {
	switch v.(type) {
	case map[string]any, []any:
		return false
	}
	return true
}

// scalarText is a scalar as a selector shows it: strings as they are.
func scalarText(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return formatValue(v)
}

var plainKey = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*$`)

// joinKey appends a map key to a path, quoting keys that hold dots or
// slashes (labels, annotations, file names in a ConfigMap).
func joinKey(p, k string) string {
	if !plainKey.MatchString(k) {
		return p + "[" + strconv.Quote(k) + "]"
	}
	if p == "" {
		return k
	}
	return p + "." + k
}

func unionKeys[V any](a, b map[string]V) []string {
	keys := make([]string, 0, len(a)+len(b))
	for k := range a {
		keys = append(keys, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}
