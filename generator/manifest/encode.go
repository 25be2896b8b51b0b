package manifest

import yamlv2 "go.yaml.in/yaml/v2"

// YAML encodes an object decoded by Object as YAML, keys sorted: byte for
// byte what sigs.k8s.io/yaml.Marshal writes for the typed object its JSON
// came from (go-yaml v2 writes a json.Number as the int or float its text
// is, as it reads a JSON number), without encoding the object to JSON and
// parsing that as YAML again. (Integers beyond int64, which lowlat never
// renders, would come out as floats.)
func YAML(m map[string]any) ([]byte, error) {
	return yamlv2.Marshal(m)
}
