package sysinfo

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/lowlat/lowlat/generator/topology"
)

const (
	cpuDir  = "sys/devices/system/cpu"
	nodeDir = "sys/devices/system/node"
)

var (
	cpuEntry  = regexp.MustCompile(`^cpu([0-9]+)$`)
	nodeEntry = regexp.MustCompile(`^node([0-9]+)$`)
)

// cpuInfo is what the snapshot says about one online CPU.
type cpuInfo struct {
	id, core, socket int
	node             int // -1 until a node's cpulist names the CPU
	siblings         topology.CPUSet
	siblingsFile     string
}

// parser turns a snapshot's files into a topology, one check at a time.
type parser struct {
	f       snapshotFiles
	present []int           // CPUs with a cpuN directory, ascending
	online  topology.CPUSet // present CPUs that are online
	cpus    map[int]*cpuInfo
}

// parse reads the online CPUs' topology and the set of offline CPUs.
func parse(f snapshotFiles) (topology.Topology, topology.CPUSet, error) {
	p := &parser{f: f, cpus: map[int]*cpuInfo{}}
	steps := []func() error{p.readPresent, p.readOnline, p.checkOnlineSummaries, p.readCPUs, p.readNodes, p.checkSiblings}
	for _, step := range steps {
		if err := step(); err != nil {
			return topology.Topology{}, topology.CPUSet{}, err
		}
	}
	t := p.topology()
	if err := t.Validate(); err != nil {
		return topology.Topology{}, topology.CPUSet{}, fmt.Errorf("%w: %w", ErrInconsistent, err)
	}
	return t, topology.NewCPUSet(p.present...).Difference(p.online), nil
}

func (p *parser) readPresent() error {
	ids, err := p.entries(cpuDir, cpuEntry)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%w: it has no %s", ErrNotSnapshot, cpuDir)
	}
	if err != nil {
		return err
	}
	if len(ids) == 0 {
		return fmt.Errorf("%w: %s has no cpuN directories", ErrIncomplete, cpuDir)
	}
	p.present = ids
	return nil
}

