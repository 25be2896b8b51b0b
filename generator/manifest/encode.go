package manifest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	yamlv2 "go.yaml.in/yaml/v2"
)

// YAML encodes an object decoded by Object as YAML, keys sorted: byte for
// byte what sigs.k8s.io/yaml.Marshal writes for the typed object its JSON
// came from (go-yaml v2 writes a json.Number as the int or float its text
// is, as it reads a JSON number), without encoding the object to JSON and
// parsing that as YAML again. (Integers beyond int64, which lowlat never
// renders, would come out as floats.)
//
// go-yaml keeps every event of a document until the document ends, about
// 4 KB per element of a list, so a fleet's 10,000-element lists (an
// ApplicationSet's clusters, apps/roots/kustomization.yaml) would take
// tens of megabytes at once. Lists longer than longList are therefore
// encoded a chunk at a time, each at the column the whole document would
// put it, so that line wrapping is the same and so are the bytes.
func YAML(m map[string]any) ([]byte, error) {
	return encode(m)
}

// longList is the length from which a list is encoded in chunks, of
// chunk elements (fewer, so that a chunk is not a long list itself).
const (
	longList = 256
	chunk    = longList / 2
)

// List is a list whose elements are made as they are encoded, a chunk at
// a time: YAML writes it as the list of At(0) … At(Len-1), and
// encoding/json as that array. It stands for a long list of small
// generated elements (a fleet's clusters), which would otherwise all be
// held at once. It may only be the value of a map key.
type List struct {
	Len int
	At  func(i int) any
}

// MarshalJSON encodes the list's elements as a JSON array.
func (l List) MarshalJSON() ([]byte, error) { return json.Marshal(l.slice(0, l.Len)) }

func (l List) slice(start, end int) []any {
	out := make([]any, end-start)
	for i := range out {
		out[i] = l.At(start + i)
	}
	return out
}

func listOf(elements []any) List {
	return List{Len: len(elements), At: func(i int) any { return elements[i] }}
}

// encode is YAML for a map or a list.
func encode(doc any) ([]byte, error) {
	var long []List
	short, replaced := withoutLongLists(doc, &long)
	if !replaced {
		return yamlv2.Marshal(doc)
	}
	out, err := yamlv2.Marshal(short)
	if err != nil {
		return nil, err
	}
	for i, list := range long {
		if out, err = spliceList(out, placeholder(i), list); err != nil {
			// The placeholder was not where a key's value is written (a
			// document that happens to hold its text): encode in one go.
			return yamlv2.Marshal(expandLists(doc))
		}
	}
	return out, nil
}

// expandLists copies v with every List made a slice.
func expandLists(v any) any {
	switch v := v.(type) {
	case List:
		return expandLists(v.slice(0, v.Len))
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = expandLists(e)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = expandLists(e)
		}
		return out
	}
	return v
}

// placeholderPrefix starts the plain scalar a long list stands in for while
// the rest of its document is encoded.
const placeholderPrefix = "lowlat-long-list-f3c9a1-"

func placeholder(i int) string { return fmt.Sprintf("%s%d", placeholderPrefix, i) }

// withoutLongLists copies v with every long list that is the value of a map
// key replaced by a placeholder, appending the lists to long; it copies
// only the maps and lists on the way to one.
func withoutLongLists(v any, long *[]List) (any, bool) {
	switch v := v.(type) {
	case map[string]any:
		var out map[string]any
		for k, e := range v {
			var r any
			replaced := false
			if list, ok := e.([]any); ok && len(list) >= longList {
				r, replaced = placeholder(len(*long)), true
				*long = append(*long, listOf(list))
			} else if list, ok := e.(List); ok && list.Len > 0 {
				r, replaced = placeholder(len(*long)), true
				*long = append(*long, list)
			} else if ok {
				r, replaced = []any{}, true
			} else {
				r, replaced = withoutLongLists(e, long)
			}
			if replaced {
				if out == nil {
					out = maps.Clone(v)
				}
				out[k] = r
			}
		}
		if out == nil {
			return v, false
		}
		return out, true
	case []any:
		var out []any
		for i, e := range v {
			if r, replaced := withoutLongLists(e, long); replaced {
				if out == nil {
					out = slices.Clone(v)
				}
				out[i] = r
			}
		}
		if out == nil {
			return v, false
		}
		return out, true
	}
	return v, false
}

// spliceList replaces the line "<key>: <name>" of out with "<key>:" and
// list's elements, encoded at the key's column.
func spliceList(out []byte, name string, list List) ([]byte, error) {
	marker := []byte(": " + name + "\n")
	at := bytes.Index(out, marker)
	if at < 0 || bytes.Count(out, []byte(name)) != 1 {
		return nil, fmt.Errorf("placeholder %s is not one key's value", name)
	}
	lineStart := bytes.LastIndexByte(out[:at], '\n') + 1
	col := keyColumn(string(out[lineStart:at]))
	if col%2 != 0 {
		return nil, fmt.Errorf("placeholder %s at odd column %d", name, col)
	}
	var b bytes.Buffer
	b.Grow(len(out))
	b.Write(out[:at])
	b.WriteString(":\n")
	for start := 0; start < list.Len; start += chunk {
		part, err := listAt(col, list.slice(start, min(start+chunk, list.Len)))
		if err != nil {
			return nil, err
		}
		b.Write(part)
	}
	b.Write(out[at+len(marker):])
	return b.Bytes(), nil
}

// keyColumn is where a key starts in the text before its ": ": after the
// indentation and the "- " of the list items the key's map starts.
func keyColumn(line string) int {
	rest := strings.TrimLeft(line, " ")
	for strings.HasPrefix(rest, "- ") {
		rest = strings.TrimLeft(rest[2:], " ")
	}
	return len(line) - len(rest)
}

// listAt encodes list as the value of a key at column col (even): nested
// under col/2 one-letter keys, whose lines are then dropped.
func listAt(col int, list []any) ([]byte, error) {
	var doc any = list
	for range col/2 + 1 {
		doc = map[string]any{"k": doc}
	}
	out, err := encode(doc)
	if err != nil {
		return nil, err
	}
	for range col/2 + 1 {
		out = out[bytes.IndexByte(out, '\n')+1:]
	}
	return out, nil
}
