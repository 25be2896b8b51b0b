package topology_test

import (
	"errors"
	"fmt"
	"strings"

	"github.com/lowlat/lowlat/generator/topology"
)

// A c5.metal with four reserved CPUs split across its two NUMA nodes and
// eight CPUs offlined: too few for a whole socket, so the second threads of
// socket 0's first unreserved cores.
func ExampleSplit() {
	c5 := topology.Uniform(2, 24, 2)
	p, err := topology.Split(c5, topology.Request{Reserved: 4, SplitAcrossNUMA: true, Offlined: 8})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("reserved:", p.Reserved)
	fmt.Println("isolated:", p.Isolated)
	fmt.Println("offlined:", p.Offlined)
	// Output:
	// reserved: 0,24,48,72
	// isolated: 1-23,25-47,57-71,73-95
	// offlined: 49-56
}

// An odd count on a host with hyper-threading on is refused with the counts
// that would work.
func ExampleSplit_oddCount() {
	_, err := topology.Split(topology.Uniform(2, 24, 2), topology.Request{Reserved: 5})
	fmt.Println(errors.Is(err, topology.ErrOddReserved))
	fmt.Println(err)
	// Output:
	// true
	// can't allocate odd number of CPUs from a NUMA Node: 5 reserved CPUs would put one thread of a core in reserved and its sibling in isolated; reserve 4 or 6, or disable hyper-threading
}

func ExampleParseCPUSet() {
	s, err := topology.ParseCPUSet("8,0-3,2-5")
	fmt.Println(s, s.Len(), err)
	// Output: 0-5,8 7 <nil>
}

func ExampleParseLscpu() {
	capture := `# CPU,Core,Socket,Node
0,0,0,0
1,1,0,0
2,0,0,0
3,1,0,0
`
	t, err := topology.ParseLscpu(strings.NewReader(capture))
	fmt.Println(len(t.CPUs), t.SMT(), t.Siblings(1), err)
	// Output: 4 true 1,3 <nil>
}
