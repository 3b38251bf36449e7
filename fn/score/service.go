package score

import (
	"fmt"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/platformcluster/function-platform-cluster/fn/score/manifest"

	"github.com/platformcluster/function-platform-cluster/fn/score/names"
)

// annotationServiceName renames a workload's Service, as in score-k8s.
const annotationServiceName = "k8s.score.dev/service-name"

type svcPort struct {
	name       string
	port       int32
	targetPort int32
	protocol   corev1.Protocol
}

// serviceInfo is how other workloads and routes reach a workload.
type serviceInfo struct {
	name, namespace string
	ports           []svcPort // sorted by name
}

// host is the Service's DNS name. It includes the namespace because every
// workload has its own.
func (s *serviceInfo) host() string { return s.name + "." + s.namespace + ".svc" }

// find resolves a port given by name or, as score-k8s also allows, by its
// port number.
func (s *serviceInfo) find(ref string) (svcPort, bool) {
	for _, p := range s.ports {
		if p.name == ref {
			return p, true
		}
	}
	for _, p := range s.ports {
		if strconv.Itoa(int(p.port)) == ref {
			return p, true
		}
	}
	return svcPort{}, false
}

func (s *serviceInfo) describePorts() string {
	if len(s.ports) == 0 {
		return "it publishes no service ports"
	}
	list := make([]string, len(s.ports))
	for i, p := range s.ports {
		list[i] = fmt.Sprintf("%s (%d)", p.name, p.port)
	}
	return "its service ports are " + strings.Join(list, ", ")
}

// serviceInfo reads service.ports; it needs nothing provisioned, so other
// workloads' service-port resources can use it before this one converts.
func (w *workloadCtx) serviceInfo() *serviceInfo {
	s := &serviceInfo{name: names.Service(names.MaxLabel, w.p.name), namespace: w.ns}
	if v, ok := annotation(w.p.metadata, annotationServiceName); ok {
		s.name = v
	}
	if w.p.spec.Service == nil {
		return s
	}
	for _, name := range sortedKeys(w.p.spec.Service.Ports) {
		p := w.p.spec.Service.Ports[name]
		sp := svcPort{name: name, port: int32(p.Port), targetPort: int32(p.Port), protocol: corev1.ProtocolTCP}
		if p.TargetPort != nil {
			sp.targetPort = int32(*p.TargetPort)
		}
		if p.Protocol != nil && *p.Protocol != "" {
			sp.protocol = corev1.Protocol(*p.Protocol)
		}
		s.ports = append(s.ports, sp)
	}
	return s
}

// checkServiceName reports a service-name annotation Kubernetes would refuse.
func (w *workloadCtx) checkServiceName() {
	if v, ok := annotation(w.p.metadata, annotationServiceName); ok {
		if errs := validation.IsDNS1035Label(v); len(errs) > 0 {
			w.d.fatal("metadata.annotations."+annotationServiceName, "%q is not a valid Service name: %s", v, strings.Join(errs, "; "))
		}
	}
}

func (s *serviceInfo) servicePorts() []corev1.ServicePort {
	out := make([]corev1.ServicePort, len(s.ports))
	for i, p := range s.ports {
		out[i] = corev1.ServicePort{
			Name:       p.name,
			Port:       p.port,
			TargetPort: intstr.FromInt32(p.targetPort),
			Protocol:   p.protocol,
		}
	}
	return out
}

// serviceManifest is the workload's Service, or nil without service ports.
func (w *workloadCtx) serviceManifest(podName string) Manifest {
	if len(w.svc.ports) == 0 {
		return nil
	}
	return manifest.From(&corev1.Service{
		TypeMeta:   manifest.TypeMeta("v1", "Service"),
		ObjectMeta: manifest.ObjectMeta(w.ns, w.svc.name, w.p.name),
		Spec: corev1.ServiceSpec{
			Type:     corev1.ServiceTypeClusterIP,
			Selector: manifest.Selector(podName),
			Ports:    w.svc.servicePorts(),
		},
	})
}

// headlessServiceManifest is the governing Service a StatefulSet requires.
func (w *workloadCtx) headlessServiceManifest(name, podName string) Manifest {
	return manifest.From(&corev1.Service{
		TypeMeta:   manifest.TypeMeta("v1", "Service"),
		ObjectMeta: manifest.ObjectMeta(w.ns, name, w.p.name),
		Spec: corev1.ServiceSpec{
			ClusterIP: corev1.ClusterIPNone,
			Selector:  manifest.Selector(podName),
			Ports:     w.svc.servicePorts(),
		},
	})
}

// containerPorts declares the service's target ports on the container that
// serves them. Declaring is informational (the Service targets numbers), so
// with several containers a port goes only where a probe shows it is served.
// usedNames spans the pod, where port names must be unique.
func (w *workloadCtx) containerPorts(probePorts map[int32]bool, containers int, usedNames map[string]bool) []corev1.ContainerPort {
	var out []corev1.ContainerPort
	seen := map[string]bool{}
	for _, p := range w.svc.ports {
		if containers > 1 && !probePorts[p.targetPort] {
			continue
		}
		key := fmt.Sprintf("%d/%s", p.targetPort, p.protocol)
		if seen[key] {
			continue
		}
		seen[key] = true
		cp := corev1.ContainerPort{ContainerPort: p.targetPort, Protocol: p.protocol}
		// Container port names are IANA service names: at most 15
		// characters. A longer Score port name is simply not carried over.
		if len(validation.IsValidPortName(p.name)) == 0 && !usedNames[p.name] {
			cp.Name = p.name
			usedNames[p.name] = true
		}
		out = append(out, cp)
	}
	return out
}

func annotation(metadata map[string]any, key string) (string, bool) {
	a, _ := metadata["annotations"].(map[string]any)
	v, ok := a[key].(string)
	return v, ok
}
