package score

import (
	"errors"
	"slices"
	"strings"

	"github.com/score-spec/score-go/framework"
	scoretypes "github.com/score-spec/score-go/types"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/platformcluster/function-platform-cluster/fn/score/manifest"

	"github.com/platformcluster/function-platform-cluster/fn/score/provision"

	"github.com/platformcluster/function-platform-cluster/fn/score/names"
)

// classEphemeral asks for an emptyDir instead of a PersistentVolumeClaim,
// which is what score-k8s' default volume provisioner always gives.
const classEphemeral = "ephemeral"

var accessModes = []string{"ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"}

// provisionEmptyDir reads the params of a volume of class "ephemeral":
// sizeLimit and medium.
func (w *workloadCtx) provisionEmptyDir(r *provision.Request) *provision.Result {
	field, params := r.Field, r.Params
	p := &provision.Result{}
	ed := &corev1.EmptyDirVolumeSource{}
	if v, ok := w.quantityParam(field, params, "sizeLimit", ""); ok && v != nil {
		ed.SizeLimit = v
	}
	medium, _, err := paramString(params, "medium")
	switch {
	case err != nil:
		w.d.fatal(field+".params.medium", "%v", err)
	case medium != "" && medium != string(corev1.StorageMediumMemory):
		w.d.fatal(field+".params.medium", "must be %q or empty, got %q", corev1.StorageMediumMemory, medium)
	default:
		ed.Medium = corev1.StorageMedium(medium)
	}
	p.Volume = &provision.Volume{EmptyDir: ed}
	return p
}

// provisionVolume reads the params of a claim: size (default 1Gi),
// accessMode (default ReadWriteOnce) and storageClassName.
func (w *workloadCtx) provisionVolume(r *provision.Request) *provision.Result {
	field, name, params := r.Field, r.Name, r.Params
	p := &provision.Result{}
	size, _ := w.quantityParam(field, params, "size", "1Gi")
	mode, set, err := paramString(params, "accessMode")
	if err != nil {
		w.d.fatal(field+".params.accessMode", "%v", err)
	} else if !set {
		mode = string(corev1.ReadWriteOnce)
	} else if !slices.Contains(accessModes, mode) {
		w.d.fatal(field+".params.accessMode", "must be one of %s, got %q", strings.Join(accessModes, ", "), mode)
	}
	spec := &corev1.PersistentVolumeClaimSpec{
		AccessModes: []corev1.PersistentVolumeAccessMode{corev1.PersistentVolumeAccessMode(mode)},
	}
	if size != nil {
		spec.Resources.Requests = corev1.ResourceList{corev1.ResourceStorage: *size}
	}
	if sc, set, err := paramString(params, "storageClassName"); err != nil {
		w.d.fatal(field+".params.storageClassName", "%v", err)
	} else if set {
		if errs := validation.IsDNS1123Subdomain(sc); len(errs) > 0 {
			w.d.fatal(field+".params.storageClassName", "%q is not a StorageClass name: %s", sc, strings.Join(errs, "; "))
		}
		spec.StorageClassName = &sc
	}
	p.Volume = &provision.Volume{Claim: spec, ClaimName: names.Stable(names.MaxLabel, w.p.name, name)}
	return p
}

// quantityParam reads a Kubernetes quantity param, a string or a number.
func (w *workloadCtx) quantityParam(field string, params map[string]any, key, def string) (*resource.Quantity, bool) {
	raw, ok := params[key]
	if !ok {
		if def == "" {
			return nil, true
		}
		q := resource.MustParse(def)
		return &q, true
	}
	s := jsonText(raw)
	if str, isString := raw.(string); isString {
		s = str
	}
	q, err := resource.ParseQuantity(s)
	if err != nil || q.Sign() <= 0 {
		w.d.fatal(field+".params."+key, "%s is not a positive quantity such as 1Gi", jsonText(raw))
		return nil, false
	}
	return &q, true
}

