// Command gen refreshes generator/schema/crds from the Go module cache: for
// every source in schema.Sources that has a file, it downloads the pinned
// module version with `go mod download` (outside lowlat's module, so go.mod
// and go.sum stay untouched) and copies the schema, headed by its origin.
// `go generate ./generator/schema` runs it from the package directory.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/lowlat/lowlat/generator/schema"
)

const outDir = "crds"

func main() {
	if err := run(); err != nil {
		fmt.Fprintf(os.Stderr, "gen: %v\n", err)
		os.Exit(1)
	}
}

func run() error {
	dirs := map[string]string{}
	keep := map[string]bool{}
	for _, s := range schema.Sources() {
		if s.File == "" {
			continue
		}
		mv := s.Module + "@" + s.Version
		if dirs[mv] == "" {
			dir, err := download(s)
			if err != nil {
				return err
			}
			dirs[mv] = dir
		}
		data, err := extract(s, filepath.Join(dirs[mv], filepath.FromSlash(s.Path)))
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(outDir, s.File), append([]byte(schema.FileHeader(s)), data...), 0o644); err != nil {
			return err
		}
		keep[s.File] = true
	}
	return removeOthers(keep)
}

// download fetches one module version into the module cache and returns its
// directory. It runs in an empty directory so that no go.mod is consulted.
func download(s schema.Source) (string, error) {
	tmp, err := os.MkdirTemp("", "lowlat-schema-gen-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	cmd := exec.Command("go", "mod", "download", "-json", s.Module+"@"+s.Version)
	cmd.Dir = tmp
	cmd.Env = append(os.Environ(), "GO111MODULE=on", "GOFLAGS=-mod=mod")
	if s.NoSumDB {
		cmd.Env = append(cmd.Env, "GONOSUMDB="+s.Module)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var info struct{ Dir, Error string }
	if jerr := json.Unmarshal(out, &info); jerr == nil && info.Error != "" {
		return "", fmt.Errorf("download %s@%s: %s", s.Module, s.Version, info.Error)
	}
	if err != nil {
		return "", fmt.Errorf("download %s@%s: %v: %s", s.Module, s.Version, err, stderr.String())
	}
	return info.Dir, nil
}

func extract(s schema.Source, file string) ([]byte, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	switch s.Format {
	case schema.FormatCRD:
		return data, nil
	case schema.FormatGoString:
		return goStringEntry(file, data, s.Key)
	}
	return nil, fmt.Errorf("%s: format %q has no file to copy", s.Kind, s.Format)
}

// removeOthers deletes copies no source names any more.
func removeOthers(keep map[string]bool) error {
	entries, err := os.ReadDir(outDir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if !keep[e.Name()] && strings.HasSuffix(e.Name(), ".yaml") {
			if err := os.Remove(filepath.Join(outDir, e.Name())); err != nil {
				return err
			}
		}
	}
	return nil
}
