package history

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// ReadSeries reads runs kept outside kube-burner's directories: a .json file
// in the shape WriteJSON prints (so a history can be saved and extended), or
// a .csv file with a header uuid,timestamp,<metric>... and one run per row,
// an empty cell for a missing value. Timestamps are RFC 3339 or Unix
// seconds.
func ReadSeries(path string) ([]Run, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read series: %w", err)
	}
	defer f.Close()
	switch strings.ToLower(filepath.Ext(path)) {
	case ".json":
		return readJSONSeries(f, path)
	case ".csv":
		return readCSVSeries(f, path)
	}
	return nil, fmt.Errorf("%s: series files end in .json or .csv", path)
}

func readJSONSeries(r io.Reader, path string) ([]Run, error) {
	var in []jsonIn
	if err := json.NewDecoder(r).Decode(&in); err != nil {
		return nil, fmt.Errorf("%s: not a JSON array of runs: %w", path, err)
	}
	runs := make([]Run, 0, len(in))
	var errs []error
	for i, j := range in {
		ts, err := j.time()
		if err != nil || j.UUID == "" {
			errs = append(errs, fmt.Errorf("%s: run %d: needs a uuid and a timestamp", path, i))
			continue
		}
		run := Run{UUID: j.UUID, Timestamp: ts, Source: path, Values: map[string]float64{}}
		for name, m := range j.Metrics {
			run.Values[name] = m.Value
		}
		runs = append(runs, run)
	}
	return runs, errors.Join(errs...)
}

func readCSVSeries(r io.Reader, path string) ([]Run, error) {
	rows, err := csv.NewReader(r).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(rows) == 0 || len(rows[0]) < 3 || rows[0][0] != "uuid" || rows[0][1] != "timestamp" {
		return nil, fmt.Errorf("%s: header must be uuid,timestamp,<metric>...", path)
	}
	var runs []Run
	var errs []error
	for i, row := range rows[1:] {
		run, err := csvRun(rows[0], row)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s:%d: %w", path, i+2, err))
			continue
		}
		run.Source = path
		runs = append(runs, run)
	}
	return runs, errors.Join(errs...)
}

func csvRun(header, row []string) (Run, error) {
	ts, err := parseTime(row[1])
	if err != nil {
		return Run{}, err
	}
	run := Run{UUID: row[0], Timestamp: ts, Values: map[string]float64{}}
	for c := 2; c < len(row); c++ {
		if row[c] == "" {
			continue
		}
		v, err := strconv.ParseFloat(row[c], 64)
		if err != nil {
			return Run{}, fmt.Errorf("%s: %q is not a number", header[c], row[c])
		}
		run.Values[header[c]] = v
	}
	if run.UUID == "" {
		return Run{}, errors.New("uuid is empty")
	}
	return run, nil
}

// parseTime accepts RFC 3339 (what kube-burner writes) or Unix seconds
// (what Orion exports).
func parseTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), nil
	}
	if sec, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.Unix(sec, 0).UTC(), nil
	}
	return time.Time{}, fmt.Errorf("timestamp %q is neither RFC 3339 nor Unix seconds", s)
}

// jsonIn reads both WriteJSON's output and Orion's, whose timestamps are
// Unix seconds.
type jsonIn struct {
	UUID      string          `json:"uuid"`
	Timestamp json.RawMessage `json:"timestamp"`
	Metrics   map[string]struct {
		Value float64 `json:"value"`
	} `json:"metrics"`
}

func (j jsonIn) time() (time.Time, error) {
	return parseTime(strings.Trim(string(j.Timestamp), `"`))
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
