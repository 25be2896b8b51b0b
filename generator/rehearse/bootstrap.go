package rehearse

import (
	"context"
	"encoding/json"
	"fmt"
	"path"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/restmapper"
	"sigs.k8s.io/yaml"

	"github.com/lowlat/lowlat/generator/rehearse/appcontroller"
	"github.com/lowlat/lowlat/generator/render"
)

// bootstrap does what the README's GitOps section asks of the user, as a
// cluster administrator: apply apps/health/openshift-gitops (the health
// checks in the ArgoCD CR and the application controller's rights) with
// server-side apply, then create the cluster's root Application.
func bootstrap(ctx context.Context, cfg *rest.Config, repo *appcontroller.Repo, cluster string) error {
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		return err
	}
	dc, err := discovery.NewDiscoveryClientForConfig(cfg)
	if err != nil {
		return err
	}
	mapper := restmapper.NewDeferredDiscoveryRESTMapper(memory.NewMemCacheClient(dc))
	objs, err := repo.Manifests(repo.URL, path.Join(repo.Prefix, "apps/health/openshift-gitops"))
	if err != nil {
		return err
	}
	rootFile := path.Join(repo.Root, "apps/roots", "application-"+render.RootName(cluster)+".yaml")
	data, err := repo.FS.ReadFile(rootFile)
	if err != nil {
		return fmt.Errorf("root application: %w", err)
	}
	root := &unstructured.Unstructured{}
	if err := yaml.Unmarshal(data, &root.Object); err != nil {
		return fmt.Errorf("%s: %w", rootFile, err)
	}
	for _, obj := range append(objs, root) {
		if err := serverSideApply(ctx, dyn, mapper, obj); err != nil {
			return err
		}
	}
	return nil
}

func serverSideApply(ctx context.Context, dyn dynamic.Interface, mapper *restmapper.DeferredDiscoveryRESTMapper, obj *unstructured.Unstructured) error {
	gvk := obj.GroupVersionKind()
	m, err := mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
	if err != nil {
		return fmt.Errorf("%s %s: %w", gvk.Kind, obj.GetName(), err)
	}
	data, err := json.Marshal(obj.Object)
	if err != nil {
		return err
	}
	ri := dyn.Resource(m.Resource)
	var res dynamic.ResourceInterface = ri
	if m.Scope.Name() == "namespace" {
		res = ri.Namespace(obj.GetNamespace())
	}
	force := true
	if _, err := res.Patch(ctx, obj.GetName(), types.ApplyPatchType, data, metav1.PatchOptions{FieldManager: "lowlat", Force: &force}); err != nil {
		return fmt.Errorf("apply %s %s: %w", gvk.Kind, obj.GetName(), err)
	}
	return nil
}
