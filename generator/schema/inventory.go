package schema

import (
	"encoding/json"
	"errors"
	"path/filepath"

	"github.com/lowlat/lowlat/generator/inventory"
	"github.com/lowlat/lowlat/generator/manifest"
)

// isInventory reports whether an object is lowlat's own Inventory, the
// functionConfig of a krm/<cluster>/ entry point. kustomize hands it to the
// function and never applies it, so no CRD describes it: its schema is
// lowlat's strict loader.
func isInventory(obj map[string]any) bool {
	id := manifest.Identify(obj)
	return id.APIVersion() == inventory.APIVersion && id.Kind == inventory.Kind
}

// validateInventory loads the document as lowlat does, resolving topology
// captures next to the file.
func validateInventory(doc Document) []Problem {
	data, err := json.Marshal(doc.Object)
	if err != nil {
		return []Problem{{File: doc.File, Line: doc.Line, Resource: resourceName(doc.Object), Message: err.Error()}}
	}
	_, err = inventory.Parse(data, doc.File, filepath.Dir(doc.File))
	var invErr *inventory.Error
	if !errors.As(err, &invErr) {
		return nil
	}
	out := make([]Problem, 0, len(invErr.Problems))
	for _, p := range invErr.Problems {
		out = append(out, Problem{File: doc.File, Line: doc.LineOf(p.Path), Resource: resourceName(doc.Object),
			Field: p.Path, Message: p.Message, Schema: inventory.APIVersion + " Inventory (lowlat's loader)"})
	}
	return out
}
