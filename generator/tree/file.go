package tree

import (
	"fmt"
	"path"
)

// AddFile stores generated contents that are not one Kubernetes object at
// p, a slash path relative to the tree: a kustomization with generators
// instead of resources, or a topology capture a KRM function reads. The
// header is prepended, so the file is lowlat's like any other. Call it after
// Kustomize, which would otherwise list the file as a resource.
func (t *Tree) AddFile(p string, data []byte) error {
	if !isSafeRelative(p) || path.Dir(p) == "." {
		return fmt.Errorf("%w: %q is not a file below a root directory", ErrUnsafe, p)
	}
	if _, exists := t.files[p]; exists {
		return fmt.Errorf("%w: %s", ErrDuplicate, p)
	}
	t.files[p] = append([]byte(Header), data...)
	return nil
}
