package kubeburner

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// Key identifies one quantile document within a run.
type Key struct {
	Measurement string // config name, e.g. podLatency
	Job         string
	Quantile    string // quantileName, e.g. Ready
}

// Less orders keys by measurement, job, then quantile.
func (k Key) Less(o Key) bool {
	if k.Measurement != o.Measurement {
		return k.Measurement < o.Measurement
	}
	if k.Job != o.Job {
		return k.Job < o.Job
	}
	return k.Quantile < o.Quantile
}

// KeyOf returns the key of q.
func KeyOf(q Quantile) Key {
	return Key{Measurement: Measurement(q.MetricName), Job: q.JobName, Quantile: q.QuantileName}
}

// Run is what one kube-burner execution left in its metrics directory.
type Run struct {
	Dir  string
	UUID string
	// Timestamp is the earliest document timestamp. kube-burner stamps each
	// summary when its job's measurement stops, so the earliest one is the
	// closest to the run's start that the quantile files record.
	Timestamp time.Time
	// Quantiles are sorted by Key; a key occurs once.
	Quantiles []Quantile
}

// ReadRun reads every *QuantilesMeasurement-<job>.json file in dir, the
// metricsDirectory of a kube-burner local indexer. Other files there
// (jobSummary.json, per-pod timeseries, Prometheus metrics) are ignored. All
// problems found are returned together.
func ReadRun(dir string) (Run, error) {
	files, err := quantileFiles(dir)
	if err != nil {
		return Run{}, err
	}
	var docs []Quantile
	var errs []error
	for _, f := range files {
		d, err := readQuantileFile(f)
		errs = append(errs, err)
		docs = append(docs, d...)
	}
	if err := errors.Join(errs...); err != nil {
		return Run{}, err
	}
	return assemble(dir, docs)
}

// quantileFiles lists dir's quantile files in name order.
func quantileFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("read kube-burner metrics directory: %w", err)
	}
	var files []string
	for _, e := range entries {
		name := e.Name()
		if !e.IsDir() && strings.HasSuffix(name, ".json") && strings.Contains(name, quantilesSuffix+"-") {
			files = append(files, filepath.Join(dir, name))
		}
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%s: no *%s-<job>.json files; point at the metricsDirectory of kube-burner's local indexer", dir, quantilesSuffix)
	}
	return files, nil
}

// readQuantileFile decodes one file and checks each document.
func readQuantileFile(path string) ([]Quantile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	// The local indexer encodes a job without documents as null.
	var docs []Quantile
	if err := json.Unmarshal(data, &docs); err != nil {
		return nil, fmt.Errorf("%s: not a JSON array of quantile documents: %w", path, err)
	}
	var errs []error
	for i := range docs {
		if docs[i].JobName == "" {
			// jobName is omitempty upstream; the file name still carries it.
			docs[i].JobName = jobFromFileName(path, docs[i].MetricName)
		}
		if err := checkDocument(docs[i]); err != nil {
			errs = append(errs, fmt.Errorf("%s: document %d: %w", path, i, err))
		}
	}
	return docs, errors.Join(errs...)
}

func jobFromFileName(path, metricName string) string {
	name := strings.TrimSuffix(filepath.Base(path), ".json")
	return strings.TrimPrefix(name, metricName+"-")
}

func checkDocument(q Quantile) error {
	switch {
	case q.QuantileName == "":
		return errors.New("quantileName is empty")
	case !strings.HasSuffix(q.MetricName, quantilesSuffix):
		return fmt.Errorf("metricName %q is not a quantiles measurement", q.MetricName)
	case q.UUID == "":
		return errors.New("uuid is empty")
	case q.Timestamp.IsZero():
		return errors.New("timestamp is missing")
	}
	return nil
}

// assemble checks that docs come from one run with no key twice and sorts
// them.
func assemble(dir string, docs []Quantile) (Run, error) {
	run := Run{Dir: dir, Quantiles: docs}
	uuids := map[string]bool{}
	seen := map[Key]bool{}
	var errs []error
	for _, q := range docs {
		uuids[q.UUID] = true
		if run.Timestamp.IsZero() || q.Timestamp.Before(run.Timestamp) {
			run.Timestamp = q.Timestamp
		}
		k := KeyOf(q)
		if seen[k] {
			errs = append(errs, fmt.Errorf("%s: %s %s %s appears twice", dir, k.Measurement, k.Job, k.Quantile))
		}
		seen[k] = true
	}
	if len(uuids) > 1 {
		errs = append(errs, fmt.Errorf("%s: documents of %d runs (uuids %s); a metrics directory holds one run", dir, len(uuids), strings.Join(sortedKeys(uuids), ", ")))
	}
	for u := range uuids {
		run.UUID = u
	}
	sort.Slice(run.Quantiles, func(i, j int) bool { return KeyOf(run.Quantiles[i]).Less(KeyOf(run.Quantiles[j])) })
	run.Timestamp = run.Timestamp.UTC()
	return run, errors.Join(errs...)
}

func sortedKeys(m map[string]bool) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
