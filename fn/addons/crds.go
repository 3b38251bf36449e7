package addons

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"

	"github.com/platformcluster/function-platform-cluster/fn/compose"
	"github.com/platformcluster/function-platform-cluster/fn/gatewayapi"
	"github.com/platformcluster/function-platform-cluster/fn/object"
)

// CRDsKey is the composition resource name of the Object holding the Job
// that installs the Gateway API CRDs. It is Ready once the Job is Complete,
// which is once every CRD is Established.
const CRDsKey = "object-gateway-api-crds"

// The installer's names on the new cluster. kube-system exists on every
// cluster, so nothing has to create a namespace first.
const (
	crdsNamespace = "kube-system"
	crdsName      = "gateway-api-crds"
	crdsRBACName  = "platform-cluster-gateway-api-crds"
)

// crdsWait bounds how long the Job waits for the CRDs to be Established
// after applying them; the API server takes a second or two.
const crdsWait = "300s"

// CRDsStatusField is the XR status field (status.gatewayAPICRDs) that
// remembers which installer Job completed on the new cluster; while it
// names the current one, the installer is no longer composed.
const CRDsStatusField = "gatewayAPICRDs"

// crdsTTL is how long a completed installer Job stays on the new cluster
// before Kubernetes deletes it and its pod. Its Object orphans it, since
// deleting a batch/v1 Job through the API leaves its pods behind; the
// function drops the Object a reconcile or two after the Job completed.
const crdsTTL = int64(3600)

// CRDsInstaller is the name of the Job that installs the CRDs for g:
// gateway-api-crds-<version>-<hash of its pod spec>.
func CRDsInstaller(g Gateway) string {
	return crdJobName(crdPod(g.KubectlImage, g.crdsManifest(), crdLabels()))
}

// CRDsInstalled returns what status.gatewayAPICRDs says after this
// reconcile: the current installer once its Job has been seen Complete on
// the new cluster (now, or remembered in g.CRDsInstalled), else "".
// observedJob and complete are the installer Object's view of its Job:
// its name and its Complete condition's status.
func CRDsInstalled(g Gateway, observedJob, complete string) string {
	current := CRDsInstaller(g)
	if g.CRDsInstalled == current || (observedJob == current && complete == "True") {
		return current
	}
	return ""
}

// crdsAfter is what must be Ready before the gateway controller and
// cert-manager are first composed: the installer Job, unless it completed
// before and is no longer composed.
func (g Gateway) crdsAfter() []string {
	if g.crdsDone() {
		return nil
	}
	return []string{CRDsKey}
}

func (g Gateway) crdsDone() bool { return g.CRDsInstalled == CRDsInstaller(g) }

func (g Gateway) crdsManifest() string {
	if g.CRDsManifest != "" {
		return g.CRDsManifest
	}
	return gatewayapi.InstallURL()
}

func crdLabels() map[string]any {
	return map[string]any{"app.kubernetes.io/name": crdsName, "app.kubernetes.io/version": gatewayapi.Version, "app.kubernetes.io/managed-by": "function-platform-cluster"}
}

// crdItems install the standard-channel Gateway API CRDs with a Job on the
// new cluster that applies the release's install file at the pinned
// version and waits until every CRD is Established, plus the
// ServiceAccount and cluster role it runs with. Once the Job completed,
// and the XR's status remembers it, none of them is composed.
//
// Composing the CRDs themselves, one Object each, put every CRD into every
// reconcile three times (desired state, the observed Object's spec, and
// provider-kubernetes' status.atProvider.manifest, managedFields included):
// 57% of a steady-state request. Composing the installer only until it
// completed keeps even its four Objects (22 KB of a request) out of a
// steady-state reconcile. Nothing composed owns the CRDs, so deleting the
// claim or the installer leaves them on the cluster, as Helm leaves a
// chart's CRDs; the objects of their kinds are deleted before the cluster
// goes without racing the CRDs' deletion.
//
// The Job's name carries the Gateway API version and a hash of its pod
// spec: a new pin, install file or kubectl image is a new Job, which
// applies the new version (a Job's pod template cannot be changed in
// place), and a status that names another Job.
func crdItems(o compose.Owner, g Gateway) []Item {
	if g.crdsDone() {
		return nil
	}
	labels := crdLabels()
	meta := func(name, ns string) map[string]any {
		m := map[string]any{"name": name, "labels": labels}
		if ns != "" {
			m["namespace"] = ns
		}
		return m
	}
	sa := map[string]any{"apiVersion": "v1", "kind": "ServiceAccount", "metadata": meta(crdsName, crdsNamespace)}
	role := map[string]any{
		"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": meta(crdsRBACName, ""),
		"rules": []any{
			map[string]any{"apiGroups": []any{"apiextensions.k8s.io"}, "resources": []any{"customresourcedefinitions"}, "verbs": []any{"get", "list", "watch", "create", "patch"}},
			// The install file's safe-upgrades policy and its binding.
			map[string]any{"apiGroups": []any{"admissionregistration.k8s.io"}, "resources": []any{"validatingadmissionpolicies", "validatingadmissionpolicybindings"}, "verbs": []any{"get", "create", "patch"}},
		},
	}
	binding := map[string]any{
		"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding", "metadata": meta(crdsRBACName, ""),
		"roleRef":  map[string]any{"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": crdsRBACName},
		"subjects": []any{map[string]any{"kind": "ServiceAccount", "name": crdsName, "namespace": crdsNamespace}},
	}
	item := func(key, name string, m map[string]any, ready string) Item {
		return Item{Resource: object.Wrap(o, key, name, m, ready, "gateway"), Component: "gateway"}
	}
	job := item(CRDsKey, crdsName, crdJob(crdPod(g.KubectlImage, g.crdsManifest(), labels), labels), object.ConditionTrue("Complete"))
	job.Object["spec"].(map[string]any)["deletionPolicy"] = "Orphan"
	return []Item{
		item(CRDsKey+"-serviceaccount", crdsName+"-serviceaccount", sa, ""),
		item(CRDsKey+"-clusterrole", crdsName+"-clusterrole", role, ""),
		item(CRDsKey+"-clusterrolebinding", crdsName+"-clusterrolebinding", binding, ""),
		job,
	}
}

