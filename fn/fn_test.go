package fn

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/testing/protocmp"
	"google.golang.org/protobuf/types/known/durationpb"

	"github.com/crossplane/function-sdk-go/logging"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/resource"
	"github.com/crossplane/function-sdk-go/response"

	"github.com/platformcluster/function-platform-cluster/fn/fntest"
)

const input = fntest.Input

var xr = fntest.XR

func ptr[T any](v T) *T { return &v }

func cond(typ string, s fnv1.Status, reason, msg string) *fnv1.Condition {
	c := &fnv1.Condition{Type: typ, Status: s, Reason: reason, Target: fnv1.Target_TARGET_COMPOSITE_AND_CLAIM.Enum()}
	if msg != "" {
		c.Message = &msg
	}
	return c
}

func TestRunFunction(t *testing.T) {
	minimal := `{"clusterSpec": {"clusterName": "demo", "labels": {"team": "platform"}, "nodePool": {"count": 3, "type": "g6-standard-6"}}}`
	clusterJSON := `{
		"apiVersion": "lke.linode.upbound.io/v1alpha1",
		"kind": "Cluster",
		"metadata": {"name": "demo-x7k2p-cluster", "annotations": {"platform.fpc.dev/own-pool": "default"}, "labels": {"platform.fpc.dev/cluster": "demo", "platform.fpc.dev/component": "lke"}},
		"spec": {
			"forProvider": {
				"label": "demo", "region": "us-ord", "k8sVersion": "1.36", "tags": ["team:platform"],
				"pool": [{"type": "g6-standard-6", "count": 3}],
				"controlPlane": [{"highAvailability": false, "acl": [{"enabled": false}]}]
			},
			"providerConfigRef": {"name": "default"},
			"writeConnectionSecretToRef": {"name": "demo-x7k2p-lke-kubeconfig", "namespace": "crossplane-system"}
		}
	}`
	cases := map[string]struct {
		req  *fnv1.RunFunctionRequest
		want *fnv1.RunFunctionResponse
	}{
		"InvalidSpecIsFatalAndNamesEveryField": {
			req: &fnv1.RunFunctionRequest{
				Input:    resource.MustStructJSON(input),
				Observed: &fnv1.State{Composite: xr(`{"clusterSpec": {"region": "mars-1", "nodePool": {"count": 0}}}`)},
			},
			want: &fnv1.RunFunctionResponse{
				Meta: &fnv1.ResponseMeta{Ttl: durationpb.New(response.DefaultTTL)},
				Conditions: []*fnv1.Condition{cond(ConditionSpecValid, fnv1.Status_STATUS_CONDITION_FALSE, "InvalidSpec",
					`spec.clusterSpec.clusterName: Required value: the LKE cluster label; spec.clusterSpec.region: Unsupported value: "mars-1": supported values: "ap-northeast", "ap-south", "ap-southeast", "ap-west", "au-mel", "br-gru", "ca-central", "de-fra-2", "es-mad", "eu-central", "eu-west", "fr-par", "gb-lon", "id-cgk", "in-bom-2", "in-maa", "it-mil", "jp-osa", "jp-tyo-3", "nl-ams", "se-sto", "sg-sin-2", "us-central", "us-east", "us-iad", "us-lax", "us-mia", "us-ord", "us-sea", "us-southeast", "us-west"; spec.clusterSpec.labels[team]: Required value: the owning team, used to tag the cluster; spec.clusterSpec.nodePools[0].count: Invalid value: 0: must be between 1 and 100`)},
				Results: []*fnv1.Result{{
					Severity: fnv1.Severity_SEVERITY_FATAL,
					Target:   fnv1.Target_TARGET_COMPOSITE.Enum(),
					Message:  `invalid XPlatformCluster: spec.clusterSpec.clusterName: Required value: the LKE cluster label; spec.clusterSpec.region: Unsupported value: "mars-1": supported values: "ap-northeast", "ap-south", "ap-southeast", "ap-west", "au-mel", "br-gru", "ca-central", "de-fra-2", "es-mad", "eu-central", "eu-west", "fr-par", "gb-lon", "id-cgk", "in-bom-2", "in-maa", "it-mil", "jp-osa", "jp-tyo-3", "nl-ams", "se-sto", "sg-sin-2", "us-central", "us-east", "us-iad", "us-lax", "us-mia", "us-ord", "us-sea", "us-southeast", "us-west"; spec.clusterSpec.labels[team]: Required value: the owning team, used to tag the cluster; spec.clusterSpec.nodePools[0].count: Invalid value: 0: must be between 1 and 100`,
				}},
			},
		},
		"InvalidInputIsFatal": {
			req: &fnv1.RunFunctionRequest{
				Input:    resource.MustStructJSON(`{"apiVersion":"platformcluster.fn.crossplane.io/v1beta1","kind":"Input","chart":{}}`),
				Observed: &fnv1.State{Composite: xr(minimal)},
			},
			want: &fnv1.RunFunctionResponse{
				Meta: &fnv1.ResponseMeta{Ttl: durationpb.New(response.DefaultTTL)},
				Results: []*fnv1.Result{{
					Severity: fnv1.Severity_SEVERITY_FATAL,
					Target:   fnv1.Target_TARGET_COMPOSITE.Enum(),
					Message:  `invalid function input in the Composition: unknown field "chart"`,
				}},
			},
		},
		"MinimalClaimComposesOnlyTheClusterAtFirst": {
			req: &fnv1.RunFunctionRequest{
				Input:    resource.MustStructJSON(input),
				Observed: &fnv1.State{Composite: xr(minimal)},
				Desired: &fnv1.State{Resources: map[string]*fnv1.Resource{
					// Composed by an earlier pipeline step; must survive.
					"earlier-step": {Resource: resource.MustStructJSON(`{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x","namespace":"y"}}`)},
				}},
			},
			want: &fnv1.RunFunctionResponse{
				Meta: &fnv1.ResponseMeta{Ttl: durationpb.New(settlingTTL)},
				Desired: &fnv1.State{
					Composite: &fnv1.Resource{
						Resource: resource.MustStructJSON(`{
							"status": {"cluster": {"ready": false}, "components": {}, "teardown": {"volumesOnDelete": "Delete"}}
						}`),
						Ready: fnv1.Ready_READY_FALSE,
					},
					Resources: map[string]*fnv1.Resource{
						"earlier-step": {Resource: resource.MustStructJSON(`{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x","namespace":"y"}}`)},
						"cluster":      {Resource: resource.MustStructJSON(clusterJSON), Ready: fnv1.Ready_READY_FALSE},
					},
				},
				Requirements: &fnv1.Requirements{Resources: map[string]*fnv1.ResourceSelector{
					"lke-kubeconfig": {
						ApiVersion: "v1", Kind: "Secret",
						Match:     &fnv1.ResourceSelector_MatchName{MatchName: "demo-x7k2p-lke-kubeconfig"},
						Namespace: ptr("crossplane-system"),
					},
					"teardown-volumes": {
						ApiVersion: "kubernetes.crossplane.io/v1alpha2", Kind: "Object",
						Match: &fnv1.ResourceSelector_MatchLabels{MatchLabels: &fnv1.MatchLabels{
							Labels: map[string]string{"kubernetes.crossplane.io/owned-by-collection": "demo-x7k2p-volumes"},
						}},
					},
					"tenant-hosts": {
						ApiVersion: "kubernetes.crossplane.io/v1alpha2", Kind: "Object",
						Match: &fnv1.ResourceSelector_MatchLabels{MatchLabels: &fnv1.MatchLabels{
							Labels: map[string]string{"platform.fpc.dev/tenant-hosts": "demo-x7k2p-tenant-hosts"},
						}},
					},
				}},
				Conditions: []*fnv1.Condition{
					cond(ConditionSpecValid, fnv1.Status_STATUS_CONDITION_TRUE, "ValidSpec", ""),
					cond(ConditionClusterReady, fnv1.Status_STATUS_CONDITION_FALSE, "Creating", "waiting for the LKE cluster to become ready and publish its kubeconfig"),
					cond(ConditionAddonsReady, fnv1.Status_STATUS_CONDITION_TRUE, "NoneEnabled", "no add-ons are enabled"),
				},
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			f := New(logging.NewNopLogger())
			rsp, err := f.RunFunction(context.Background(), tc.req)
			if err != nil {
				t.Fatalf("RunFunction(...): unexpected error: %v", err)
			}
			if diff := cmp.Diff(tc.want, rsp, protocmp.Transform()); diff != "" {
				t.Errorf("RunFunction(...): -want rsp, +got rsp:\n%s", diff)
			}
		})
	}
}
