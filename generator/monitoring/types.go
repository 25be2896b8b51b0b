package monitoring

import "github.com/lowlat/lowlat/generator/kube"

// PrometheusRule is the part of monitoring.coreos.com/v1 PrometheusRule
// lowlat writes, with the JSON tags of the Prometheus Operator's
// pkg/apis/monitoring/v1 (v0.94.1, whose CRD lowlat validates against).
type PrometheusRule struct {
	kube.TypeMeta `json:",inline"`
	Metadata      kube.ObjectMeta    `json:"metadata"`
	Spec          PrometheusRuleSpec `json:"spec"`
}

// PrometheusRuleSpec holds rule groups, as a Prometheus rule file does.
type PrometheusRuleSpec struct {
	Groups []RuleGroup `json:"groups"`
}

// RuleGroup is a group of rules evaluated together.
type RuleGroup struct {
	Name  string `json:"name"`
	Rules []Rule `json:"rules"`
}

// Rule is an alerting rule.
type Rule struct {
	Alert       string            `json:"alert"`
	Expr        string            `json:"expr"`
	For         string            `json:"for,omitempty"`
	Labels      map[string]string `json:"labels,omitempty"`
	Annotations map[string]string `json:"annotations,omitempty"`
}
