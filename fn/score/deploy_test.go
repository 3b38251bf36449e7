package score

import (
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	"sigs.k8s.io/yaml"
)

const twoContainers = `
apiVersion: score.dev/v1b1
metadata: {name: shop}
containers:
  main: {image: .}
  sidecar: {image: envoyproxy/envoy:v1.31.0}
`

// images returns the image of every container of the workload's
// Deployment, by container name.
func images(t *testing.T, out Output, workload string) map[string]string {
	t.Helper()
	for _, wo := range out.Workloads {
		if wo.Name != workload {
			continue
		}
		for _, m := range wo.Manifests {
			if m["kind"] != "Deployment" {
				continue
			}
			var d appsv1.Deployment
			b, _ := yaml.Marshal(m)
			if err := yaml.Unmarshal(b, &d); err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for _, c := range d.Spec.Template.Spec.Containers {
				got[c.Name] = c.Image
			}
			return got
		}
	}
	return nil
}

// TestDeployImages: the precedence of deploy-time images, and the errors
// that name the claim field to set.
func TestDeployImages(t *testing.T) {
	const field = "spec.workloads[0]"
	cases := map[string]struct {
		deploy   Deploy
		want     map[string]string
		problems []Problem
	}{
		"ImageFillsDotOnly": {
			deploy: Deploy{Field: field, Image: "ghcr.io/acme/shop:1.2.3"},
			want:   map[string]string{"main": "ghcr.io/acme/shop:1.2.3", "sidecar": "envoyproxy/envoy:v1.31.0"},
		},
		"ContainerImageReplacesANamedOne": {
			deploy: Deploy{Field: field, Image: "ghcr.io/acme/shop:1.2.3", Containers: map[string]string{"sidecar": "mirror.acme.io/envoy:v1.31.0"}},
			want:   map[string]string{"main": "ghcr.io/acme/shop:1.2.3", "sidecar": "mirror.acme.io/envoy:v1.31.0"},
		},
		"ContainerImageBeatsTheWorkloadImage": {
			deploy: Deploy{Field: field, Image: "ghcr.io/acme/shop:1.2.3", Containers: map[string]string{"main": "ghcr.io/acme/shop:2.0.0"}},
			want:   map[string]string{"main": "ghcr.io/acme/shop:2.0.0", "sidecar": "envoyproxy/envoy:v1.31.0"},
		},
		"DotWithoutAnImageNamesTheFieldToSet": {
			deploy: Deploy{Field: field},
			problems: []Problem{fatal("shop", "containers.main.image",
				`"." leaves the image to deploy time; set spec.workloads[0].image (the image of every "." container) or spec.workloads[0].containers.main.image`)},
		},
		"AnImageForAContainerTheSpecLacks": {
			deploy: Deploy{Field: field, Image: "ghcr.io/acme/shop:1.2.3", Containers: map[string]string{"sidcar": "x:1"}},
			problems: []Problem{fatal("shop", "",
				"spec.workloads[0].containers.sidcar: names no container of the Score spec; its containers are: main, sidecar")},
		},
		"AnImageWithWhiteSpace": {
			deploy:   Deploy{Field: field, Image: "ghcr.io/acme/shop: 1"},
			problems: []Problem{fatal("shop", "", `spec.workloads[0].image: "ghcr.io/acme/shop: 1" contains white space`)},
		},
		"ADotGivenAsTheImage": {
			deploy:   Deploy{Field: field, Containers: map[string]string{"main": "."}},
			problems: []Problem{fatal("shop", "", `spec.workloads[0].containers.main.image: must be the reference of a pushed image, got "."`)},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			w := workload(t, twoContainers)
			w.Deploy = tc.deploy
			out := Convert([]Workload{w}, testOpts)
			if diff := cmpDiff(tc.problems, out.Problems); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
			if diff := cmpDiff(tc.want, images(t, out, "shop")); diff != "" {
				t.Errorf("images (-want +got):\n%s", diff)
			}
		})
	}
}

// TestDeployImageOnlyForItsWorkload: one workload's image never fills
// another's ".", which stays an error for that workload alone.
func TestDeployImageOnlyForItsWorkload(t *testing.T) {
	a := workload(t, twoContainers)
	a.Deploy = Deploy{Field: "spec.workloads[0]", Image: "ghcr.io/acme/shop:1"}
	b := workload(t, "apiVersion: score.dev/v1b1\nmetadata: {name: cart}\ncontainers: {main: {image: .}}\n")
	b.Deploy = Deploy{Field: "spec.workloads[1]"}
	out := Convert([]Workload{a, b}, testOpts)
	if len(out.Workloads) != 1 || out.Workloads[0].Name != "shop" {
		t.Fatalf("want only shop converted, got %d workloads", len(out.Workloads))
	}
	want := []Problem{fatal("cart", "containers.main.image",
		`"." leaves the image to deploy time; set spec.workloads[1].image (the image of every "." container) or spec.workloads[1].containers.main.image`)}
	if diff := cmpDiff(want, out.Problems); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
}
