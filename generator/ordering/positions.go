package ordering

import (
	"fmt"
	"path"
	"strconv"
	"strings"

	"github.com/lowlat/lowlat/generator/argocd"
	"github.com/lowlat/lowlat/generator/layout"
	"github.com/lowlat/lowlat/generator/manifest"
	"github.com/lowlat/lowlat/generator/tree"
)

// Position is where ArgoCD syncs a resource: its child Application and
// that Application's wave in the root, then the resource's own wave.
type Position struct {
	App     string
	AppWave int
	Wave    int
}

// Before reports whether ArgoCD finishes a before it starts b. Across
// child Applications only the Application waves order (equal waves sync in
// parallel); within one, only the resource waves.
func (p Position) Before(b Position) bool {
	if p.App != b.App {
		return p.AppWave < b.AppWave
	}
	return p.Wave < b.Wave
}

// Together reports whether a and b are applied in the same step of one
// Application, where ArgoCD orders by kind (Namespaces first).
func (p Position) Together(b Position) bool { return p.App == b.App && p.Wave == b.Wave }

func (p Position) String() string {
	return fmt.Sprintf("Application %s wave %d, resource wave %d", p.App, p.AppWave, p.Wave)
}

// Resource is a rendered object where ArgoCD syncs it.
type Resource struct {
	manifest.ID
	Path   string
	Object map[string]any
	Pos    Position
}

// application is the part of a child Application the rules need.
type application struct {
	// home is the namespace the Application itself lives in.
	name, dir, namespace, home string
	wave                       int
	createNamespace            bool
}

// cluster is one cluster's resources and Applications.
type cluster struct {
	name      string
	resources []Resource
	apps      map[string]application
	// argo holds the namespaces the cluster's Applications live in:
	// ArgoCD's own, which its installation created.
	argo map[string]bool
}

// clusters reads every cluster of the tree: those with an overlay.
func clusters(t *tree.Tree) ([]*cluster, error) {
	var out []*cluster
	for _, name := range layout.OverlayClusters(t.Paths()) {
		apps, err := applications(t, name)
		if err != nil {
			return nil, err
		}
		c := &cluster{name: name, apps: map[string]application{}, argo: map[string]bool{}}
		for _, a := range apps {
			c.apps[a.name] = a
			c.argo[a.home] = true
			files, err := tree.Build(t, a.dir)
			if err != nil {
				return nil, fmt.Errorf("cluster %s: Application %s: %w", name, a.name, err)
			}
			for _, f := range files {
				pos := Position{App: a.name, AppWave: a.wave, Wave: wave(f.Object)}
				c.resources = append(c.resources, Resource{ID: manifest.Identify(f.Object), Path: f.Path, Object: f.Object, Pos: pos})
			}
		}
		out = append(out, c)
	}
	return out, nil
}

// applications reads the child Applications in apps/<cluster>/; without
// them the overlay is one Application in wave 0.
func applications(t *tree.Tree, name string) ([]application, error) {
	dir := layout.AppsDir(name)
	if _, ok := t.File(path.Join(dir, tree.KustomizationFile)); !ok {
		return []application{{name: layout.ClusterDir(name), dir: layout.ClusterDir(name)}}, nil
	}
	files, err := tree.Build(t, dir)
	if err != nil {
		return nil, err
	}
	var out []application
	for _, f := range files {
		if id := manifest.Identify(f.Object); id.Group != "argoproj.io" || id.Kind != "Application" {
			continue
		}
		a, err := readApplication(t, f)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

func readApplication(t *tree.Tree, f tree.File) (application, error) {
	id := manifest.Identify(f.Object)
	spec, _ := f.Object["spec"].(map[string]any)
	source, _ := spec["source"].(map[string]any)
	dest, _ := spec["destination"].(map[string]any)
	sourcePath, _ := source["path"].(string)
	dir, ok := treeDir(t, sourcePath)
	if !ok {
		return application{}, fmt.Errorf("%s: Application %s syncs %q, which is not a kustomization of the tree", f.Path, id.Name, sourcePath)
	}
	a := application{name: id.Name, dir: dir, wave: wave(f.Object), home: id.Namespace}
	a.namespace, _ = dest["namespace"].(string)
	policy, _ := spec["syncPolicy"].(map[string]any)
	options, _ := policy["syncOptions"].([]any)
	for _, o := range options {
		a.createNamespace = a.createNamespace || o == "CreateNamespace=true"
	}
	return a, nil
}

// treeDir maps an Application's source path, which starts with the tree's
// own path in the repository, to a directory of the tree: the longest
// suffix that holds a kustomization.
func treeDir(t *tree.Tree, sourcePath string) (string, bool) {
	parts := strings.Split(path.Clean(sourcePath), "/")
	for i := range parts {
		dir := path.Join(parts[i:]...)
		if _, ok := t.File(path.Join(dir, tree.KustomizationFile)); ok {
			return dir, true
		}
	}
	return "", false
}

// wave reads the sync-wave annotation; ArgoCD's default is 0.
func wave(obj map[string]any) int {
	w, err := strconv.Atoi(strings.TrimSpace(manifest.Annotation(obj, argocd.SyncWaveAnnotation)))
	if err != nil {
		return 0
	}
	return w
}
