package score

import (
	"encoding/json"
	"fmt"
	"strconv"

	autoscalingv2 "k8s.io/api/autoscaling/v2"

	"github.com/platformcluster/function-platform-cluster/fn/score/manifest"

	"github.com/platformcluster/function-platform-cluster/fn/score/names"

	"github.com/platformcluster/function-platform-cluster/fn/score/provision"
)

// The community horizontal-pod-autoscaler provisioner's defaults and its
// ceiling on maxReplicas.
const (
	hpaMinReplicas  = 2
	hpaMaxReplicas  = 3
	hpaMaxCeiling   = 10
	hpaCPUUtilPct   = 80
	hpaParamMin     = "minReplicas"
	hpaParamMax     = "maxReplicas"
	hpaParamCPUUtil = "targetCPUUtilizationPercentage"
)

// provisionHPA provisions a `horizontal-pod-autoscaler` resource as the
// community provisioner does: an autoscaling/v2 HorizontalPodAutoscaler
// named after the workload, scaling its Deployment (or StatefulSet) on
// average CPU utilisation, with the same defaults and the same ceiling of 10
// on maxReplicas. It has no outputs.
func (w *workloadCtx) provisionHPA(r *provision.Request) *provision.Result {
	lo, ok1 := w.paramInt(r, hpaParamMin, hpaMinReplicas)
	hi, ok2 := w.paramInt(r, hpaParamMax, hpaMaxReplicas)
	cpu, ok3 := w.paramInt(r, hpaParamCPUUtil, hpaCPUUtilPct)
	if !ok1 || !ok2 || !ok3 {
		return provision.FailedResult(r.Resource.Type)
	}
	if hi > hpaMaxCeiling {
		w.d.warn(r.Field+".params."+hpaParamMax, "%d is above the ceiling of %d the community provisioner applies; %d is used", hi, hpaMaxCeiling, hpaMaxCeiling)
		hi = hpaMaxCeiling
	}
	if lo > hi {
		w.d.fatal(r.Field+".params."+hpaParamMin, "%d exceeds maxReplicas (%d)", lo, hi)
		return provision.FailedResult(r.Resource.Type)
	}
	if !w.requestsCPU() {
		w.d.warn(r.Field, "no container requests cpu (containers.<name>.resources.requests.cpu), so the autoscaler cannot compute utilisation and will not scale")
	}
	kind, name := kindDeployment, w.p.name
	if w.kind == kindStatefulSet {
		name = names.Stable(names.MaxStatefulSet, w.p.name)
		kind = kindStatefulSet
	}
	hpa := &autoscalingv2.HorizontalPodAutoscaler{
		TypeMeta:   manifest.TypeMeta("autoscaling/v2", "HorizontalPodAutoscaler"),
		ObjectMeta: manifest.ObjectMeta(w.ns, w.p.name, w.p.name),
		Spec: autoscalingv2.HorizontalPodAutoscalerSpec{
			ScaleTargetRef: autoscalingv2.CrossVersionObjectReference{APIVersion: "apps/v1", Kind: kind, Name: name},
			MinReplicas:    new(int32(lo)),
			MaxReplicas:    int32(hi),
			Metrics: []autoscalingv2.MetricSpec{{
				Type: autoscalingv2.ResourceMetricSourceType,
				Resource: &autoscalingv2.ResourceMetricSource{
					Name:   "cpu",
					Target: autoscalingv2.MetricTarget{Type: autoscalingv2.UtilizationMetricType, AverageUtilization: new(int32(cpu))},
				},
			}},
		},
	}
	return &provision.Result{Outputs: map[string]provision.Output{}, Manifests: []Manifest{manifest.From(hpa)}}
}

// paramInt reads a positive integer param, a number or a string holding
// one (a placeholder's result), or def when it is absent.
func (w *workloadCtx) paramInt(r *provision.Request, key string, def int) (int, bool) {
	v, ok := r.Params[key]
	if !ok || v == nil {
		return def, true
	}
	var s string
	switch t := v.(type) {
	case json.Number:
		s = t.String()
	case string:
		s = t
	default:
		s = fmt.Sprint(v)
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 1000 {
		w.d.fatal(r.Field+".params."+key, "must be a whole number between 1 and 1000, got %s", jsonText(v))
		return 0, false
	}
	return n, true
}

// requestsCPU says whether some container requests cpu, which utilisation
// is measured against.
func (w *workloadCtx) requestsCPU() bool {
	for _, c := range w.p.spec.Containers {
		if c.Resources != nil && c.Resources.Requests != nil && c.Resources.Requests.Cpu != nil {
			return true
		}
	}
	return false
}
