package topology_test

import (
	"testing"

	"github.com/lowlat/lowlat/generator/topology"
	"github.com/lowlat/lowlat/generator/topology/sysinfo"
)

// TestSplitReproducesPPCsMustGatherUnitCasesOnTheSnapshot runs the cases of
// PPC's profilecreator_test.go that partition worker1.internal of
// must-gather.bare-metal on that node's snapshot rather than on a host
// written by hand (ppc_test.go has them all): the e2e suite has no case in
// high power consumption mode, where sockets are not offlined whole.
func TestSplitReproducesPPCsMustGatherUnitCasesOnTheSnapshot(t *testing.T) {
	testdata := ppcTestdataDir(t)
	h := &hosts{t: t, testdata: testdata, read: map[string]sysinfo.Snapshot{}}
	w1 := h.pool("must-gather.bare-metal", "worker-cnf").Topology
	const (
		evens20   = "0,2,4,6,8,10,12,14,16,18,40,42,44,46,48,50,52,54,56,58"
		odds0to39 = "1,3,5,7,9,11,13,15,17,19,21,23,25,27,29,31,33,35,37,39"
	)
	cases := []struct {
		name                        string
		req                         topology.Request
		reserved, isolated, offline string
	}{
		{"offlined 40 offlines a complete socket", topology.Request{Reserved: 20, Offlined: 40}, evens20, "20,22,24,26,28,30,32,34,36,38,60,62,64,66,68,70,72,74,76,78", odds0to39 + ",41,43,45,47,49,51,53,55,57,59,61,63,65,67,69,71,73,75,77,79"},
		{"high power consumption does not offline a socket", topology.Request{Reserved: 20, Offlined: 40, HighPowerConsumption: true}, evens20, odds0to39, "20,22,24,26,28,30,32,34,36,38,41,43,45,47,49,51,53,55,57,59-79"},
		{"offlined 45 takes a socket then siblings", topology.Request{Reserved: 20, Offlined: 45}, evens20, "20,22,24,26,28,30,32,34,36,38,70,72,74,76,78", odds0to39 + ",41,43,45,47,49,51,53,55,57,59-69,71,73,75,77,79"},
		{"disable-ht offlined 4 follows core ids", topology.Request{Reserved: 20, Offlined: 4, DisableHT: true}, "0,2,4,6,8,10,12,14,16,18,20,22,24,26,28,30,32,34,36,38", "3,11,13,15,17,19,21,23,25,27,29,31,33,35,37,39", "1,5,7,9"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := topology.Split(w1, c.req)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range []struct {
				field, want string
				got         topology.CPUSet
			}{{"reserved", c.reserved, p.Reserved}, {"isolated", c.isolated, p.Isolated}, {"offlined", c.offline, p.Offlined}} {
				if want, _ := topology.ParseCPUSet(f.want); !want.Equal(f.got) {
					t.Errorf("%s: PPC %s, lowlat %s", f.field, want, orNone(f.got))
				}
			}
		})
	}
}
