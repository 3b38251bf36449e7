package workload

import (
	"fmt"

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

// withHtpasswd adds the htpasswd step to the generator's Job when one of
// its Secrets asks for an htpasswd line (at most one may).
func (g generator) withHtpasswd(job score.Manifest) {
	var h *score.Htpasswd
	for _, s := range g.secrets {
		if s.Htpasswd != nil {
			h = s.Htpasswd
		}
	}
	if h == nil {
		return
	}
	pod := job["spec"].(map[string]any)["template"].(map[string]any)["spec"].(map[string]any)
	mount := map[string]any{"name": "hashed", "mountPath": hashed}
	pod["volumes"] = append(pod["volumes"].([]any), map[string]any{"name": "hashed", "emptyDir": map[string]any{"medium": "Memory"}})
	init := pod["initContainers"].([]any)
	pod["initContainers"] = append(init, map[string]any{
		"name":            "htpasswd",
		"image":           HtpasswdImage,
		"command":         []any{"/bin/sh", "-c", htpasswdScript(*h)},
		"volumeMounts":    []any{mount},
		"securityContext": init[0].(map[string]any)["securityContext"],
	})
	main := pod["containers"].([]any)[0].(map[string]any)
	main["volumeMounts"] = append(main["volumeMounts"].([]any), mount)
}