// crdPod applies the install file, then waits for every CRD. Both steps
// are kubectl alone, so the kubectl image needs no shell. Server-side apply,
// because the larger CRDs exceed the 256 KiB last-applied annotation of
// client-side apply; forced, because it takes over fields an earlier
// installer (or a previous version of this function, which applied each
// CRD as an Object) owned.
func crdPod(image, manifest string, labels map[string]any) map[string]any {
	restricted := map[string]any{
		"allowPrivilegeEscalation": false,
		"readOnlyRootFilesystem":   true,
		"capabilities":             map[string]any{"drop": []any{"ALL"}},
	}
	// kubectl keeps a discovery cache in $HOME. PATH finds kubectl where
	// the Input's image contract puts it (/bin, /usr/bin or /usr/local/bin),
	// whatever the image's entrypoint.
	env := []any{
		map[string]any{"name": "HOME", "value": "/tmp"},
		map[string]any{"name": "PATH", "value": "/usr/local/bin:/usr/bin:/bin"},
	}
	mounts := []any{map[string]any{"name": "tmp", "mountPath": "/tmp"}}
	wait := []any{"wait", "--for=condition=Established", "--timeout=" + crdsWait}
	for _, n := range gatewayapi.Names() {
		wait = append(wait, "crd/"+n)
	}
	return map[string]any{
		"serviceAccountName": crdsName,
		"restartPolicy":      "OnFailure",
		"securityContext": map[string]any{
			"runAsNonRoot": true, "runAsUser": int64(65532),
			"seccompProfile": map[string]any{"type": "RuntimeDefault"},
		},
		"volumes": []any{map[string]any{"name": "tmp", "emptyDir": map[string]any{}}},
		"initContainers": []any{map[string]any{
			"name": "apply", "image": image, "env": env, "volumeMounts": mounts, "securityContext": restricted,
			"command": []any{"kubectl"}, "args": []any{"apply", "--server-side", "--force-conflicts", "--field-manager=function-platform-cluster", "-f", manifest},
		}},
		"containers": []any{map[string]any{
			"name": "established", "image": image, "env": env, "volumeMounts": mounts, "securityContext": restricted,
			"command": []any{"kubectl"}, "args": wait,
		}},
	}
}

// crdJob runs pod to completion.
func crdJob(pod, labels map[string]any) map[string]any {
	return map[string]any{
		"apiVersion": "batch/v1", "kind": "Job",
		"metadata": map[string]any{"name": crdJobName(pod), "namespace": crdsNamespace, "labels": labels},
		"spec": map[string]any{
			// Retries cover a cluster whose network comes up after the Job.
			"backoffLimit":            int64(10),
			"ttlSecondsAfterFinished": crdsTTL,
			"template":                map[string]any{"metadata": map[string]any{"labels": labels}, "spec": pod},
		},
	}
}

// crdJobName is gateway-api-crds-<version>-<hash of the pod spec>, e.g.
// gateway-api-crds-v1-5-1-0a1b2c3d.
func crdJobName(pod map[string]any) string {
	raw, err := json.Marshal(pod) // map keys sorted: the same spec, the same name
	if err != nil {
		panic(err) // built above from JSON-compatible values
	}
	sum := sha256.Sum256(raw)
	return crdsName + "-" + strings.ReplaceAll(gatewayapi.Version, ".", "-") + "-" + hex.EncodeToString(sum[:4])
}
