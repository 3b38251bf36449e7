package score

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"

	"github.com/platformcluster/function-platform-cluster/fn/score/manifest"

	"github.com/platformcluster/function-platform-cluster/fn/score/names"
)

func TestConvertFiles(t *testing.T) {
	runCases(t, []convertCase{
		{
			name: "content, noExpand, mode and binaryContent",
			workloads: []string{`
apiVersion: score.dev/v1b1
metadata: {name: demo-app}
containers:
  main:
    image: nginx
    files:
      /etc/app/app.conf:
        mode: "0600"
        content: |
          name = ${metadata.name}
          literal = $${metadata.name}
      /etc/app/raw.tmpl:
        noExpand: true
        content: "${metadata.name} $${x}"
      /bin/blob:
        mode: "755"
        binaryContent: ADBgwpA=
`},
			check: func(t *testing.T, out Output) {
				ms := out.Workloads[0].Manifests
				cm := manifestOf(t, ms, "ConfigMap", "demo-app-main-file-"+names.Hash("/etc/app/app.conf", 10)).(*corev1.ConfigMap)
				if got := cm.Data[fileKey]; got != "name = demo-app\nliteral = ${metadata.name}\n" {
					t.Errorf("app.conf = %q", got)
				}
				raw := manifestOf(t, ms, "ConfigMap", "demo-app-main-file-"+names.Hash("/etc/app/raw.tmpl", 10)).(*corev1.ConfigMap)
				if got := raw.Data[fileKey]; got != "${metadata.name} $${x}" {
					t.Errorf("noExpand content = %q, want it verbatim", got)
				}
				blob := manifestOf(t, ms, "ConfigMap", "demo-app-main-file-"+names.Hash("/bin/blob", 10)).(*corev1.ConfigMap)
				if got := blob.BinaryData[fileKey]; !cmp.Equal(got, []byte{0x00, 0x30, 0x60, 0xc2, 0x90}) {
					t.Errorf("binary content = %v", got)
				}
				pod := podOf(t, out, "demo-app")
				wantMounts := []corev1.VolumeMount{
					{Name: "file-" + names.Hash("main\x00/bin/blob", 10), MountPath: "/bin/blob", SubPath: fileKey, ReadOnly: true},
					{Name: "file-" + names.Hash("main\x00/etc/app/app.conf", 10), MountPath: "/etc/app/app.conf", SubPath: fileKey, ReadOnly: true},
					{Name: "file-" + names.Hash("main\x00/etc/app/raw.tmpl", 10), MountPath: "/etc/app/raw.tmpl", SubPath: fileKey, ReadOnly: true},
				}
				if diff := cmp.Diff(wantMounts, pod.Containers[0].VolumeMounts); diff != "" {
					t.Errorf("mounts (-want +got):\n%s", diff)
				}
				modes := map[string]int32{}
				for _, v := range pod.Volumes {
					if m := v.ConfigMap.Items[0].Mode; m != nil {
						modes[v.ConfigMap.Name] = *m
					}
				}
				want := map[string]int32{cm.Name: 0o600, blob.Name: 0o755}
				if diff := cmp.Diff(want, modes); diff != "" {
					t.Errorf("modes (-want +got):\n%s", diff)
				}
			},
		},
		{
			name: "file content that is one secret mounts the Secret",
			workloads: []string{`
apiVersion: score.dev/v1b1
metadata: {name: demo-app}
containers:
  main:
    image: nginx
    files:
      /run/secrets/db-password:
        mode: "0400"
        content: ${resources.db.password}
resources:
  db: {type: postgres}
`},
			check: func(t *testing.T, out Output) {
				pod := podOf(t, out, "demo-app")
				want := []corev1.Volume{{
					Name: "file-" + names.Hash("main\x00/run/secrets/db-password", 10),
					VolumeSource: corev1.VolumeSource{Secret: &corev1.SecretVolumeSource{
						SecretName: "demo-app-db",
						Items:      []corev1.KeyToPath{{Key: "password", Path: fileKey, Mode: new(int32(0o400))}},
					}},
				}}
				if diff := cmp.Diff(want, pod.Volumes); diff != "" {
					t.Errorf("volumes (-want +got):\n%s", diff)
				}
			},
		},
		{
			name: "file content mixing a secret with text",
			workloads: []string{`
apiVersion: score.dev/v1b1
metadata: {name: demo-app}
containers:
  main:
    image: nginx
    files:
      /etc/app/db.ini:
        content: "password=${resources.db.password}"
resources:
  db: {type: postgres}
`},
			problems: []Problem{fatal("demo-app", "containers.main.files./etc/app/db.ini.content", "mixes secret outputs with other text; secret values are generated on the cluster and cannot be written into a file here. Pass the secret in a variable instead, or make the content exactly one secret placeholder")},
		},
		{
			name: "source, relative target, bad base64, unknown placeholder",
			workloads: []string{`
apiVersion: score.dev/v1b1
metadata: {name: demo-app}
containers:
  main:
    image: nginx
    files:
      /etc/from-disk: {source: ./app.conf}
      relative/path: {content: x}
      /etc/dir/: {content: x}
      /bin/blob: {binaryContent: "not base64!"}
      /etc/motd: {content: "${metadata.motd}"}
`},
			problems: []Problem{
				fatal("demo-app", "containers.main.files./bin/blob.binaryContent", "is not standard base64: illegal base64 data at input byte 3"),
				fatal("demo-app", "containers.main.files./etc/dir/", "the target must be the absolute path of a file"),
				fatal("demo-app", "containers.main.files./etc/from-disk.source", `"./app.conf" would be read from disk next to the Score file, which is not available here; inline the file with content, or binaryContent for binary data`),
				fatal("demo-app", "containers.main.files./etc/motd.content", `unknown placeholder ${metadata.motd}: metadata has no field "motd"`),
				fatal("demo-app", "containers.main.files.relative/path", "the target must be the absolute path of a file"),
			},
		},
		{
			name: "file and volume at the same path",
			workloads: []string{`
apiVersion: score.dev/v1b1
metadata: {name: demo-app}
containers:
  main:
    image: nginx
    files:
      /data: {content: x}
    volumes:
      /data: {source: "${resources.data}"}
resources:
  data: {type: volume}
`},
			problems: []Problem{fatal("demo-app", "containers.main", "/data is both a file and a volume target; a path can be mounted once")},
		},
		{
			name: "same target in two containers",
			workloads: []string{`
apiVersion: score.dev/v1b1
metadata: {name: demo-app}
containers:
  aa: {image: nginx, files: {/etc/motd: {content: a}}}
  bb: {image: nginx, files: {/etc/motd: {content: b}}}
`},
			check: func(t *testing.T, out Output) {
				if n := len(podOf(t, out, "demo-app").Volumes); n != 2 {
					t.Errorf("want a volume per container, got %d", n)
				}
			},
		},
	})
}