// entries returns the ids of the entries of dir that re matches, ascending.
func (p *parser) entries(dir string, re *regexp.Regexp) ([]int, error) {
	names, err := p.f.list(dir)
	if err != nil {
		return nil, err
	}
	var ids []int
	for _, name := range names {
		m := re.FindStringSubmatch(name)
		if m == nil {
			continue
		}
		id, err := strconv.Atoi(m[1])
		if err != nil || id >= topology.MaxCPUs {
			return nil, fmt.Errorf("%w: %s/%s: ids stop at %d", ErrInconsistent, dir, name, topology.MaxCPUs-1)
		}
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids, nil
}

// readOnline reads cpuN/online. A CPU without the file is online: the
// kernel has none for CPUs that cannot go offline (usually cpu0), and ghw,
// which PPC reads snapshots with, treats a missing file the same way.
func (p *parser) readOnline() error {
	var online []int
	for _, id := range p.present {
		name := cpuFile(id, "online")
		v, ok, err := p.optional(name)
		switch {
		case err != nil:
			return err
		case !ok || v == "1":
			online = append(online, id)
		case v != "0":
			return fmt.Errorf("%w: %s is %q, not 0 or 1", ErrInconsistent, name, v)
		}
	}
	if len(online) == 0 {
		return fmt.Errorf("%w: every CPU's %s/cpuN/online is 0", ErrInconsistent, cpuDir)
	}
	p.online = topology.NewCPUSet(online...)
	return nil
}

// checkOnlineSummaries compares the host-wide online and offline lists, when
// the snapshot has them, with the CPUs' own online files.
func (p *parser) checkOnlineSummaries() error {
	if set, ok, err := p.optionalSet(cpuDir + "/online"); err != nil {
		return err
	} else if ok && !set.Equal(p.online) {
		return fmt.Errorf("%w: %s/online is %s, but the cpuN/online files make %s online", ErrInconsistent, cpuDir, set, p.online)
	}
	set, ok, err := p.optionalSet(cpuDir + "/offline")
	if err != nil {
		return err
	}
	if both := set.Intersect(p.online); ok && !both.IsEmpty() {
		return fmt.Errorf("%w: %s/offline is %s, but the cpuN/online files make %s online", ErrInconsistent, cpuDir, set, both)
	}
	return nil
}

func (p *parser) readCPUs() error {
	for _, id := range p.online.Slice() {
		c := &cpuInfo{id: id, node: -1}
		var err error
		if c.core, err = p.number(cpuFile(id, "topology/core_id")); err != nil {
			return err
		}
		if c.socket, err = p.number(cpuFile(id, "topology/physical_package_id")); err != nil {
			return err
		}
		if c.siblings, c.siblingsFile, err = p.siblings(id); err != nil {
			return err
		}
		p.cpus[id] = c
	}
	return nil
}

// siblings reads the CPUs that share id's core. Kernels since 5.7 call the
// list core_cpus_list and keep thread_siblings_list as its old name.
func (p *parser) siblings(id int) (topology.CPUSet, string, error) {
	threads, core := cpuFile(id, "topology/thread_siblings_list"), cpuFile(id, "topology/core_cpus_list")
	ts, haveTS, err := p.optionalSet(threads)
	if err != nil {
		return topology.CPUSet{}, "", err
	}
	cs, haveCS, err := p.optionalSet(core)
	switch {
	case err != nil:
		return topology.CPUSet{}, "", err
	case haveTS && haveCS && !ts.Equal(cs):
		return topology.CPUSet{}, "", fmt.Errorf("%w: %s is %s but %s is %s", ErrInconsistent, threads, ts, core, cs)
	case haveTS:
		return ts, threads, nil
	case haveCS:
		return cs, core, nil
	}
	return topology.CPUSet{}, "", fmt.Errorf("%w: %s is missing (and so is %s)", ErrIncomplete, threads, path.Base(core))
}

func cpuFile(id int, name string) string { return fmt.Sprintf("%s/cpu%d/%s", cpuDir, id, name) }

// checkSiblings holds every online CPU's sibling list to the cores that
// core_id and physical_package_id make: PPC groups threads by those ids, so
// a host where the two disagree cannot be partitioned as PPC would.
func (p *parser) checkSiblings() error {
	type key struct{ socket, core int }
	members := map[key][]int{}
	for _, id := range p.online.Slice() {
		c := p.cpus[id]
		members[key{c.socket, c.core}] = append(members[key{c.socket, c.core}], id)
	}
	for _, id := range p.online.Slice() {
		c := p.cpus[id]
		want := topology.NewCPUSet(members[key{c.socket, c.core}]...)
		if got := c.siblings.Intersect(p.online); !got.Equal(want) {
			return fmt.Errorf("%w: %s is %s, but the online CPUs with core_id %d and physical_package_id %d are %s",
				ErrInconsistent, c.siblingsFile, c.siblings, c.core, c.socket, want)
		}
	}
	return nil
}

func (p *parser) topology() topology.Topology {
	cpus := make([]topology.CPU, 0, len(p.cpus))
	for _, c := range p.cpus {
		cpus = append(cpus, topology.CPU{ID: c.id, Core: c.core, Socket: c.socket, Node: c.node})
	}
	slices.SortFunc(cpus, func(a, b topology.CPU) int { return cmp.Compare(a.ID, b.ID) })
	return topology.Topology{CPUs: cpus}
}

// optional reads a file the snapshot need not have, trimmed of white space
// and of the NUL bytes some copies of sysfs pad files with.
func (p *parser) optional(name string) (string, bool, error) {
	s, err := p.f.read(name)
	if errors.Is(err, fs.ErrNotExist) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("%w: %w", ErrIncomplete, err)
	}
	return strings.Trim(s, " \t\r\n\x00"), true, nil
}

// need reads a file the snapshot must have.
func (p *parser) need(name string) (string, error) {
	s, ok, err := p.optional(name)
	if err == nil && !ok {
		err = fmt.Errorf("%w: %s is missing", ErrIncomplete, name)
	}
	return s, err
}

// maxID bounds core, socket and node ids as the lscpu reader does.
const maxID = 1 << 20

func (p *parser) number(name string) (int, error) {
	s, err := p.need(name)
	if err != nil {
		return 0, err
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > maxID {
		return 0, fmt.Errorf("%w: %s is %q, not a number from 0 to %d", ErrInconsistent, name, s, maxID)
	}
	return n, nil
}

func (p *parser) optionalSet(name string) (topology.CPUSet, bool, error) {
	s, ok, err := p.optional(name)
	if err != nil || !ok {
		return topology.CPUSet{}, ok, err
	}
	set, err := topology.ParseCPUSet(s)
	if err != nil {
		return topology.CPUSet{}, false, fmt.Errorf("%w: %s: %w", ErrInconsistent, name, err)
	}
	return set, true, nil
}
