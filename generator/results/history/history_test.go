package history

import (
	"bytes"
	"flag"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lowlat/lowlat/generator/results/internal/fixtures"
)

var update = flag.Bool("update", false, "rewrite testdata goldens")

const fixtureDir = "../../../fixtures/kube-burner"

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", name, diff)
	}
}

// historyDirs lists the fixture's run directories in directory order,
// which is uuid order, not time order.
func historyDirs(t testing.TB) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(fixtureDir, "history"))
	if err != nil {
		t.Fatal(err)
	}
	var dirs []string
	for _, e := range entries {
		dirs = append(dirs, filepath.Join(fixtureDir, "history", e.Name()))
	}
	return dirs
}

func defaults() Options {
	return Options{Direction: Worse, MinChange: DefaultMinChange}
}

func analyze(t testing.TB, dirs []string, opts Options) Result {
	t.Helper()
	runs, err := Load(dirs, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Analyze(runs, opts)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestFixtureStepIsTheOnlyChange(t *testing.T) {
	res := analyze(t, historyDirs(t), defaults())
	if len(res.Runs) != fixtures.HistoryRuns || len(res.Metrics) != 80 {
		t.Fatalf("%d runs and %d metrics, want %d and 80", len(res.Runs), len(res.Metrics), fixtures.HistoryRuns)
	}
	var got []string
	for _, p := range res.Points {
		if p.Run != fixtures.StepRun || p.Status != Regression {
			t.Errorf("%s: %s at run %d, want regressions at run %d only", p.Metric, p.Status, p.Run, fixtures.StepRun)
		}
		if pct, _ := p.PercentChange(); pct < 20 || pct > 35 {
			t.Errorf("%s: change %+.1f%%, want about +%g%%", p.Metric, pct, fixtures.StepIncrease*100)
		}
		got = append(got, p.Metric)
	}
	var want []string
	for _, q := range fixtures.StepQuantiles {
		for _, s := range []string{"P50", "P95", "P99", "avg", "max"} {
			want = append(want, "podLatency/pod-density/"+q+"/"+s)
		}
	}
	sort.Strings(want)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("flagged metrics (-want +got):\n%s", diff)
	}
}

func TestInputOrderDoesNotMatter(t *testing.T) {
	dirs := historyDirs(t)
	opts := defaults()
	opts.Metrics = []string{"podLatency/pod-density/Ready/*"}
	var want bytes.Buffer
	if err := WriteJSON(&want, analyze(t, dirs, opts)); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 5 {
		shuffled := slices.Clone(dirs)
		rng.Shuffle(len(shuffled), func(a, b int) { shuffled[a], shuffled[b] = shuffled[b], shuffled[a] })
		var got bytes.Buffer
		if err := WriteJSON(&got, analyze(t, shuffled, opts)); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(want.Bytes(), got.Bytes()) {
			t.Fatalf("shuffle %d changed the result", i)
		}
	}
}

func TestEqualTimestampsAreOrderedByUUID(t *testing.T) {
	runs := syntheticRuns(40, 0, 0, 0.02)
	for i := range runs {
		runs[i].Timestamp = runs[0].Timestamp // CI retries can land in the same second
	}
	want := slices.Clone(runs)
	Sort(want)
	for i := 1; i < len(want); i++ {
		if want[i-1].UUID >= want[i].UUID {
			t.Fatalf("runs %d and %d not in uuid order", i-1, i)
		}
	}
	rng := rand.New(rand.NewPCG(3, 4))
	rng.Shuffle(len(runs), func(a, b int) { runs[a], runs[b] = runs[b], runs[a] })
	Sort(runs)
	if diff := cmp.Diff(want, runs); diff != "" {
		t.Errorf("shuffled then sorted (-want +got):\n%s", diff)
	}
}

func TestAcknowledgedPointsDoNotFail(t *testing.T) {
	acks, err := LoadAcks(filepath.Join(fixtureDir, "acknowledged.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	opts := defaults()
	opts.Acks = acks
	res := analyze(t, historyDirs(t), opts)
	status := map[Status]int{}
	for _, p := range res.Points {
		status[p.Status]++
		if strings.Contains(p.Metric, "/ContainersReady/") != (p.Status == Acknowledged) {
			t.Errorf("%s is %s", p.Metric, p.Status)
		}
	}
	if status[Acknowledged] != 5 || len(res.NewRegressions()) != 5 {
		t.Errorf("statuses %v, want 5 acknowledged and 5 regressions", status)
	}
	var out bytes.Buffer
	if err := WriteJSON(&out, res); err != nil {
		t.Fatal(err)
	}
	if strings.Count(out.String(), `"is_changepoint": true`) != 1 {
		t.Error("want exactly the step run marked as a change point")
	}
}

func TestOutputGoldens(t *testing.T) {
	acks, err := LoadAcks(filepath.Join(fixtureDir, "acknowledged.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	opts := defaults()
	opts.Acks = acks
	res := analyze(t, historyDirs(t), opts)
	var text bytes.Buffer
	if err := WriteText(&text, res); err != nil {
		t.Fatal(err)
	}
	golden(t, "history.txt", text.Bytes())

	opts.Metrics = []string{"podLatency/pod-density/Ready/P99", "vmiLatency/vmi-latency/VMIRunning/P99"}
	var js bytes.Buffer
	if err := WriteJSON(&js, analyze(t, historyDirs(t), opts)); err != nil {
		t.Fatal(err)
	}
	golden(t, "history.json", js.Bytes())
}

func TestSavedJSONSeriesReadsBack(t *testing.T) {
	opts := defaults()
	opts.Metrics = []string{"podLatency/pod-density/*/P99"}
	res := analyze(t, historyDirs(t), opts)
	var first bytes.Buffer
	if err := WriteJSON(&first, res); err != nil {
		t.Fatal(err)
	}
	saved := filepath.Join(t.TempDir(), "history.json")
	if err := os.WriteFile(saved, first.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	runs, err := Load(nil, []string{saved})
	if err != nil {
		t.Fatal(err)
	}
	again, err := Analyze(runs, opts)
	if err != nil {
		t.Fatal(err)
	}
	var second bytes.Buffer
	if err := WriteJSON(&second, again); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(first.String(), second.String()); diff != "" {
		t.Errorf("re-analysed saved series differs (-first +second):\n%s", diff)
	}
	if _, err := Load(historyDirs(t)[:1], []string{saved}); err == nil || !strings.Contains(err.Error(), "appears twice") {
		t.Errorf("a run both in a directory and in the series file: err = %v", err)
	}
}
