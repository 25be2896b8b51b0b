package inventory

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// shapeChecker walks a YAML node tree beside the Go type it will be decoded
// into. A plain strict decode stops at the first problem and names lines but
// not field paths; walking ourselves reports every unknown field, duplicate
// key and wrong type at once, each with its path and line.
type shapeChecker struct {
	errs  field.ErrorList
	lines lineIndex
	// unknownIn marks objects (by path) that hold an unknown field.
	unknownIn map[string]bool
	// visited counts nodes walked, aliases expanded: a few kilobytes of
	// nested aliases (a "billion laughs") would otherwise take hours.
	visited int
}

// maxShapeNodes bounds the walk: a fleet of a thousand clusters is about
// 50,000 values.
const maxShapeNodes = 1 << 18

func newShapeChecker() *shapeChecker {
	return &shapeChecker{lines: lineIndex{}, unknownIn: map[string]bool{}}
}

var (
	quantityType  = reflect.TypeOf(CPUQuantity{})
	nodeCountType = reflect.TypeOf(NodeCount{})
)

func (c *shapeChecker) check(n *yaml.Node, t reflect.Type, p *field.Path) {
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if c.visited++; c.visited > maxShapeNodes {
		if c.visited == maxShapeNodes+1 {
			c.errs = append(c.errs, field.Forbidden(p, fmt.Sprintf("aliases expand the document to more than %d values; an inventory needs far fewer", maxShapeNodes)))
		}
		return
	}
	if s := p.String(); c.lines[s] == 0 {
		c.lines[s] = n.Line
	}
	if n.Tag == "!!null" {
		return
	}
	switch {
	case t == quantityType:
		c.scalar(n, p, "a CPU count or a cpulist string", "!!int", "!!str")
	case t == nodeCountType:
		c.scalar(n, p, "a number or a percentage such as \"25%\"", "!!int", "!!str")
	case t.Kind() == reflect.Pointer:
		c.check(n, t.Elem(), p)
	case t.Kind() == reflect.Struct:
		c.object(n, t, p)
	case t.Kind() == reflect.Slice:
		c.list(n, t, p)
	case t.Kind() == reflect.Map && t.Key().Kind() == reflect.String:
		c.dict(n, t, p)
	case t.Kind() == reflect.String:
		c.scalar(n, p, "a string (quote values such as \"4.20\" that YAML reads as numbers)", "!!str")
	case t.Kind() == reflect.Int:
		c.scalar(n, p, "an integer", "!!int")
	case t.Kind() == reflect.Bool:
		c.scalar(n, p, "true or false", "!!bool")
	default:
		panic(fmt.Sprintf("inventory: no shape rule for %s", t))
	}
}

func (c *shapeChecker) scalar(n *yaml.Node, p *field.Path, want string, tags ...string) {
	if n.Kind == yaml.ScalarNode {
		for _, tag := range tags {
			if n.Tag == tag {
				return
			}
		}
	}
	c.errs = append(c.errs, field.TypeInvalid(p, describe(n), "must be "+want))
}

func (c *shapeChecker) list(n *yaml.Node, t reflect.Type, p *field.Path) {
	if n.Kind != yaml.SequenceNode {
		c.errs = append(c.errs, field.TypeInvalid(p, describe(n), "must be a list"))
		return
	}
	for i, item := range n.Content {
		c.check(item, t.Elem(), p.Index(i))
	}
}

func (c *shapeChecker) dict(n *yaml.Node, t reflect.Type, p *field.Path) {
	if n.Kind != yaml.MappingNode {
		c.errs = append(c.errs, field.TypeInvalid(p, describe(n), "must be an object"))
		return
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, value := n.Content[i], n.Content[i+1]
		child := p.Key(key.Value)
		if first, dup := seen[key.Value]; dup {
			c.errs = append(c.errs, field.Forbidden(child, fmt.Sprintf("duplicate key; first set on line %d", first)))
			continue
		}
		seen[key.Value] = key.Line
		c.check(value, t.Elem(), child)
	}
}

func (c *shapeChecker) object(n *yaml.Node, t reflect.Type, p *field.Path) {
	if n.Kind != yaml.MappingNode {
		c.errs = append(c.errs, field.TypeInvalid(p, describe(n), "must be an object"))
		return
	}
	fields := jsonFields(t)
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, value := n.Content[i], n.Content[i+1]
		child := p.Child(key.Value)
		c.lines[child.String()] = key.Line
		if first, dup := seen[key.Value]; dup {
			c.errs = append(c.errs, field.Forbidden(child, fmt.Sprintf("duplicate key; first set on line %d", first)))
			continue
		}
		seen[key.Value] = key.Line
		ft, known := fields[key.Value]
		if !known {
			c.errs = append(c.errs, field.Forbidden(child, "unknown field; "+suggest(key.Value, fields)))
			c.unknownIn[p.String()] = true
			continue
		}
		c.check(value, ft, child)
	}
}

// jsonFields maps a struct's JSON field names to their types, skipping
// fields that are not part of the API (unexported or tagged "-").
func jsonFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if !f.IsExported() || name == "-" || name == "" {
			continue
		}
		out[name] = f.Type
	}
	return out
}

// suggest names the fields a misspelt key most likely meant, or every field
// of the object when none is close.
func suggest(key string, fields map[string]reflect.Type) string {
	var close, all []string
	for name := range fields {
		all = append(all, name)
		if strings.EqualFold(name, key) || editDistance(strings.ToLower(name), strings.ToLower(key)) <= 2 {
			close = append(close, name)
		}
	}
	sort.Strings(close)
	sort.Strings(all)
	if len(close) > 0 {
		return "did you mean " + quoteAll(close) + "?"
	}
	return "known fields: " + quoteAll(all)
}

func quoteAll(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return strings.Join(q, ", ")
}

func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "an object"
	case yaml.SequenceNode:
		return "a list"
	}
	return fmt.Sprintf("%s (%s)", n.Value, strings.TrimPrefix(n.Tag, "!!"))
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}
