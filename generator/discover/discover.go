package discover

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/lowlat/lowlat/generator/inventory"
)

// Client is the part of the EC2 API discovery calls; *ec2.Client has it.
type Client interface {
	ec2.DescribeInstancesAPIClient
	ec2.DescribeInstanceTypesAPIClient
	ec2.DescribeNetworkInterfacesAPIClient
	ec2.DescribeSubnetsAPIClient
	ec2.DescribeInstanceTypeOfferingsAPIClient
	ec2.DescribeVolumesAPIClient
}

// Options tune a discovery run.
type Options struct {
	// Progress receives one line per call; nil is quiet.
	Progress io.Writer
	// Region is only used in messages: the client already knows it.
	Region string
}

// Result is what discovery found for one cluster.
type Result struct {
	Cluster string
	// Pools maps every pool of the cluster to its instances, sorted by ID,
	// each with its ENIs sorted by card and device index.
	Pools map[string][]inventory.Instance
	// Zones maps each network's subnet to its availability zone.
	Zones map[string]string
	// Machines is what new machines of the cluster boot with, read from
	// an existing worker; nil when the cluster has none to read. Its
	// RootVolume is the worker's, nil when a finding says it was not read.
	Machines *inventory.Machines
	// Unassigned are the cluster's instances no pool claims, such as the
	// control plane and the default workers.
	Unassigned []Unassigned
	// Findings are mismatches and hazards a user should read: a shape that
	// differs from the catalog, a pool with fewer instances than replicas.
	Findings []string
}

// Unassigned is an instance of the cluster outside every pool.
type Unassigned struct {
	ID, InstanceType string
}

// Discover runs the EC2 calls for cluster c of a loaded inventory.
func Discover(ctx context.Context, client Client, c *inventory.Cluster, opts Options) (*Result, error) {
	if err := precheck(c); err != nil {
		return nil, err
	}
	log := progress{opts.Progress}
	log.printf("discovering cluster %s (infra ID %s) in %s", c.Name, c.InfraID, opts.Region)
	found, err := describeInstances(ctx, client, c.InfraID, log)
	if err != nil {
		return nil, err
	}
	res := &Result{Cluster: c.Name, Pools: map[string][]inventory.Instance{}, Zones: map[string]string{}}
	if err := assign(c, found, res); err != nil {
		return nil, err
	}
	if err := checkShapes(ctx, client, c, res, log); err != nil {
		return nil, err
	}
	if err := addInterfaces(ctx, client, res, log); err != nil {
		return nil, err
	}
	if err := addZones(ctx, client, c, res, opts.Region, log); err != nil {
		return nil, err
	}
	machines, findings, err := discoverMachines(ctx, client, c, found, log)
	if err != nil {
		return nil, err
	}
	res.Machines = machines
	res.Findings = append(res.Findings, findings...)
	res.Findings = append(res.Findings, replicaFindings(c, res)...)
	return res, nil
}

// precheck refuses what discovery cannot do before any call: no infra ID
// to find instances by, or two pools of one type that nothing tells apart.
func precheck(c *inventory.Cluster) error {
	if c.InfraID == "" {
		return fmt.Errorf("cluster %s has no infraID; set it to the cluster's infrastructure name "+
			"(oc get infrastructure cluster -o jsonpath='{.status.infrastructureName}'), which tags its instances", c.Name)
	}
	for _, typ := range poolTypes(c) {
		pools := poolsOfType(c, typ)
		var untagged []string
		for _, np := range pools {
			if np.Discovery == nil || len(np.Discovery.Tags) == 0 {
				untagged = append(untagged, np.Name)
			}
		}
		if len(pools) > 1 && len(untagged) > 0 {
			return fmt.Errorf("cluster %s: pools %s share instance type %s, and %s no discovery.tags; "+
				"give each such pool tag filters, e.g. discovery: {tags: [{key: Name, values: [\"*-%s-*\"]}]}, so that discovery can tell their instances apart",
				c.Name, names(pools), typ, strings.Join(untagged, ", ")+" "+have(len(untagged)), untagged[0])
		}
	}
	return nil
}

func poolTypes(c *inventory.Cluster) []string {
	set := map[string]bool{}
	for _, np := range c.NodePools {
		set[np.InstanceType] = true
	}
	return sortedKeys(set)
}

func poolsOfType(c *inventory.Cluster, instanceType string) []*inventory.NodePool {
	var out []*inventory.NodePool
	for i := range c.NodePools {
		if c.NodePools[i].InstanceType == instanceType {
			out = append(out, &c.NodePools[i])
		}
	}
	return out
}

func names(pools []*inventory.NodePool) string {
	out := make([]string, len(pools))
	for i, np := range pools {
		out[i] = np.Name
	}
	return strings.Join(out, ", ")
}

func have(n int) string {
	if n == 1 {
		return "has"
	}
	return "have"
}

func replicaFindings(c *inventory.Cluster, res *Result) []string {
	var out []string
	// Fewer or more instances than replicas is an inventory warning once
	// they are written; none at all writes nothing to warn about.
	for _, np := range c.NodePools {
		if len(res.Pools[np.Name]) == 0 {
			out = append(out, fmt.Sprintf("pool %s: no running %s instance of the cluster found (replicas %d)", np.Name, np.InstanceType, np.Replicas))
		}
	}
	if len(res.Unassigned) > 0 {
		var ids []string
		for _, u := range res.Unassigned {
			ids = append(ids, u.ID+" ("+u.InstanceType+")")
		}
		out = append(out, fmt.Sprintf("%d instance(s) of the cluster are in no pool (control plane, default workers?): %s", len(ids), strings.Join(ids, ", ")))
	}
	return out
}

// progress writes progress lines when it has a writer.
type progress struct{ w io.Writer }

func (p progress) printf(format string, args ...any) {
	if p.w != nil {
		fmt.Fprintf(p.w, format+"\n", args...)
	}
}

// sortedKeys returns a set's members in order, for deterministic requests.
func sortedKeys(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
