// Package layering holds one test: that the package map in README.md's
// Development section is the one the code follows, so that the map can be
// trusted to say where a new kind, component or command goes.
package layering

import (
	"bufio"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/lowlat/lowlat/generator/"

var row = regexp.MustCompile("^\\| (`[^|]+`) \\|")

// readMap returns the README's package rows, top to bottom: a package may
// import its own row and the rows below it.
func readMap(t *testing.T) [][]string {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows [][]string
	in := false
	s := bufio.NewScanner(f)
	for s.Scan() {
		line := s.Text()
		switch {
		case strings.HasPrefix(line, "| package | is the home of"):
			in = true
		case in && !strings.HasPrefix(line, "|"):
			in = false
		case in:
			if m := row.FindStringSubmatch(line); m != nil {
				var pkgs []string
				for _, p := range strings.Split(m[1], ",") {
					pkgs = append(pkgs, strings.Trim(strings.TrimSpace(p), "`"))
				}
				rows = append(rows, pkgs)
			}
		}
	}
	if len(rows) == 0 {
		t.Fatal("README.md has no package map")
	}
	return rows
}

// rowOf is the row of the longest listed package that is pkg or holds it.
func rowOf(rows [][]string, pkg string) int {
	best, length := -1, 0
	for i, r := range rows {
		for _, p := range r {
			if (pkg == p || strings.HasPrefix(pkg, p+"/")) && len(p) > length {
				best, length = i, len(p)
			}
		}
	}
	return best
}

func TestThePackageMapIsTheOneTheCodeFollows(t *testing.T) {
	rows := readMap(t)
	root := filepath.Join("..", "..")
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") || strings.Contains(p, "testdata") {
			return err
		}
		dir, _ := filepath.Rel(root, filepath.Dir(p))
		pkg := filepath.ToSlash(dir)
		if strings.HasPrefix(pkg, "internal/") || strings.Contains(pkg, "/internal") {
			return nil
		}
		from := rowOf(rows, pkg)
		if from < 0 {
			t.Errorf("package %s is not in README.md's package map", pkg)
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), p, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			dep, ok := strings.CutPrefix(path, module)
			if !ok || strings.Contains(dep, "internal") {
				continue
			}
			if to := rowOf(rows, dep); to >= 0 && to < from {
				t.Errorf("%s imports %s, which README.md's package map puts above it", p, dep)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
