//go:build e2e

package e2e

// obj is a resource written the way a test reads best.
type obj = map[string]any

func objMeta(name, namespace string) obj {
	m := obj{"name": name}
	if namespace != "" {
		m["namespace"] = namespace
	}
	return m
}

func performanceProfile(cpu obj) obj {
	return obj{"apiVersion": "performance.openshift.io/v2", "kind": "PerformanceProfile",
		"metadata": objMeta("bad", ""),
		"spec":     obj{"cpu": cpu, "nodeSelector": obj{"node-role.kubernetes.io/bad": ""}}}
}

// badResources each break one rule a cluster enforces, and want is part of
// the message that must name it.
var badResources = []struct {
	name   string
	object obj
	want   string
}{
	{
		name:   "an unknown field in a PerformanceProfile is rejected",
		object: performanceProfile(obj{"reserved": "0-1", "isolated": "2-3", "reservedd": "0"}),
		want:   "reservedd",
	},
	{
		name:   "cpu.reserved given as a number in a PerformanceProfile is rejected",
		object: performanceProfile(obj{"reserved": 4, "isolated": "2-3"}),
		want:   "spec.cpu.reserved",
	},
	{
		name: "a PerformanceProfile without its required nodeSelector is rejected",
		object: obj{"apiVersion": "performance.openshift.io/v2", "kind": "PerformanceProfile",
			"metadata": objMeta("bad", ""), "spec": obj{"cpu": obj{"reserved": "0-1", "isolated": "2-3"}}},
		want: "spec.nodeSelector: Required value",
	},
	{
		name: "a deviceType outside the enum of SriovNetworkNodePolicy is rejected",
		object: obj{"apiVersion": "sriovnetwork.openshift.io/v1", "kind": "SriovNetworkNodePolicy",
			"metadata": objMeta("bad", "default"),
			"spec": obj{"resourceName": "bad", "numVfs": 1, "deviceType": "dpdk",
				"nodeSelector": obj{"node-role.kubernetes.io/bad": ""}, "nicSelector": obj{"pfNames": []any{"ens5"}}}},
		want: `spec.deviceType: Unsupported value: "dpdk"`,
	},
	{
		name: "an unknown container field in a built-in Job is rejected",
		object: obj{"apiVersion": "batch/v1", "kind": "Job", "metadata": objMeta("bad", "default"),
			"spec": obj{"template": obj{"spec": obj{"restartPolicy": "Never",
				"containers": []any{obj{"name": "bad", "image": "registry.example/bad:1", "cpus": "4"}}}}}},
		want: "cpus",
	},
	{
		name: "a VirtualMachine with CPU cores given as text is rejected",
		object: obj{"apiVersion": "kubevirt.io/v1", "kind": "VirtualMachine", "metadata": objMeta("bad", "default"),
			"spec": obj{"runStrategy": "Always", "template": obj{"spec": obj{
				"domain": obj{"cpu": obj{"cores": "four"}, "devices": obj{}}}}}},
		want: "spec.template.spec.domain.cpu.cores",
	},
	{
		name: "a resource in a namespace that nothing creates is rejected",
		object: obj{"apiVersion": "v1", "kind": "ConfigMap", "metadata": objMeta("bad", "lowlat-nowhere"),
			"data": obj{"a": "b"}},
		want: `namespace "lowlat-nowhere" is neither in the tree nor provided by the platform`,
	},
	{
		name:   "a kind the server does not serve is rejected",
		object: obj{"apiVersion": "sriovnetwork.openshift.io/v9", "kind": "SriovNetworkNodePolicy", "metadata": objMeta("bad", "default")},
		want:   "the server does not serve sriovnetwork.openshift.io/v9",
	},
}
