package score

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
)

func TestConvertVolumes(t *testing.T) {
	runCases(t, []convertCase{
		{
			name: "claim with defaults, path and readOnly, shared by two containers",
			workloads: []string{`
apiVersion: score.dev/v1b1
metadata: {name: demo-app}
containers:
  writer:
    image: busybox
    volumes:
      /data: {source: "${resources.data}"}
  reader:
    image: busybox
    volumes:
      /mnt/reports: {source: "${resources.data}", path: /sub/reports, readOnly: true}
resources:
  data: {type: volume}
`},
			check: func(t *testing.T, out Output) {
				ms := out.Workloads[0].Manifests
				pvc := manifestOf(t, ms, "PersistentVolumeClaim", "demo-app-data").(*corev1.PersistentVolumeClaim)
				want := corev1.PersistentVolumeClaimSpec{
					AccessModes: []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce},
					Resources:   corev1.VolumeResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceStorage: resource.MustParse("1Gi")}},
				}
				if !cmp.Equal(want, pvc.Spec, cmp.Comparer(func(a, b resource.Quantity) bool { return a.Cmp(b) == 0 })) {
					t.Errorf("claim spec = %+v", pvc.Spec)
				}
				d := manifestOf(t, ms, "Deployment", "demo-app").(*appsv1.Deployment)
				if d.Spec.Strategy.Type != appsv1.RecreateDeploymentStrategyType {
					t.Errorf("a ReadWriteOnce claim needs the Recreate strategy, got %q", d.Spec.Strategy.Type)
				}
				pod := d.Spec.Template.Spec
				if len(pod.Volumes) != 1 || pod.Volumes[0].PersistentVolumeClaim.ClaimName != "demo-app-data" {
					t.Errorf("want one claim volume, got %+v", pod.Volumes)
				}
				wantReader := []corev1.VolumeMount{{Name: "vol-data", MountPath: "/mnt/reports", SubPath: "sub/reports", ReadOnly: true}}
				if diff := cmp.Diff(wantReader, pod.Containers[0].VolumeMounts); diff != "" {
					t.Errorf("reader mounts (-want +got):\n%s", diff)
				}
				wantWriter := []corev1.VolumeMount{{Name: "vol-data", MountPath: "/data"}}
				if diff := cmp.Diff(wantWriter, pod.Containers[1].VolumeMounts); diff != "" {
					t.Errorf("writer mounts (-want +got):\n%s", diff)
				}
			},
		},
		{
			name: "claim params",
			workloads: []string{`
apiVersion: score.dev/v1b1
metadata: {name: demo-app}
containers:
  main:
    image: busybox
    volumes:
      /data: {source: "${resources.data}"}
resources:
  data:
    type: volume
    params: {size: 20Gi, accessMode: ReadWriteMany, storageClassName: linode-block-storage-retain}
`},
			check: func(t *testing.T, out Output) {
				ms := out.Workloads[0].Manifests
				pvc := manifestOf(t, ms, "PersistentVolumeClaim", "demo-app-data").(*corev1.PersistentVolumeClaim)
				if pvc.Spec.AccessModes[0] != corev1.ReadWriteMany || *pvc.Spec.StorageClassName != "linode-block-storage-retain" ||
					pvc.Spec.Resources.Requests.Storage().String() != "20Gi" {
					t.Errorf("claim spec = %+v", pvc.Spec)
				}
				if d := manifestOf(t, ms, "Deployment", "demo-app").(*appsv1.Deployment); d.Spec.Strategy.Type != "" {
					t.Errorf("a ReadWriteMany claim needs no Recreate strategy")
				}
			},
		},
		{
			name: "ephemeral class is an emptyDir",
			workloads: []string{`
apiVersion: score.dev/v1b1
metadata: {name: demo-app}
containers:
  main:
    image: busybox
    volumes:
      /cache: {source: "${resources.cache}"}
      /tmp: {source: "${resources.tmp}"}
resources:
  cache: {type: volume, class: ephemeral, params: {sizeLimit: 512Mi, medium: Memory}}
  tmp: {type: volume, class: ephemeral}
`},
			check: func(t *testing.T, out Output) {
				pod := podOf(t, out, "demo-app")
				limit := resource.MustParse("512Mi")
				want := []corev1.Volume{
					{Name: "vol-cache", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{Medium: corev1.StorageMediumMemory, SizeLimit: &limit}}},
					{Name: "vol-tmp", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}},
				}
				if diff := cmp.Diff(want, pod.Volumes, cmp.Comparer(func(a, b resource.Quantity) bool { return a.Cmp(b) == 0 })); diff != "" {
					t.Errorf("volumes (-want +got):\n%s", diff)
				}
				if got := kinds(out.Workloads[0].Manifests); got != "Namespace/demo-app Deployment/demo-app" {
					t.Errorf("emptyDir volumes need no claim; manifests: %s", got)
				}
			},
		},
		{
			name: "bad sources and params",
			workloads: []string{`
apiVersion: score.dev/v1b1
metadata: {name: demo-app}
containers:
  main:
    image: busybox
    volumes:
      /a: {source: volume-name}
      /b: {source: "${resources.nope}"}
      /c: {source: "${resources.dns}"}
      /d: {source: "${resources.good}", path: ../etc}
      /e: {source: "prefix-${resources.good}"}
      relative: {source: "${resources.good}"}
      /f: {source: "${resources.bad}"}
      /g: {source: "${resources.data}"}
resources:
  dns: {type: dns}
  good: {type: volume}
  data: {type: volume, params: {size: lots, accessMode: ReadWriteSometimes, storageClassName: Not_Valid, colour: blue}}
  bad: {type: volume, class: ephemeral, params: {medium: Disk, sizeLimit: 0}}
`},
			problems: []Problem{
				fatal("demo-app", "containers.main.volumes./a.source", `must be one placeholder naming a volume resource, like ${resources.data}; got "volume-name"`),
				fatal("demo-app", "containers.main.volumes./b.source", `there is no resource named "nope"`),
				fatal("demo-app", "containers.main.volumes./c.source", `resource "dns" is a dns, not a volume`),
				fatal("demo-app", "containers.main.volumes./d.path", `must not contain ".."`),
				fatal("demo-app", "containers.main.volumes./e.source", `must be one placeholder naming a volume resource, like ${resources.data}; got "prefix-${resources.good}"`),
				fatal("demo-app", "containers.main.volumes.relative", "the target must be an absolute path"),
				fatal("demo-app", "resources.bad.params.medium", `must be "Memory" or empty, got "Disk"`),
				fatal("demo-app", "resources.bad.params.sizeLimit", "0 is not a positive quantity such as 1Gi"),
				fatal("demo-app", "resources.data.params.accessMode", "must be one of ReadOnlyMany, ReadWriteMany, ReadWriteOnce, ReadWriteOncePod, got \"ReadWriteSometimes\""),
				warning("demo-app", "resources.data.params.colour", "not a param of this resource type (supported: accessMode, size, storageClassName); ignored"),
				fatal("demo-app", "resources.data.params.size", `"lots" is not a positive quantity such as 1Gi`),
				fatal("demo-app", "resources.data.params.storageClassName", `"Not_Valid" is not a StorageClass name: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`),
				warning("demo-app", "resources.good", "no container mounts this volume; nothing is provisioned for it"),
			},
		},
		{
			name: "unmounted volume and shared id",
			workloads: []string{`
apiVersion: score.dev/v1b1
metadata: {name: demo-app}
containers:
  main:
    image: busybox
    volumes:
      /data: {source: "${resources.data}"}
resources:
  data: {type: volume, id: common-data}
  spare: {type: volume}
`},
			problems: []Problem{
				warning("demo-app", "resources.data.id", "volume resources cannot be shared between workloads, which each run in their own namespace; the id is ignored and the resource belongs to this workload"),
				warning("demo-app", "resources.spare", "no container mounts this volume; nothing is provisioned for it"),
			},
			check: wantKinds("Namespace/demo-app PersistentVolumeClaim/demo-app-data Deployment/demo-app"),
		},
	})
}
