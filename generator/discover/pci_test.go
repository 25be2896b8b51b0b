package discover

import (
	"strings"
	"testing"
)

func TestCheckLspci(t *testing.T) {
	cases := []struct {
		name, capture string
		want          []string
	}{
		{"ENA VFs of the supported id pass",
			"00:05.0 0200: 1d0f:ec20\n00:06.0 0200: 1d0f:ec20\n00:1f.0 0108: 1d0f:0061\n",
			nil},
		{"a low-latency-queue VF is reported with its count",
			"00:05.0 Ethernet controller [0200]: Amazon.com, Inc. Elastic Network Adapter (ENA) [1d0f:ec21]\n00:06.0 Ethernet controller [0200]: Amazon.com, Inc. Elastic Network Adapter (ENA) [1d0f:EC21]\n",
			[]string{"node-a: 2 ENA device(s) 1d0f:ec21 (low-latency-queue VF) are not in the operator's supported-nic-ids"}},
		{"a capture without any ENA is reported",
			"00:00.0 0600: 8086:1237\n",
			[]string{"node-a: no ENA device (1d0f:0ec2/1ec2/ec20/ec21)"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := CheckLspci("node-a", strings.NewReader(tc.capture))
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %q, want %d finding(s)", got, len(tc.want))
			}
			for i, w := range tc.want {
				if !strings.Contains(got[i], w) {
					t.Errorf("finding %q lacks %q", got[i], w)
				}
			}
		})
	}
}
