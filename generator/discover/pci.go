package discover

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"

	"github.com/lowlat/lowlat/generator/sriov"
)

// enaDevice finds an ENA's vendor:device pair in `lspci -n` (00:06.0 0200:
// 1d0f:ec20) and `lspci -nn` (... [1d0f:ec20]) lines. Amazon's vendor id
// also marks other devices (EBS NVMe controllers): only ENA ids count.
var enaDevice = regexp.MustCompile(`\b` + sriov.ENAVendor + `:(` +
	strings.Join([]string{sriov.ENAPF, sriov.ENALLQPF, sriov.ENAVF, sriov.ENALLQVF}, "|") + `)\b`)

// CheckLspci reads an lspci capture of a node and reports ENA devices the
// operator's supported-nic-ids does not admit. The EC2 API does not say which
// PCI device id an instance's ENIs show (ec20, or ec21 with low-latency
// queues), so only a node can tell.
func CheckLspci(name string, r io.Reader) ([]string, error) {
	counts := map[string]int{}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		if m := enaDevice.FindStringSubmatch(strings.ToLower(sc.Text())); m != nil {
			counts[m[1]]++
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read lspci capture %s: %w", name, err)
	}
	if len(counts) == 0 {
		return []string{fmt.Sprintf("%s: no ENA device (%s:%s/%s/%s/%s); is it an `lspci -n` capture of an EC2 node?", name, sriov.ENAVendor, sriov.ENAPF, sriov.ENALLQPF, sriov.ENAVF, sriov.ENALLQVF)}, nil
	}
	var out []string
	for _, dev := range sortedCounts(counts) {
		if !sriov.ENASupported(dev) {
			out = append(out, fmt.Sprintf("%s: %d ENA device(s) %s:%s%s are not in the operator's supported-nic-ids (%s), so its webhook refuses policies for them; add an entry for %s:%s to the supported-nic-ids ConfigMap",
				name, counts[dev], sriov.ENAVendor, dev, enaKind(dev), sriov.ENANicID, sriov.ENAVendor, dev))
		}
	}
	return out, nil
}

func enaKind(dev string) string {
	switch dev {
	case sriov.ENALLQVF:
		return " (low-latency-queue VF)"
	case sriov.ENAPF, sriov.ENALLQPF:
		return " (physical function)"
	}
	return ""
}

func sortedCounts(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
