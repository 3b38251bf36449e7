package fn

import (
	"context"
	"strings"
	"testing"

	"github.com/crossplane/function-sdk-go/logging"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/resource"

	"github.com/platformcluster/function-platform-cluster/fn/fntest"
)

// TestBadInput is the table README.md's "Bad input" section documents. Each
// row gives the result severity and a fragment of its message, which names
// the field at fault.
func TestBadInput(t *testing.T) {
	long := strings.Repeat("a", 70)
	cases := map[string]struct {
		spec     string
		observed map[string]*fnv1.Resource
		severity fnv1.Severity
		message  string
		// composes says valid parts must still be composed.
		composes string
	}{
		"WrongType": {
			spec:     `{"clusterSpec": {"clusterName": "demo", "labels": {"team": "a"}, "nodePool": {"count": "three"}}}`,
			severity: fnv1.Severity_SEVERITY_FATAL,
			message:  `spec.clusterSpec.nodePool.count: Invalid value: "three": must be an integer, not a string`,
		},
		"KubernetesVersionNotOffered": {
			spec:     `{"clusterSpec": {"clusterName": "demo", "labels": {"team": "a"}, "kubernetesVersion": "1.33"}}`,
			severity: fnv1.Severity_SEVERITY_FATAL,
			message:  `spec.clusterSpec.kubernetesVersion: Invalid value: "1.33": LKE's standard tier offers 1.35, 1.36 (the function Input's defaults.kubernetesVersions.standard)`,
		},
		"MissingClusterName": {
			spec:     `{"clusterSpec": {"labels": {"team": "a"}}}`,
			severity: fnv1.Severity_SEVERITY_FATAL,
			message:  "spec.clusterSpec.clusterName: Required value",
		},
		"MissingTeam": {
			spec:     `{"clusterSpec": {"clusterName": "demo"}}`,
			severity: fnv1.Severity_SEVERITY_FATAL,
			message:  "spec.clusterSpec.labels[team]: Required value",
		},
		"HugeCount": {
			spec:     `{"clusterSpec": {"clusterName": "demo", "labels": {"team": "a"}, "nodePool": {"count": 100000}}}`,
			severity: fnv1.Severity_SEVERITY_FATAL,
			message:  "spec.clusterSpec.nodePools[0].count: Invalid value: 100000: must be between 1 and 100",
		},
		"AutoscalerMinAboveMax": {
			spec:     `{"clusterSpec": {"clusterName": "demo", "labels": {"team": "a"}, "nodePools": [{"name": "a", "type": "g6-standard-2", "autoscaler": {"min": 5, "max": 2}}]}}`,
			severity: fnv1.Severity_SEVERITY_FATAL,
			message:  "spec.clusterSpec.nodePools[0].autoscaler.min: Invalid value: 5: must not exceed autoscaler.max (2)",
		},
		"ClusterNameTooLong": {
			spec:     `{"clusterSpec": {"clusterName": "` + long + `", "labels": {"team": "a"}}}`,
			severity: fnv1.Severity_SEVERITY_FATAL,
			message:  "spec.clusterSpec.clusterName: Invalid value",
		},
		"WorkloadNameTooLong": {
			spec:     `{"clusterSpec": {"clusterName": "demo", "labels": {"team": "a"}}, "workloads": [{"name": "` + long + `", "score": {"apiVersion": "score.dev/v1b1"}}]}`,
			severity: fnv1.Severity_SEVERITY_FATAL,
			message:  "spec.workloads[0].name: Invalid value",
		},
		"DuplicatePoolNames": {
			spec:     `{"clusterSpec": {"clusterName": "demo", "labels": {"team": "a"}, "nodePools": [{"name": "a", "type": "g6-standard-2"}, {"name": "a", "type": "g6-standard-2"}]}}`,
			severity: fnv1.Severity_SEVERITY_FATAL,
			message:  `spec.clusterSpec.nodePools[1].name: Duplicate value: "a"`,
		},
		"DuplicateWorkloadNames": {
			spec:     `{"clusterSpec": {"clusterName": "demo", "labels": {"team": "a"}}, "workloads": [{"name": "w", "score": {"a": 1}}, {"name": "w", "score": {"a": 1}}]}`,
			severity: fnv1.Severity_SEVERITY_FATAL,
			message:  `spec.workloads[1].name: Duplicate value: "w"`,
		},
		"InvalidCIDR": {
			spec:     `{"clusterSpec": {"clusterName": "demo", "labels": {"team": "a"}, "controlPlaneAcl": {"enabled": true, "addresses": {"ipv4": ["10.0.0.0/33"]}}}}`,
			severity: fnv1.Severity_SEVERITY_FATAL,
			message:  `spec.clusterSpec.controlPlaneAcl.addresses.ipv4[0]: Invalid value: "10.0.0.0/33": must be an IPv4 CIDR`,
		},
		"UnsupportedRegion": {
			spec:     `{"clusterSpec": {"clusterName": "demo", "labels": {"team": "a"}, "region": "US East"}}`,
			severity: fnv1.Severity_SEVERITY_FATAL,
			message:  `spec.clusterSpec.region: Unsupported value: "US East"`,
		},
		"UnknownComponent": {
			spec:     `{"clusterSpec": {"clusterName": "demo", "labels": {"team": "a"}}, "components": {"istio": {"enabled": true}}}`,
			severity: fnv1.Severity_SEVERITY_FATAL,
			message:  `spec.components.istio: Unsupported value: "istio"`,
		},
		"InvalidScoreIsAWarningAndTheRestComposes": {
			spec:     `{"clusterSpec": {"clusterName": "demo", "labels": {"team": "a"}}, "workloads": [{"name": "w", "score": {"apiVersion": "score.dev/v2", "metadata": {"name": "w"}, "containers": {"main": {"image": "nginx"}}}}]}`,
			severity: fnv1.Severity_SEVERITY_WARNING,
			message:  "workload w: apiVersion",
			composes: "cluster",
		},
		"InvalidDomain": {
			spec:     `{"clusterSpec": {"clusterName": "demo", "labels": {"team": "a"}}, "components": {"gatewayFabric": {"enabled": true, "domain": "Platform_Example.com"}}}`,
			severity: fnv1.Severity_SEVERITY_FATAL,
			message:  `spec.components.gatewayFabric.domain: Invalid value: "Platform_Example.com"`,
		},
		"SingleLabelDomain": {
			spec:     `{"clusterSpec": {"clusterName": "demo", "labels": {"team": "a"}}, "components": {"gatewayFabric": {"enabled": true, "domain": "localhost"}}}`,
			severity: fnv1.Severity_SEVERITY_FATAL,
			message:  `spec.components.gatewayFabric.domain: Invalid value: "localhost": must have at least two labels`,
		},
		"IPAddressDomain": {
			spec:     `{"clusterSpec": {"clusterName": "demo", "labels": {"team": "a"}}, "components": {"gatewayFabric": {"enabled": true, "domain": "192.0.2.10"}}}`,
			severity: fnv1.Severity_SEVERITY_FATAL,
			message:  `spec.components.gatewayFabric.domain: Invalid value: "192.0.2.10": must be a DNS name, not an IP address`,
		},
		"TLSWithoutDomain": {
			spec:     `{"clusterSpec": {"clusterName": "demo", "labels": {"team": "a"}}, "components": {"gatewayFabric": {"enabled": true, "tls": {"email": "ops@acme.io"}}}}`,
			severity: fnv1.Severity_SEVERITY_FATAL,
			message:  `spec.components.gatewayFabric.domain: Required value: certificates are issued for hosts under the platform's domain`,
		},
		"NotAnEmail": {
			spec:     `{"clusterSpec": {"clusterName": "demo", "labels": {"team": "a"}}, "components": {"gatewayFabric": {"enabled": true, "domain": "p.acme.io", "tls": {"email": "ops at acme.io"}}}}`,
			severity: fnv1.Severity_SEVERITY_FATAL,
			message:  `spec.components.gatewayFabric.tls.email: Invalid value: "ops at acme.io": must be a plain email address`,
		},
		"EmailWithDisplayName": {
			spec:     `{"clusterSpec": {"clusterName": "demo", "labels": {"team": "a"}}, "components": {"gatewayFabric": {"enabled": true, "domain": "p.acme.io", "tls": {"email": "Ops <ops@acme.io>"}}}}`,
			severity: fnv1.Severity_SEVERITY_FATAL,
			message:  `spec.components.gatewayFabric.tls.email: Invalid value: "Ops <ops@acme.io>"`,
		},
		"EmailWithoutDottedDomain": {
			spec:     `{"clusterSpec": {"clusterName": "demo", "labels": {"team": "a"}}, "components": {"gatewayFabric": {"enabled": true, "domain": "p.acme.io", "tls": {"email": "ops@localhost"}}}}`,
			severity: fnv1.Severity_SEVERITY_FATAL,
			message:  `spec.components.gatewayFabric.tls.email: Invalid value: "ops@localhost": must end in a DNS domain with at least two labels`,
		},
		"DomainWithGatewayOff": {
			spec:     `{"clusterSpec": {"clusterName": "demo", "labels": {"team": "a"}}, "components": {"gatewayFabric": {"enabled": false, "domain": "p.acme.io"}}}`,
			severity: fnv1.Severity_SEVERITY_FATAL,
			message:  `spec.components.gatewayFabric.enabled: Invalid value: false: must be true to publish the platform at a domain`,
		},
		"UnknownTLSField": {
			spec:     `{"clusterSpec": {"clusterName": "demo", "labels": {"team": "a"}}, "components": {"gatewayFabric": {"enabled": true, "domain": "p.acme.io", "tls": {"email": "ops@acme.io", "issuer": "x"}}}}`,
			severity: fnv1.Severity_SEVERITY_FATAL,
			message:  `spec.components.gatewayFabric.tls.issuer: Invalid value: "issuer": unknown field; expected one of: email`,
		},
		"ExampleEmailIsAWarning": {
			spec:     `{"clusterSpec": {"clusterName": "demo", "labels": {"team": "a"}}, "components": {"gatewayFabric": {"enabled": true, "domain": "p.acme.io", "tls": {"email": "ops@example.org"}}}}`,
			severity: fnv1.Severity_SEVERITY_WARNING,
			message:  `spec.components.gatewayFabric.tls.email: Invalid value: "ops@example.org": Let's Encrypt refuses accounts at example.org`,
			composes: "dns-zone",
		},
		"DomainWithoutTLSIsAWarning": {
			spec:     `{"clusterSpec": {"clusterName": "demo", "labels": {"team": "a"}}, "components": {"gatewayFabric": {"enabled": true, "domain": "p.acme.io"}}}`,
			severity: fnv1.Severity_SEVERITY_WARNING,
			message:  `spec.components.gatewayFabric.tls: Required value: without it the platform's hosts are served over plain HTTP`,
			composes: "dns-zone",
		},
		"MalformedObservedResourceIsNotReady": {
			spec: fntest.Minimal,
			observed: map[string]*fnv1.Resource{"cluster": {Resource: resource.MustStructJSON(
				`{"apiVersion": "lke.linode.upbound.io/v1alpha1", "kind": "Cluster", "status": {"conditions": "Ready", "atProvider": {"apiEndpoints": [42], "id": 7}}}`)}},
			composes: "cluster",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			rsp, err := New(logging.NewNopLogger()).RunFunction(context.Background(), &fnv1.RunFunctionRequest{
				Input:    resource.MustStructJSON(fntest.Input),
				Observed: &fnv1.State{Composite: fntest.XR(tc.spec), Resources: tc.observed},
			})
			if err != nil {
				t.Fatalf("RunFunction returned an error: %v", err)
			}
			found := tc.message == ""
			for _, r := range rsp.GetResults() {
				if strings.HasPrefix(r.GetMessage(), internalError) {
					t.Fatalf("panicked: %s", r.GetMessage())
				}
				if r.GetSeverity() == tc.severity && strings.Contains(r.GetMessage(), tc.message) {
					found = true
				}
				if tc.severity != fnv1.Severity_SEVERITY_FATAL && r.GetSeverity() == fnv1.Severity_SEVERITY_FATAL {
					t.Errorf("unexpected fatal result: %s", r.GetMessage())
				}
			}
			if !found {
				t.Errorf("want a %s result containing %q, got %v", tc.severity, tc.message, rsp.GetResults())
			}
			if tc.composes != "" {
				r, ok := rsp.GetDesired().GetResources()[tc.composes]
				if !ok {
					t.Errorf("want %s still composed", tc.composes)
				} else if r.GetReady() == fnv1.Ready_READY_TRUE {
					t.Errorf("%s: want not ready", tc.composes)
				}
			}
		})
	}
}
