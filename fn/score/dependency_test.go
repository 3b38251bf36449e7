package score

import (
	"testing"
)

// TestFailedDependencies: a workload whose `service` dependency did not
// convert, or whose spec could not be read, still converts, with a warning
// naming the dependency, and lists it in FailedDependencies.
func TestFailedDependencies(t *testing.T) {
	frontend := workload(t, `
apiVersion: score.dev/v1b1
metadata: {name: frontend}
containers: {main: {image: nginx, variables: {CART: "${resources.cart.name}", LEDGER: "${resources.ledger.name}", OK: "${resources.ok.name}"}}}
resources:
  cart: {type: service}
  ledger: {type: service}
  ok: {type: service}
`)
	cart := workload(t, "apiVersion: score.dev/v1b1\nmetadata: {name: cart}\ncontainers: {main: {image: .}}\nservice: {ports: {web: {port: 80}}}\n")
	ok := workload(t, "apiVersion: score.dev/v1b1\nmetadata: {name: ok}\ncontainers: {main: {image: nginx}}\nservice: {ports: {web: {port: 80}}}\n")
	opts := testOpts
	opts.Unread = []string{"ledger"}
	out := Convert([]Workload{frontend, cart, ok}, opts)
	want := []Problem{
		fatal("cart", "containers.main.image", `"." asks the Score tool to build the image locally, which a cluster cannot do; set the reference of a pushed image`),
		warning("frontend", "resources.cart", `depends on workload "cart", which did not convert (see its own problems); this workload is delivered all the same, and reaches "cart" only once it converts`),
		warning("frontend", "resources.ledger", `depends on workload "ledger", which did not convert (see its own problems); this workload is delivered all the same, and reaches "ledger" only once it converts`),
	}
	if diff := cmpDiff(want, out.Problems); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	var got []string
	for _, wo := range out.Workloads {
		if wo.Name == "frontend" {
			got = wo.FailedDependencies
		}
	}
	if diff := cmpDiff([]string{"cart", "ledger"}, got); diff != "" {
		t.Errorf("frontend's FailedDependencies (-want +got):\n%s", diff)
	}
}
