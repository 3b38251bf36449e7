package workload

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/platformcluster/function-platform-cluster/fn/score"
	"github.com/platformcluster/function-platform-cluster/fn/score/manifest"
	"github.com/platformcluster/function-platform-cluster/fn/sorted"
)

// secretKey is what a generated key may look like; keys go into a shell
// script, so anything else is refused rather than quoted.
var secretKey = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)

// generator creates the Secrets of one Score resource on the new cluster.
// Credentials are generated there, by a Job, so no password ever appears in
// an Object spec, in the XR, or anywhere on the control plane; and the Job
// leaves an existing Secret alone, so the values are stable across
// reconciles. A shared resource's Secret is needed in every namespace that
// uses it (a secretKeyRef cannot cross namespaces): the Job generates it in
// the first namespace and copies it to the others.
type generator struct {
	resource string
	secrets  []score.GeneratedSecret
}

// groupSecrets groups generated Secrets by the Score resource they belong
// to. A Secret with a key that is not shell-safe is left out and reported.
func groupSecrets(ss []score.GeneratedSecret) ([]generator, []string) {
	by := map[string][]score.GeneratedSecret{}
	var problems []string
	for _, s := range ss {
		if bad := unsafeKey(append(metadataWords(s), s.Keys...)); bad != "" {
			problems = append(problems, fmt.Sprintf("secret %s/%s is not generated: key %q must match %s", s.Namespace, s.Name, bad, secretKey))
			continue
		}
		id := s.Resource
		if id == "" {
			id = s.Namespace + "/" + s.Name
		}
		by[id] = append(by[id], s)
	}
	ids := sorted.Keys(by)
	out := make([]generator, 0, len(ids))
	for _, id := range ids {
		g := by[id]
		// The shared namespace holds a shared resource's own Secret, the
		// one the database reads: it is generated first, the rest copied.
		sort.Slice(g, func(i, j int) bool {
			si, sj := g[i].Namespace == score.SharedNamespace, g[j].Namespace == score.SharedNamespace
			if si != sj {
				return si
			}
			return g[i].Namespace+"/"+g[i].Name < g[j].Namespace+"/"+g[j].Name
		})
		out = append(out, generator{resource: id, secrets: g})
	}
	return out, problems
}

// metadataWords are the label and annotation keys and values a Secret is
// created with, which go into the script as keys do; a "/" is allowed in
// them (prefixed keys such as meta.helm.sh/release-name).
func metadataWords(s score.GeneratedSecret) []string {
	var out []string
	if h := s.Htpasswd; h != nil {
		out = append(out, h.User, h.Key, h.PasswordKey)
	}
	for k, v := range s.Seeds {
		out = append(out, k, strings.ReplaceAll(v, "/", "."))
	}
	for _, kv := range []map[string]string{s.Labels, s.Annotations} {
		for k, v := range kv {
			out = append(out, strings.ReplaceAll(k, "/", "."), strings.ReplaceAll(v, "/", "."))
		}
	}
	return out
}

func unsafeKey(keys []string) string {
	for _, k := range keys {
		if !secretKey.MatchString(k) {
			return k
		}
	}
	return ""
}

// name is the stable name of the generator's ServiceAccount and Job.
func (g generator) name() string {
	return "gen-" + g.secrets[0].Name
}

// namespace is where the generator runs: that of its first Secret.
func (g generator) namespace() string { return g.secrets[0].Namespace }

// genFunc draws a 32-character password from letters and digits, again
// until it holds a digit, a lower-case and an upper-case letter: SQL
// Server refuses a password without three of those classes, and about one
// draw in 250 has no digit. Shell builtins only (case), besides the applets
// the init container links.
const genFunc = `gen() { while :; do v=$(head -c 64 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 32); ` +
	`case $v in *[0-9]*) case $v in *[a-z]*) case $v in *[A-Z]*) echo "$v"; return;; esac;; esac;; esac; done; }`

