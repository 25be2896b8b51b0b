package cli

import (
	"os"

	"github.com/lowlat/lowlat/generator/layout"
	"github.com/lowlat/lowlat/generator/tree"
)

// writeTree writes a rendered tree into outDir. Unless allowOutside is set,
// outDir must lie, symlinks resolved, inside the git repository that holds
// the current directory (or inside the current directory when that is not
// in a repository): a mistyped -o or a symlinked parent cannot scatter
// base/, overlays/ and apps/ somewhere else.
func writeTree(t *tree.Tree, outDir string, allowOutside bool) error {
	var opts tree.WriteOptions
	if !allowOutside {
		boundary, err := repositoryOrHere()
		if err != nil {
			return err
		}
		opts.Boundary = boundary
	}
	return t.WriteWith(outDir, layout.Roots, opts)
}

func repositoryOrHere() (string, error) {
	here, err := os.Getwd()
	if err != nil {
		return "", err
	}
	root, ok, err := tree.Repository(here)
	if err != nil || !ok {
		return here, err
	}
	return root, nil
}
