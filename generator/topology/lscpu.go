package topology

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// LscpuCommand is the capture ParseLscpu reads; the hint in its errors.
const LscpuCommand = "lscpu -p=CPU,CORE,SOCKET,NODE"

// LscpuError is a problem in lscpu output. Line is 1-based; 0 means the
// input as a whole (it has no CPU rows).
type LscpuError struct {
	Line int
	Msg  string
}

func (e *LscpuError) Error() string {
	if e.Line == 0 {
		return "lscpu output: " + e.Msg
	}
	return fmt.Sprintf("lscpu output line %d: %s", e.Line, e.Msg)
}

// columns says where each needed field is in a row; width is how many
// fields a row must at least have.
type columns struct{ cpu, core, socket, node, width int }

var defaultColumns = columns{cpu: 0, core: 1, socket: 2, node: 3, width: 4}

// ParseLscpu reads the output of `lscpu -p=CPU,CORE,SOCKET,NODE`. Lines
// starting with '#' are comments; a comment or a first line that names the
// columns ("# CPU,Core,Socket,Node", as lscpu prints) sets their order, and
// extra columns are ignored. An empty Node field is NUMA node 0, because
// lscpu leaves it empty on kernels without NUMA. lscpu's Core column numbers
// cores across the host, so a core id seen on two sockets or two NUMA nodes
// is an error, as are repeated CPUs and ids of MaxCPUs or more. Errors are
// *LscpuError values carrying the line.
func ParseLscpu(r io.Reader) (Topology, error) {
	p := lscpuParser{cols: defaultColumns, cpuLine: map[int]int{}, coreAt: map[int]coreRow{}}
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		if err := p.parseLine(line, sc.Text()); err != nil {
			return Topology{}, err
		}
	}
	if err := sc.Err(); err != nil {
		return Topology{}, &LscpuError{Line: line + 1, Msg: err.Error()}
	}
	if len(p.cpus) == 0 {
		return Topology{}, &LscpuError{Msg: "no CPU rows; capture it with " + LscpuCommand}
	}
	slices.SortFunc(p.cpus, func(a, b CPU) int { return a.ID - b.ID })
	return Topology{CPUs: p.cpus}, nil
}

type lscpuParser struct {
	cols    columns
	cpus    []CPU
	cpuLine map[int]int     // CPU id → line that listed it
	coreAt  map[int]coreRow // core id → where it was first seen
}

type coreRow struct{ socket, node, line int }

func (p *lscpuParser) parseLine(line int, text string) error {
	text = strings.TrimSpace(text)
	comment := strings.HasPrefix(text, "#")
	body := strings.TrimSpace(strings.TrimPrefix(text, "#"))
	fields := splitFields(body)
	if isHeader(fields) {
		return p.setColumns(line, fields)
	}
	if comment || text == "" {
		return nil
	}
	cpu, err := p.parseRow(fields)
	if err != nil {
		return &LscpuError{Line: line, Msg: err.Error()}
	}
	return p.add(line, cpu)
}

func splitFields(s string) []string {
	fields := strings.Split(s, ",")
	for i := range fields {
		fields[i] = strings.TrimSpace(fields[i])
	}
	return fields
}

// isHeader tells a column header from prose comments and data rows: one of
// its fields is the word CPU.
func isHeader(fields []string) bool {
	return slices.ContainsFunc(fields, func(f string) bool { return strings.EqualFold(f, "cpu") })
}

func (p *lscpuParser) setColumns(line int, fields []string) error {
	if len(p.cpus) > 0 {
		return &LscpuError{Line: line, Msg: "column header after CPU rows; put it first"}
	}
	idx := map[string]int{}
	for i, f := range fields {
		if _, dup := idx[strings.ToLower(f)]; !dup {
			idx[strings.ToLower(f)] = i
		}
	}
	var cols columns
	for _, c := range []struct {
		name string
		dst  *int
	}{{"cpu", &cols.cpu}, {"core", &cols.core}, {"socket", &cols.socket}, {"node", &cols.node}} {
		i, ok := idx[c.name]
		if !ok {
			return &LscpuError{Line: line, Msg: fmt.Sprintf("column header %q has no %s column; capture it with %s", strings.Join(fields, ","), strings.ToUpper(c.name), LscpuCommand)}
		}
		*c.dst = i
		cols.width = max(cols.width, i+1)
	}
	p.cols = cols
	return nil
}

func (p *lscpuParser) parseRow(fields []string) (CPU, error) {
	if len(fields) < p.cols.width {
		return CPU{}, fmt.Errorf("%d columns, want at least %d (CPU,Core,Socket,Node); capture it with %s", len(fields), p.cols.width, LscpuCommand)
	}
	var c CPU
	var err error
	if c.ID, err = parseField("CPU", fields[p.cols.cpu]); err != nil {
		return CPU{}, err
	}
	if c.ID >= MaxCPUs {
		return CPU{}, fmt.Errorf("CPU %d is above %d: a host has at most %d CPUs", c.ID, MaxCPUs-1, MaxCPUs)
	}
	if c.Core, err = parseField("Core", fields[p.cols.core]); err != nil {
		return CPU{}, err
	}
	if c.Socket, err = parseField("Socket", fields[p.cols.socket]); err != nil {
		return CPU{}, err
	}
	if fields[p.cols.node] != "" {
		c.Node, err = parseField("Node", fields[p.cols.node])
	}
	return c, err
}

// maxField bounds core, socket and node ids so that arithmetic on them can
// never overflow; real ids are far smaller.
const maxField = 1 << 20

func parseField(name, s string) (int, error) {
	if s == "" || strings.TrimLeft(s, "0123456789") != "" {
		return 0, fmt.Errorf("%s %q is not a number", name, s)
	}
	n, err := strconv.Atoi(s)
	if err != nil || n > maxField {
		return 0, fmt.Errorf("%s %s is too large", name, s)
	}
	return n, nil
}

func (p *lscpuParser) add(line int, c CPU) error {
	if prev, dup := p.cpuLine[c.ID]; dup {
		return &LscpuError{Line: line, Msg: fmt.Sprintf("CPU %d is already listed on line %d", c.ID, prev)}
	}
	if at, seen := p.coreAt[c.Core]; seen {
		if at.socket != c.Socket {
			return &LscpuError{Line: line, Msg: fmt.Sprintf("core %d is on socket %d here but on socket %d on line %d", c.Core, c.Socket, at.socket, at.line)}
		}
		if at.node != c.Node {
			return &LscpuError{Line: line, Msg: fmt.Sprintf("core %d is on NUMA node %d here but on node %d on line %d", c.Core, c.Node, at.node, at.line)}
		}
	} else {
		p.coreAt[c.Core] = coreRow{c.Socket, c.Node, line}
	}
	p.cpuLine[c.ID] = line
	p.cpus = append(p.cpus, c)
	return nil
}

// WriteLscpu writes t in the format ParseLscpu reads. Its Core column is
// t's core ids, so t reads back only if they are unique across sockets, as
// in every Topology that ParseLscpu or Uniform returns.
func WriteLscpu(w io.Writer, t Topology) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "# Written by lowlat in the format of %s.\n# CPU,Core,Socket,Node\n", LscpuCommand)
	for _, c := range t.CPUs {
		fmt.Fprintf(bw, "%d,%d,%d,%d\n", c.ID, c.Core, c.Socket, c.Node)
	}
	return bw.Flush()
}
