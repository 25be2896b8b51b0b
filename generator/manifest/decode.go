package manifest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"
)

// Object decodes a JSON object keeping numbers exact (json.Number), as
// lowlat's own objects are re-encoded byte for byte.
func Object(data []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("resource is not a JSON object: %w", err)
	}
	return m, nil
}

// File decodes one rendered file, a single YAML document, into an object
// with exact numbers.
func File(p string, data []byte) (map[string]any, error) {
	if bytes.Contains(data, []byte("\n---")) {
		return nil, fmt.Errorf("%s: more than one YAML document", p)
	}
	j, err := yaml.YAMLToJSON(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	m, err := Object(j)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	return m, nil
}

// Documents splits a YAML stream into its non-empty documents, decoded the
// way the API server sees them (through JSON).
func Documents(data []byte) ([]map[string]any, error) {
	r := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(data)))
	var out []map[string]any
	for {
		doc, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		var obj map[string]any
		if err := yaml.Unmarshal(doc, &obj); err != nil {
			return nil, err
		}
		if len(obj) > 0 {
			out = append(out, obj)
		}
	}
}
