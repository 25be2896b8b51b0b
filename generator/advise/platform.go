package advise

import (
	"fmt"
	"strings"
)

// vmNeeds are the needs only a VM serves, with why. A VM is chosen for any
// of them; otherwise a container, which deploys faster (no guest to boot)
// and has no emulator to tune.
var vmNeeds = []struct {
	attr  Attribute
	from  Level
	why   string
	where string
}{
	{AlternativeOS, Medium, "another operating system runs only in a VM's own kernel", "a guest OS"},
	{LiveMigration, Medium, "KubeVirt live-migrates VMs; a pod is deleted and started again elsewhere", "live migration"},
	{Security, High, "a VM adds a hardware-virtualisation boundary and a kernel of its own to the container's", "VM-level isolation"},
}

// platform decides container or VM, or takes the one the kind or the
// inventory fixes and reports needs it cannot serve.
func (d *decider) platform() {
	var wants []string
	for _, v := range vmNeeds {
		if d.need(v.attr) >= v.from {
			wants = append(wants, fmt.Sprintf("needs.%s %s: %s", v.attr, d.need(v.attr), v.why))
		}
	}
	derived := Container
	why := "no need asks for a VM (alternativeOS, liveMigration medium or more; security high), and a container deploys faster"
	if len(wants) > 0 {
		derived, why = VM, strings.Join(wants, "; ")
	}
	set, field := d.fixedPlatform()
	if set == "" {
		d.a.Platform = derived
		d.reason("platform", string(derived), why, Derived)
		return
	}
	d.a.Platform = set
	if set == derived {
		d.reason("platform", string(set), fmt.Sprintf("%s; the needs agree: %s", d.fixedWhy(), why), Explicit)
		return
	}
	d.reason("platform", string(set), fmt.Sprintf("%s; the needs alone would choose a %s: %s", d.fixedWhy(), derived, why), Explicit)
	if set == Container {
		d.containerConflicts(field)
	}
}

// fixedPlatform is the platform a VM's or pod's kind, or an app's platform
// field, sets; "" when the needs decide. field is where it is set.
func (d *decider) fixedPlatform() (Platform, string) {
	switch d.w.Kind {
	case KindVM:
		return VM, ""
	case KindPod:
		return Container, ""
	}
	return d.w.Set.Platform, "platform"
}

func (d *decider) fixedWhy() string {
	switch d.w.Kind {
	case KindVM:
		return "listed under workloads.vms"
	case KindPod:
		return "a test pod of workloads.pods"
	}
	return "platform set in the inventory"
}

// containerConflicts reports the VM-only needs of a workload fixed to a
// container: a container cannot serve them.
func (d *decider) containerConflicts(field string) {
	way := "move it to workloads.vms"
	if field != "" {
		way = "set platform: vm or remove platform"
	}
	for _, v := range vmNeeds {
		if l := d.need(v.attr); l >= v.from {
			at := "needs." + string(v.attr)
			if field != "" {
				at = field
			}
			d.problem(at, fmt.Sprintf("%s %s runs as a container, but needs.%s %s asks for %s, which a container cannot give (%s): %s, or lower needs.%s",
				d.w.Kind, d.w.Name, v.attr, l, v.where, v.why, way, v.attr))
		}
	}
}
