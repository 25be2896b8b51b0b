package pull

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/lowlat/lowlat/generator/perfrun"
	"github.com/lowlat/lowlat/generator/results/kubeburner"
)

// Report says what a pull did.
type Report struct {
	// Pulled are the runs written, Present those the store had already.
	Pulled  []Meta
	Present int
	// InProgress are runs whose Job has not finished; NoResults finished
	// without leaving results.
	InProgress, NoResults []string
	// Corrupt are results that were skipped, and why.
	Corrupt []Problem
}

// Problem is one results ConfigMap that could not be pulled.
type Problem struct {
	Name, Reason string
}

func (p Problem) String() string { return p.Name + ": " + p.Reason }

// Pull writes every run the cluster has results for, and the store does
// not, into store. namespaces limits the search (none: all namespaces).
func Pull(ctx context.Context, cs kubernetes.Interface, store string, namespaces []string) (*Report, error) {
	if len(namespaces) == 0 {
		namespaces = []string{metav1.NamespaceAll}
	}
	rep := &Report{}
	have := map[string]bool{}
	for _, ns := range namespaces {
		cms, err := cs.CoreV1().ConfigMaps(ns).List(ctx, metav1.ListOptions{LabelSelector: perfrun.ResultsLabel})
		if err != nil {
			return nil, fmt.Errorf("list results ConfigMaps: %w", err)
		}
		items := cms.Items
		sort.Slice(items, func(i, j int) bool {
			return items[i].Namespace+"/"+items[i].Name < items[j].Namespace+"/"+items[j].Name
		})
		for i := range items {
			cm := &items[i]
			m, files, err := read(cm)
			if err != nil {
				// Its run is accounted for: its results are there, unread.
				have[cm.Namespace+"/"+strings.TrimSuffix(cm.Name, perfrun.ResultsSuffix)] = true
				rep.Corrupt = append(rep.Corrupt, Problem{Name: cm.Namespace + "/" + cm.Name, Reason: err.Error()})
				continue
			}
			have[m.Namespace+"/"+m.Name] = true
			if Has(store, m) {
				rep.Present++
				continue
			}
			if err := write(store, m, files); err != nil {
				return nil, err
			}
			rep.Pulled = append(rep.Pulled, m)
		}
		jobs, err := cs.BatchV1().Jobs(ns).List(ctx, metav1.ListOptions{LabelSelector: perfrun.SeriesLabel})
		if err != nil {
			return nil, fmt.Errorf("list perf run Jobs: %w", err)
		}
		for _, j := range jobs.Items {
			ref := j.Namespace + "/" + j.Name
			switch {
			case have[ref]:
			case !finished(&j):
				rep.InProgress = append(rep.InProgress, ref)
			default:
				rep.NoResults = append(rep.NoResults, ref)
			}
		}
	}
	sort.Strings(rep.InProgress)
	sort.Strings(rep.NoResults)
	return rep, nil
}

func finished(j *batchv1.Job) bool {
	for _, c := range j.Status.Conditions {
		if (c.Type == batchv1.JobComplete || c.Type == batchv1.JobFailed) && c.Status == corev1.ConditionTrue {
			return true
		}
	}
	return false
}

// read checks a results ConfigMap and returns its run and files: every
// label a run needs, file names without a path, and, for kube-burner, the
// quantiles parse as kube-burner writes them.
func read(cm *corev1.ConfigMap) (Meta, map[string][]byte, error) {
	var missing []string
	for _, l := range requiredLabels {
		if cm.Labels[l] == "" {
			missing = append(missing, l)
		}
	}
	if len(missing) > 0 {
		return Meta{}, nil, fmt.Errorf("labels %s missing", strings.Join(missing, ", "))
	}
	m := Meta{
		Name: cm.Labels[perfrun.RunLabel], Namespace: cm.Namespace,
		Cluster: cm.Labels[perfrun.ClusterLabel], Pool: cm.Labels[perfrun.PoolLabel], Phase: cm.Labels[perfrun.PhaseLabel],
		Test: cm.Labels[perfrun.TestLabel], Series: cm.Labels[perfrun.SeriesLabel], Tuning: cm.Labels[perfrun.TuningLabel],
		Revision: cm.Labels[perfrun.RevisionLbl], UUID: cm.Labels[perfrun.UUIDLabel],
		Verdict: cm.Annotations[perfrun.VerdictAnnotation],
	}
	for _, part := range []string{m.Cluster, m.Pool, m.Series, m.Name} {
		if part == "." || part == ".." || strings.ContainsAny(part, `/\`) {
			return Meta{}, nil, fmt.Errorf("%q cannot name a directory", part)
		}
	}
	var err error
	if m.Started, err = stamp(cm, perfrun.StartedAnnotation); err != nil {
		return Meta{}, nil, err
	}
	if m.Finished, err = stamp(cm, finishedAnnotation); err != nil {
		return Meta{}, nil, err
	}
	if m.ExitCode, err = strconv.Atoi(cm.Annotations[exitCodeAnnotation]); err != nil {
		return Meta{}, nil, fmt.Errorf("annotation %s: %q is no exit status", exitCodeAnnotation, cm.Annotations[exitCodeAnnotation])
	}
	files := map[string][]byte{}
	for name, data := range cm.Data {
		if name == MetaFile || name != filepath.Base(name) || strings.HasPrefix(name, ".") {
			return Meta{}, nil, fmt.Errorf("file %q cannot be kept", name)
		}
		files[name] = []byte(data)
	}
	for name, data := range cm.BinaryData {
		files[name] = data
	}
	if m.Test == testKubeBurner {
		if err := checkKubeBurner(files, m.ExitCode); err != nil {
			return Meta{}, nil, err
		}
	}
	return m, files, nil
}

// Annotations publish.sh sets besides perfrun's.
const (
	finishedAnnotation = "lowlat.dev/finished"
	exitCodeAnnotation = "lowlat.dev/exit-code"
)

func stamp(cm *corev1.ConfigMap, key string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, cm.Annotations[key])
	if err != nil {
		return time.Time{}, fmt.Errorf("annotation %s: %q is no RFC 3339 time", key, cm.Annotations[key])
	}
	return t, nil
}

// checkKubeBurner reads the quantile files as lowlat results does. A run
// that failed before kube-burner wrote any is kept: its log says why.
func checkKubeBurner(files map[string][]byte, exit int) error {
	quantiles := 0
	for name := range files {
		if strings.Contains(name, "QuantilesMeasurement-") {
			quantiles++
		}
	}
	switch {
	case quantiles == 0 && exit != 0:
		return nil
	case quantiles == 0:
		return fmt.Errorf("a passed kube-burner run without quantile files")
	}
	dir, err := os.MkdirTemp("", "lowlat-pull-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			return err
		}
	}
	if _, err = kubeburner.ReadRun(dir); err != nil {
		return fmt.Errorf("%s", strings.ReplaceAll(err.Error(), dir+string(filepath.Separator), ""))
	}
	return nil
}
