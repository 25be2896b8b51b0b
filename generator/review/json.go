package review

import (
	"encoding/json"
	"io"
)

// JSON writes the report as indented JSON. Its order is stable: the
// report's slices are sorted and map keys are sorted by encoding/json.
func JSON(w io.Writer, r *Report) error {
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(data, '\n'))
	return err
}
