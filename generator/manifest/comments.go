package manifest

import (
	"bytes"
	"fmt"
	"strings"
)

// Comment explains one value of a rendered object to the people who review
// it: where a number came from, which rule chose it. It is written as "# "
// lines above the key at Path, at the key's indentation.
//
// Comments are for the file only. kustomize reads every resource into JSON
// (sigs.k8s.io/kustomize/api v0.21.2 resource.Resource), so a build, and
// what ArgoCD applies from it, is the same with or without them; lowlat's
// own readers (review, check, validate) compare objects, not comments.
type Comment struct {
	// Path is the map keys from the object's root to the key explained;
	// every key but the last holds a map.
	Path []string
	// Text is one or more lines, without the "# ".
	Text string
}

// Commented is an object with the comments its file carries. Producers
// return it in place of the object; the tree unwraps it.
type Commented struct {
	Object   any
	Comments []Comment
}

// WithComments inserts comments into y, a document YAML encoded (keys
// sorted, two-space indentation, list items at their key's column). Two
// comments on one key are written in the order given.
func WithComments(y []byte, comments []Comment) ([]byte, error) {
	if len(comments) == 0 {
		return y, nil
	}
	lines := bytes.SplitAfter(y, []byte("\n"))
	above := make(map[int][]string, len(comments))
	for _, c := range comments {
		at, indent, err := keyLine(lines, c.Path)
		if err != nil {
			return nil, err
		}
		for _, text := range strings.Split(strings.TrimRight(c.Text, "\n"), "\n") {
			line := strings.Repeat(" ", indent) + "#"
			if text = strings.TrimRight(text, " "); text != "" {
				line += " " + text
			}
			above[at] = append(above[at], line+"\n")
		}
	}
	var b bytes.Buffer
	b.Grow(len(y) + 128*len(comments))
	for i, line := range lines {
		for _, c := range above[i] {
			b.WriteString(c)
		}
		b.Write(line)
	}
	return b.Bytes(), nil
}

// keyLine finds the line of the key at path and its indentation. Inside a
// map written at indentation n, the lines at exactly n that do not start a
// list item are that map's keys: a value's own lines (nested maps, block
// and wrapped scalars) are deeper, and the map ends at the first
// non-empty line that is shallower.
func keyLine(lines [][]byte, path []string) (int, int, error) {
	if len(path) == 0 {
		return 0, 0, fmt.Errorf("comment with an empty path")
	}
	from, to, indent := 0, len(lines), 0
	for depth, key := range path {
		at := -1
		for i := from; i < to; i++ {
			n, rest := indentOf(lines[i])
			if n == indent && isKey(rest, key) {
				at = i
				break
			}
		}
		if at < 0 {
			return 0, 0, fmt.Errorf("comment on %s: no such key", strings.Join(path, "."))
		}
		if depth == len(path)-1 {
			return at, indent, nil
		}
		from, to = at+1, at+1
		for to < len(lines) {
			n, rest := indentOf(lines[to])
			if len(rest) > 0 && n <= indent {
				break
			}
			to++
		}
		indent += 2
	}
	panic("unreachable")
}

// indentOf splits a line into its leading spaces' count and the rest,
// without the newline.
func indentOf(line []byte) (int, []byte) {
	rest := bytes.TrimLeft(line, " ")
	return len(line) - len(rest), bytes.TrimRight(rest, "\n")
}

// isKey reports whether a line's text starts key's entry: the key plain,
// or quoted as YAML quotes a key that could be read as something else.
func isKey(text []byte, key string) bool {
	for _, form := range []string{key, `"` + key + `"`, `'` + strings.ReplaceAll(key, `'`, `''`) + `'`} {
		if rest, ok := bytes.CutPrefix(text, []byte(form)); ok && len(rest) > 0 && rest[0] == ':' && (len(rest) == 1 || rest[1] == ' ') {
			return true
		}
	}
	return false
}
