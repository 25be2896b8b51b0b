package twin

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/rest"
)

// defaultConfigMapMode is the mode of a ConfigMap volume's files when the
// volume sets none (corev1.ConfigMapVolumeSourceDefaultMode).
const defaultConfigMapMode = 0o644

// mountConfigMaps copies the ConfigMap volumes the container mounts under
// root, as the kubelet projects them (keys, or items with their paths and
// modes; a subPath mounts one file of it), and maps each mount path to its
// copy. An emptyDir maps to the pod's directory for it, which every
// container of the pod shares for the pod's life (emptyDirs). Other
// volumes are not copied: paths under them do not resolve.
func (p *process) mountConfigMaps(ctx context.Context, c *corev1.Container, root string) (map[string]string, error) {
	mounts := map[string]string{}
	for i, m := range c.VolumeMounts {
		v := p.volume(m.Name)
		if v != nil && v.EmptyDir != nil && p.emptyDirs != nil {
			dir, err := p.emptyDirs.dir(v.Name)
			if err != nil {
				return nil, err
			}
			mounts[m.MountPath] = filepath.Join(dir, m.SubPath)
			continue
		}
		if v == nil || v.ConfigMap == nil {
			continue
		}
		dir := filepath.Join(root, strconv.Itoa(i))
		if err := p.projectConfigMap(ctx, v.Name, v.ConfigMap, dir); err != nil {
			return nil, err
		}
		mounts[m.MountPath] = filepath.Join(dir, m.SubPath)
	}
	return mounts, nil
}

func (p *process) volume(name string) *corev1.Volume {
	for i := range p.podSpec.Volumes {
		if p.podSpec.Volumes[i].Name == name {
			return &p.podSpec.Volumes[i]
		}
	}
	return nil
}

// projectConfigMap writes a ConfigMap volume's files into dir. The kubelet
// reads the ConfigMap with its own rights, so the twin reads it as the
// cluster's administrator; a ConfigMap that does not exist keeps the pod
// from starting unless the volume is optional.
func (p *process) projectConfigMap(ctx context.Context, volume string, src *corev1.ConfigMapVolumeSource, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	cm, err := p.t.kube.CoreV1().ConfigMaps(p.namespace).Get(ctx, src.Name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		if src.Optional != nil && *src.Optional {
			return nil
		}
		return fmt.Errorf("MountVolume.SetUp failed for volume %q : configmap %q not found: %w", volume, src.Name, errNotMounted)
	}
	if err != nil {
		return err
	}
	mode := os.FileMode(defaultConfigMapMode)
	if src.DefaultMode != nil {
		mode = os.FileMode(*src.DefaultMode)
	}
	files := map[string][]byte{}
	for k, v := range cm.Data {
		files[k] = []byte(v)
	}
	for k, v := range cm.BinaryData {
		files[k] = v
	}
	if len(src.Items) == 0 {
		for k, data := range files {
			if err := writeVolumeFile(filepath.Join(dir, k), data, mode); err != nil {
				return err
			}
		}
		return nil
	}
	for _, item := range src.Items {
		data, ok := files[item.Key]
		if !ok {
			if src.Optional != nil && *src.Optional {
				continue
			}
			return fmt.Errorf("MountVolume.SetUp failed for volume %q : configmap references non-existent config key: %s: %w", volume, item.Key, errNotMounted)
		}
		m := mode
		if item.Mode != nil {
			m = os.FileMode(*item.Mode)
		}
		if err := writeVolumeFile(filepath.Join(dir, item.Path), data, m); err != nil {
			return err
		}
	}
	return nil
}

func writeVolumeFile(file string, data []byte, mode os.FileMode) error {
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(file, data, 0o600); err != nil {
		return err
	}
	return os.Chmod(file, mode)
}

// containerEnv resolves the container's environment as the kubelet does,
// in order, each value's $(NAME) references expanded from the variables
// before it: values; fieldRef metadata.namespace, metadata.name and
// spec.serviceAccountName; configMapKeyRef and envFrom configMapRef. Any
// other source is not modelled and fails the container, saying so.
func (p *process) containerEnv(ctx context.Context, c *corev1.Container) ([][2]string, error) {
	var vars [][2]string
	for _, from := range c.EnvFrom {
		if from.ConfigMapRef == nil {
			return nil, fmt.Errorf("envFrom other than configMapRef is not modelled by the twin")
		}
		cm, err := p.t.kube.CoreV1().ConfigMaps(p.namespace).Get(ctx, from.ConfigMapRef.Name, metav1.GetOptions{})
		if err != nil {
			if apierrors.IsNotFound(err) && from.ConfigMapRef.Optional != nil && *from.ConfigMapRef.Optional {
				continue
			}
			return nil, fmt.Errorf("envFrom: %w", err)
		}
		for _, k := range sortedKeys(cm.Data) {
			vars = append(vars, [2]string{from.Prefix + k, cm.Data[k]})
		}
	}
	for _, e := range c.Env {
		v, ok, err := p.envValue(ctx, &e, vars)
		if err != nil {
			return nil, fmt.Errorf("env %s: %w", e.Name, err)
		}
		if ok {
			vars = append(vars, [2]string{e.Name, v})
		}
	}
	return vars, nil
}

func (p *process) envValue(ctx context.Context, e *corev1.EnvVar, before [][2]string) (string, bool, error) {
	from := e.ValueFrom
	switch {
	case from == nil:
		return expandVars(e.Value, lookupIn(before)), true, nil
	case from.FieldRef != nil:
		switch from.FieldRef.FieldPath {
		case "metadata.namespace":
			return p.namespace, true, nil
		case "metadata.name":
			return p.pod, true, nil
		case "spec.serviceAccountName":
			return p.serviceAccount, true, nil
		case "metadata.labels['batch.kubernetes.io/job-name']", "metadata.labels['job-name']":
			// The Job controller labels its pods with the Job's name
			// (kubernetes pkg/controller/job, since 1.27 both keys).
			if p.job != "" {
				return p.job, true, nil
			}
		}
		return "", false, fmt.Errorf("fieldRef %s is not modelled by the twin", from.FieldRef.FieldPath)
	case from.ConfigMapKeyRef != nil:
		ref := from.ConfigMapKeyRef
		optional := ref.Optional != nil && *ref.Optional
		cm, err := p.t.kube.CoreV1().ConfigMaps(p.namespace).Get(ctx, ref.Name, metav1.GetOptions{})
		if apierrors.IsNotFound(err) && optional {
			return "", false, nil
		}
		if err != nil {
			return "", false, err
		}
		v, ok := cm.Data[ref.Key]
		if !ok && !optional {
			return "", false, fmt.Errorf("configmap %s has no key %s", ref.Name, ref.Key)
		}
		return v, ok, nil
	}
	return "", false, fmt.Errorf("this valueFrom is not modelled by the twin")
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// identity is the pod's service account as the twin impersonates it.
func (p *process) identity() rest.ImpersonationConfig {
	return rest.ImpersonationConfig{
		UserName: "system:serviceaccount:" + p.namespace + ":" + p.serviceAccount,
		Groups:   []string{"system:serviceaccounts", "system:serviceaccounts:" + p.namespace, "system:authenticated"},
	}
}

// emptyDirs are the emptyDir volumes of one pod: a directory each, under
// root, created when a container first mounts it and removed with the
// pod.
type emptyDirs struct {
	root string
}

func (e *emptyDirs) dir(volume string) (string, error) {
	d := filepath.Join(e.root, volume)
	return d, os.MkdirAll(d, 0o755)
}

func (e *emptyDirs) remove() { os.RemoveAll(e.root) }
