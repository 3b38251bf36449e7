package score

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v5"
	"github.com/score-spec/score-go/schema"
)

// apiVersion is the only Score version this package converts.
const apiVersion = "score.dev/v1b1"

// score-go's schema.Validate compiles the schema on every call, which costs
// more than converting a workload; compile it once per process instead.
var (
	schemaOnce     sync.Once
	compiledSchema *jsonschema.Schema
	errSchema      error
)

func scoreSchema() (*jsonschema.Schema, error) {
	schemaOnce.Do(func() {
		compiledSchema, errSchema = jsonschema.CompileString("score-v1b1.json", schema.ScoreSchemaV1b1)
	})
	return compiledSchema, errSchema
}

// validateSchema checks doc, a normalised Score document, against the Score
// JSON schema and returns one fieldError per violation.
func validateSchema(doc map[string]any) []*fieldError {
	s, err := scoreSchema()
	if err != nil {
		return []*fieldError{fieldErr("", "internal error: the Score schema does not compile: %v", err)}
	}
	err = s.Validate(doc)
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return []*fieldError{fieldErr("", "%v", err)}
	}
	var out []*fieldError
	collectSchemaErrors(ve, &out)
	return out
}

// collectSchemaErrors walks the error tree down to the leaves, which are the
// actual violations; the inner nodes only say "doesn't validate with ...".
func collectSchemaErrors(ve *jsonschema.ValidationError, out *[]*fieldError) {
	field := pointerToField(ve.InstanceLocation)
	keyword := lastSegment(ve.KeywordLocation)
	// The one oneOf in the schema is a file's content/binaryContent/source;
	// its branch errors ("missing properties: 'content'"...) would only
	// confuse.
	if keyword == "oneOf" {
		*out = append(*out, fieldErr(field, "exactly one of content, binaryContent or source must be set"))
		return
	}
	if len(ve.Causes) > 0 {
		for _, c := range ve.Causes {
			collectSchemaErrors(c, out)
		}
		return
	}
	switch {
	case keyword == "required":
		for _, name := range quotedNames(ve.Message) {
			*out = append(*out, fieldErr(joinPath(field, name), "is required"))
		}
	case keyword == "additionalProperties":
		// The validator lists the names in map order; one problem per name
		// keeps the output deterministic.
		for _, name := range quotedNames(ve.Message) {
			*out = append(*out, fieldErr(joinPath(field, name), "is not a known field here"))
		}
	case strings.Contains(ve.KeywordLocation, "/propertyNames/"):
		*out = append(*out, fieldErr(field, "the name %q is not allowed: %s", lastFieldSegment(ve.InstanceLocation), ve.Message))
	default:
		*out = append(*out, fieldErr(field, "%s", ve.Message))
	}
}

var quotedName = regexp.MustCompile(`'((?:[^'\\]|\\.)*)'`)

func quotedNames(msg string) []string {
	var names []string
	for _, m := range quotedName.FindAllStringSubmatch(msg, -1) {
		names = append(names, m[1])
	}
	slices.Sort(names)
	return names
}

// pointerToField turns the JSON pointer "/containers/main/image" into
// "containers.main.image". The validator also URL-escapes each token.
func pointerToField(ptr string) string {
	if ptr == "" || ptr == "/" {
		return ""
	}
	tokens := strings.Split(strings.TrimPrefix(ptr, "/"), "/")
	for i, t := range tokens {
		if u, err := url.PathUnescape(t); err == nil {
			t = u
		}
		t = strings.ReplaceAll(t, "~1", "/")
		tokens[i] = strings.ReplaceAll(t, "~0", "~")
	}
	return strings.Join(tokens, ".")
}

func lastSegment(ptr string) string {
	if i := strings.LastIndexByte(ptr, '/'); i >= 0 {
		return ptr[i+1:]
	}
	return ptr
}

func lastFieldSegment(ptr string) string {
	f := lastSegment(ptr)
	if u, err := url.PathUnescape(f); err == nil {
		f = u
	}
	return strings.ReplaceAll(strings.ReplaceAll(f, "~1", "/"), "~0", "~")
}

// checkAPIVersion is done before the schema so a spec of another version gets
// one clear problem instead of a list of schema differences.
func checkAPIVersion(doc map[string]any) *fieldError {
	v, ok := doc["apiVersion"]
	if !ok {
		return fieldErr("apiVersion", "is required and must be %q", apiVersion)
	}
	s, ok := v.(string)
	if !ok {
		return fieldErr("apiVersion", "must be the string %q, got %v", apiVersion, v)
	}
	if s != apiVersion {
		return fieldErr("apiVersion", "must be %q, got %q", apiVersion, s)
	}
	return nil
}

// checkDeprecatedArrays catches what score-go's upgrade transform would lose:
// two entries of the old files or volumes array with the same target, of
// which the transform silently keeps the last.
func checkDeprecatedArrays(doc map[string]any) []*fieldError {
	containers, _ := doc["containers"].(map[string]any)
	var out []*fieldError
	for _, cname := range sortedKeys(containers) {
		c, _ := containers[cname].(map[string]any)
		for _, kind := range []string{"files", "volumes"} {
			list, ok := c[kind].([]any)
			if !ok {
				continue
			}
			seen := map[string]int{}
			for i, e := range list {
				m, _ := e.(map[string]any)
				t, ok := m["target"].(string)
				if !ok {
					continue
				}
				if j, dup := seen[t]; dup {
					out = append(out, fieldErr(fmt.Sprintf("containers.%s.%s.%d.target", cname, kind, i),
						"target %q is also used by entry %d", t, j))
					continue
				}
				seen[t] = i
			}
		}
	}
	return out
}
