package score

import (
	"slices"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/platformcluster/function-platform-cluster/fn/score/manifest"

	"github.com/platformcluster/function-platform-cluster/fn/score/names"
)

// Workload annotations understood as score-k8s understands them.
const (
	annotationPrefix = "k8s.score.dev/"
	annotationKind   = annotationPrefix + "kind"
	// annotationFiles carries a digest of the files mounted from
	// ConfigMaps. They are mounted with subPath, which never sees updates,
	// so a change must roll the pods instead.
	annotationFiles = "score.platformcluster.dev/files-sha256"
)

const (
	kindDeployment  = "Deployment"
	kindStatefulSet = "StatefulSet"
)

// convert provisions the workload's resources and builds its manifests.
func (w *workloadCtx) convert() {
	kind := kindDeployment
	if v, ok := annotation(w.p.metadata, annotationKind); ok {
		if v != kindDeployment && v != kindStatefulSet {
			w.d.fatal("metadata.annotations."+annotationKind, "unsupported workload kind %q; use %s or %s", v, kindDeployment, kindStatefulSet)
			return
		}
		kind = v
	}
	w.kind = kind
	w.checkServiceName()
	w.checkDeployContainers()
	// Every declared resource is provisioned, used by a placeholder or not.
	for _, name := range sortedKeys(w.p.spec.Resources) {
		p, err := w.resource(name)
		if err != nil || p.Shared {
			continue
		}
		w.manifests = appendNew(w.manifests, p.Manifests...)
		for _, s := range p.Secrets {
			// Resources sharing an instance bring its Secret each.
			if !slices.ContainsFunc(w.secrets, func(g GeneratedSecret) bool { return g.Namespace == s.Namespace && g.Name == s.Name }) {
				w.secrets = append(w.secrets, s)
			}
		}
		if p.Route != nil && w.url == "" && !strings.HasPrefix(p.Route.Host, "*") {
			w.url = "http://" + p.Route.Host + p.Route.Path
		}
	}
	b := newPodBuilder(w, kind == kindStatefulSet)
	spec := b.podSpec()
	if w.d.hasFatal() {
		return
	}

	podName := w.p.name
	template := corev1.PodTemplateSpec{
		ObjectMeta: metav1.ObjectMeta{Labels: manifest.Labels(podName), Annotations: b.podAnnotations()},
		Spec:       spec,
	}
	if svc := w.serviceManifest(podName); svc != nil {
		w.manifests = append(w.manifests, svc)
	}
	switch kind {
	case kindDeployment:
		d := &appsv1.Deployment{
			TypeMeta:   manifest.TypeMeta("apps/v1", kindDeployment),
			ObjectMeta: manifest.ObjectMeta(w.ns, podName, w.p.name),
			Spec: appsv1.DeploymentSpec{
				Selector: &metav1.LabelSelector{MatchLabels: manifest.Selector(podName)},
				Template: template,
			},
		}
		if b.recreate {
			// A surge pod on another node could never attach the
			// ReadWriteOnce volume the old pod holds: rollouts would hang.
			d.Spec.Strategy.Type = appsv1.RecreateDeploymentStrategyType
		}
		w.manifests = append(w.manifests, manifest.From(d))
	case kindStatefulSet:
		headless := names.Stable(names.MaxLabel, w.p.name, "headless")
		w.manifests = append(w.manifests, w.headlessServiceManifest(headless, podName))
		w.manifests = append(w.manifests, manifest.From(&appsv1.StatefulSet{
			TypeMeta:   manifest.TypeMeta("apps/v1", kindStatefulSet),
			ObjectMeta: manifest.ObjectMeta(w.ns, names.Stable(names.MaxStatefulSet, podName), w.p.name),
			Spec: appsv1.StatefulSetSpec{
				Selector:             &metav1.LabelSelector{MatchLabels: manifest.Selector(podName)},
				ServiceName:          headless,
				Template:             template,
				VolumeClaimTemplates: b.claimTemplates(),
			},
		}))
	}
}

// podAnnotations are the workload's annotations, minus the k8s.score.dev/
// ones that steer conversion, plus the files digest.
func (b *podBuilder) podAnnotations() map[string]string {
	out := map[string]string{}
	a, _ := b.w.p.metadata["annotations"].(map[string]any)
	for k, v := range a {
		if s, ok := v.(string); ok && !strings.HasPrefix(k, annotationPrefix) {
			out[k] = s
		}
	}
	if d := b.filesDigest(); d != "" {
		out[annotationFiles] = d
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