// script generates the first Secret if it is missing and copies its values
// into the others.
func (g generator) script() string {
	var b strings.Builder
	b.WriteString("set -eu\n")
	b.WriteString(genFunc + "\n")
	first := g.secrets[0]
	for i, s := range g.secrets {
		fmt.Fprintf(&b, "if ! kubectl get secret -n '%s' '%s' >/dev/null 2>&1; then\n", s.Namespace, s.Name)
		fmt.Fprintf(&b, "  kubectl create secret generic -n '%s' '%s'", s.Namespace, s.Name)
		for _, k := range s.Keys {
			src := draw(s.Length)
			if seed, ok := s.Seeds[k]; ok {
				src = seeded(s.Namespace, seed, src)
			}
			if i > 0 && slices.Contains(first.Keys, k) {
				src = fmt.Sprintf("$(kubectl get secret -n '%s' '%s' -o jsonpath='{.data.%s}' | base64 -d)", first.Namespace, first.Name, k)
			}
			if h := s.Htpasswd; h != nil && k == h.PasswordKey {
				fmt.Fprintf(&b, " --from-file='%s'=%s/password", k, hashed)
				continue
			}
			fmt.Fprintf(&b, " --from-literal='%s'=\"%s\"", k, src)
		}
		if h := s.Htpasswd; h != nil {
			fmt.Fprintf(&b, " --from-file='%s'=%s/htpasswd", h.Key, hashed)
		}
		b.WriteString(withMetadata(s))
		b.WriteString("\nfi\n")
	}
	return b.String()
}

// draw is the shell expression of one generated value of n characters
// (0: gen's 32).
func draw(n int) string {
	if n <= 0 || n >= 32 {
		return "$(gen)"
	}
	return fmt.Sprintf("$(gen | head -c %d)", n)
}

// seeded is the value of a key of another Secret ("name/key") when it
// holds one, else a drawn value.
func seeded(ns, seed, draw string) string {
	name, key, _ := strings.Cut(seed, "/")
	return fmt.Sprintf("$(s=$(kubectl get secret -n '%s' '%s' -o jsonpath='{.data.%s}' 2>/dev/null | base64 -d) || true; "+
		"if [ -n \"$s\" ]; then printf %%s \"$s\"; else printf %%s \"%s\"; fi)", ns, name, key, draw)
}

// withMetadata finishes the create command: a Secret with labels or
// annotations is built offline (--dry-run=client, kubectl label and
// annotate --local) and then created, which needs no verb beyond create.
func withMetadata(s score.GeneratedSecret) string {
	if len(s.Labels) == 0 && len(s.Annotations) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString(" --dry-run=client -o json")
	for _, step := range []struct {
		cmd string
		kv  map[string]string
	}{{"label", s.Labels}, {"annotate", s.Annotations}} {
		if len(step.kv) == 0 {
			continue
		}
		fmt.Fprintf(&b, " | kubectl %s --local -f - -o json", step.cmd)
		for _, k := range sorted.Keys(step.kv) {
			fmt.Fprintf(&b, " '%s=%s'", k, step.kv[k])
		}
	}
	b.WriteString(" | kubectl create -f -")
	return b.String()
}

// ShellImage provides the shell and the few tools the generator's script
// needs besides kubectl. The official kubectl image
// (registry.k8s.io/kubectl) is distroless: it holds kubectl and nothing
// else. So an init container copies the static (musl) busybox of this
// Docker Official Image into a shared volume, and the kubectl image runs
// the script with it.
const ShellImage = "docker.io/library/busybox:1.37.0-musl"

// tools is where the init container puts busybox and its applets.
const tools = "/tools"

// installShell copies busybox and links the applets the script uses.
const installShell = "cp /bin/busybox " + tools + "/busybox && for a in sh head base64 tr; do ln -s busybox " + tools + "/$a; done"

