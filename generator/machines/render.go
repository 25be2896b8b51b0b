package machines

import (
	"encoding/json"
	"fmt"
	"maps"

	machinev1beta1 "github.com/openshift/api/machine/v1beta1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/lowlat/lowlat/generator/inventory"
	"github.com/lowlat/lowlat/generator/kube"
	"github.com/lowlat/lowlat/generator/manifest"
	"github.com/lowlat/lowlat/generator/tuning"
)

// Namespace is where the machine API reads MachineSets.
const Namespace = "openshift-machine-api"

// The labels the installer puts on a worker MachineSet and its Machines
// (installer pkg/asset/machines/aws/machinesets.go): the selector ties a
// MachineSet to its Machines, the role and type name the pool.
const (
	clusterLabel    = "machine.openshift.io/cluster-api-cluster"
	machineSetLabel = "machine.openshift.io/cluster-api-machineset"
	roleLabel       = "machine.openshift.io/cluster-api-machine-role"
	typeLabel       = "machine.openshift.io/cluster-api-machine-type"
)

// Objects are a pool's MachineSets as manifests: without the status the
// upstream type always encodes (its replicas is not omitempty), which is
// the machine API's to write.
func Objects(c *inventory.Cluster, np *inventory.NodePool) ([]map[string]any, error) {
	sets, err := For(c, np)
	if err != nil {
		return nil, err
	}
	out := make([]map[string]any, len(sets))
	for i, ms := range sets {
		data, err := json.Marshal(ms)
		if err != nil {
			return nil, fmt.Errorf("MachineSet %s: %w", ms.Name, err)
		}
		if out[i], err = manifest.Object(data); err != nil {
			return nil, fmt.Errorf("MachineSet %s: %w", ms.Name, err)
		}
		delete(out[i], "status")
	}
	return out, nil
}

// For renders a pool's MachineSets, one per zone, with the pool's replicas
// spread over them as inventory.NodePool.ZoneReplicas says. A pool with a
// canary has one more in its first zone, of one replica, whose node also
// carries the canary's label; it counts towards that zone's share.
func For(c *inventory.Cluster, np *inventory.NodePool) ([]machinev1beta1.MachineSet, error) {
	var out []machinev1beta1.MachineSet
	for i, zone := range np.Zones {
		replicas := np.ZoneReplicas()[i]
		if np.Canary && i == 0 {
			canary, err := machineSet(c, np, c.CanaryMachineSetName(np), zone, 1, maps.Clone(tuning.CanarySelector(np)))
			if err != nil {
				return nil, err
			}
			out = append(out, canary)
			replicas--
		}
		ms, err := machineSet(c, np, c.MachineSetName(np, zone), zone, int32(replicas), nil)
		if err != nil {
			return nil, err
		}
		out = append(out, ms)
	}
	return out, nil
}

// machineSet renders one MachineSet; its nodes carry the pool's labels and
// extra.
func machineSet(c *inventory.Cluster, np *inventory.NodePool, name, zone string, replicas int32, extra map[string]string) (machinev1beta1.MachineSet, error) {
	nodeLabels := tuning.NodeSelector(np)
	maps.Copy(nodeLabels, extra)
	value, err := json.Marshal(ProviderConfig(c, np, zone))
	if err != nil {
		return machinev1beta1.MachineSet{}, fmt.Errorf("MachineSet %s: %w", name, err)
	}
	selector := map[string]string{clusterLabel: c.InfraID, machineSetLabel: name}
	machine := maps.Clone(selector)
	machine[roleLabel], machine[typeLabel] = np.NodeRole, np.NodeRole
	return machinev1beta1.MachineSet{
		TypeMeta: metav1.TypeMeta{APIVersion: machinev1beta1.GroupVersion.String(), Kind: "MachineSet"},
		ObjectMeta: metav1.ObjectMeta{
			Name: name, Namespace: Namespace,
			Labels: kube.Labels(map[string]string{clusterLabel: c.InfraID}),
		},
		Spec: machinev1beta1.MachineSetSpec{
			Replicas: &replicas,
			Selector: metav1.LabelSelector{MatchLabels: selector},
			Template: machinev1beta1.MachineTemplateSpec{
				ObjectMeta: machinev1beta1.ObjectMeta{Labels: machine},
				Spec: machinev1beta1.MachineSpec{
					// The machine API's nodelink controller copies these
					// labels and taints onto the Node: they make the node a
					// member of the pool.
					ObjectMeta:   machinev1beta1.ObjectMeta{Labels: nodeLabels},
					Taints:       taints(np.Taints),
					ProviderSpec: machinev1beta1.ProviderSpec{Value: &runtime.RawExtension{Raw: value}},
				},
			},
		},
	}, nil
}