// volumeMounts mounts volume resources. A Deployment gets a standalone claim,
// a StatefulSet a claim template per replica, as in score-k8s.
func (b *podBuilder) volumeMounts(field string, vols map[string]scoretypes.ContainerVolume) []corev1.VolumeMount {
	var mounts []corev1.VolumeMount
	for _, target := range sortedKeys(vols) {
		v := vols[target]
		vfield := field + "." + target
		if !strings.HasPrefix(target, "/") {
			b.w.d.fatal(vfield, "the target must be an absolute path")
			continue
		}
		name, ok := volumeSourceName(v.Source)
		if !ok {
			b.w.d.fatal(vfield+".source", "must be one placeholder naming a volume resource, like ${resources.data}; got %q", v.Source)
			continue
		}
		p, err := b.w.resource(name)
		if errors.Is(err, errNoResource) {
			b.w.d.fatal(vfield+".source", "there is no resource named %q", name)
			continue
		}
		if err != nil {
			continue
		}
		if p.Volume == nil {
			b.w.d.fatal(vfield+".source", "resource %q is a %s, not a volume", name, p.Type)
			continue
		}
		sub := ""
		if v.Path != nil {
			sub = strings.TrimLeft(*v.Path, "/")
			if slices.Contains(strings.Split(sub, "/"), "..") {
				b.w.d.fatal(vfield+".path", "must not contain \"..\"")
				continue
			}
		}
		vol := names.Stable(names.MaxLabel, "vol", name)
		b.mounted[name] = true
		b.addVolume(vol, p.Volume)
		mounts = append(mounts, corev1.VolumeMount{
			Name:      vol,
			MountPath: target,
			SubPath:   sub,
			ReadOnly:  v.ReadOnly != nil && *v.ReadOnly,
		})
	}
	return mounts
}

func (b *podBuilder) addVolume(vol string, v *provision.Volume) {
	switch {
	case v.Source != nil:
		b.volumes[vol] = corev1.Volume{Name: vol, VolumeSource: *v.Source}
	case v.EmptyDir != nil:
		b.volumes[vol] = corev1.Volume{Name: vol, VolumeSource: corev1.VolumeSource{EmptyDir: v.EmptyDir}}
	case b.statefulSet:
		b.claims[vol] = corev1.PersistentVolumeClaim{ObjectMeta: metav1.ObjectMeta{Name: vol}, Spec: *v.Claim}
	default:
		b.volumes[vol] = corev1.Volume{Name: vol, VolumeSource: corev1.VolumeSource{
			PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSource{ClaimName: v.ClaimName},
		}}
		if _, done := b.claimsMade[v.ClaimName]; !done {
			b.claimsMade[v.ClaimName] = true
			b.w.manifests = append(b.w.manifests, manifest.From(&corev1.PersistentVolumeClaim{
				TypeMeta:   manifest.TypeMeta("v1", "PersistentVolumeClaim"),
				ObjectMeta: manifest.ObjectMeta(b.w.ns, v.ClaimName, b.w.p.name),
				Spec:       *v.Claim,
			}))
		}
		if slices.Contains(v.Claim.AccessModes, corev1.ReadWriteOnce) || slices.Contains(v.Claim.AccessModes, corev1.ReadWriteOncePod) {
			b.recreate = true
		}
	}
}

// volumeSourceName returns the resource name of a "${resources.<name>}"
// volume source.
func volumeSourceName(source string) (string, bool) {
	var refs []string
	rest, err := framework.SubstituteString(source, func(ref string) (string, error) {
		refs = append(refs, ref)
		return "", nil
	})
	if err != nil || rest != "" || len(refs) != 1 {
		return "", false
	}
	parts := framework.SplitRefParts(refs[0])
	if len(parts) != 2 || parts[0] != "resources" || parts[1] == "" {
		return "", false
	}
	return parts[1], true
}

func sortMounts(ms []corev1.VolumeMount) {
	slices.SortFunc(ms, func(a, b corev1.VolumeMount) int { return strings.Compare(a.MountPath, b.MountPath) })
}
