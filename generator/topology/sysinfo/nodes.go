package sysinfo

import (
	"errors"
	"fmt"
	"io/fs"

	"github.com/lowlat/lowlat/generator/topology"
)

// readNodes puts every online CPU on the NUMA node whose cpulist names it.
func (p *parser) readNodes() error {
	ids, err := p.entries(nodeDir, nodeEntry)
	if errors.Is(err, fs.ErrNotExist) || (err == nil && len(ids) == 0) {
		return fmt.Errorf("%w: %s has no nodeN directories, so the NUMA nodes are unknown", ErrIncomplete, nodeDir)
	}
	if err != nil {
		return err
	}
	for _, node := range ids {
		if err := p.readNode(node); err != nil {
			return err
		}
	}
	for _, id := range p.online.Slice() {
		if p.cpus[id].node < 0 {
			return fmt.Errorf("%w: CPU %d is online but in no %s/nodeN/cpulist", ErrIncomplete, id, nodeDir)
		}
	}
	return nil
}

func (p *parser) readNode(node int) error {
	dir := fmt.Sprintf("%s/node%d", nodeDir, node)
	s, err := p.need(dir + "/cpulist")
	if err != nil {
		return err
	}
	set, err := topology.ParseCPUSet(s)
	if err != nil {
		return fmt.Errorf("%w: %s/cpulist: %w", ErrInconsistent, dir, err)
	}
	if stray := set.Difference(topology.NewCPUSet(p.present...)); !stray.IsEmpty() {
		return fmt.Errorf("%w: %s/cpulist is %s, but the snapshot has no %s/cpuN for %s", ErrInconsistent, dir, set, cpuDir, stray)
	}
	if err := p.checkNodeLinks(dir, set); err != nil {
		return err
	}
	for _, id := range set.Intersect(p.online).Slice() {
		if c := p.cpus[id]; c.node >= 0 {
			return fmt.Errorf("%w: CPU %d is in both %s/node%d/cpulist and %s/cpulist", ErrInconsistent, id, nodeDir, c.node, dir)
		}
		p.cpus[id].node = node
	}
	return nil
}

// checkNodeLinks compares a node's cpulist with its cpuN entries, which are
// what ghw (and so PPC) reads, for the online CPUs. A snapshot without the
// entries is read by cpulist alone.
func (p *parser) checkNodeLinks(dir string, cpulist topology.CPUSet) error {
	ids, err := p.entries(dir, cpuEntry)
	if err != nil {
		return err
	}
	if len(ids) == 0 {
		return nil
	}
	links := topology.NewCPUSet(ids...).Intersect(p.online)
	if listed := cpulist.Intersect(p.online); !links.Equal(listed) {
		return fmt.Errorf("%w: %s has entries for online CPUs %s, but its cpulist names online CPUs %s", ErrInconsistent, dir, links, listed)
	}
	return nil
}
