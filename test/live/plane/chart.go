package plane

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig/v3"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"
)

// rbacTemplate names the templates of Crossplane's Helm chart that hold
// its RBAC: ServiceAccounts, (Cluster)Roles and their bindings.
var rbacTemplate = regexp.MustCompile(`(role|serviceaccount|permissions)[^/]*\.yaml$`)

// rbacKind finds RBAC kinds in a template's text.
var rbacKind = regexp.MustCompile(`(?m)^kind:\s*(ServiceAccount|ClusterRole|ClusterRoleBinding|Role|RoleBinding)\s*$`)

// ChartRBAC renders the RBAC of Crossplane's Helm chart (chartDir is its
// cluster/charts/crossplane) with the chart's default values, as
// `helm install crossplane --namespace <namespace>` would. The RBAC
// templates need only Go templates, Sprig and three of Helm's own
// functions, so they are rendered with text/template and those rather than
// the Helm SDK (whose module would move this module's Kubernetes and gRPC
// dependencies). A template of the chart that holds RBAC but is not rendered is
// an error, so that a chart that moves its RBAC is noticed, not half
// applied.
func ChartRBAC(chartDir, namespace string) ([]*unstructured.Unstructured, error) {
	var chart struct{ Name, Version, AppVersion string }
	if err := readYAML(filepath.Join(chartDir, "Chart.yaml"), &chart); err != nil {
		return nil, err
	}
	values := map[string]any{}
	if err := readYAML(filepath.Join(chartDir, "values.yaml"), &values); err != nil {
		return nil, err
	}
	files, err := filepath.Glob(filepath.Join(chartDir, "templates", "*"))
	if err != nil {
		return nil, err
	}
	t := template.New("chart").Option("missingkey=zero")
	t.Funcs(helmFuncs(t))
	var rbac []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		switch name := filepath.Base(f); {
		case strings.HasPrefix(name, "_"), rbacTemplate.MatchString(name):
			if _, err := t.New(name).Parse(string(data)); err != nil {
				return nil, fmt.Errorf("chart template %s: %w", name, err)
			}
			if !strings.HasPrefix(name, "_") {
				rbac = append(rbac, name)
			}
		case rbacKind.Match(data):
			return nil, fmt.Errorf("chart template %s holds RBAC (%s) that ChartRBAC does not render", name, rbacKind.Find(data))
		}
	}
	top := map[string]any{
		"Values":  values,
		"Chart":   map[string]any{"Name": chart.Name, "Version": chart.Version, "AppVersion": chart.AppVersion},
		"Release": map[string]any{"Name": chart.Name, "Namespace": namespace, "Service": "Helm"},
	}
	var out []*unstructured.Unstructured
	for _, name := range rbac {
		var b bytes.Buffer
		if err := t.ExecuteTemplate(&b, name, top); err != nil {
			return nil, fmt.Errorf("chart template %s: %w", name, err)
		}
		objs, err := DecodeObjects(bytes.ReplaceAll(b.Bytes(), []byte("<no value>"), nil))
		if err != nil {
			return nil, fmt.Errorf("chart template %s rendered: %w", name, err)
		}
		out = append(out, objs...)
	}
	return out, nil
}

func readYAML(path string, into any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := yaml.Unmarshal(data, into); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// helmFuncs are the functions of Helm's template engine: Sprig's, and
// Helm's own include, toYaml and required, which the chart's templates
// call.
func helmFuncs(t *template.Template) template.FuncMap {
	f := sprig.TxtFuncMap()
	f["include"] = func(name string, data any) (string, error) {
		var b bytes.Buffer
		err := t.ExecuteTemplate(&b, name, data)
		return b.String(), err
	}
	f["toYaml"] = func(v any) (string, error) {
		b, err := yaml.Marshal(v)
		return strings.TrimSuffix(string(b), "\n"), err
	}
	f["required"] = func(msg string, v any) (any, error) {
		if v == nil || v == "" {
			return nil, errors.New(msg)
		}
		return v, nil
	}
	return f
}
