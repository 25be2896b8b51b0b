package krm

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// writeObject writes a decoded object (manifest.Object: maps, lists,
// strings, json.Number, bools, nil) as an item of a block YAML list at
// indent. Unlike a YAML library it quotes every string that is not plainly
// a word or a path, with JSON's escapes (a double-quoted YAML scalar
// accepts them): the text is for kustomize's reader only, which turns
// every resource back into YAML through JSON (sigs.k8s.io/kustomize/api
// v0.21.2, resource.Resource.AsYAML), so no style of it reaches a build.
// It is what makes the function's output cheap: a YAML library's emitter
// cost most of the function's run time.
func writeObject(b *bytes.Buffer, obj map[string]any, indent string) error {
	return block(b, obj, indent+"  ", indent+"- ")
}

// block writes v, a non-empty map or list, as block lines at indent; the
// first line starts with first instead of indent (a list item's "- ").
func block(b *bytes.Buffer, v any, indent, first string) error {
	prefix := first
	switch v := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			b.WriteString(prefix)
			prefix = indent
			writeString(b, k)
			b.WriteByte(':')
			switch child := v[k]; {
			case isBlock(child):
				b.WriteByte('\n')
				next := indent
				if _, isMap := child.(map[string]any); isMap {
					next += "  "
				}
				if err := block(b, child, next, next); err != nil {
					return err
				}
			default:
				b.WriteByte(' ')
				if err := writeScalar(b, child); err != nil {
					return fmt.Errorf("%s: %w", k, err)
				}
				b.WriteByte('\n')
			}
		}
	case []any:
		for _, e := range v {
			item := prefix + "- "
			prefix = indent
			if isBlock(e) {
				if err := block(b, e, indent+"  ", item); err != nil {
					return err
				}
				continue
			}
			b.WriteString(item)
			if err := writeScalar(b, e); err != nil {
				return err
			}
			b.WriteByte('\n')
		}
	default:
		return fmt.Errorf("cannot write %T as a block", v)
	}
	return nil
}

// isBlock reports whether v is written as block lines: a map or list that
// is not empty.
func isBlock(v any) bool {
	switch v := v.(type) {
	case map[string]any:
		return len(v) > 0
	case []any:
		return len(v) > 0
	}
	return false
}

// writeScalar writes a value that fits on its key's line.
func writeScalar(b *bytes.Buffer, v any) error {
	switch v := v.(type) {
	case string:
		writeString(b, v)
	case json.Number:
		b.WriteString(v.String())
	case bool:
		fmt.Fprint(b, v)
	case nil:
		b.WriteString("null")
	case map[string]any:
		b.WriteString("{}")
	case []any:
		b.WriteString("[]")
	default:
		data, err := json.Marshal(v)
		if err != nil {
			return err
		}
		b.Write(data)
	}
	return nil
}

// writeString writes s plain when it is a word or a path that no YAML
// reader takes for anything but a string, else double-quoted.
func writeString(b *bytes.Buffer, s string) {
	if plain(s) {
		b.WriteString(s)
		return
	}
	data, _ := json.Marshal(s) // a string always encodes
	b.Write(data)
}

// yamlWords are the plain scalars YAML 1.1 or 1.2 reads as booleans or
// null.
var yamlWords = []string{"y", "n", "yes", "no", "on", "off", "true", "false", "null"}

func plain(s string) bool {
	if s == "" || !isLetter(s[0]) || slices.Contains(yamlWords, strings.ToLower(s)) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; !isLetter(c) && !(c >= '0' && c <= '9') && c != '.' && c != '/' && c != '-' {
			return false
		}
	}
	return true
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' }
