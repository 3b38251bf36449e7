package score

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	scoretypes "github.com/score-spec/score-go/types"
	corev1 "k8s.io/api/core/v1"

	"github.com/platformcluster/function-platform-cluster/fn/score/manifest"

	"github.com/platformcluster/function-platform-cluster/fn/score/names"
)

// fileKey is the key of a file's content in its ConfigMap. Each file has its
// own ConfigMap, so a large file cannot push others over the 1 MiB limit.
const fileKey = "file"

// fileMounts mounts each file at its target path with subPath, so the rest
// of the directory stays visible (score-k8s mounts the whole directory over
// it). Content comes from a ConfigMap, or from a Secret when the content is
// exactly one secret output.
func (b *podBuilder) fileMounts(container, field string, files map[string]scoretypes.ContainerFile) []corev1.VolumeMount {
	var mounts []corev1.VolumeMount
	for _, target := range sortedKeys(files) {
		f := files[target]
		ffield := field + "." + target
		if !strings.HasPrefix(target, "/") || strings.HasSuffix(target, "/") {
			b.w.d.fatal(ffield, "the target must be the absolute path of a file")
			continue
		}
		if f.Source != nil {
			b.w.d.fatal(ffield+".source", "%q would be read from disk next to the Score file, which is not available here; inline the file with content, or binaryContent for binary data", *f.Source)
			continue
		}
		var mode *int32
		if f.Mode != nil {
			m, err := strconv.ParseInt(*f.Mode, 8, 32)
			if err != nil {
				b.w.d.fatal(ffield+".mode", "%q is not an octal file mode", *f.Mode)
				continue
			}
			m32 := int32(m)
			mode = &m32
		}
		vol := "file-" + names.Hash(container+"\x00"+target, 10)
		items := []corev1.KeyToPath{{Key: fileKey, Path: fileKey, Mode: mode}}
		source, ok := b.fileSource(container, target, ffield, f, items)
		if !ok {
			continue
		}
		b.volumes[vol] = corev1.Volume{Name: vol, VolumeSource: source}
		mounts = append(mounts, corev1.VolumeMount{Name: vol, MountPath: target, SubPath: fileKey, ReadOnly: true})
	}
	return mounts
}

// fileSource builds the ConfigMap of a file, or the Secret volume source of a
// file that is one secret output.
func (b *podBuilder) fileSource(container, target, field string, f scoretypes.ContainerFile, items []corev1.KeyToPath) (corev1.VolumeSource, bool) {
	cm := &corev1.ConfigMap{
		TypeMeta:   manifest.TypeMeta("v1", "ConfigMap"),
		ObjectMeta: manifest.ObjectMeta(b.w.ns, names.Stable(names.MaxLabel, b.w.p.name, container, "file", names.Hash(target, 10)), b.w.p.name),
	}
	var digest string
	switch {
	case f.BinaryContent != nil:
		raw, err := base64.StdEncoding.DecodeString(*f.BinaryContent)
		if err != nil {
			b.w.d.fatal(field+".binaryContent", "is not standard base64: %v", err)
			return corev1.VolumeSource{}, false
		}
		cm.BinaryData = map[string][]byte{fileKey: raw}
		digest = base64.StdEncoding.EncodeToString(raw)
	case f.Content != nil:
		content := *f.Content
		if f.NoExpand == nil || !*f.NoExpand {
			r, msgs := b.w.resolver.resolve(content)
			for _, m := range msgs {
				b.w.d.fatal(field+".content", "%s", m)
			}
			if r == nil {
				return corev1.VolumeSource{}, false
			}
			if ref, ok := r.WholeSecret(); ok {
				return corev1.VolumeSource{Secret: &corev1.SecretVolumeSource{SecretName: ref.Name, Items: withKey(items, ref.Key)}}, true
			}
			s, ok := r.Plain()
			if !ok {
				b.w.d.fatal(field+".content", "mixes secret outputs with other text; secret values are generated on the cluster and cannot be written into a file here. Pass the secret in a variable instead, or make the content exactly one secret placeholder")
				return corev1.VolumeSource{}, false
			}
			content = s
		}
		if !utf8.ValidString(content) {
			b.w.d.fatal(field+".content", "is not valid UTF-8; use binaryContent for binary data")
			return corev1.VolumeSource{}, false
		}
		cm.Data = map[string]string{fileKey: content}
		digest = content
	default:
		b.w.d.fatal(field, "exactly one of content, binaryContent or source must be set")
		return corev1.VolumeSource{}, false
	}
	mode := ""
	if items[0].Mode != nil {
		mode = fmt.Sprint(*items[0].Mode)
	}
	b.files = append(b.files, container, target, mode, digest)
	b.w.manifests = append(b.w.manifests, manifest.From(cm))
	return corev1.VolumeSource{ConfigMap: &corev1.ConfigMapVolumeSource{
		LocalObjectReference: corev1.LocalObjectReference{Name: cm.Name},
		Items:                items,
	}}, true
}

func withKey(items []corev1.KeyToPath, key string) []corev1.KeyToPath {
	out := append([]corev1.KeyToPath(nil), items...)
	out[0].Key = key
	return out
}
