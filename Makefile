# lowlat — everything a clone needs beyond Go comes through go.mod.
GO        ?= go
BIN       := bin/lowlat
INVENTORY ?= fixtures/inventories/workshop.yaml
PKGS      := ./generator/...

.PHONY: help all build generate test testdata-modules check vet fmt-check fuzz fuzz-ci bench clean

all: build test check

## help: list the targets
help:
	@grep -E '^## ' $(MAKEFILE_LIST) | sed 's/^## /  /'

## build: bin/lowlat, bin/lowlat-fn (the KRM function alone) and bin/lowlat-rehearse (lowlat rehearse: ArgoCD's sync engine on a cluster twin)
build:
	$(GO) build -o $(BIN) ./generator/cmd/lowlat
	$(GO) build -o $(BIN)-fn ./generator/cmd/lowlat-fn
	$(GO) build -o $(BIN)-rehearse ./generator/cmd/lowlat-rehearse

## generate: render the workshop inventory into base/, overlays/, apps/ and krm/
generate: build
	$(BIN) render -f $(INVENTORY) -o .

## test: unit, golden and property tests, and the Performance Profile Creator's e2e suite
test: testdata-modules
	$(GO) test $(PKGS)

# PPC's e2e suite (must-gathers, expected profiles) is read from this module
# in the Go module cache; generator/topology's tests pin the same version.
# The checksum database has no entry for it.
PPC_MODULE := github.com/openshift/cluster-node-tuning-operator@v0.0.0-20260209053755-f5fe4460e852

## testdata-modules: download the Go modules whose files the tests read as data
testdata-modules:
	GONOSUMDB=github.com/openshift/cluster-node-tuning-operator $(GO) mod download $(PPC_MODULE)

## check: formatting, vet, the committed tree against a fresh render, and every resource against its upstream schema
check: build fmt-check vet
	$(BIN) check -f $(INVENTORY) -d .
	$(BIN) validate

## diff: the rendered manifests that change from BASE (origin/main) to HEAD (HEAD; . for the working tree) as DIFF_FORMAT (text, markdown, json), into DIFF_OUT (stdout)
# Revisions are compared as committed (DIFF_FROM=committed): make check keeps
# each commit's tree equal to its inventory's render by its own generator, so
# a change of the generator shows too. DIFF_FROM=render renders both
# inventories with this checkout's lowlat instead.
BASE        ?= origin/main
HEAD        ?= HEAD
DIFF_FORMAT ?= text
DIFF_FROM   ?= committed
DIFF_OUT    ?=
.PHONY: diff
diff: build
	$(BIN) diff --from $(DIFF_FROM) -f $(INVENTORY) -o $(DIFF_FORMAT) $(BASE) $(HEAD) $(if $(DIFF_OUT),> $(DIFF_OUT))

## vet: go vet
vet:
	$(GO) vet $(PKGS)

fmt-check:
	@out=$$(gofmt -l generator); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

## fuzz: run each fuzz target for FUZZTIME; a crash is saved under the package's testdata/fuzz/ and replays in make test once committed
FUZZTIME ?= 10s
fuzz:
	$(GO) test ./generator/inventory -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME)
	$(GO) test ./generator/topology -run '^$$' -fuzz '^FuzzParseLscpu$$' -fuzztime $(FUZZTIME)
	$(GO) test ./generator/topology -run '^$$' -fuzz '^FuzzParseCPUSet$$' -fuzztime $(FUZZTIME)
	$(GO) test ./generator/schema -run '^$$' -fuzz '^FuzzValidateFile$$' -fuzztime $(FUZZTIME)
	$(GO) test ./generator/topology/sysinfo -run '^$$' -fuzz '^FuzzReadArchive$$' -fuzztime $(FUZZTIME)

## fuzz-ci: every fuzz target on 3000 generated inputs (what CI runs; a count, not a time, so a loaded machine cannot cut a run short)
fuzz-ci:
	$(MAKE) fuzz FUZZTIME=3000x

