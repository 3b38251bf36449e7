package workload

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"

	"github.com/platformcluster/function-platform-cluster/fn/score"
)

// HtpasswdImage provides htpasswd, which a Secret asking for an htpasswd
// line needs: registries accept only bcrypt there, and neither kubectl's
// image nor busybox can compute bcrypt. The Apache HTTP Server Docker
// Official Image ships it (library/httpd in docker-library/official-images,
// tag 2.4.68-alpine); its own shell runs the step.
const HtpasswdImage = "docker.io/library/httpd:2.4.68-alpine"

// hashed is where the htpasswd step leaves the password and its line for
// the generator's script, which uses them only if it creates the Secret.
const hashed = "/hashed"

// htpasswdScript draws a password and writes it and its bcrypt line.
func htpasswdScript(h score.Htpasswd) string {
	return "set -eu\n" + genFunc + "\n" +
		"v=$(gen)\nprintf %s \"$v\" > " + hashed + "/password\n" +
		fmt.Sprintf("/usr/local/apache2/bin/htpasswd -nbB '%s' \"$v\" | head -n 1 | tr -d '\\n' > %s/htpasswd\n", h.User, hashed)
}

// withHtpasswd adds the htpasswd step to the generator's pod when one of
// its Secrets asks for an htpasswd line (at most one may).
func (g generator) withHtpasswd(pod *corev1.PodSpec) {
	var h *score.Htpasswd
	for _, s := range g.secrets {
		if s.Htpasswd != nil {
			h = s.Htpasswd
		}
	}
	if h == nil {
		return
	}
	mount := corev1.VolumeMount{Name: "hashed", MountPath: hashed}
	pod.Volumes = append(pod.Volumes, corev1.Volume{Name: "hashed", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{Medium: corev1.StorageMediumMemory}}})
	pod.InitContainers = append(pod.InitContainers, corev1.Container{
		Name:            "htpasswd",
		Image:           HtpasswdImage,
		Command:         []string{"/bin/sh", "-c", htpasswdScript(*h)},
		VolumeMounts:    []corev1.VolumeMount{mount},
		SecurityContext: restricted(),
	})
	main := &pod.Containers[0]
	main.VolumeMounts = append(main.VolumeMounts, mount)
}
