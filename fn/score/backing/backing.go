package backing

import (
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/platformcluster/function-platform-cluster/fn/score/manifest"
)

// backingService is the ClusterIP Service of a backing service named name
// in ns: one TCP port, targeting the container port of the same name.
func backingService(ns, name, portName string, port int32) manifest.Manifest {
	return manifest.From(&corev1.Service{
		TypeMeta:   manifest.TypeMeta("v1", "Service"),
		ObjectMeta: manifest.ObjectMeta(ns, name, name),
		Spec: corev1.ServiceSpec{
			Type:     corev1.ServiceTypeClusterIP,
			Selector: manifest.Selector(name),
			Ports: []corev1.ServicePort{{
				Name: portName, Port: port, TargetPort: intstr.FromString(portName), Protocol: corev1.ProtocolTCP,
			}},
		},
	})
}

// backingStatefulSet runs a backing service a provisioner stands up for
// workloads (a database, Kafka, MinIO): one replica named name in ns, with
// pod as its pod, and a 1Gi volume "data" for its state, deleted with the
// StatefulSet. The headless Service of the same name is the provisioner's.
func backingStatefulSet(ns, name string, pod corev1.PodSpec) manifest.Manifest {
	return manifest.From(&appsv1.StatefulSet{
		TypeMeta:   manifest.TypeMeta("apps/v1", "StatefulSet"),
		ObjectMeta: manifest.ObjectMeta(ns, name, name),
		Spec: appsv1.StatefulSetSpec{
			Replicas:    new(int32(1)),
			ServiceName: name,
			// The volume goes with the StatefulSet, so a backing service
			// the workload no longer asks for releases its Linode volume
			// (kept when the claim keeps volumes: fn/teardown sets the
			// volume's reclaim policy).
			PersistentVolumeClaimRetentionPolicy: &appsv1.StatefulSetPersistentVolumeClaimRetentionPolicy{
				WhenDeleted: appsv1.DeletePersistentVolumeClaimRetentionPolicyType,
				WhenScaled:  appsv1.RetainPersistentVolumeClaimRetentionPolicyType,
			},
			Selector: &metav1.LabelSelector{MatchLabels: manifest.Selector(name)},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: manifest.Labels(name)},
				Spec:       pod,
			},
			VolumeClaimTemplates: []corev1.PersistentVolumeClaim{{
				ObjectMeta: metav1.ObjectMeta{Name: "data"},
				Spec: corev1.PersistentVolumeClaimSpec{
					AccessModes: []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce},
					Resources: corev1.VolumeResourceRequirements{
						Requests: corev1.ResourceList{corev1.ResourceStorage: resource.MustParse("1Gi")},
					},
				},
			}},
		},
	})
}
