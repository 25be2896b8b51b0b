package discover

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/lowlat/lowlat/generator/inventory"
)

// Apply writes a discovery result into an inventory document: the instances
// of each pool of the cluster, the zones of its networks and what its
// machines boot with. Everything else
// keeps its bytes' meaning, its comments, its field order and its sequence
// indentation; a field discovery adds goes last in its object.
func Apply(data []byte, res *Result) ([]byte, error) {
	root, err := yaml.Parse(string(data))
	if err != nil {
		return nil, fmt.Errorf("parse inventory: %w", err)
	}
	cluster, err := root.Pipe(yaml.Lookup("spec", "clusters"), yaml.MatchElement("name", res.Cluster))
	if err != nil || cluster == nil {
		return nil, fmt.Errorf("inventory has no cluster %s under spec.clusters", res.Cluster)
	}
	if err := setInstances(cluster, res); err != nil {
		return nil, err
	}
	if err := setZones(cluster, res); err != nil {
		return nil, err
	}
	if err := setMachines(cluster, res.Machines); err != nil {
		return nil, err
	}
	var out bytes.Buffer
	enc := yaml.NewEncoderWithOptions(&out, &yaml.EncoderOptions{SeqIndent: yaml.SequenceIndentStyle(yaml.DeriveSeqIndentStyle(string(data)))})
	if err := enc.Encode(root.Document()); err != nil {
		return nil, fmt.Errorf("encode inventory: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return restoreCommentColumns(data, out.Bytes()), nil
}

// lineComment splits a line into its content and a trailing # comment.
var lineComment = regexp.MustCompile(`^(.*\S)\s+(#.*)$`)

// restoreCommentColumns puts back the spacing before line comments, which
// the YAML encoder shrinks to one space: a line that differs from an
// original line only there is replaced by the original.
func restoreCommentColumns(original, encoded []byte) []byte {
	aligned := map[string]string{}
	for _, line := range strings.Split(string(original), "\n") {
		if m := lineComment.FindStringSubmatch(line); m != nil {
			aligned[m[1]+" "+m[2]] = line
		}
	}
	lines := strings.Split(string(encoded), "\n")
	for i, line := range lines {
		if orig, ok := aligned[line]; ok {
			lines[i] = orig
		}
	}
	return []byte(strings.Join(lines, "\n"))
}

func setInstances(cluster *yaml.RNode, res *Result) error {
	pools, err := elements(cluster, "nodePools")
	if err != nil {
		return err
	}
	for _, pool := range pools {
		insts := res.Pools[scalar(pool, "name")]
		if len(insts) == 0 && pool.Field("instances") == nil {
			continue
		}
		if insts == nil {
			insts = []inventory.Instance{} // JSON null would delete the field
		}
		value, err := plainNode(insts)
		if err != nil {
			return err
		}
		// Each ENI on one line: a reviewer reads an instance at a glance.
		for _, inst := range value.Content() {
			if enis := yaml.NewRNode(inst).Field("networkInterfaces"); enis != nil {
				for _, eni := range enis.Value.Content() {
					eni.Style = yaml.FlowStyle
				}
			}
		}
		if len(insts) == 0 {
			value.YNode().Style = yaml.FlowStyle
		}
		if err := pool.PipeE(yaml.FieldSetter{Name: "instances", Value: value, OverrideStyle: true}); err != nil {
			return fmt.Errorf("set instances of pool %s: %w", scalar(pool, "name"), err)
		}
	}
	return nil
}

func setZones(cluster *yaml.RNode, res *Result) error {
	networks, err := elements(cluster, "networks")
	if err != nil {
		return err
	}
	for _, n := range networks {
		zone, ok := res.Zones[scalar(n, "subnetID")]
		if !ok {
			continue
		}
		if err := n.PipeE(yaml.SetField("availabilityZone", yaml.NewStringRNode(zone))); err != nil {
			return fmt.Errorf("set availabilityZone of network %s: %w", scalar(n, "name"), err)
		}
	}
	return nil
}

// setMachines writes the discovered machine values into the cluster's
// machines block, creating it; the values discovery does not read (the
// secrets) are left as they are.
func setMachines(cluster *yaml.RNode, m *inventory.Machines) error {
	if m == nil {
		return nil
	}
	block, err := cluster.Pipe(yaml.LookupCreate(yaml.MappingNode, "machines"))
	if err != nil {
		return fmt.Errorf("machines: %w", err)
	}
	fields := []struct {
		name  string
		value any
		flow  bool // each element on one line
	}{
		{"ami", m.AMI, false},
		{"instanceProfile", m.InstanceProfile, false},
		{"securityGroups", m.SecurityGroups, true},
		{"subnets", m.Subnets, true},
		{"offerings", m.Offerings, true},
		{"metadataService", m.MetadataService, false},
	}
	for _, f := range fields {
		if s, ok := f.value.(string); ok {
			// In place, so that a comment on the value stays.
			if old := block.Field(f.name); old != nil && old.Value.YNode().Kind == yaml.ScalarNode {
				old.Value.YNode().Value = s
				continue
			}
		}
		value, err := plainNode(f.value)
		if err != nil {
			return err
		}
		switch {
		case f.flow && f.name == "securityGroups":
			value.YNode().Style = yaml.FlowStyle
		case f.flow:
			for _, item := range value.Content() {
				item.Style = yaml.FlowStyle
				for _, c := range item.Content {
					c.Style |= yaml.FlowStyle
				}
			}
		}
		if err := block.PipeE(yaml.FieldSetter{Name: f.name, Value: value, OverrideStyle: true}); err != nil {
			return fmt.Errorf("set machines.%s: %w", f.name, err)
		}
	}
	return setRootVolume(block, m.RootVolume)
}

// setRootVolume records the worker's root volume. A block without
// rootVolume gets one only when the volume differs from the default it
// already stands for; an existing one is updated field by field, so that
// comments on its values stay.
func setRootVolume(block *yaml.RNode, v *inventory.RootVolume) error {
	old := block.Field("rootVolume")
	if v == nil || old == nil && isDefaultVolume(v) {
		return nil
	}
	if old == nil || old.Value.YNode().Kind != yaml.MappingNode {
		value, err := plainNode(v)
		if err != nil {
			return err
		}
		value.YNode().Style = yaml.FlowStyle
		return block.PipeE(yaml.FieldSetter{Name: "rootVolume", Value: value, OverrideStyle: true})
	}
	fields := []struct {
		name, value, tag string
	}{
		{"sizeGiB", strconv.Itoa(v.SizeGiB), yaml.NodeTagInt},
		{"type", v.Type, yaml.NodeTagString},
		{"iops", strconv.Itoa(v.IOPS), yaml.NodeTagInt},
		{"encrypted", strconv.FormatBool(v.Encrypted != nil && *v.Encrypted), yaml.NodeTagBool},
	}
	for _, f := range fields {
		if err := setScalar(old.Value, f.name, f.value, f.tag, f.name == "iops" && v.IOPS == 0); err != nil {
			return fmt.Errorf("set machines.rootVolume.%s: %w", f.name, err)
		}
	}
	return nil
}

// setScalar sets a scalar field in place (keeping its comment), adds it,
// or, with clear, removes it.
func setScalar(obj *yaml.RNode, name, value, tag string, clear bool) error {
	if clear {
		_, err := obj.Pipe(yaml.Clear(name))
		return err
	}
	if f := obj.Field(name); f != nil && f.Value.YNode().Kind == yaml.ScalarNode {
		f.Value.YNode().Value, f.Value.YNode().Tag = value, tag
		return nil
	}
	return obj.PipeE(yaml.SetField(name, yaml.NewRNode(&yaml.Node{Kind: yaml.ScalarNode, Value: value, Tag: tag})))
}

// scalar is the value of a scalar field; empty when absent.
func scalar(obj *yaml.RNode, field string) string {
	if f := obj.Field(field); f != nil && f.Value != nil {
		return f.Value.YNode().Value
	}
	return ""
}

// elements returns the items of a list field; none when it is absent.
func elements(obj *yaml.RNode, field string) ([]*yaml.RNode, error) {
	list, err := obj.Pipe(yaml.Lookup(field))
	if err != nil || list == nil {
		return nil, err
	}
	return list.Elements()
}

// plainNode turns a value into YAML nodes through its JSON form, so that the
// inventory's JSON tags name the fields in struct order, then drops the
// JSON styles (flow collections, quoted strings) for block YAML.
func plainNode(v any) (*yaml.RNode, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	node, err := yaml.Parse(string(data))
	if err != nil {
		return nil, err
	}
	clearStyle(node.YNode())
	return node, nil
}

func clearStyle(n *yaml.Node) {
	n.Style = 0
	for _, c := range n.Content {
		clearStyle(c)
	}
}

// WriteFileAtomic replaces path with data: it writes a temporary file in the
// same directory, syncs it, gives it path's mode and renames it over path, so
// a reader sees the old file or the new one, never half of one.
func WriteFileAtomic(path string, data []byte) error {
	mode := os.FileMode(0o644)
	if fi, err := os.Stat(path); err == nil {
		mode = fi.Mode().Perm()
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // fails harmlessly after the rename
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), mode); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
