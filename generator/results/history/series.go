package history

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// ReadSeries reads runs kept outside kube-burner's directories: a .json file
// in the shape WriteJSON prints (so a history can be saved and extended), or
// a .csv file with a header uuid,timestamp,<metric>... and one run per row,
// an empty cell for a missing value. Timestamps are RFC 3339, Unix seconds
// or as Orion's tables print them (see parseTime).
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

// readCSVSeries reads every row and reports every problem, each at its
// file and line; a file with any problem yields no runs.
func readCSVSeries(r io.Reader, path string) ([]Run, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1 // rows are checked against the header below
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("%s:1: no header uuid,timestamp,<metric>...: %w", path, err)
	}
	if err := checkHeader(header); err != nil {
		return nil, fmt.Errorf("%s:1: %w", path, err)
	}
	var runs []Run
	var errs []error
	for {
		row, err := cr.Read()
		if err == io.EOF {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", path, err))
			break
		}
		run, err := csvRun(header, row)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s:%d: %w", path, line, err))
			continue
		}
		run.Source, run.Line = path, line
		runs = append(runs, run)
	}
	if len(runs) == 0 && len(errs) == 0 {
		errs = append(errs, fmt.Errorf("%s:1: a header and no runs", path))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return runs, nil
}

func checkHeader(header []string) error {
	if len(header) < 3 || header[0] != "uuid" || header[1] != "timestamp" {
		return fmt.Errorf("header %q must be uuid,timestamp,<metric>...", strings.Join(header, ","))
	}
	seen := map[string]bool{}
	var errs []error
	for _, name := range header[2:] {
		if name == "" || seen[name] {
			errs = append(errs, fmt.Errorf("metric column %q is empty or repeated", name))
		}
		seen[name] = true
	}
	return errors.Join(errs...)
}

// csvRun reads one row, reporting each of its problems.
func csvRun(header, row []string) (Run, error) {
	if len(row) != len(header) {
		return Run{}, fmt.Errorf("%d fields where the header has %d (%s)", len(row), len(header), strings.Join(header, ","))
	}
	var errs []error
	if row[0] == "" {
		errs = append(errs, errors.New("uuid is empty"))
	}
	ts, err := parseTime(row[1])
	errs = append(errs, err)
	run := Run{UUID: row[0], Timestamp: ts, Values: map[string]float64{}}
	for c := 2; c < len(row); c++ {
		if row[c] == "" {
			continue
		}
		v, err := strconv.ParseFloat(row[c], 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			errs = append(errs, fmt.Errorf("%s: %q is not a finite number", header[c], row[c]))
			continue
		}
		run.Values[header[c]] = v
	}
	return run, errors.Join(errs...)
}

// tableTime is how Orion's and Grafana's tables print a run's time, as in
// the CPT talk's case study (seed 003): 2025-01-17 00:08:31 +0000.
const tableTime = "2006-01-02 15:04:05 -0700"

// parseTime accepts RFC 3339 (what kube-burner writes), Unix seconds (what
// Orion exports) or tableTime.
func parseTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), nil
	}
	if t, err := time.Parse(tableTime, s); err == nil {
		return t.UTC(), nil
	}
	if sec, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.Unix(sec, 0).UTC(), nil
	}
	return time.Time{}, fmt.Errorf("timestamp %q is neither RFC 3339, Unix seconds nor %q", s, tableTime)
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
