package inventory

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/lowlat/lowlat/generator/host"
)

// MaxBytes bounds an inventory file. Real inventories are a few kilobytes; the
// bound keeps a wrong path (a disk image, a log) from being parsed at all.
const MaxBytes = 4 << 20

// Parse is Load for an inventory already in memory; name labels problems and
// baseDir resolves relative paths.
func Parse(data []byte, name, baseDir string) (*Inventory, error) {
	return ParseFS(data, name, host.OS(baseDir))
}

// ParseFS is Parse with the topology captures read from files.
func ParseFS(data []byte, name string, files host.Files) (*Inventory, error) {
	root, problem := parseYAML(data)
	if problem != nil {
		return nil, &Error{File: name, Problems: []Problem{*problem}}
	}
	return parseRoot(root, name, files, false)
}

// ParseNode is ParseFS for an inventory already parsed as YAML (a KRM
// function's functionConfig): root is its mapping node, whose lines
// problems report.
func ParseNode(root *yaml.Node, name string, files host.Files) (*Inventory, error) {
	return parseRoot(root, name, files, false)
}

// parseRoot runs the stages of loading on a parsed document: the shape
// check and decoding (parse), Default, Validate and Resolve.
// clustersElsewhere accepts a document without clusters: a file of a fleet
// whose other files list them.
func parseRoot(root *yaml.Node, name string, files host.Files, clustersElsewhere bool) (*Inventory, error) {
	shape := newShapeChecker()
	shape.check(root, reflect.TypeOf(Inventory{}), nil)
	inv, err := decode(root)
	if inv == nil || (err != nil && len(shape.errs) == 0) {
		if len(shape.errs) > 0 {
			return nil, &Error{File: name, Problems: toProblems(shape.errs, shape.lines)}
		}
		return nil, &Error{File: name, Problems: []Problem{{Message: err.Error()}}}
	}
	// Validate even a document with shape errors, so one run reports every
	// problem; encoding/json decodes all the fields it can.
	inv.clustersElsewhere = clustersElsewhere
	recordSettings(inv)
	Default(inv)
	advised := adviseWorkloads(inv)
	invalid := append(Validate(inv), advised...)
	checked := append(invalid, Resolve(inv, files, invalid)...)
	errs := append(shape.errs, shape.withoutShadowed(checked)...)
	if len(errs) > 0 {
		return nil, &Error{File: name, Problems: toProblems(errs, shape.lines)}
	}
	inv.warnings = locate(warn(inv), shape.lines)
	return inv, nil
}

// withoutShadowed drops validation errors that a shape error already
// explains: errors at or below a field of the wrong type (it decoded as its
// zero value), and errors about a field missing from an object that has an
// unknown field (most likely the same field, misspelt).
func (c *shapeChecker) withoutShadowed(errs field.ErrorList) field.ErrorList {
	var out field.ErrorList
	for _, e := range errs {
		_, present := c.lines[e.Field]
		if !present && c.unknownIn[parentPath(e.Field)] || c.underShapeError(e.Field) {
			continue
		}
		out = append(out, e)
	}
	return out
}

func (c *shapeChecker) underShapeError(path string) bool {
	for _, s := range c.errs {
		if path == s.Field || strings.HasPrefix(path, s.Field+".") || strings.HasPrefix(path, s.Field+"[") {
			return true
		}
	}
	return false
}

var yamlLine = regexp.MustCompile(`line (\d+)`)

// parseYAML returns the single document's root node.
func parseYAML(data []byte) (*yaml.Node, *Problem) {
	switch {
	case len(data) > MaxBytes:
		return nil, &Problem{Message: fmt.Sprintf("file is larger than %d bytes; an inventory is a small YAML document", MaxBytes)}
	case !utf8.Valid(data):
		return nil, &Problem{Line: invalidUTF8Line(data), Message: "file is not valid UTF-8"}
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &Problem{Message: "file is empty; expected an Inventory document"}
		}
		return nil, yamlProblem(data, err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, &Problem{Line: extra.Line, Message: "more than one YAML document; an inventory file holds exactly one"}
	}
	return doc.Content[0], nil
}

// yamlProblem locates a syntax error. yaml.v3 reports the line where the
// block around the problem starts (its parser's context mark) rather than
// the problem's own: a key indented one space too far on line 102 comes out
// as "line 86", the line of the list item it sits in. The problem's line is
// the first at which the document, cut after that line, no longer parses;
// a binary search finds it in a few parses.
func yamlProblem(data []byte, err error) *Problem {
	msg := err.Error()
	p := &Problem{Message: msg}
	m := yamlLine.FindStringSubmatch(msg)
	if m == nil {
		return p
	}
	p.Line, _ = strconv.Atoi(m[1])
	if at := firstFailingLine(data, p.Line); at > p.Line {
		p.Message = strings.Replace(msg, m[0], fmt.Sprintf("line %d", at), 1) + fmt.Sprintf(" (in the block that starts at line %d)", p.Line)
		p.Line = at
	}
	return p
}

// firstFailingLine is the smallest line count n > from for which the first
// n lines of data do not parse; 0 when every prefix up to the whole
// document parses.
func firstFailingLine(data []byte, from int) int {
	lines := bytes.SplitAfter(data, []byte("\n"))
	parses := func(n int) bool {
		var doc yaml.Node
		err := yaml.Unmarshal(bytes.Join(lines[:n], nil), &doc)
		return err == nil
	}
	lo, hi := from, len(lines) // prefix lo parses (or is the context); prefix hi fails
	if lo < 1 || lo >= hi || parses(hi) || !parses(lo) {
		return 0
	}
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		if parses(mid) {
			lo = mid
		} else {
			hi = mid
		}
	}
	return hi
}

func invalidUTF8Line(data []byte) int {
	line := 1
	for len(data) > 0 {
		r, size := utf8.DecodeRune(data)
		if r == utf8.RuneError && size <= 1 {
			return line
		}
		if r == '\n' {
			line++
		}
		data = data[size:]
	}
	return 0
}

// decode turns a shape-checked node into an Inventory through JSON, so the
// API types need only their JSON tags.
func decode(root *yaml.Node) (*Inventory, error) {
	var generic any
	if err := root.Decode(&generic); err != nil {
		return nil, err // duplicate keys; the shape check reports them
	}
	data, err := json.Marshal(generic)
	if err != nil {
		return nil, err
	}
	inv := &Inventory{}
	return inv, json.Unmarshal(data, inv)
}

// fieldErr is shorthand for a field error list of one.
func fieldErr(e *field.Error) field.ErrorList { return field.ErrorList{e} }
