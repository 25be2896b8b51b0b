package discover

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lowlat/lowlat/generator/inventory"
)

// twoC5Pools splits the workshop's c5 instances into two pools of one type,
// told apart by the Name tags the machine API gives them.
func twoC5Pools(t *testing.T, valuesA, valuesB []string) *inventory.Cluster {
	c := workshopCluster(t)
	a := c.NodePools[0]
	a.Name, a.Instances = "c5-a", nil
	a.Discovery = &inventory.Discovery{Tags: []inventory.TagFilter{{Key: "Name", Values: valuesA}}}
	b := a
	b.Name = "c5-b"
	b.Discovery = &inventory.Discovery{Tags: []inventory.TagFilter{{Key: "Name", Values: valuesB}}}
	c.NodePools = []inventory.NodePool{a, b}
	c.Networks = nil
	return c
}

func TestPoolsOfOneTypeAreToldApartByTags(t *testing.T) {
	srv := newServer(t)
	res, err := run(t, srv, twoC5Pools(t, []string{"*-4xq8m"}, []string{"lab1-x7k2p-cnf-c5-us-east-2?-9dl2v"}))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for pool, insts := range res.Pools {
		for _, i := range insts {
			got[pool] = append(got[pool], i.ID)
		}
	}
	want := map[string][]string{"c5-a": {"i-0a12b34c56d78e901"}, "c5-b": {"i-0b23c45d67e89f012"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("pools (-want +got):\n%s", diff)
	}
}

func TestDiscoveryRefusesAmbiguousPools(t *testing.T) {
	t.Run("overlapping tag filters are an error naming the instance and pools", func(t *testing.T) {
		srv := newServer(t)
		_, err := run(t, srv, twoC5Pools(t, []string{"*"}, []string{"*-9dl2v"}))
		want := "instance i-0b23c45d67e89f012 matches the discovery filters of pools c5-a, c5-b"
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("got %v, want %q", err, want)
		}
	})
	t.Run("pools of one type without tags are refused before any call", func(t *testing.T) {
		srv := newServer(t)
		c := twoC5Pools(t, nil, []string{"*"})
		c.NodePools[0].Discovery = nil
		_, err := run(t, srv, c)
		want := "cluster lab1: pools c5-a, c5-b share instance type c5.metal, and c5-a has no discovery.tags"
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("got %v, want %q", err, want)
		}
		if len(srv.Calls()) != 0 {
			t.Errorf("calls were made: %v", srv.Actions())
		}
	})
	t.Run("a cluster without an infra ID is refused before any call", func(t *testing.T) {
		srv := newServer(t)
		c := workshopCluster(t)
		c.InfraID = ""
		_, err := run(t, srv, c)
		if err == nil || !strings.Contains(err.Error(), "cluster lab1 has no infraID") {
			t.Errorf("got %v", err)
		}
		if len(srv.Calls()) != 0 {
			t.Errorf("calls were made: %v", srv.Actions())
		}
	})
}

func TestWildcard(t *testing.T) {
	cases := []struct {
		name, pattern, s string
		want             bool
	}{
		{"a literal matches itself", "cnf", "cnf", true},
		{"a literal does not match a longer value", "cnf", "cnf-c5", false},
		{"a star matches any run", "lab1-*-c5-*", "lab1-x7k2p-cnf-c5-us-east-2a-4xq8m", true},
		{"a star matches nothing", "cnf*", "cnf", true},
		{"a question mark matches one character", "us-east-2?", "us-east-2a", true},
		{"a question mark does not match none", "us-east-2?", "us-east-2", false},
		{"a question mark matches one multi-byte character", "n?de", "nöde", true},
		{"an escaped star matches only a star", `a\*b`, "a*b", true},
		{"an escaped star is not a wildcard", `a\*b`, "axb", false},
		{"matching is case-sensitive", "CNF", "cnf", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := wildcard(tc.pattern, tc.s); got != tc.want {
				t.Errorf("wildcard(%q, %q) = %t", tc.pattern, tc.s, got)
			}
		})
	}
}

func TestChunksKeepBatchesWithinTheAPILimit(t *testing.T) {
	ids := make([]string, 250)
	for i := range ids {
		ids[i] = fmt.Sprintf("i-%017x", i)
	}
	var sizes []int
	for _, c := range chunks(ids, batchSize) {
		sizes = append(sizes, len(c))
	}
	if diff := cmp.Diff([]int{100, 100, 50}, sizes); diff != "" {
		t.Errorf("batch sizes (-want +got):\n%s", diff)
	}
	if chunks(nil, batchSize) != nil {
		t.Error("no IDs must make no batch")
	}
}
