package configuration

import (
	"fmt"
	"strings"

	"golang.org/x/tools/go/packages"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"sigs.k8s.io/controller-tools/pkg/crd"
	crdmarkers "sigs.k8s.io/controller-tools/pkg/crd/markers"
	"sigs.k8s.io/controller-tools/pkg/loader"
	"sigs.k8s.io/controller-tools/pkg/markers"
	"sigs.k8s.io/yaml"
)

// schemas generates, for each Go package, the openAPIV3Schema of an XRD
// whose spec is the package's Spec type and whose status is its Status
// type, as controller-gen would for a CRD.
//
// Descriptions come from fields' doc comments only: a type's doc comment
// speaks to Go readers ("Spec is the spec of ..."), and would otherwise
// become the description of every field of that type that has none.
func schemas(pkgPaths ...string) (map[string]*apiextensionsv1.JSONSchemaProps, error) {
	pkgs, err := loader.LoadRoots(pkgPaths...)
	if err != nil {
		return nil, err
	}
	reg := &markers.Registry{}
	if err := crdmarkers.Register(reg); err != nil {
		return nil, err
	}
	p := &crd.Parser{Collector: &markers.Collector{Registry: reg}, Checker: &loader.TypeChecker{}}
	crd.AddKnownTypes(p)
	roots := map[string][]crd.TypeIdent{}
	for _, pkg := range pkgs {
		p.NeedPackage(pkg)
		for _, name := range []string{"Spec", "Status"} {
			id := crd.TypeIdent{Package: pkg, Name: name}
			// A first flattening loads every type the root refers to.
			(&crd.Flattener{Parser: p}).FlattenType(id)
			roots[pkg.PkgPath] = append(roots[pkg.PkgPath], id)
		}
	}
	for id, s := range p.Schemata {
		s.Description = ""
		p.Schemata[id] = s
	}
	f := &crd.Flattener{Parser: p}
	out := map[string]*apiextensionsv1.JSONSchemaProps{}
	for path, ids := range roots {
		s := &apiextensionsv1.JSONSchemaProps{Type: "object", Properties: map[string]apiextensionsv1.JSONSchemaProps{}}
		for _, id := range ids {
			s.Properties[strings.ToLower(id.Name)] = *crd.FlattenEmbedded(f.FlattenType(id), id.Package)
		}
		out[path] = s
	}
	if loader.PrintErrors(pkgs, packages.TypeError) {
		return nil, fmt.Errorf("generating the schemas of %s failed; see above", strings.Join(pkgPaths, ", "))
	}
	return out, nil
}

// splice returns the XRD with its openAPIV3Schema replaced by s, leaving
// every other line as it was: the generated schema is the last key of
// openAPIV3Schema's own indentation, so everything indented deeper below
// it is the old schema.
func splice(xrd []byte, s *apiextensionsv1.JSONSchemaProps) ([]byte, error) {
	body, err := yaml.Marshal(s)
	if err != nil {
		return nil, err
	}
	lines := strings.SplitAfter(string(xrd), "\n")
	start := -1
	for i, l := range lines {
		if strings.TrimSpace(l) == "openAPIV3Schema:" {
			start = i
			break
		}
	}
	if start < 0 {
		return nil, fmt.Errorf("no line \"openAPIV3Schema:\" to put the schema under")
	}
	indent := len(lines[start]) - len(strings.TrimLeft(lines[start], " "))
	end := start + 1
	for end < len(lines) {
		l := lines[end]
		if strings.TrimSpace(l) != "" && len(l)-len(strings.TrimLeft(l, " ")) <= indent {
			break
		}
		end++
	}
	var b strings.Builder
	for _, l := range lines[:start+1] {
		b.WriteString(l)
	}
	pad := strings.Repeat(" ", indent+2)
	for _, l := range strings.SplitAfter(strings.TrimSuffix(string(body), "\n"), "\n") {
		b.WriteString(pad + l)
	}
	b.WriteString("\n")
	for _, l := range lines[end:] {
		b.WriteString(l)
	}
	return []byte(b.String()), nil
}
