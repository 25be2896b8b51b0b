package history

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"

	"go.yaml.in/yaml/v3"
)

// Ack acknowledges a known change point so it no longer fails a check, in
// the shape of Orion's ack files.
type Ack struct {
	UUID string `yaml:"uuid"`
	// Metric is a metric name or a pattern (see Match) such as
	// podLatency/pod-density/Ready.
	Metric string `yaml:"metric"`
	Reason string `yaml:"reason"`
}

func (a Ack) covers(uuid, metric string) bool {
	return a.UUID == uuid && Match(a.Metric, metric)
}

// LoadAcks reads an acknowledgement file:
//
//	ack:
//	  - uuid: 2d6b598f-…
//	    metric: podLatency/pod-density/Ready/P99
//	    reason: kernel madvise change, tracked in OCPBUGS-12345
func LoadAcks(file string) ([]Ack, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("read acknowledgements: %w", err)
	}
	var doc struct {
		Ack []Ack `yaml:"ack"`
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&doc); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	var errs []error
	for i, a := range doc.Ack {
		if a.UUID == "" || a.Metric == "" || !validPattern(a.Metric) {
			errs = append(errs, fmt.Errorf("%s: ack[%d]: needs a uuid and a metric name or pattern", file, i))
		}
	}
	return doc.Ack, errors.Join(errs...)
}
