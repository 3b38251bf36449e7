package helmcharts

import (
	"encoding/json"
	"regexp"
	"slices"
	"sort"
	"strings"

	chart "helm.sh/helm/v4/pkg/chart/v2"
)

// Unread returns the values paths the release sets that its chart never
// reads: paths neither in the chart's values.yaml or values.schema.json nor
// referenced by any template, a subchart's under its name. Helm ignores
// such a value without a word, so a key a chart renamed would silently
// stop applying. Below a key whose default is an empty map, or a key a
// template takes whole (toYaml, range, a variable), everything counts as
// read.
func Unread(r Release) ([]string, error) {
	ch, err := Load(r.Chart, r.Version)
	if err != nil {
		return nil, err
	}
	var out []string
	leaves(r.Values, nil, func(path []string) {
		if !reads(ch, path) {
			out = append(out, strings.Join(path, "."))
		}
	})
	sort.Strings(out)
	return out, nil
}

// leaves calls f with the path of every value that is not a non-empty map.
func leaves(v any, path []string, f func([]string)) {
	m, ok := v.(map[string]any)
	if !ok || len(m) == 0 {
		if len(path) > 0 {
			f(path)
		}
		return
	}
	for k, sub := range m {
		leaves(sub, append(append([]string(nil), path...), k), f)
	}
}

func reads(ch *chart.Chart, path []string) bool {
	for _, dep := range ch.Metadata.Dependencies {
		name := dep.Name
		if dep.Alias != "" {
			name = dep.Alias
		}
		if path[0] != name {
			continue
		}
		if len(path) == 2 && dep.Condition == name+"."+path[1] {
			return true
		}
		for _, sub := range ch.Dependencies() {
			if sub.Name() == dep.Name && len(path) > 1 && reads(sub, path[1:]) {
				return true
			}
		}
	}
	return inValues(ch.Values, path) || inSchema(ch.Schema, path) || inTemplates(ch, path)
}

func inValues(node any, path []string) bool {
	for i, k := range path {
		m, ok := node.(map[string]any)
		if !ok {
			return false
		}
		if len(m) == 0 && i > 0 {
			return true // free-form below
		}
		if node, ok = m[k]; !ok {
			return false
		}
	}
	return true
}

func inSchema(raw []byte, path []string) bool {
	if len(raw) == 0 {
		return false
	}
	var s map[string]any
	if json.Unmarshal(raw, &s) != nil {
		return false
	}
	for _, k := range path {
		props, _ := s["properties"].(map[string]any)
		sub, ok := props[k].(map[string]any)
		if !ok {
			// An object schema open to any key reads what is below it.
			if _, open := s["additionalProperties"].(map[string]any); open {
				return true
			}
			return props == nil && s["type"] == "object"
		}
		s = sub
	}
	return true
}

var (
	dotted  = regexp.MustCompile(`\.Values((?:\.[A-Za-z0-9_-]+)+)`)
	indexed = regexp.MustCompile(`index\s+\$?\.Values((?:\s+"[^"]+")+)`)
	quoted  = regexp.MustCompile(`"([^"]+)"`)
)

// inTemplates reports whether a template of the chart refers to the path,
// or to a map above it that it takes whole.
func inTemplates(ch *chart.Chart, path []string) bool {
	for _, t := range ch.Templates {
		text := string(t.Data)
		for _, m := range dotted.FindAllStringSubmatchIndex(text, -1) {
			ref := strings.Split(text[m[2]+1:m[3]], ".")
			if refersTo(ch, ref, path, wholeAt(text, m[1])) {
				return true
			}
		}
		for _, m := range indexed.FindAllStringSubmatch(text, -1) {
			var ref []string
			for _, q := range quoted.FindAllStringSubmatch(m[1], -1) {
				ref = append(ref, q[1])
			}
			if refersTo(ch, ref, path, true) {
				return true
			}
		}
	}
	return false
}

// wholeAt says whether a reference ending at i is used as a whole (not
// followed by a further key through a function like index or dig).
func wholeAt(text string, i int) bool {
	return i >= len(text) || text[i] != '.'
}

func refersTo(ch *chart.Chart, ref, path []string, whole bool) bool {
	if slices.Equal(ref, path) {
		return true
	}
	if !whole || len(ref) >= len(path) || !slices.Equal(ref, path[:len(ref)]) {
		return false
	}
	// A map above the path, taken whole, reads what is below it.
	_, isMap := lookup(ch.Values, ref).(map[string]any)
	return isMap
}

func lookup(node any, path []string) any {
	for _, k := range path {
		m, ok := node.(map[string]any)
		if !ok {
			return nil
		}
		node = m[k]
	}
	return node
}
