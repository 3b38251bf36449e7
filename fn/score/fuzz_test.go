package score

import (
	"bytes"
	"encoding/json"
	"testing"

	"sigs.k8s.io/yaml"
)

// fuzzPeer is converted next to every fuzzed spec so that shared resources
// and service-port resources have a partner.
const fuzzPeer = `
apiVersion: score.dev/v1b1
metadata: {name: peer}
containers: {main: {image: nginx}}
service: {ports: {web: {port: 80}}}
resources:
  cache: {type: redis, id: cache}
  db: {type: mysql, id: shared-db}
`

// FuzzConvert feeds arbitrary YAML to Convert. The seeds are in
// testdata/fuzz/FuzzConvert (the third-party samples and edge cases). Convert
// recovers from panics, so an "internal error" problem is how a panic shows;
// every output must also pass the invariants of the unit tests.
func FuzzConvert(f *testing.F) {
	f.Add([]byte(minimal))
	f.Fuzz(func(t *testing.T, doc []byte) {
		var m map[string]any
		if err := yaml.Unmarshal(doc, &m); err != nil {
			return
		}
		ws := []Workload{{Spec: m, Source: "fuzz"}, workload(t, fuzzPeer)}
		before, err := json.Marshal(m)
		if err != nil {
			return
		}
		out := Convert(ws, testOpts)
		checkInvariants(t, ws, testOpts, out)
		after, _ := json.Marshal(m)
		if !bytes.Equal(before, after) {
			t.Errorf("Convert modified its input")
		}
	})
}
