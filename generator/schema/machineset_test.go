package schema

import (
	"strings"
	"testing"
)

// workerMachineSet is a MachineSet as lowlat renders one for a pool.
const workerMachineSet = `apiVersion: machine.openshift.io/v1beta1
kind: MachineSet
metadata:
  name: lab1-x7k2p-cnf-us-east-2a
  namespace: openshift-machine-api
  labels: {machine.openshift.io/cluster-api-cluster: lab1-x7k2p}
spec:
  replicas: 2
  selector:
    matchLabels: {machine.openshift.io/cluster-api-cluster: lab1-x7k2p, machine.openshift.io/cluster-api-machineset: lab1-x7k2p-cnf-us-east-2a}
  template:
    metadata:
      labels: {machine.openshift.io/cluster-api-cluster: lab1-x7k2p, machine.openshift.io/cluster-api-machineset: lab1-x7k2p-cnf-us-east-2a, machine.openshift.io/cluster-api-machine-role: cnf}
    spec:
      metadata:
        labels: {node-role.kubernetes.io/cnf: ""}
      taints: [{key: lowlat.dev/pool, value: cnf, effect: NoSchedule}]
      providerSpec:
        value:
          apiVersion: machine.openshift.io/v1beta1
          kind: AWSMachineProviderConfig
          ami: {id: ami-0fc62c3c67a124a2d}
          instanceType: c5.metal
          iamInstanceProfile: {id: lab1-x7k2p-worker-profile}
          userDataSecret: {name: worker-user-data}
          credentialsSecret: {name: aws-cloud-credentials}
          securityGroups: [{id: sg-0c97f997c40de77bf}]
          subnet: {id: subnet-0a1b2c3d4e5f60718}
          placement: {region: us-east-2, availabilityZone: us-east-2a}
          blockDevices: [{ebs: {encrypted: true, volumeSize: 120, volumeType: gp3}}]
          tags: [{name: kubernetes.io/cluster/lab1-x7k2p, value: owned}]
          metadataServiceOptions: {authentication: Required}
`

func machineSetWith(pairs ...string) string {
	s := workerMachineSet
	for i := 0; i+1 < len(pairs); i += 2 {
		if !strings.Contains(s, pairs[i]) {
			panic("machineSetWith: no " + pairs[i])
		}
		s = strings.Replace(s, pairs[i], pairs[i+1], 1)
	}
	return s
}

func TestMachineSets(t *testing.T) {
	runCases(t, []validationCase{
		{"a worker MachineSet is valid", workerMachineSet, nil},
		{"a misspelt provider config field is unknown to the machine API's type", machineSetWith("instanceType: c5.metal", "instanceTypes: c5.metal"),
			[]string{`does not decode into openshift/api machine/v1beta1 AWSMachineProviderConfig: json: unknown field "instanceTypes"`}},
		{"the webhook's required fields are required", machineSetWith("          ami: {id: ami-0fc62c3c67a124a2d}\n", "", "          userDataSecret: {name: worker-user-data}\n", "", "region: us-east-2, ", ""),
			[]string{"spec.template.spec.providerSpec.value.ami.id: Required value",
				"spec.template.spec.providerSpec.value.placement.region: Required value",
				"spec.template.spec.providerSpec.value.userDataSecret.name: Required value"}},
		{"an unknown metadata service authentication is refused", machineSetWith("authentication: Required", "authentication: IMDSv2"),
			[]string{`spec.template.spec.providerSpec.value.metadataServiceOptions.authentication: Unsupported value: "IMDSv2"`}},
		{"a selector that misses the template is refused", machineSetWith("cluster-api-machineset: lab1-x7k2p-cnf-us-east-2a}\n  template", "cluster-api-machineset: other}\n  template"),
			[]string{"spec.selector: Invalid value"}},
		{"a name longer than a label value is refused", strings.ReplaceAll(workerMachineSet, "lab1-x7k2p-cnf-us-east-2a", "lab1-x7k2p-a-pool-name-long-enough-to-overflow-a-label-us-east-2a"),
			[]string{"must be no more than 63 characters"}},
		{"a taint without an effect is refused by the CRD", machineSetWith("value: cnf, effect: NoSchedule}", "value: cnf}"),
			[]string{"spec.template.spec.taints[0].effect: Required value"}},
	})
}
