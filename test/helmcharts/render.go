// Package helmcharts renders the function's Helm Releases with their real
// charts, as provider-helm would install them, without a cluster: the
// archives of the pinned charts are in archives/ (README.md there says
// where each comes from; `go generate ./test/helmcharts` re-assembles
// them). Render is what the chart contract test checks and what a live
// test can server-side dry-run.
package helmcharts

//go:generate go run ./assemble -o archives -shared ../../../shared/charts

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"sort"
	"strings"

	"helm.sh/helm/v4/pkg/chart/common"
	"helm.sh/helm/v4/pkg/chart/common/util"
	chart "helm.sh/helm/v4/pkg/chart/v2"
	"helm.sh/helm/v4/pkg/chart/v2/loader"
	chartutil "helm.sh/helm/v4/pkg/chart/v2/util"
	"helm.sh/helm/v4/pkg/engine"
	"k8s.io/apimachinery/pkg/util/yaml"
	kyaml "sigs.k8s.io/yaml"
)

// KubeVersion is the Kubernetes version charts are rendered for: the
// version the live suite's API servers run.
const KubeVersion = "v1.34.1"

// Release is what provider-helm installs: a chart at a version, under a
// release name in a namespace, with values.
type Release struct {
	Name, Namespace string
	Chart, Version  string
	Values          map[string]any
}

func (r Release) String() string {
	return fmt.Sprintf("%s (%s %s in %s)", r.Name, r.Chart, r.Version, r.Namespace)
}

// Archive is the path of a chart's archive at a version.
func Archive(name, version string) string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "archives", name+"-"+version+".tgz")
}

// Load reads a chart's archive; a missing archive is an error naming the
// pin that has none.
func Load(name, version string) (*chart.Chart, error) {
	ch, err := loader.Load(Archive(name, version))
	if err != nil {
		return nil, fmt.Errorf("no archive of chart %s %s (go generate ./test/helmcharts): %w", name, version, err)
	}
	return ch, nil
}

// Render returns every object the release installs, its CRDs and hooks
// included, in a stable order, as `helm install` renders them: the chart's
// dependencies enabled by the values, values coalesced with the chart's and
// checked against its schema, templates executed. Template and schema
// errors are returned.
func Render(r Release) ([]map[string]any, error) {
	ch, err := Load(r.Chart, r.Version)
	if err != nil {
		return nil, err
	}
	files, err := render(ch, r)
	if err != nil {
		return nil, err
	}
	var objs []map[string]any
	for _, crd := range ch.CRDObjects() {
		files[crd.Filename] = string(crd.File.Data)
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if strings.HasSuffix(n, "NOTES.txt") || strings.HasPrefix(filepath.Base(n), "_") {
			continue
		}
		docs, err := decode(files[n])
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %w", r, n, err)
		}
		objs = append(objs, docs...)
	}
	return objs, nil
}

func render(ch *chart.Chart, r Release) (map[string]string, error) {
	vals := r.Values
	if vals == nil {
		vals = map[string]any{}
	}
	if err := chartutil.ProcessDependencies(ch, vals); err != nil {
		return nil, fmt.Errorf("%s: dependencies: %w", r, err)
	}
	kv, err := common.ParseKubeVersion(KubeVersion)
	if err != nil {
		return nil, err
	}
	caps := common.DefaultCapabilities.Copy()
	caps.KubeVersion = *kv
	if ch.Metadata.KubeVersion != "" && !chartutil.IsCompatibleRange(ch.Metadata.KubeVersion, kv.String()) {
		return nil, fmt.Errorf("%s: the chart requires Kubernetes %s", r, ch.Metadata.KubeVersion)
	}
	opts := common.ReleaseOptions{Name: r.Name, Namespace: r.Namespace, Revision: 1, IsInstall: true}
	top, err := util.ToRenderValuesWithSchemaValidation(ch, vals, opts, caps, false)
	if err != nil {
		return nil, fmt.Errorf("%s: values: %w", r, err)
	}
	files, err := engine.Render(ch, top)
	if err != nil {
		return nil, fmt.Errorf("%s: templates: %w", r, err)
	}
	return files, nil
}

func decode(manifest string) ([]map[string]any, error) {
	var out []map[string]any
	d := yaml.NewYAMLReader(bufio.NewReader(strings.NewReader(manifest)))
	for {
		doc, err := d.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		var o map[string]any
		if err := kyaml.Unmarshal(doc, &o); err != nil {
			return nil, err
		}
		if len(o) > 0 {
			out = append(out, o)
		}
	}
}
