package score

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// resolveParams substitutes placeholders in every string of params. Secret
// outputs are refused: params end up in manifests.
func (w *workloadCtx) resolveParams(field string, params map[string]any) (map[string]any, bool) {
	ok := true
	var walk func(path string, v any) any
	walk = func(path string, v any) any {
		switch t := v.(type) {
		case string:
			r, msgs := w.resolver.resolve(t)
			for _, m := range msgs {
				w.d.fatal(path, "%s", m)
			}
			if r == nil {
				ok = false
				return t
			}
			s, plain := r.Plain()
			if !plain {
				w.d.fatal(path, "secret outputs cannot be used in resource params, which are not secret")
				ok = false
			}
			return s
		case map[string]any:
			out := make(map[string]any, len(t))
			for _, k := range sortedKeys(t) {
				out[k] = walk(path+"."+k, t[k])
			}
			return out
		case []any:
			out := make([]any, len(t))
			for i, e := range t {
				out[i] = walk(fmt.Sprintf("%s.%d", path, i), e)
			}
			return out
		}
		return v
	}
	out, _ := walk(field, params).(map[string]any)
	return out, ok
}

// checkParams warns about params the resource type does not read.
func (w *workloadCtx) checkParams(field string, params map[string]any, known ...string) {
	for _, k := range sortedKeys(params) {
		if !slices.Contains(known, k) {
			supported := "none"
			if len(known) > 0 {
				supported = strings.Join(known, ", ")
			}
			w.d.warn(field+".params."+k, "not a param of this resource type (supported: %s); ignored", supported)
		}
	}
}

// paramString reads an optional string param.
func paramString(params map[string]any, key string) (string, bool, error) {
	v, ok := params[key]
	if !ok || v == nil {
		return "", false, nil
	}
	s, isString := v.(string)
	if !isString {
		return "", true, fmt.Errorf("must be a string, got %s", jsonText(v))
	}
	return s, true, nil
}

// paramPort reads a port param: a number, or a string that is a number or a
// port name.
func paramPort(params map[string]any, key string) (string, bool) {
	switch t := params[key].(type) {
	case json.Number:
		return t.String(), true
	case string:
		return t, true
	}
	return "", false
}

func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
