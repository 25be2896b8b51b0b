package twin

// newControllers lists the cluster's operators in the order each tick runs
// them: OLM installs operators, the machine API brings up the pools'
// nodes, the Node Tuning and Machine Config Operators tune and roll out
// pools, the SR-IOV and KubeVirt operators configure nodes and virtual
// machines, the kubelets and scheduler run pods, the CronJob controller
// starts Jobs on schedule, the job controller runs Jobs, and the namespace
// controller and garbage collector finish what is deleted.
func (t *Twin) newControllers() []controller {
	t.olm = newOLM(t)
	t.kubelet = newKubelet(t)
	t.machines = newMachineAPI(t)
	return []controller{t.olm, t.machines, newNTO(t), newMCO(t), newSRIOV(t), newKubeVirt(t), t.kubelet, newStorage(t),
		newCronJobs(t), newJobs(t), newNamespaces(t), newGarbageCollector(t)}
}
