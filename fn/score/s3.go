package score

import (
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

const (
	// The last MinIO release whose documentation ships a container image
	// (minio/minio, README at this tag; its docker-buildx.sh publishes
	// quay.io/minio/minio:<release>). From RELEASE.2025-10-15T17-29-55Z the
	// community edition is source only, so this image gets no fixes: a
	// platform should serve s3 with its own provisioner.
	minioImage = "quay.io/minio/minio:RELEASE.2025-09-07T16-13-09Z"
	minioPort  = 9000
	// secretKeyKey is the Secret key of the S3 secret key, which is also
	// MinIO's root password.
	secretKeyKey = "secret_key"
)

// provisionS3 provisions a MinIO instance with one bucket, created by a Job,
// and outputs what AWS S3 clients read, with score-k8s' names. score-k8s
// shares one MinIO between all buckets and adds a service account; here each
// s3 resource (or each id, when shared) gets its own instance, whose root
// user is the access key, because workloads in different namespaces cannot
// share a Secret.
func (w *workloadCtx) provisionS3(r *request) *provisioned {
	t := r.t
	bucket := stableName(maxLabel, t.label)
	accessKey := identifier(t.ident, 32)
	secret := &secretRef{name: t.base, key: secretKeyKey}
	endpoint := "http://" + t.base + "." + t.namespace + ".svc:9000"
	p := &provisioned{
		outputs: map[string]output{
			"bucket":            plainOutput(bucket),
			"access_key_id":     plainOutput(accessKey),
			"secret_key":        {secret: secret},
			"endpoint":          plainOutput(endpoint),
			"region":            plainOutput("us-east-1"),
			"aws_access_key_id": plainOutput(accessKey),
			"aws_secret_key":    {secret: secret},
		},
		manifests: []Manifest{
			secretManifest(t.namespace, t.base),
			minioService(t),
			minioStatefulSet(t, accessKey),
			minioBucketJob(t, accessKey, bucket, endpoint),
		},
		secrets: []GeneratedSecret{{Namespace: t.namespace, Name: t.base, Keys: []string{secretKeyKey}}},
	}
	if t.shared {
		p.consumerSecrets = []GeneratedSecret{{Name: t.base, Keys: []string{secretKeyKey}}}
	}
	return p
}

func minioService(t target) Manifest {
	return backingService(t.namespace, t.base, "s3", minioPort)
}

// restrictedContainer is the container security context of everything this
// package runs beside workloads.
func restrictedContainer() *corev1.SecurityContext {
	return &corev1.SecurityContext{
		AllowPrivilegeEscalation: ptr(false),
		Privileged:               ptr(false),
		Capabilities:             &corev1.Capabilities{Drop: []corev1.Capability{"ALL"}},
	}
}

func restrictedPod(uid int64) *corev1.PodSecurityContext {
	return &corev1.PodSecurityContext{
		RunAsNonRoot:   ptr(true),
		RunAsUser:      ptr(uid),
		RunAsGroup:     ptr(uid),
		FSGroup:        ptr(uid),
		SeccompProfile: &corev1.SeccompProfile{Type: corev1.SeccompProfileTypeRuntimeDefault},
	}
}

func minioStatefulSet(t target, accessKey string) Manifest {
	c := corev1.Container{
		Name:  "minio",
		Image: minioImage,
		Args:  []string{"server", "/data"},
		Ports: []corev1.ContainerPort{{Name: "s3", ContainerPort: minioPort, Protocol: corev1.ProtocolTCP}},
		Env: []corev1.EnvVar{
			{Name: "MINIO_ROOT_PASSWORD", ValueFrom: secretKeyRef(&secretRef{name: t.base, key: secretKeyKey})},
			{Name: "MINIO_ROOT_USER", Value: accessKey},
		},
		VolumeMounts: []corev1.VolumeMount{{Name: "data", MountPath: "/data"}},
		ReadinessProbe: &corev1.Probe{
			ProbeHandler:  corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: "/minio/health/ready", Port: intstr.FromString("s3")}},
			PeriodSeconds: 3,
		},
		SecurityContext: restrictedContainer(),
	}
	return backingStatefulSet(t.namespace, t.base, corev1.PodSpec{
		AutomountServiceAccountToken: ptr(false),
		Containers:                   []corev1.Container{c},
		SecurityContext:              restrictedPod(1000),
	})
}

// minioBucketJob creates the bucket once MinIO answers; the root password
// reaches mc through the environment, never the manifest.
func minioBucketJob(t target, accessKey, bucket, endpoint string) Manifest {
	name := stableName(maxLabel, t.base, "bucket")
	script := "set -eu\n" +
		"export HOME=/tmp\n" +
		"mc alias set s3 '" + endpoint + "' \"$MINIO_ROOT_USER\" \"$MINIO_ROOT_PASSWORD\"\n" +
		"mc mb --ignore-existing 's3/" + bucket + "'\n"
	return toManifest(&batchv1.Job{
		TypeMeta:   typeMeta("batch/v1", "Job"),
		ObjectMeta: objectMeta(t.namespace, name, t.base),
		Spec: batchv1.JobSpec{
			BackoffLimit: ptr(int32(10)),
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels(name)},
				Spec: corev1.PodSpec{
					RestartPolicy:                corev1.RestartPolicyOnFailure,
					AutomountServiceAccountToken: ptr(false),
					SecurityContext:              restrictedPod(1000),
					Volumes:                      []corev1.Volume{{Name: "tmp", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}}},
					Containers: []corev1.Container{{
						Name:    "create-bucket",
						Image:   minioImage,
						Command: []string{"sh", "-c", script},
						Env: []corev1.EnvVar{
							{Name: "MINIO_ROOT_PASSWORD", ValueFrom: secretKeyRef(&secretRef{name: t.base, key: secretKeyKey})},
							{Name: "MINIO_ROOT_USER", Value: accessKey},
						},
						VolumeMounts:    []corev1.VolumeMount{{Name: "tmp", MountPath: "/tmp"}},
						SecurityContext: restrictedContainer(),
					}},
				},
			},
		},
	})
}
