package argocd

import (
	"strconv"

	"github.com/lowlat/lowlat/generator/kube"
)

// RetryPolicy is the retry policy of every Application lowlat renders. A
// sync fails while a CRD or an admission webhook of an operator installed a
// wave earlier is not served yet; ten retries from 10 s doubling to at most
// 5 min wait about half an hour, longer than an OLM install takes.
func RetryPolicy() *Retry {
	return &Retry{Limit: 10, Backoff: Backoff{Duration: "10s", Factor: 2, MaxDuration: "5m"}}
}

// AutomatedSync is the sync policy of every Application: sync on every
// change, delete what left Git (resources marked Prune=false excepted),
// revert drift, and retry.
func AutomatedSync(options ...string) *SyncPolicy {
	return &SyncPolicy{
		Automated:   &Automated{Prune: true, SelfHeal: true},
		SyncOptions: options,
		Retry:       RetryPolicy(),
	}
}

// NewApplication returns an Application in sync wave wave.
func NewApplication(name, namespace string, wave int, labels map[string]string, spec ApplicationSpec) Application {
	return Application{
		TypeMeta: kube.TypeMeta{APIVersion: APIVersion, Kind: "Application"},
		Metadata: Meta{
			Name: name, Namespace: namespace, Labels: kube.Labels(labels),
			Annotations: map[string]string{SyncWaveAnnotation: strconv.Itoa(wave)},
		},
		Spec: spec,
	}
}

// NewAppProject returns a project in sync wave wave; the caller fills the
// restrictions.
func NewAppProject(name, namespace string, wave int, labels map[string]string, spec AppProjectSpec) AppProject {
	return AppProject{
		TypeMeta: kube.TypeMeta{APIVersion: APIVersion, Kind: "AppProject"},
		Metadata: Meta{
			Name: name, Namespace: namespace, Labels: kube.Labels(labels),
			Annotations: map[string]string{SyncWaveAnnotation: strconv.Itoa(wave)},
		},
		Spec: spec,
	}
}

// NewListApplicationSet returns an ApplicationSet that stamps template out
// once per element, with Go templates that fail on a missing key.
func NewListApplicationSet(name, namespace string, labels map[string]string, elements []map[string]string, template Template) ApplicationSet {
	return ApplicationSet{
		TypeMeta: kube.TypeMeta{APIVersion: APIVersion, Kind: "ApplicationSet"},
		Metadata: Meta{Name: name, Namespace: namespace, Labels: kube.Labels(labels)},
		Spec: ApplicationSetSpec{
			GoTemplate:        true,
			GoTemplateOptions: []string{"missingkey=error"},
			Generators:        []Generator{{List: &ListGenerator{Elements: elements}}},
			Template:          template,
		},
	}
}