// manifests are the generator's ServiceAccount, a Role and RoleBinding in
// every namespace it writes to (only get and create on Secrets), and the Job.
// image is the kubectl image; it needs no shell of its own.
func (g generator) manifests(image string) []score.Manifest {
	name, ns := g.name(), g.namespace()
	out := []score.Manifest{manifest.From(&corev1.ServiceAccount{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "ServiceAccount"},
		ObjectMeta: generatorMeta(ns, name),
	})}
	seen := map[string]bool{}
	for _, s := range g.secrets {
		if seen[s.Namespace] {
			continue
		}
		seen[s.Namespace] = true
		out = append(out, manifest.From(&rbacv1.Role{
			TypeMeta:   metav1.TypeMeta{APIVersion: "rbac.authorization.k8s.io/v1", Kind: "Role"},
			ObjectMeta: generatorMeta(s.Namespace, name),
			Rules:      []rbacv1.PolicyRule{{APIGroups: []string{""}, Resources: []string{"secrets"}, Verbs: []string{"get", "create"}}},
		}), manifest.From(&rbacv1.RoleBinding{
			TypeMeta:   metav1.TypeMeta{APIVersion: "rbac.authorization.k8s.io/v1", Kind: "RoleBinding"},
			ObjectMeta: generatorMeta(s.Namespace, name),
			RoleRef:    rbacv1.RoleRef{APIGroup: "rbac.authorization.k8s.io", Kind: "Role", Name: name},
			Subjects:   []rbacv1.Subject{{Kind: "ServiceAccount", Name: name, Namespace: ns}},
		}))
	}
	return append(out, manifest.From(g.job(name, ns, image)))
}

// generatorLabels are on every object of a generator.
func generatorLabels() map[string]string {
	return map[string]string{"app.kubernetes.io/managed-by": score.ManagedBy, "app.kubernetes.io/component": "secret-generator"}
}

func generatorMeta(ns, name string) metav1.ObjectMeta {
	return metav1.ObjectMeta{Name: name, Namespace: ns, Labels: generatorLabels()}
}

// restricted is the security context of the generator's containers.
func restricted() *corev1.SecurityContext {
	return &corev1.SecurityContext{
		AllowPrivilegeEscalation: new(false),
		ReadOnlyRootFilesystem:   new(true),
		Capabilities:             &corev1.Capabilities{Drop: []corev1.Capability{"ALL"}},
	}
}

// job runs the script with kubectl, after an init container has put a
// shell beside it.
func (g generator) job(name, ns, image string) *batchv1.Job {
	toolsMount := corev1.VolumeMount{Name: "tools", MountPath: tools}
	pod := corev1.PodSpec{
		ServiceAccountName: name,
		Volumes: []corev1.Volume{
			{Name: "tmp", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}},
			{Name: "tools", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}},
		},
		RestartPolicy: corev1.RestartPolicyOnFailure,
		SecurityContext: &corev1.PodSecurityContext{
			RunAsNonRoot: new(true), RunAsUser: new(int64(65532)),
			SeccompProfile: &corev1.SeccompProfile{Type: corev1.SeccompProfileTypeRuntimeDefault},
		},
		InitContainers: []corev1.Container{{
			Name:            "shell",
			Image:           ShellImage,
			Command:         []string{"/bin/sh", "-c", installShell},
			VolumeMounts:    []corev1.VolumeMount{toolsMount},
			SecurityContext: restricted(),
		}},
		Containers: []corev1.Container{{
			Name:    "generate",
			Image:   image,
			Command: []string{tools + "/sh", "-c", g.script()},
			Env: []corev1.EnvVar{
				// kubectl keeps a discovery cache in $HOME.
				{Name: "HOME", Value: "/tmp"},
				{Name: "PATH", Value: tools + ":/usr/local/bin:/usr/bin:/bin"},
			},
			VolumeMounts:    []corev1.VolumeMount{{Name: "tmp", MountPath: "/tmp"}, toolsMount},
			SecurityContext: restricted(),
		}},
	}
	g.withHtpasswd(&pod)
	return &batchv1.Job{
		TypeMeta:   metav1.TypeMeta{APIVersion: "batch/v1", Kind: "Job"},
		ObjectMeta: generatorMeta(ns, name),
		Spec: batchv1.JobSpec{
			BackoffLimit: new(int32(6)),
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: generatorLabels()},
				Spec:       pod,
			},
		},
	}
}