// The files digest must change with any file and nothing else, so pods roll
// exactly when a subPath-mounted file changes.
func TestFilesDigest(t *testing.T) {
	digest := func(doc string) string {
		out := Convert([]Workload{workload(t, doc)}, testOpts)
		if len(out.Workloads) != 1 {
			t.Fatalf("conversion failed: %v", out.Problems)
		}
		for _, m := range out.Workloads[0].Manifests {
			if k, _, _ := manifest.Key(m); k == "Deployment" {
				md := m["spec"].(map[string]any)["template"].(map[string]any)["metadata"].(map[string]any)
				an, _ := md["annotations"].(map[string]any)
				s, _ := an[annotationFiles].(string)
				return s
			}
		}
		return ""
	}
	base := `
apiVersion: score.dev/v1b1
metadata: {name: demo-app}
containers:
  main:
    image: nginx
    variables: {A: "%s"}
    files: {/etc/motd: {content: "%s", mode: "%s"}}
`
	ref := digest(fmt.Sprintf(base, "1", "hello", "0644"))
	if ref == "" {
		t.Fatal("no digest")
	}
	if d := digest(fmt.Sprintf(base, "2", "hello", "0644")); d != ref {
		t.Errorf("a variable change changed the files digest")
	}
	if d := digest(fmt.Sprintf(base, "1", "hello!", "0644")); d == ref {
		t.Errorf("a content change kept the files digest")
	}
	if d := digest(fmt.Sprintf(base, "1", "hello", "0600")); d == ref {
		t.Errorf("a mode change kept the files digest")
	}
	if d := digest(minimal); d != "" {
		t.Errorf("a workload without files has digest %q", d)
	}
}
