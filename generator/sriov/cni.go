package sriov

import (
	"encoding/json"
	"fmt"

	"github.com/lowlat/lowlat/generator/inventory"
)

// CNI facts.
const (
	// cniVersion is the newest CNI spec Multus and host-device on
	// OpenShift 4.19+ speak, and what the operator's own network
	// templates write.
	cniVersion = "1.0.0"
	// hostDevice moves the VF the device plugin allocated (Multus passes
	// its PCI address as deviceID) into the pod. The sriov CNI plugin is
	// not used: its VLAN, spoof-check and trust settings go through a PF,
	// which ENA does not have.
	hostDevice = "host-device"
)

// cniConfig is a CNI network configuration. Its fields are structs, not
// maps, so the JSON is the same bytes on every render.
type cniConfig struct {
	CNIVersion string `json:"cniVersion"`
	Name       string `json:"name"`
	Type       string `json:"type"`
	// Capabilities lets pods pass runtime config: "ips" for static IPAM.
	Capabilities *capabilities `json:"capabilities,omitempty"`
	IPAM         any           `json:"ipam,omitempty"`
}

type capabilities struct {
	IPs bool `json:"ips"`
}

type whereabouts struct {
	Type    string `json:"type"`
	Range   string `json:"range"`
	Gateway string `json:"gateway,omitempty"`
}

type hostLocal struct {
	Type   string            `json:"type"`
	Ranges [][]hostLocalPool `json:"ranges"`
}

type hostLocalPool struct {
	Subnet  string `json:"subnet"`
	Gateway string `json:"gateway,omitempty"`
}

type static struct {
	Type string `json:"type"`
}

// CNIConfig is the NetworkAttachmentDefinition's spec.config: indented JSON,
// so that a pull request shows one changed field on its own line.
func CNIConfig(n *inventory.Network) (string, error) {
	conf := cniConfig{CNIVersion: cniVersion, Name: n.Name, Type: hostDevice}
	switch ipam := n.IPAM; ipam.Type {
	case "":
		// No address from CNI: a vfio-pci VF has no kernel interface to hold
		// one, and a pod may configure a netdevice VF itself.
	case "whereabouts":
		conf.IPAM = whereabouts{Type: ipam.Type, Range: ipam.Range, Gateway: ipam.Gateway}
	case "host-local":
		conf.IPAM = hostLocal{Type: ipam.Type, Ranges: [][]hostLocalPool{{{Subnet: ipam.Range, Gateway: ipam.Gateway}}}}
	case "static":
		conf.Capabilities = &capabilities{IPs: true}
		conf.IPAM = static{Type: ipam.Type}
	default:
		return "", fmt.Errorf("network %s: ipam type %q has no CNI configuration", n.Name, ipam.Type)
	}
	data, err := json.MarshalIndent(conf, "", "  ")
	if err != nil {
		return "", fmt.Errorf("network %s: cni config: %w", n.Name, err)
	}
	return string(data) + "\n", nil
}
