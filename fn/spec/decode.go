package spec

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"reflect"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/platformcluster/function-platform-cluster/fn/sorted"
)

// root is the field path every error is reported under.
var root = field.NewPath("spec")

// crossplaneFields are the fields Crossplane owns on a LegacyCluster XR's
// spec. They are accepted so strict decoding does not reject them, and
// never read; no XR spec type declares them, as the XRDs generated from
// those types must not.
var crossplaneFields = []string{
	"claimRef", "compositionRef", "compositionRevisionRef", "compositionRevisionSelector",
	"compositionSelector", "compositionUpdatePolicy", "crossplane", "environmentConfigRefs",
	"publishConnectionDetailsTo", "resourceRefs", "writeConnectionSecretToRef",
}

// Decode decodes an XR's spec with the XRD's defaults applied, as an API
// server applies them. Before decoding it checks every value against the Go
// type it lands in, so each unknown field and each value of the wrong type
// is reported with its full path ("spec.clusterSpec.nodePools[1].count:
// must be an integer") and nothing the claim says is silently ignored.
func Decode(in map[string]any) (*Spec, field.ErrorList) {
	d, _ := platform.WithDefaults(in).(map[string]any)
	return DecodeAs[Spec](d)
}

// DecodeAs decodes an XR's spec into T as Decode does a Spec, for the
// function's other XR kinds. T may use only the kinds a Spec uses: structs,
// pointers, maps, slices, strings, booleans and int64.
func DecodeAs[T any](in map[string]any) (*T, field.ErrorList) {
	own := make(map[string]any, len(in))
	for k, v := range in {
		if !slices.Contains(crossplaneFields, k) {
			own[k] = v
		}
	}
	if errs := check(own, reflect.TypeFor[T](), root); len(errs) > 0 {
		return nil, errs
	}
	raw, err := json.Marshal(own)
	if err != nil {
		return nil, field.ErrorList{field.InternalError(root, err)}
	}
	s := new(T)
	if err := json.Unmarshal(raw, s); err != nil {
		return nil, field.ErrorList{field.InternalError(root, err)}
	}
	return s, nil
}

// check reports where v does not fit t, in JSON terms.
func check(v any, t reflect.Type, p *field.Path) field.ErrorList {
	if v == nil {
		return nil
	}
	switch t.Kind() { //nolint:exhaustive // Spec uses only these kinds.
	case reflect.Pointer:
		return check(v, t.Elem(), p)
	case reflect.Struct:
		m, ok := v.(map[string]any)
		if !ok {
			return field.ErrorList{wrongType(p, v, "object")}
		}
		return checkStruct(m, t, p)
	case reflect.Map:
		m, ok := v.(map[string]any)
		if !ok {
			return field.ErrorList{wrongType(p, v, "object")}
		}
		var errs field.ErrorList
		for _, k := range sorted.Keys(m) {
			errs = append(errs, check(m[k], t.Elem(), p.Key(k))...)
		}
		return errs
	case reflect.Slice:
		s, ok := v.([]any)
		if !ok {
			return field.ErrorList{wrongType(p, v, "array")}
		}
		var errs field.ErrorList
		for i := range s {
			errs = append(errs, check(s[i], t.Elem(), p.Index(i))...)
		}
		return errs
	case reflect.Interface:
		return nil
	case reflect.String:
		if _, ok := v.(string); !ok {
			return field.ErrorList{wrongType(p, v, "string")}
		}
	case reflect.Bool:
		if _, ok := v.(bool); !ok {
			return field.ErrorList{wrongType(p, v, "boolean")}
		}
	case reflect.Int64:
		if !isInteger(v) {
			return field.ErrorList{wrongType(p, v, "integer")}
		}
	}
	return nil
}

func checkStruct(m map[string]any, t reflect.Type, p *field.Path) field.ErrorList {
	fields := map[string]reflect.Type{}
	fieldsOf(t, fields)
	var errs field.ErrorList
	for _, k := range sorted.Keys(m) {
		ft, ok := fields[k]
		if !ok {
			errs = append(errs, unknown(t, p, k, fields))
			continue
		}
		errs = append(errs, check(m[k], ft, p.Child(k))...)
	}
	return errs
}

// fieldsOf maps the JSON names of t's fields to their types, those of
// embedded structs included, as encoding/json sees them.
func fieldsOf(t reflect.Type, into map[string]reflect.Type) {
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Anonymous && f.Type.Kind() == reflect.Struct {
			fieldsOf(f.Type, into)
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		into[name] = f.Type
	}
}

func unknown(t reflect.Type, p *field.Path, k string, fields map[string]reflect.Type) *field.Error {
	known := slices.Sorted(maps.Keys(fields))
	// A component is one of a set the function offers, not a misspelt field.
	if t == reflect.TypeFor[Components]() {
		return field.NotSupported(p.Child(k), k, known)
	}
	return field.Invalid(p.Child(k), k, "unknown field; expected one of: "+strings.Join(known, ", "))
}

func wrongType(p *field.Path, v any, want string) *field.Error {
	return field.Invalid(p, v, "must be "+article(want)+" "+want+", not "+article(jsonKind(v))+" "+jsonKind(v))
}

func article(kind string) string {
	if strings.IndexByte("aeiou", kind[0]) >= 0 {
		return "an"
	}
	return "a"
}

func jsonKind(v any) string {
	switch v.(type) {
	case string:
		return "string"
	case bool:
		return "boolean"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case float64, float32, int, int32, int64:
		return "number"
	default:
		return fmt.Sprintf("%T", v)
	}
}

func isInteger(v any) bool {
	switch n := v.(type) {
	case int, int32, int64:
		return true
	case float64:
		return n == math.Trunc(n) && math.Abs(n) < 1<<53
	default:
		return false
	}
}
