package score

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
)

// normalize deep-copies a decoded YAML or JSON document into the only types
// the schema validator and the rest of this package expect: map[string]any,
// []any, string, bool, json.Number and nil. The copy also protects the
// caller's map from score-go's upgrade transforms, which edit in place.
// YAML decoders differ in what they produce (map[any]any, int, uint64...);
// anything that has no JSON form is reported with its path.
func normalize(v any, path string) (any, error) {
	return normalizeDepth(v, path, 0)
}

// maxDepth bounds recursion: a hand-built spec can contain itself, and a stack
// overflow cannot be recovered from.
const maxDepth = 64

func normalizeDepth(v any, path string, depth int) (any, error) {
	if depth > maxDepth {
		return nil, fieldErr(path, "nested more than %d levels deep", maxDepth)
	}
	switch t := v.(type) {
	case nil, string, bool:
		return t, nil
	case json.Number:
		if _, err := strconv.ParseFloat(string(t), 64); err != nil {
			return nil, fieldErr(path, "%q is not a number", string(t))
		}
		return t, nil
	case float64:
		return floatNumber(t, path)
	case float32:
		return floatNumber(float64(t), path)
	case int:
		return json.Number(strconv.FormatInt(int64(t), 10)), nil
	case int8:
		return json.Number(strconv.FormatInt(int64(t), 10)), nil
	case int16:
		return json.Number(strconv.FormatInt(int64(t), 10)), nil
	case int32:
		return json.Number(strconv.FormatInt(int64(t), 10)), nil
	case int64:
		return json.Number(strconv.FormatInt(t, 10)), nil
	case uint:
		return json.Number(strconv.FormatUint(uint64(t), 10)), nil
	case uint8:
		return json.Number(strconv.FormatUint(uint64(t), 10)), nil
	case uint16:
		return json.Number(strconv.FormatUint(uint64(t), 10)), nil
	case uint32:
		return json.Number(strconv.FormatUint(uint64(t), 10)), nil
	case uint64:
		return json.Number(strconv.FormatUint(t, 10)), nil
	case map[string]any:
		// Sorted, so that of several errors the same one is reported.
		out := make(map[string]any, len(t))
		for _, k := range sortedKeys(t) {
			n, err := normalizeDepth(t[k], joinPath(path, k), depth+1)
			if err != nil {
				return nil, err
			}
			out[k] = n
		}
		return out, nil
	case map[any]any:
		strs := make(map[string]any, len(t))
		var bad []string
		for k, e := range t {
			ks, ok := k.(string)
			if !ok {
				bad = append(bad, fmt.Sprintf("key %v is a %T, expected a string", k, k))
				continue
			}
			strs[ks] = e
		}
		if len(bad) > 0 {
			slices.Sort(bad)
			return nil, fieldErr(path, "%s", bad[0])
		}
		return normalizeDepth(strs, path, depth)
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			n, err := normalizeDepth(e, joinPath(path, strconv.Itoa(i)), depth+1)
			if err != nil {
				return nil, err
			}
			out[i] = n
		}
		return out, nil
	}
	return normalizeReflect(v, path, depth+1)
}

// normalizeReflect handles typed maps and slices ([]string,
// map[string]string...) that hand-built specs contain.
func normalizeReflect(v any, path string, depth int) (any, error) {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Slice, reflect.Array:
		out := make([]any, rv.Len())
		for i := range out {
			n, err := normalizeDepth(rv.Index(i).Interface(), joinPath(path, strconv.Itoa(i)), depth)
			if err != nil {
				return nil, err
			}
			out[i] = n
		}
		return out, nil
	case reflect.Map:
		if rv.Type().Key().Kind() != reflect.String {
			return nil, fieldErr(path, "map keys are %s, expected strings", rv.Type().Key())
		}
		strs := make(map[string]any, rv.Len())
		iter := rv.MapRange()
		for iter.Next() {
			strs[iter.Key().String()] = iter.Value().Interface()
		}
		return normalizeDepth(strs, path, depth)
	case reflect.String:
		return rv.String(), nil
	case reflect.Bool:
		return rv.Bool(), nil
	case reflect.Pointer, reflect.Interface:
		if rv.IsNil() {
			return nil, nil
		}
		return normalizeDepth(rv.Elem().Interface(), path, depth)
	}
	return nil, fieldErr(path, "a %T has no JSON form", v)
}

func floatNumber(f float64, path string) (any, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil, fieldErr(path, "%v is not a JSON number", f)
	}
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return json.Number(strconv.FormatInt(int64(f), 10)), nil
	}
	return json.Number(strconv.FormatFloat(f, 'g', -1, 64)), nil
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}
