package score

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/score-spec/score-go/framework"

	"github.com/platformcluster/function-platform-cluster/fn/score/provision"
)

// errResourceFailed means a placeholder names a resource that could not be
// provisioned; that failure is already reported, so it adds no problem.
var errResourceFailed = errors.New("resource failed")

// errNoResource means the workload declares no resource of that name.
var errNoResource = errors.New("no such resource")

// resolver substitutes ${metadata...} and ${resources...} placeholders of
// one workload.
type resolver struct {
	metadata map[string]any
	// resource returns the provisioned resource, errNoResource or
	// errResourceFailed.
	resource func(name string) (*provision.Result, error)
}

// marker stands for the i-th secret reference during substitution. A NUL
// byte cannot come from the spec (resolve rejects it) nor from an output,
// so markers cannot be forged.
func marker(i int) string { return "\x00" + strconv.Itoa(i) + "\x00" }

// resolve substitutes the placeholders of s. It returns one message per
// placeholder that cannot be resolved; "$${" escapes a placeholder.
func (r *resolver) resolve(s string) (provision.Text, []string) {
	if strings.ContainsRune(s, 0) {
		return nil, []string{"contains a NUL character"}
	}
	var refs []*provision.SecretRef
	var msgs []string
	failed := false
	sub := framework.Substituter{Replacer: func(ref string) (string, error) {
		out, msg, err := r.lookup(ref)
		switch {
		case errors.Is(err, errResourceFailed):
			failed = true
			return "", err
		case msg != "":
			msgs = append(msgs, msg)
			return "", errors.New(msg)
		case out.Secret != nil:
			refs = append(refs, out.Secret)
			return marker(len(refs) - 1), nil
		case out.Parts != nil:
			var b strings.Builder
			for _, seg := range out.Parts {
				if seg.Secret == nil {
					b.WriteString(seg.Text)
					continue
				}
				refs = append(refs, seg.Secret)
				b.WriteString(marker(len(refs) - 1))
			}
			return b.String(), nil
		}
		return out.Value, nil
	}}
	text, err := sub.SubstituteString(s)
	if len(msgs) > 0 {
		return nil, msgs
	}
	if failed {
		return nil, []string{}
	}
	if err != nil {
		return nil, []string{err.Error()}
	}
	return splitMarkers(text, refs), nil
}

func splitMarkers(text string, refs []*provision.SecretRef) provision.Text {
	var out provision.Text
	for {
		i := strings.IndexByte(text, 0)
		if i < 0 {
			break
		}
		j := strings.IndexByte(text[i+1:], 0)
		if j < 0 {
			break
		}
		n, err := strconv.Atoi(text[i+1 : i+1+j])
		if err != nil || n < 0 || n >= len(refs) {
			break
		}
		if i > 0 {
			out = append(out, provision.Segment{Text: text[:i]})
		}
		out = append(out, provision.Segment{Secret: refs[n]})
		text = text[i+j+2:]
	}
	if text != "" || len(out) == 0 {
		out = append(out, provision.Segment{Text: text})
	}
	return out
}

// lookup resolves one placeholder. msg explains an unresolvable one.
func (r *resolver) lookup(ref string) (out provision.Output, msg string, err error) {
	parts := framework.SplitRefParts(ref)
	switch parts[0] {
	case "metadata":
		return r.lookupMetadata(ref, parts[1:])
	case "resources":
		if len(parts) < 2 || parts[1] == "" {
			return provision.Output{}, fmt.Sprintf("unknown placeholder ${%s}: name a resource and an output, e.g. ${resources.db.host}", ref), nil
		}
		p, err := r.resource(parts[1])
		if errors.Is(err, errNoResource) {
			return provision.Output{}, fmt.Sprintf("unknown placeholder ${%s}: there is no resource named %q", ref, parts[1]), nil
		}
		if errors.Is(err, errResourceFailed) {
			return provision.Output{}, "", err
		}
		if err != nil {
			return provision.Output{}, fmt.Sprintf("placeholder ${%s}: %v", ref, err), nil
		}
		names := sortedKeys(p.Outputs)
		if len(parts) == 2 {
			return provision.Output{}, fmt.Sprintf("placeholder ${%s} names a whole resource; name one of its outputs (%s)", ref, outputList(names)), nil
		}
		o, ok := p.Outputs[parts[2]]
		if bad, isBad := p.BadOutputs[parts[2]]; !ok && isBad {
			return provision.Output{}, fmt.Sprintf("placeholder ${%s}: %s", ref, bad), nil
		}
		if !ok {
			msg := fmt.Sprintf("unknown placeholder ${%s}: resource %q of type %s has no output %q (%s)", ref, parts[1], p.Type, parts[2], outputList(names))
			if p.Hint != "" {
				msg += "; " + p.Hint
			}
			return provision.Output{}, msg, nil
		}
		if len(parts) > 3 {
			return provision.Output{}, fmt.Sprintf("unknown placeholder ${%s}: output %q of resource %q has no fields", ref, parts[2], parts[1]), nil
		}
		return o, "", nil
	}
	return provision.Output{}, fmt.Sprintf("unknown placeholder ${%s}: placeholders start with metadata or resources (write $${ for a literal ${)", ref), nil
}

func outputList(names []string) string {
	if len(names) == 0 {
		return "it has no outputs"
	}
	return "it has: " + strings.Join(names, ", ")
}

func (r *resolver) lookupMetadata(ref string, keys []string) (provision.Output, string, error) {
	if len(keys) == 0 {
		return provision.Output{}, fmt.Sprintf("unknown placeholder ${%s}: name a metadata field, e.g. ${metadata.name}", ref), nil
	}
	var v any = r.metadata
	for i, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return provision.Output{}, fmt.Sprintf("unknown placeholder ${%s}: metadata.%s is not a map", ref, strings.Join(keys[:i], ".")), nil
		}
		v, ok = m[k]
		if !ok {
			return provision.Output{}, fmt.Sprintf("unknown placeholder ${%s}: metadata has no field %q", ref, strings.Join(keys[:i+1], ".")), nil
		}
	}
	s, ok := v.(string)
	if !ok {
		// As score-go does: non-strings are substituted as JSON.
		b, err := json.Marshal(v)
		if err != nil {
			return provision.Output{}, fmt.Sprintf("placeholder ${%s}: %v", ref, err), nil
		}
		s = string(b)
	}
	if strings.ContainsRune(s, 0) {
		return provision.Output{}, fmt.Sprintf("placeholder ${%s}: the value contains a NUL character", ref), nil
	}
	return provision.Plain(s), "", nil
}
