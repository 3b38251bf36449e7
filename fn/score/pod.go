package score

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	scoretypes "github.com/score-spec/score-go/types"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
)

// podBuilder collects what the containers of one workload need at pod level.
type podBuilder struct {
	w           *workloadCtx
	statefulSet bool
	volumes     map[string]corev1.Volume
	claims      map[string]corev1.PersistentVolumeClaim
	claimsMade  map[string]bool
	// mounted are the volume resources some container mounts.
	mounted map[string]bool
	// files are digest lines of the ConfigMap-backed files.
	files    []string
	recreate bool
}

func newPodBuilder(w *workloadCtx, statefulSet bool) *podBuilder {
	return &podBuilder{
		w:           w,
		statefulSet: statefulSet,
		volumes:     map[string]corev1.Volume{},
		claims:      map[string]corev1.PersistentVolumeClaim{},
		claimsMade:  map[string]bool{},
		mounted:     map[string]bool{},
	}
}

// podSpec builds the containers, sorted by name, and the volumes they mount.
func (b *podBuilder) podSpec() corev1.PodSpec {
	names := sortedKeys(b.w.p.spec.Containers)
	var spec corev1.PodSpec
	probePorts := make([]map[int32]bool, len(names))
	for i, name := range names {
		c, ports := b.container(name, b.w.p.spec.Containers[name])
		spec.Containers = append(spec.Containers, c)
		probePorts[i] = ports
	}
	usedNames := map[string]bool{}
	for i := range spec.Containers {
		spec.Containers[i].Ports = b.w.containerPorts(probePorts[i], len(names), usedNames)
	}
	for _, name := range sortedKeys(b.volumes) {
		spec.Volumes = append(spec.Volumes, b.volumes[name])
	}
	for _, name := range sortedKeys(b.w.p.spec.Resources) {
		if p := b.w.resources[name]; p != nil && !p.Failed && p.Volume != nil && !b.mounted[name] {
			b.w.d.warn("resources."+name, "no container mounts this volume; nothing is provisioned for it")
		}
	}
	return spec
}

func (b *podBuilder) claimTemplates() []corev1.PersistentVolumeClaim {
	var out []corev1.PersistentVolumeClaim
	for _, name := range sortedKeys(b.claims) {
		out = append(out, b.claims[name])
	}
	return out
}

// container converts one container. It also returns the ports its probes
// use, which tell which container serves which service port.
func (b *podBuilder) container(name string, c scoretypes.Container) (corev1.Container, map[int32]bool) {
	field := "containers." + name
	out := corev1.Container{
		Name:      name,
		Image:     b.image(name, c.Image),
		Command:   c.Command,
		Args:      c.Args,
		Env:       b.env(field+".variables", c.Variables),
		Resources: b.resources(field+".resources", c.Resources),
	}
	ports := map[int32]bool{}
	out.LivenessProbe = b.probe(field+".livenessProbe", c.LivenessProbe, ports)
	out.ReadinessProbe = b.probe(field+".readinessProbe", c.ReadinessProbe, ports)

	mounts := append(b.fileMounts(name, field+".files", c.Files), b.volumeMounts(field+".volumes", c.Volumes)...)
	seen := map[string]bool{}
	for _, m := range mounts {
		if seen[m.MountPath] {
			b.w.d.fatal(field, "%s is both a file and a volume target; a path can be mounted once", m.MountPath)
		}
		seen[m.MountPath] = true
	}
	sortMounts(mounts)
	out.VolumeMounts = mounts
	return out, ports
}

func (b *podBuilder) resources(field string, r *scoretypes.ContainerResources) corev1.ResourceRequirements {
	var out corev1.ResourceRequirements
	if r == nil {
		return out
	}
	out.Requests = b.resourceList(field+".requests", r.Requests)
	out.Limits = b.resourceList(field+".limits", r.Limits)
	for name, req := range out.Requests {
		if lim, ok := out.Limits[name]; ok && req.Cmp(lim) > 0 {
			b.w.d.fatal(field+".requests."+string(name), "request %s is above the limit %s; Kubernetes refuses that", req.String(), lim.String())
		}
	}
	return out
}

func (b *podBuilder) resourceList(field string, l *scoretypes.ResourcesLimits) corev1.ResourceList {
	if l == nil {
		return nil
	}
	out := corev1.ResourceList{}
	for name, v := range map[corev1.ResourceName]*string{corev1.ResourceCPU: l.Cpu, corev1.ResourceMemory: l.Memory} {
		if v == nil {
			continue
		}
		q, err := resource.ParseQuantity(*v)
		if err != nil {
			b.w.d.fatal(field+"."+string(name), "%q is not a quantity: %v", *v, err)
			continue
		}
		out[name] = q
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// filesDigest is a digest of every ConfigMap-backed file, or "" without
// files.
func (b *podBuilder) filesDigest() string {
	if len(b.files) == 0 {
		return ""
	}
	h := sha256.New()
	for _, f := range b.files {
		fmt.Fprintf(h, "%d:%s", len(f), f)
	}
	return hex.EncodeToString(h.Sum(nil))
}