// ProviderConfig is the AWSMachineProviderConfig of a pool's machines in a
// zone, as the installer writes it for workers (installer
// pkg/asset/machines/aws/machines.go): the cluster's AMI, instance profile,
// security groups and private subnet, the cluster's ownership tag, an
// encrypted root volume and the Ignition and credentials secrets.
func ProviderConfig(c *inventory.Cluster, np *inventory.NodePool, zone string) machinev1beta1.AWSMachineProviderConfig {
	m := c.Machines
	v := m.RootVolume
	volume := &machinev1beta1.EBSBlockDeviceSpec{
		Encrypted:  v.Encrypted,
		VolumeSize: ptr(int64(v.SizeGiB)),
		VolumeType: ptr(v.Type),
		KMSKey:     machinev1beta1.AWSResourceReference{ARN: ptr("")},
	}
	if v.IOPS > 0 {
		volume.Iops = ptr(int64(v.IOPS))
	}
	groups := make([]machinev1beta1.AWSResourceReference, len(m.SecurityGroups))
	for i, sg := range m.SecurityGroups {
		groups[i] = machinev1beta1.AWSResourceReference{ID: ptr(sg)}
	}
	return machinev1beta1.AWSMachineProviderConfig{
		TypeMeta:     metav1.TypeMeta{APIVersion: machinev1beta1.GroupVersion.String(), Kind: "AWSMachineProviderConfig"},
		AMI:          machinev1beta1.AWSResourceReference{ID: ptr(m.AMI)},
		InstanceType: np.InstanceType,
		// The machine API tags each instance with its Machine's name too;
		// this tag is the one the cluster's cloud provider and
		// `lowlat discover` find the cluster's instances by.
		Tags:               []machinev1beta1.TagSpecification{{Name: "kubernetes.io/cluster/" + c.InfraID, Value: "owned"}},
		IAMInstanceProfile: &machinev1beta1.AWSResourceReference{ID: ptr(m.InstanceProfile)},
		UserDataSecret:     &corev1.LocalObjectReference{Name: m.UserDataSecret},
		CredentialsSecret:  &corev1.LocalObjectReference{Name: m.CredentialsSecret},
		SecurityGroups:     groups,
		Subnet:             machinev1beta1.AWSResourceReference{ID: ptr(m.Subnet(zone))},
		Placement:          machinev1beta1.Placement{Region: c.Region, AvailabilityZone: zone},
		BlockDevices:       []machinev1beta1.BlockDeviceMappingSpec{{EBS: volume}},
		MetadataServiceOptions: machinev1beta1.MetadataServiceOptions{
			Authentication: machinev1beta1.MetadataServiceAuthentication(m.MetadataService),
		},
	}
}

func taints(in []inventory.Taint) []corev1.Taint {
	var out []corev1.Taint
	for _, t := range in {
		out = append(out, corev1.Taint{Key: t.Key, Value: t.Value, Effect: corev1.TaintEffect(t.Effect)})
	}
	return out
}

func ptr[T any](v T) *T { return &v }
