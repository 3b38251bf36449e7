package helmcharts

import (
	"regexp"
	"sort"
	"strings"

	chart "helm.sh/helm/v4/pkg/chart/v2"
)

// Default is a secret a chart publishes: a value its values.yaml (or a
// template's default) gives a key that holds a password, key or token.
type Default struct {
	Chart, Path, Value string
}

var (
	// secretName matches the last key of a values path that holds a
	// secret; keys that only name one (existingSecret, passwordKey,
	// secretName) do not end so.
	secretName = regexp.MustCompile(`(?i)(password|passwd|secret|secretkey|token|accesskey|accountkey|encodedkey|xsrfkey|csrfkey|htpasswd|htpasswdstring|apikey|privatekey|clientsecret)$`)
	// templateDefault is a default a template gives a secret-named value.
	templateDefault = regexp.MustCompile(`\.Values\.([A-Za-z0-9_.]+)\s*\|\s*default\s+"([^"]+)"`)
)

// Defaults returns the secrets the chart and its subcharts publish as
// defaults: non-empty values of secret-named keys in values.yaml, and
// string defaults templates give secret-named values.
func Defaults(ch *chart.Chart) []Default {
	var out []Default
	leaves(ch.Values, nil, func(path []string) {
		v, _ := lookup(ch.Values, path).(string)
		if secretKey(path[len(path)-1]) && published(v) {
			out = append(out, Default{Chart: ch.Name(), Path: strings.Join(path, "."), Value: v})
		}
	})
	for _, t := range ch.Templates {
		for _, m := range templateDefault.FindAllStringSubmatch(string(t.Data), -1) {
			keys := strings.Split(m[1], ".")
			if secretKey(keys[len(keys)-1]) && published(m[2]) {
				out = append(out, Default{Chart: ch.Name(), Path: t.Name + ": " + m[1], Value: m[2]})
			}
		}
	}
	for _, d := range ch.Dependencies() {
		out = append(out, Defaults(d)...)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Chart+out[i].Path < out[j].Chart+out[j].Path })
	return out
}

// secretKey says whether a values key holds a secret, rather than naming
// one (existingSecret, existingSecretKey, passwordKey, secretName).
func secretKey(k string) bool {
	return secretName.MatchString(k) && !strings.HasPrefix(strings.ToLower(k), "existing")
}

// published says whether a default is a value at all, rather than empty
// or a template to fill in.
func published(v string) bool {
	return len(strings.TrimSpace(v)) >= 4 && !strings.Contains(v, "{{")
}
