package workload

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/platformcluster/function-platform-cluster/fn/score"
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
	labels := map[string]any{"app.kubernetes.io/managed-by": score.ManagedBy, "app.kubernetes.io/component": "secret-generator"}
	out := []score.Manifest{{
		"apiVersion": "v1", "kind": "ServiceAccount",
		"metadata": map[string]any{"name": name, "namespace": ns, "labels": labels},
	}}
	seen := map[string]bool{}
	for _, s := range g.secrets {
		if seen[s.Namespace] {
			continue
		}
		seen[s.Namespace] = true
		out = append(out, score.Manifest{
			"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
			"metadata": map[string]any{"name": name, "namespace": s.Namespace, "labels": labels},
			"rules": []any{map[string]any{
				"apiGroups": []any{""}, "resources": []any{"secrets"}, "verbs": []any{"get", "create"},
			}},
		}, score.Manifest{
			"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
			"metadata": map[string]any{"name": name, "namespace": s.Namespace, "labels": labels},
			"roleRef":  map[string]any{"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": name},
			"subjects": []any{map[string]any{"kind": "ServiceAccount", "name": name, "namespace": ns}},
		})
	}
	restricted := map[string]any{
		"allowPrivilegeEscalation": false,
		"readOnlyRootFilesystem":   true,
		"capabilities":             map[string]any{"drop": []any{"ALL"}},
	}
	toolsMount := map[string]any{"name": "tools", "mountPath": tools}
	out = append(out, score.Manifest{
		"apiVersion": "batch/v1", "kind": "Job",
		"metadata": map[string]any{"name": name, "namespace": ns, "labels": labels},
		"spec": map[string]any{
			"backoffLimit": int64(6),
			"template": map[string]any{
				"metadata": map[string]any{"labels": labels},
				"spec": map[string]any{
					"serviceAccountName": name,
					"volumes": []any{
						map[string]any{"name": "tmp", "emptyDir": map[string]any{}},
						map[string]any{"name": "tools", "emptyDir": map[string]any{}},
					},
					"restartPolicy": "OnFailure",
					"securityContext": map[string]any{
						"runAsNonRoot": true, "runAsUser": int64(65532),
						"seccompProfile": map[string]any{"type": "RuntimeDefault"},
					},
					"initContainers": []any{map[string]any{
						"name":            "shell",
						"image":           ShellImage,
						"command":         []any{"/bin/sh", "-c", installShell},
						"volumeMounts":    []any{toolsMount},
						"securityContext": restricted,
					}},
					"containers": []any{map[string]any{
						"name":    "generate",
						"image":   image,
						"command": []any{tools + "/sh", "-c", g.script()},
						"env": []any{
							// kubectl keeps a discovery cache in $HOME.
							map[string]any{"name": "HOME", "value": "/tmp"},
							map[string]any{"name": "PATH", "value": tools + ":/usr/local/bin:/usr/bin:/bin"},
						},
						"volumeMounts":    []any{map[string]any{"name": "tmp", "mountPath": "/tmp"}, toolsMount},
						"securityContext": restricted,
					}},
				},
			},
		},
	})
	g.withHtpasswd(out[len(out)-1])
	return out
}
