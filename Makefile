# lowlat — everything a clone needs beyond Go comes through go.mod.
GO        ?= go
BIN       := bin/lowlat
INVENTORY ?= fixtures/inventories/workshop.yaml
PKGS      := ./generator/...

.PHONY: help all build generate test check vet fmt-check fuzz bench clean

all: build test check

## help: list the targets
help:
	@grep -E '^## ' $(MAKEFILE_LIST) | sed 's/^## /  /'

## build: bin/lowlat
build:
	$(GO) build -o $(BIN) ./generator/cmd/lowlat

## generate: render the workshop inventory into base/, overlays/ and apps/
generate: build
	$(BIN) render -f $(INVENTORY) -o .

## test: unit, golden and property tests
test:
	$(GO) test $(PKGS)

## check: formatting, vet, and the committed tree against a fresh render
check: build fmt-check vet
	$(BIN) check -f $(INVENTORY) -d .

## vet: go vet
vet:
	$(GO) vet $(PKGS)

fmt-check:
	@out=$$(gofmt -l generator); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

## fuzz: run each fuzz target for FUZZTIME
FUZZTIME ?= 10s
fuzz:
	$(GO) test ./generator/inventory -run '^$$' -fuzz FuzzParse -fuzztime $(FUZZTIME)
	$(GO) test ./generator/topology -run '^$$' -fuzz FuzzParseLscpu -fuzztime $(FUZZTIME)
	$(GO) test ./generator/topology -run '^$$' -fuzz FuzzParseCPUSet -fuzztime $(FUZZTIME)

## bench: benchmarks
bench:
	$(GO) test $(PKGS) -run '^$$' -bench . -benchmem

clean:
	rm -rf bin