## bench: render, marshal floor, partitioner, fleets of 1,000 and 10,000 clusters (time, peak memory, cores, re-render) and the KRM function, with ratios, then change-point precision and recall per class (about 15 minutes)
bench:
	@mkdir -p bin
	$(GO) test ./generator/bench ./generator/topology -run '^$$' -bench '^Benchmark(Render|MarshalFloor|Split512)' -benchmem -count 1 > bin/bench.txt || { cat bin/bench.txt; exit 1; }
	$(GO) test ./generator/bench -run '^$$' -bench '^BenchmarkFleetRender' -benchtime 1x -count 1 -timeout 60m >> bin/bench.txt || { cat bin/bench.txt; exit 1; }
	$(GO) test ./generator/krm -run '^$$' -bench '^BenchmarkKustomizeBuild' -count 1 >> bin/bench.txt || { cat bin/bench.txt; exit 1; }
	$(GO) run ./generator/bench/cmd/benchreport < bin/bench.txt
	$(GO) test ./generator/results/history -run '^$$' -bench '^BenchmarkDetectionQuality$$' -benchtime 1x -count 1 > bin/bench-changepoints.txt || { cat bin/bench-changepoints.txt; exit 1; }
	@awk 'BEGIN { print "change points on labelled synthetic histories  rank: precision  recall   otava: precision  recall  events" } \
		/^BenchmarkDetectionQuality\/class=/ { split($$1, a, "[=-]"); delete m; for (i = 3; i < NF; i += 2) m[$$(i+1)] = $$i; \
		printf "  %-44s %16.2f %7.2f %17.2f %7.2f %7d\n", a[2], m["rank-precision"], m["rank-recall"], m["otava-precision"], m["otava-recall"], m["events"] }' bin/bench-changepoints.txt

## rehearse: roll the committed tree out on a cluster twin with ArgoCD's sync engine (bin/lowlat-rehearse); REHEARSE_FROM=REV first rolls out REV's committed tree and rehearses only the clusters that change; REHEARSE_FORMAT (text, markdown, json) into REHEARSE_OUT (stdout)
REHEARSE_FROM   ?=
REHEARSE_FORMAT ?= text
REHEARSE_OUT    ?=
.PHONY: rehearse
rehearse: build
	@dir=$$(GO=$(GO) hack/e2e-tools.sh) && \
	LOWLAT_E2E_BIN="$$dir" $(BIN)-rehearse -f $(INVENTORY) -o $(REHEARSE_FORMAT) $(if $(REHEARSE_FROM),--from $(REHEARSE_FROM) --changed) $(if $(REHEARSE_OUT),> $(REHEARSE_OUT))

## e2e-tools: build kube-apiserver, kubectl and etcd from the pinned tools module (generator/e2e/tools) once per version into the user's cache (about 12 minutes cold on 2 cores)
.PHONY: e2e e2e-tools promtool
e2e-tools:
	@GO=$(GO) hack/e2e-tools.sh >/dev/null

## promtool: build Prometheus's promtool from the pinned tools module (generator/monitoring/tools) once per version into the user's cache (about 7 minutes cold on 2 cores)
promtool:
	@GO=$(GO) hack/promtool.sh >/dev/null

## e2e: dry-run every resource of the committed tree, the golden trees and a fresh workshop render on a real kube-apiserver with the upstream CRDs, parse every alert expression and run the alerts' unit tests with promtool, run the perf runs' retention and publish scripts against it and pull what they leave, then rehearse rollouts (workshop, fleet with an update, faults, an older ArgoCD, --from HEAD) with ArgoCD's sync engine on a cluster twin
E2E_TIMEOUT ?= 45m
e2e:
	@dir=$$(GO=$(GO) hack/e2e-tools.sh) && promtool=$$(GO=$(GO) hack/promtool.sh) && \
	LOWLAT_E2E_BIN="$$dir" LOWLAT_PROMTOOL="$$promtool" $(GO) test -tags e2e -count=1 -p 1 -timeout $(E2E_TIMEOUT) -v ./generator/e2e/ ./generator/monitoring/ ./generator/perfrun/ ./generator/results/pull/ ./generator/rehearse/...

clean:
	rm -rf bin
