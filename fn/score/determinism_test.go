package score

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
)

// allThirdParty converts every third-party sample together with a workload
// that uses every resource type, so one run touches all code paths.
func allThirdParty(t testing.TB) []Workload {
	t.Helper()
	var paths []string
	err := filepath.Walk(filepath.Join("testdata", "thirdparty"), func(p string, info os.FileInfo, err error) error {
		if err == nil && strings.HasSuffix(p, ".yaml") {
			paths = append(paths, filepath.ToSlash(strings.TrimPrefix(p, filepath.Join("testdata", "thirdparty")+string(filepath.Separator))))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	ws := thirdparty(t, paths...)
	// The samples reuse metadata names; give each its own.
	for i := range ws {
		ws[i].Name = fmt.Sprintf("sample-%02d", i)
	}
	return append(ws, workload(t, everything))
}

const everything = `
apiVersion: score.dev/v1b1
metadata:
  name: everything
  annotations: {aa.example.com/xx: "1", bb.example.com/yy: "2", cc.example.com/zz: "3"}
containers:
  zz: {image: busybox, variables: {Z: "${resources.cache.host}", PEER_PORT: "${resources.peer.port}"}}
  aa:
    image: nginx
    variables: {A: "1", B: "2", C: "${resources.db.password}", D: "u=${resources.db.username};p=${resources.db.password};r=${resources.cache.password}"}
    files:
      /etc/a: {content: "${metadata.name}"}
      /etc/b: {content: "${resources.db.password}"}
      /etc/c: {binaryContent: aGk=}
    volumes:
      /data: {source: "${resources.data}"}
      /tmp: {source: "${resources.tmp}"}
    readinessProbe: {httpGet: {path: /, port: 80}}
service:
  ports: {web: {port: 80}, admin: {port: 81}, metrics: {port: 82}}
resources:
  db: {type: postgres}
  my: {type: mysql, id: shared-mysql}
  cache: {type: redis, id: main-cache}
  data: {type: volume}
  tmp: {type: volume, class: ephemeral}
  dns: {type: dns}
  route: {type: route, params: {host: "${resources.dns.host}", path: /app, port: web}}
  peer: {type: service-port, params: {workload: everything, port: admin}}
`

func marshalOutput(t testing.TB, out any) []byte {
	b, err := json.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDeterminism(t *testing.T) {
	t.Run("built-in provisioners", func(t *testing.T) { testDeterminism(t, testOpts) })
	t.Run("platform provisioners", func(t *testing.T) { testDeterminism(t, platformOpts(t)) })
}

func testDeterminism(t *testing.T, testOpts Options) {
	ws := append(allThirdParty(t), thirdpartyApps(t)...)
	want := marshalOutput(t, Convert(ws, testOpts))
	if len(want) < 10000 {
		t.Fatalf("suspiciously small output: %d bytes", len(want))
	}
	for i := range 20 {
		if got := marshalOutput(t, Convert(ws, testOpts)); !bytes.Equal(got, want) {
			t.Fatalf("run %d differs from the first", i)
		}
	}
	// Concurrent conversions share the compiled schema and nothing else.
	var wg sync.WaitGroup
	results := make([][]byte, 8)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = marshalOutput(t, Convert(ws, testOpts))
		}()
	}
	wg.Wait()
	for i, got := range results {
		if !bytes.Equal(got, want) {
			t.Errorf("concurrent run %d differs", i)
		}
	}
}

// The order of the input does not matter: outputs are sorted and shared
// resources are provisioned by the first workload by name.
func TestInputOrder(t *testing.T) {
	for _, opts := range []Options{testOpts, platformOpts(t)} {
		ws := append(allThirdParty(t), thirdpartyApps(t)...)
		want := marshalOutput(t, Convert(ws, opts))
		reversed := slices.Clone(ws)
		slices.Reverse(reversed)
		if got := marshalOutput(t, Convert(reversed, opts)); !bytes.Equal(got, want) {
			t.Errorf("reversing the input changes the output (%d platform provisioners)", len(opts.Provisioners))
		}
	}
}

// thirdpartyApps are the multi-service sample apps under their own names,
// so their service dependencies resolve and .Shared is shared.
func thirdpartyApps(t testing.TB) []Workload {
	files := append(sample("aks-store-demo", "ai", "makeline", "order", "store-admin", "store-front"), "score-spec/examples/samples/aks-store-demo/product/score-ai.yaml")
	files = append(files, sample("onlineboutique", "ad", "cart", "checkout", "currency", "email", "frontend", "loadgenerator", "payment", "productcatalog", "recommendation", "shipping")...)
	files = append(files, sample("traderx", "account-service", "database", "people-service", "position-service", "reference-data", "trade-feed", "trade-processor", "trade-service", "web-frontend")...)
	return thirdparty(t, files...)
}

// Convert must not modify its input: score-go's upgrade transforms edit
// specs in place.
func TestInputUnchanged(t *testing.T) {
	ws := allThirdParty(t)
	before := marshalOutput(t, ws)
	copies := make([]Workload, len(ws))
	copy(copies, ws)
	Convert(ws, testOpts)
	if after := marshalOutput(t, ws); !bytes.Equal(before, after) {
		t.Errorf("Convert modified its input")
	}
	if !reflect.DeepEqual(copies, ws) {
		t.Errorf("Convert modified its input slice")
	}
}

func TestEverything(t *testing.T) {
	ws := []Workload{workload(t, everything)}
	out := Convert(ws, testOpts)
	checkInvariants(t, ws, testOpts, out)
	if len(out.Problems) != 0 || len(out.Workloads) != 1 {
		t.Fatalf("problems: %v", out.Problems)
	}
	compareGolden(t, out)
}
