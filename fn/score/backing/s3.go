package backing

import (
	"strconv"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/platformcluster/function-platform-cluster/fn/score/names"

	"github.com/platformcluster/function-platform-cluster/fn/score/manifest"

	"github.com/platformcluster/function-platform-cluster/fn/score/provision"
)

const (
	// SeaweedFS, maintained and Apache-2.0, replaces MinIO, whose
	// community edition stopped publishing images in October 2025. The
	// tag is a release of seaweedfs/seaweedfs, which its
	// container_release_unified workflow pushes as chrislusf/seaweedfs:<tag>.
	seaweedfsImage = "chrislusf/seaweedfs:4.44"
	// s3Port is the Service's port, the one endpoint outputs name (it was
	// MinIO's); seaweedfsS3Port is where `weed mini` serves S3.
	s3Port          = 9000
	seaweedfsS3Port = 8333
	// secretKeyKey is the Secret key of the S3 secret key, which is also
	// the store's admin secret.
	secretKeyKey = "secret_key"
)

// provisionS3 provisions a single-node S3 store (SeaweedFS) with one
// bucket, which the store creates when it starts, and outputs what AWS S3
// clients read, with score-k8s' names. score-k8s shares one MinIO between
// all buckets and adds a service account; here each s3 resource (or each
// id, when shared) gets its own instance, whose admin is the access key,
// because workloads in different namespaces cannot share a Secret.
func provisionS3(r *provision.Request) *provision.Result {
	t := r.Target
	bucket := names.Stable(names.MaxLabel, t.Label)
	accessKey := names.Identifier(t.Ident, 32)
	secret := &provision.SecretRef{Name: t.Base, Key: secretKeyKey}
	endpoint := "http://" + t.Base + "." + t.Namespace + ".svc:" + strconv.Itoa(s3Port)
	p := &provision.Result{
		Outputs: map[string]provision.Output{
			"bucket":            provision.Plain(bucket),
			"access_key_id":     provision.Plain(accessKey),
			"secret_key":        {Secret: secret},
			"endpoint":          provision.Plain(endpoint),
			"region":            provision.Plain("us-east-1"),
			"aws_access_key_id": provision.Plain(accessKey),
			"aws_secret_key":    {Secret: secret},
		},
		Manifests: []manifest.Manifest{
			manifest.Secret(t.Namespace, t.Base),
			s3Service(t),
			s3StatefulSet(t, accessKey, bucket),
		},
		Secrets: []provision.GeneratedSecret{{Namespace: t.Namespace, Name: t.Base, Keys: []string{secretKeyKey}}},
	}
	if t.Shared {
		p.ConsumerSecrets = []provision.GeneratedSecret{{Name: t.Base, Keys: []string{secretKeyKey}}}
	}
	return p
}

func s3Service(t provision.Target) manifest.Manifest {
	return backingService(t.Namespace, t.Base, "s3", s3Port)
}

// restrictedContainer is the container security context of everything this
// package runs beside workloads.
func restrictedContainer() *corev1.SecurityContext {
	return &corev1.SecurityContext{
		AllowPrivilegeEscalation: new(false),
		Privileged:               new(false),
		Capabilities:             &corev1.Capabilities{Drop: []corev1.Capability{"ALL"}},
	}
}

func restrictedPod(uid int64) *corev1.PodSecurityContext {
	return &corev1.PodSecurityContext{
		RunAsNonRoot:   new(true),
		RunAsUser:      new(uid),
		RunAsGroup:     new(uid),
		FSGroup:        new(uid),
		SeccompProfile: &corev1.SeccompProfile{Type: corev1.SeccompProfileTypeRuntimeDefault},
	}
}

// s3StatefulSet runs `weed mini`: master, volume, filer and S3 gateway in
// one process, the admin identity from AWS_ACCESS_KEY_ID and
// AWS_SECRET_ACCESS_KEY, the bucket made at start if missing. Its data
// lives under /data/seaweedfs, so a volume MinIO wrote keeps MinIO's files
// apart (they are not migrated; README says how to copy them).
func s3StatefulSet(t provision.Target, accessKey, bucket string) manifest.Manifest {
	c := corev1.Container{
		Name:  "s3",
		Image: seaweedfsImage,
		Command: []string{
			"weed", "mini", "-dir=/data/seaweedfs", "-ip=127.0.0.1", "-ip.bind=0.0.0.0",
			"-bucket=" + bucket, "-webdav=false", "-admin.ui=false", "-s3.port.iceberg=0", "-s3.port.lance=0",
		},
		Ports: []corev1.ContainerPort{{Name: "s3", ContainerPort: seaweedfsS3Port, Protocol: corev1.ProtocolTCP}},
		Env: []corev1.EnvVar{
			{Name: "AWS_ACCESS_KEY_ID", Value: accessKey},
			{Name: "AWS_SECRET_ACCESS_KEY", ValueFrom: provision.SecretRef{Name: t.Base, Key: secretKeyKey}.EnvVarSource()},
		},
		VolumeMounts: []corev1.VolumeMount{{Name: "data", MountPath: "/data"}},
		ReadinessProbe: &corev1.Probe{
			ProbeHandler:  corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: "/healthz", Port: intstr.FromString("s3")}},
			PeriodSeconds: 3,
		},
		SecurityContext: restrictedContainer(),
	}
	return backingStatefulSet(t.Namespace, t.Base, corev1.PodSpec{
		AutomountServiceAccountToken: new(false),
		Containers:                   []corev1.Container{c},
		SecurityContext:              restrictedPod(1000),
	})
}
