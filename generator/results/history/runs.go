package history

import (
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/lowlat/lowlat/generator/results/kubeburner"
)

// Run is one kube-burner execution reduced to named values.
type Run struct {
	UUID      string
	Timestamp time.Time
	// Source is the directory or series file the run came from, and Line
	// its line in a series file (0 otherwise).
	Source string
	Line   int
	// Values maps metric names (see MetricName) to values; a run may lack
	// some metrics.
	Values map[string]float64
}

// MetricName names one statistic of one quantile as a series, e.g.
// podLatency/pod-density/Ready/P99. kube-burner writes each job to a file
// named after it, so job names hold no slash and the name splits cleanly.
func MetricName(k kubeburner.Key, s kubeburner.Stat) string {
	return k.Measurement + "/" + k.Job + "/" + k.Quantile + "/" + string(s)
}

// FromKubeBurner reduces a run read from a metrics directory.
func FromKubeBurner(r kubeburner.Run) Run {
	out := Run{UUID: r.UUID, Timestamp: r.Timestamp, Source: r.Dir, Values: map[string]float64{}}
	for _, q := range r.Quantiles {
		for _, s := range kubeburner.Stats {
			out.Values[MetricName(kubeburner.KeyOf(q), s)] = q.Value(s)
		}
	}
	return out
}

// Load reads runs from kube-burner metrics directories and from series
// files, rejects a uuid seen twice, and sorts them with Sort. Every problem
// is reported.
func Load(dirs, seriesFiles []string) ([]Run, error) {
	var runs []Run
	var errs []error
	for _, d := range dirs {
		r, err := kubeburner.ReadRun(d)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		runs = append(runs, FromKubeBurner(r))
	}
	for _, f := range seriesFiles {
		rs, err := ReadSeries(f)
		errs = append(errs, err)
		runs = append(runs, rs...)
	}
	errs = append(errs, duplicates(runs))
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	Sort(runs)
	return runs, nil
}

// Sort orders runs by timestamp, then uuid, so the order of the inputs never
// changes a result.
func Sort(runs []Run) {
	sort.SliceStable(runs, func(i, j int) bool {
		if !runs[i].Timestamp.Equal(runs[j].Timestamp) {
			return runs[i].Timestamp.Before(runs[j].Timestamp)
		}
		return runs[i].UUID < runs[j].UUID
	})
}

func duplicates(runs []Run) error {
	seen := map[string]string{}
	var errs []error
	for _, r := range runs {
		if prev, ok := seen[r.UUID]; ok {
			errs = append(errs, fmt.Errorf("%s: run %s appears twice, first at %s", r.Place(), r.UUID, prev))
			continue
		}
		seen[r.UUID] = r.Place()
	}
	return errors.Join(errs...)
}

// Place is where the run was read: file:line for a series file.
func (r Run) Place() string {
	if r.Line > 0 {
		return fmt.Sprintf("%s:%d", r.Source, r.Line)
	}
	return r.Source
}
