package helmcharts_test

import (
	"encoding/base64"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/platformcluster/function-platform-cluster/test/helmcharts"
)

// TestNoPublishedDefaultSecret renders every Release of the example and
// test claims with its real chart and fails if an object holds a secret
// the chart publishes as a default (helmcharts.Defaults: its values.yaml
// and templates, subcharts included): Secret data decoded, and every other
// string, whole or as a word of a longer one (a connection string, a
// config file).
func TestNoPublishedDefaultSecret(t *testing.T) {
	defaults := map[string][]helmcharts.Default{}
	for _, r := range renderAll(t) {
		if r.Err != nil {
			t.Fatalf("%s: %v", r.Claim, r.Err)
		}
		key := r.Release.Chart + "@" + r.Release.Version
		if _, ok := defaults[key]; !ok {
			ch, err := helmcharts.Load(r.Release.Chart, r.Release.Version)
			if err != nil {
				t.Fatal(err)
			}
			defaults[key] = helmcharts.Defaults(ch)
		}
		for _, o := range r.Objects {
			for _, f := range stringsIn(o) {
				for _, d := range defaults[key] {
					if holds(f.value, d.Value) {
						t.Errorf("%s: %s: %s %s/%s %s holds %s's published default %s (%q)",
							r.Claim, r.Release, o["kind"], ns(o), name(o), f.path, d.Chart, d.Path, d.Value)
					}
				}
			}
		}
	}
}

type field struct{ path, value string }

// stringsIn returns every string in the object, a Secret's data decoded.
func stringsIn(o map[string]any) []field {
	var out []field
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch v := v.(type) {
		case map[string]any:
			keys := make([]string, 0, len(v))
			for k := range v {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				walk(path+"."+k, v[k])
			}
		case []any:
			for i, e := range v {
				walk(fmt.Sprintf("%s[%d]", path, i), e)
			}
		case string:
			out = append(out, field{path, v})
		}
	}
	walk("", o)
	if o["kind"] == "Secret" {
		data, _ := o["data"].(map[string]any)
		for k, v := range data {
			s, _ := v.(string)
			if b, err := base64.StdEncoding.DecodeString(s); err == nil {
				out = append(out, field{".data." + k + " (decoded)", string(b)})
			}
		}
	}
	return out
}

// holds says whether s is the secret, or has it as a word that is not a
// key (a config file's "password: ..." names the field, it is no value).
func holds(s, secret string) bool {
	if s == secret {
		return true
	}
	for i := 0; ; {
		j := strings.Index(s[i:], secret)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(secret)
		if (start == 0 || !word(s[start-1])) && (end == len(s) || !word(s[end]) && s[end] != ':') {
			return true
		}
		i = start + 1
	}
}

func word(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func ns(o map[string]any) string {
	md, _ := o["metadata"].(map[string]any)
	s, _ := md["namespace"].(string)
	return s
}

func name(o map[string]any) string {
	md, _ := o["metadata"].(map[string]any)
	s, _ := md["name"].(string)
	return s
}
