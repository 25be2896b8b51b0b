package pull

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/lowlat/lowlat/generator/perfrun"
)

// MetaFile holds what a pulled run's labels and annotations say.
const MetaFile = "run.json"

// Meta describes one run.
type Meta struct {
	Name      string    `json:"name"`
	Namespace string    `json:"namespace"`
	Cluster   string    `json:"cluster"`
	Pool      string    `json:"pool"`
	Phase     string    `json:"phase"`
	Test      string    `json:"test"`
	Series    string    `json:"series"`
	Tuning    string    `json:"tuning"`
	Revision  string    `json:"revision"`
	UUID      string    `json:"uuid"`
	Started   time.Time `json:"started"`
	Finished  time.Time `json:"finished"`
	ExitCode  int       `json:"exitCode"`
	Verdict   string    `json:"verdict"`
	// Dir is where the run is, relative to the store; not written.
	Dir string `json:"-"`
}

// Path is where a run lives in a store.
func (m Meta) Path(store string) string {
	return filepath.Join(store, m.Cluster, m.Pool, m.Series, m.Name)
}

// Has reports whether the store holds the run.
func Has(store string, m Meta) bool {
	_, err := os.Stat(filepath.Join(m.Path(store), MetaFile))
	return err == nil
}

// write puts a run's files into the store: into a temporary directory
// beside its place, then renamed there.
func write(store string, m Meta, files map[string][]byte) error {
	dest := m.Path(store)
	if err := os.MkdirAll(filepath.Dir(dest), 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dest), "."+m.Name+"-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	meta, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	files[MetaFile] = append(meta, '\n')
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(tmp, name), data, 0o644); err != nil {
			return err
		}
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	return os.Rename(tmp, dest)
}

// List reads every run of a store, oldest finished first.
func List(store string) ([]Meta, error) {
	var out []Meta
	var errs []error
	err := filepath.WalkDir(store, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || d.Name() != MetaFile {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			errs = append(errs, err)
			return nil
		}
		var m Meta
		if err := json.Unmarshal(data, &m); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", path, err))
			return nil
		}
		m.Dir = filepath.Dir(path)
		out = append(out, m)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].Finished.Equal(out[j].Finished) {
			return out[i].Finished.Before(out[j].Finished)
		}
		return out[i].Name < out[j].Name
	})
	return out, nil
}

// Pair is a pool's newest kube-burner run and the one before it.
type Pair struct {
	Cluster, Pool  string
	Before, Latest Meta
}

// Latest pairs, per cluster and pool, the newest finished kube-burner run
// that measured (has quantiles) with the one before it, whatever their
// phase (the first re-test after
// the baseline, each later re-test after the one before). Pools with one
// run only are left out; lone lists them.
func Latest(store string) (pairs []Pair, lone []string, err error) {
	runs, err := List(store)
	if err != nil {
		return nil, nil, err
	}
	byPool := map[[2]string][]Meta{}
	for _, m := range runs {
		// A run that failed before kube-burner measured has nothing to
		// compare.
		if q, _ := filepath.Glob(filepath.Join(m.Dir, "*QuantilesMeasurement-*.json")); m.Test != testKubeBurner || len(q) == 0 {
			continue
		}
		key := [2]string{m.Cluster, m.Pool}
		byPool[key] = append(byPool[key], m)
	}
	keys := make([][2]string, 0, len(byPool))
	for k := range byPool {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		return keys[i][0] < keys[j][0] || keys[i][0] == keys[j][0] && keys[i][1] < keys[j][1]
	})
	for _, k := range keys {
		rs := byPool[k]
		if len(rs) < 2 {
			lone = append(lone, k[0]+"/"+k[1])
			continue
		}
		pairs = append(pairs, Pair{Cluster: k[0], Pool: k[1], Before: rs[len(rs)-2], Latest: rs[len(rs)-1]})
	}
	return pairs, lone, nil
}

const testKubeBurner = "kube-burner"

// labels a results ConfigMap must carry.
var requiredLabels = []string{perfrun.ClusterLabel, perfrun.PoolLabel, perfrun.SeriesLabel, perfrun.TestLabel, perfrun.RunLabel}
