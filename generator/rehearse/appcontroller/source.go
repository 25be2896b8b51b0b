package appcontroller

import (
	"fmt"
	"path"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// Repo is the git repository the Applications point at, as the
// repo-server sees one revision of it: a file system holding the rendered
// tree.
type Repo struct {
	// URL is the repository URL the Applications name.
	URL string
	// Revision is the commit (or label) being synced.
	Revision string
	// FS holds the revision's files; Root is the directory of the tree
	// (base/, overlays/, apps/) in it, and Prefix the path of that
	// directory inside the repository (the inventory's gitops.path).
	FS     filesys.FileSystem
	Root   string
	Prefix string
}

// Manifests builds an Application source the way ArgoCD's repo-server
// does for a directory with a kustomization: `kustomize build` with the
// default options (argo-cd v3.3.19 util/kustomize: no extra build options
// unless argocd-cm sets kustomize.buildOptions, which lowlat does not).
func (r *Repo) Manifests(repoURL, sourcePath string) ([]*unstructured.Unstructured, error) {
	if !sameRepo(repoURL, r.URL) {
		return nil, fmt.Errorf("source repository %s is not the rehearsed repository %s", repoURL, r.URL)
	}
	dir, err := r.dir(sourcePath)
	if err != nil {
		return nil, err
	}
	resMap, err := krusty.MakeKustomizer(krusty.MakeDefaultOptions()).Run(r.FS, dir)
	if err != nil {
		return nil, fmt.Errorf("kustomize build %s: %w", sourcePath, err)
	}
	var out []*unstructured.Unstructured
	for _, res := range resMap.Resources() {
		// Through JSON, so numbers are int64 as in any object read from
		// the API (res.Map gives int, which DeepCopy refuses).
		data, err := res.MarshalJSON()
		if err != nil {
			return nil, fmt.Errorf("kustomize build %s: %w", sourcePath, err)
		}
		u := &unstructured.Unstructured{}
		if err := u.UnmarshalJSON(data); err != nil {
			return nil, fmt.Errorf("kustomize build %s: %w", sourcePath, err)
		}
		out = append(out, u)
	}
	return out, nil
}

// dir maps a source path of the repository onto the file system.
func (r *Repo) dir(sourcePath string) (string, error) {
	p := path.Clean(sourcePath)
	prefix := path.Clean(r.Prefix)
	rel := p
	if prefix != "." {
		var ok bool
		if rel, ok = strings.CutPrefix(p, prefix+"/"); !ok {
			return "", fmt.Errorf("source path %s is outside the tree at %s", sourcePath, r.Prefix)
		}
	}
	if rel == ".." || strings.HasPrefix(rel, "../") || path.IsAbs(rel) {
		return "", fmt.Errorf("source path %s leaves the repository", sourcePath)
	}
	return path.Join(r.Root, rel), nil
}

// sameRepo compares repository URLs as ArgoCD normalizes them: case and a
// trailing ".git" or "/" do not matter.
func sameRepo(a, b string) bool {
	norm := func(s string) string {
		s = strings.ToLower(strings.TrimSuffix(strings.TrimSuffix(s, "/"), ".git"))
		return s
	}
	return norm(a) == norm(b)
}
