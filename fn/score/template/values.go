package template

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"strconv"

	corev1 "k8s.io/api/core/v1"
	kjson "sigs.k8s.io/json"
	"sigs.k8s.io/yaml"
)

// decodeYAML decodes YAML into JSON values, numbers as int64 or float64 so
// that templates print 5432, not 5432.0 or 5.432e+03.
func decodeYAML(b []byte) (any, error) {
	j, err := yaml.YAMLToJSON(b)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(j))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return templateValue(v), nil
}

// templateValue converts json.Numbers, which the normalised spec holds, into
// int64 or float64, which sprig's arithmetic understands.
func templateValue(v any) any {
	switch t := v.(type) {
	case json.Number:
		if i, err := strconv.ParseInt(string(t), 10, 64); err == nil {
			return i
		}
		f, _ := strconv.ParseFloat(string(t), 64)
		return f
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			out[k] = templateValue(e)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = templateValue(e)
		}
		return out
	}
	return v
}

func templateValues(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return templateValue(m).(map[string]any)
}

// patchMap applies a JSON merge patch (RFC 7386) to a copy of current, as
// score-k8s does with the shared template's result.
func patchMap(current, patch map[string]any) map[string]any {
	if len(patch) == 0 {
		return current
	}
	out := maps.Clone(current)
	if out == nil {
		out = map[string]any{}
	}
	for k, v := range patch {
		pm, isMap := v.(map[string]any)
		switch {
		case v == nil:
			delete(out, k)
		case isMap:
			cm, _ := out[k].(map[string]any)
			out[k] = patchMap(cm, pm)
		default:
			out[k] = v
		}
	}
	return out
}

// dropNulls removes null values, which Kubernetes ignores but the checks
// of a manifest's JSON types refuse.
func dropNulls(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			if e == nil {
				delete(t, k)
				continue
			}
			t[k] = dropNulls(e)
		}
	case []any:
		for i, e := range t {
			t[i] = dropNulls(e)
		}
	}
	return v
}

func volumeSource(m map[string]any) (*corev1.VolumeSource, error) {
	raw, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	vs := &corev1.VolumeSource{}
	strict, err := kjson.UnmarshalStrict(raw, vs)
	if err != nil {
		return nil, err
	}
	if len(strict) > 0 {
		return nil, strict[0]
	}
	if reflect.ValueOf(*vs).IsZero() {
		return nil, fmt.Errorf("it names no kind of volume")
	}
	return vs, nil
}

func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
