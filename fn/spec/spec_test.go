package spec

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

var defaults = Defaults{NodeType: "g6-standard-2", NodeCount: 3}

var regions = []string{"us-ord", "de-fra-2"}
var versions = KubernetesVersions{TierStandard: {"1.35", "1.36"}, TierEnterprise: {"1.33"}}

// messages renders errors the way the function reports them.
func messages(errs field.ErrorList) []string {
	out := make([]string, 0, len(errs))
	for _, e := range errs {
		out = append(out, e.Error())
	}
	return out
}

func valid() map[string]any {
	return map[string]any{
		"clusterSpec": map[string]any{
			"clusterName": "demo-cluster",
			"labels":      map[string]any{"team": "platform"},
		},
	}
}

func TestDecode(t *testing.T) {
	cases := map[string]struct {
		in   map[string]any
		want []string
	}{
		"Valid": {in: valid()},
		"CrossplaneOwnedFieldsAccepted": {
			in: map[string]any{
				"clusterSpec":                valid()["clusterSpec"],
				"compositionRef":             map[string]any{"name": "x"},
				"claimRef":                   map[string]any{"name": "x"},
				"resourceRefs":               []any{},
				"writeConnectionSecretToRef": map[string]any{"name": "x", "namespace": "y"},
			},
		},
		"WrongTypesAndUnknownFieldsWithFullPaths": {
			in: map[string]any{
				"clusterSpec": map[string]any{
					"clusterName": "demo",
					"nodePools": []any{
						map[string]any{"name": "a", "count": float64(3)},
						map[string]any{"name": "b", "count": "3", "colour": "red"},
					},
					"labels": map[string]any{"team": float64(1)},
				},
			},
			want: []string{
				`spec.clusterSpec.labels[team]: Invalid value: 1: must be a string, not a number`,
				`spec.clusterSpec.nodePools[1].colour: Invalid value: "colour": unknown field; expected one of: autoscaler, count, labels, name, tags, taints, type`,
				`spec.clusterSpec.nodePools[1].count: Invalid value: "3": must be an integer, not a string`,
			},
		},
		"FractionalCount": {
			in: map[string]any{"clusterSpec": map[string]any{"nodePool": map[string]any{"count": 2.5}}},
			want: []string{
				`spec.clusterSpec.nodePool.count: Invalid value: 2.5: must be an integer, not a number`,
			},
		},
		"ShortPoolFormHoldsCountAndTypeOnly": {
			in: map[string]any{"clusterSpec": map[string]any{"nodePool": map[string]any{"count": float64(3), "autoscaler": map[string]any{"min": float64(1), "max": float64(3)}}}},
			want: []string{
				`spec.clusterSpec.nodePool.autoscaler: Invalid value: "autoscaler": unknown field; expected one of: count, type`,
			},
		},
		"UnknownComponent": {
			in: map[string]any{"clusterSpec": valid()["clusterSpec"], "components": map[string]any{"logging": map[string]any{}}},
			want: []string{
				`spec.components.logging: Unsupported value: "logging": supported values: "gatewayFabric", "harbor", "headlamp", "o11yStack", "userApps"`,
			},
		},
		"SpecNotAnObject": {
			in:   map[string]any{"clusterSpec": "demo"},
			want: []string{`spec.clusterSpec: Invalid value: "demo": must be an object, not a string`},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, errs := Decode(tc.in)
			if diff := cmp.Diff(tc.want, messages(errs), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Decode(...): -want, +got:\n%s", diff)
			}
		})
	}
}

// Decode applies the XRD's defaults where the claim sets nothing, and only
// there: deleting a claim deletes its volumes unless it says otherwise, and
// each part of an enabled observability stack is on unless turned off.
func TestDecodeAppliesTheXRDDefaults(t *testing.T) {
	yes, no := true, false
	cases := map[string]struct {
		in   map[string]any
		want *Spec
	}{
		"NothingSet": {
			in: valid(),
			want: &Spec{
				ClusterSpec: ClusterSpec{
					ClusterName: "demo-cluster", Region: "us-ord", KubernetesVersion: "1.36", HighAvailability: &no,
					Labels: map[string]string{"team": "platform"},
				},
				VolumesOnDelete: VolumesDelete,
			},
		},
		"SetValuesKept": {
			in: map[string]any{
				"clusterSpec": map[string]any{
					"clusterName": "demo-cluster", "region": "de-fra-2", "kubernetesVersion": "1.35", "highAvailability": true,
					"labels": map[string]any{"team": "platform"},
				},
				"volumesOnDelete": VolumesKeep,
			},
			want: &Spec{
				ClusterSpec: ClusterSpec{
					ClusterName: "demo-cluster", Region: "de-fra-2", KubernetesVersion: "1.35", HighAvailability: &yes,
					Labels: map[string]string{"team": "platform"},
				},
				VolumesOnDelete: VolumesKeep,
			},
		},
		"DefaultsBelowGivenObjectsOnly": {
			in: map[string]any{
				"clusterSpec": valid()["clusterSpec"],
				"components": map[string]any{
					"o11yStack": map[string]any{"enabled": true, "tempo": false},
					"harbor":    map[string]any{},
				},
			},
			want: &Spec{
				ClusterSpec: ClusterSpec{
					ClusterName: "demo-cluster", Region: "us-ord", KubernetesVersion: "1.36", HighAvailability: &no,
					Labels: map[string]string{"team": "platform"},
				},
				Components: Components{
					O11yStack: &O11y{Enabled: true, Loki: &yes, Tempo: &no, Grafana: &yes, Alloy: &yes},
					Harbor:    &Toggle{},
				},
				VolumesOnDelete: VolumesDelete,
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			before := fmt.Sprint(tc.in)
			got, errs := Decode(tc.in)
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Decode(...): -want, +got:\n%s", diff)
			}
			if after := fmt.Sprint(tc.in); after != before {
				t.Errorf("Decode changed its input: %s became %s", before, after)
			}
		})
	}
}

func TestApplyDefaults(t *testing.T) {
	three, five := int64(3), int64(5)
	cases := map[string]struct {
		in   ClusterSpec
		want ClusterSpec
	}{
		"NothingSet": {
			in: ClusterSpec{ClusterName: "x"},
			want: ClusterSpec{
				ClusterName: "x",
				NodePools:   []NodePool{{Name: "default", Type: "g6-standard-2", Count: &three}},
			},
		},
		"ShortNodePoolForm": {
			in: ClusterSpec{ClusterName: "x", Region: "de-fra-2", NodePool: &SinglePool{Type: "g6-standard-6", Count: &five}},
			want: ClusterSpec{
				ClusterName: "x", Region: "de-fra-2",
				NodePools: []NodePool{{Name: "default", Type: "g6-standard-6", Count: &five}},
			},
		},
		"AutoscaledPoolKeepsNoCount": {
			in: ClusterSpec{ClusterName: "x", NodePools: []NodePool{{Name: "a", Autoscaler: &Autoscaler{Min: 1, Max: 3}}}},
			want: ClusterSpec{
				ClusterName: "x",
				NodePools:   []NodePool{{Name: "a", Type: "g6-standard-2", Autoscaler: &Autoscaler{Min: 1, Max: 3}}},
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			s := &Spec{ClusterSpec: tc.in}
			s.ApplyDefaults(defaults)
			if diff := cmp.Diff(tc.want, s.ClusterSpec); diff != "" {
				t.Errorf("ApplyDefaults(...): -want, +got:\n%s", diff)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	n := func(v int64) *int64 { return &v }
	base := func() ClusterSpec {
		return ClusterSpec{
			ClusterName: "demo-cluster", Region: "us-ord", KubernetesVersion: "1.36",
			Labels:    map[string]string{"team": "platform"},
			NodePools: []NodePool{{Name: "default", Type: "g6-standard-2", Count: n(3)}},
		}
	}
	cases := map[string]struct {
		mutate       func(s *Spec)
		wantErrs     []string
		wantWarnings []string
	}{
		"Valid": {mutate: func(*Spec) {}},
		"MissingNameAndTeam": {
			mutate: func(s *Spec) { s.ClusterSpec.ClusterName = ""; s.ClusterSpec.Labels = nil },
			wantErrs: []string{
				"spec.clusterSpec.clusterName: Required value: the LKE cluster label",
				"spec.clusterSpec.labels[team]: Required value: the owning team, used to tag the cluster",
			},
		},
		"BadNameRegionVersion": {
			mutate: func(s *Spec) {
				s.ClusterSpec.ClusterName = "Demo_Cluster"
				s.ClusterSpec.Region = "mars-1"
				s.ClusterSpec.KubernetesVersion = "v1.36.1"
			},
			wantErrs: []string{
				`spec.clusterSpec.clusterName: Invalid value: "Demo_Cluster": must be 3-32 lowercase letters, digits or '-', starting and ending with a letter or digit`,
				`spec.clusterSpec.region: Unsupported value: "mars-1": supported values: "us-ord", "de-fra-2"`,
				`spec.clusterSpec.kubernetesVersion: Invalid value: "v1.36.1": must be major.minor, e.g. 1.36`,
			},
		},
		// A version is checked against its tier's list, so an unknown tier
		// leaves nothing to check it against.
		"BadTier": {
			mutate: func(s *Spec) { s.ClusterSpec.Tier = "gold"; s.ClusterSpec.KubernetesVersion = "0.1" },
			wantErrs: []string{
				`spec.clusterSpec.tier: Unsupported value: "gold": supported values: "enterprise", "standard"`,
			},
		},
		"VersionNoLongerOffered": {
			mutate: func(s *Spec) { s.ClusterSpec.KubernetesVersion = "1.33" },
			wantErrs: []string{
				`spec.clusterSpec.kubernetesVersion: Invalid value: "1.33": LKE's standard tier offers 1.35, 1.36 (the function Input's defaults.kubernetesVersions.standard)`,
			},
		},
		"EnterpriseVersion": {
			mutate: func(s *Spec) { s.ClusterSpec.Tier = TierEnterprise; s.ClusterSpec.KubernetesVersion = "1.33" },
		},
		"EnterpriseBuild": {
			mutate: func(s *Spec) { s.ClusterSpec.Tier = TierEnterprise; s.ClusterSpec.KubernetesVersion = "v1.33.4+lke1" },
		},
		"EnterpriseBuildNotOffered": {
			mutate: func(s *Spec) { s.ClusterSpec.Tier = TierEnterprise; s.ClusterSpec.KubernetesVersion = "v1.36.1+lke2" },
			wantErrs: []string{
				`spec.clusterSpec.kubernetesVersion: Invalid value: "v1.36.1+lke2": LKE's enterprise tier offers 1.33 (the function Input's defaults.kubernetesVersions.enterprise)`,
			},
		},
		"EnterpriseBuildOnStandard": {
			mutate: func(s *Spec) { s.ClusterSpec.KubernetesVersion = "v1.36.1+lke2" },
			wantErrs: []string{
				`spec.clusterSpec.kubernetesVersion: Invalid value: "v1.36.1+lke2": must be major.minor, e.g. 1.36`,
			},
		},
		"InvalidCIDRs": {
			mutate: func(s *Spec) {
				s.ClusterSpec.ControlPlaneACL = &ACL{Enabled: true, Addresses: ACLAddresses{
					IPv4: []string{"203.0.113.0/24", "10.0.0.300/8", "2001:db8::/32"},
					IPv6: []string{"203.0.113.0/24"},
				}}
			},
			wantErrs: []string{
				`spec.clusterSpec.controlPlaneAcl.addresses.ipv4[1]: Invalid value: "10.0.0.300/8": must be an IPv4 CIDR such as 203.0.113.0/24`,
				`spec.clusterSpec.controlPlaneAcl.addresses.ipv4[2]: Invalid value: "2001:db8::/32": must be an IPv4 CIDR such as 203.0.113.0/24`,
				`spec.clusterSpec.controlPlaneAcl.addresses.ipv6[0]: Invalid value: "203.0.113.0/24": must be an IPv6 CIDR such as 2001:db8::/32`,
			},
		},
		"EnabledACLWithoutAddresses": {
			mutate: func(s *Spec) { s.ClusterSpec.ControlPlaneACL = &ACL{Enabled: true} },
			wantErrs: []string{
				"spec.clusterSpec.controlPlaneAcl.addresses: Required value: an enabled ACL with no addresses blocks every client, including the Crossplane providers that install the add-ons; list at least the control plane's egress CIDR",
			},
		},
		"BadPools": {
			mutate: func(s *Spec) {
				s.ClusterSpec.NodePools = []NodePool{
					{Name: "default", Type: "g6-standard-2", Count: n(0)},
					{Name: "default", Type: "big", Count: n(101)},
					{Name: "auto", Type: "g6-standard-2", Autoscaler: &Autoscaler{Min: 5, Max: 2}},
					{Name: "outside", Type: "g6-standard-2", Count: n(9), Autoscaler: &Autoscaler{Min: 1, Max: 3}},
					{Name: "", Type: "g6-standard-2", Taints: []Taint{{Key: "k", Value: "v", Effect: "Sometimes"}}},
				}
			},
			wantErrs: []string{
				"spec.clusterSpec.nodePools[0].count: Invalid value: 0: must be between 1 and 100",
				`spec.clusterSpec.nodePools[1].name: Duplicate value: "default"`,
				`spec.clusterSpec.nodePools[1].type: Invalid value: "big": must be a Linode instance type such as g6-standard-4`,
				"spec.clusterSpec.nodePools[1].count: Invalid value: 101: must be between 1 and 100",
				"spec.clusterSpec.nodePools[2].autoscaler.min: Invalid value: 5: must not exceed autoscaler.max (2)",
				"spec.clusterSpec.nodePools[3].count: Invalid value: 9: must lie within the autoscaler's range 1-3",
				"spec.clusterSpec.nodePools[4].name: Required value: each node pool needs a unique name",
				`spec.clusterSpec.nodePools[4].taints[0].effect: Unsupported value: "Sometimes": supported values: "NoExecute", "NoSchedule", "PreferNoSchedule"`,
			},
		},
		"DeployForAWorkloadNotEnabled": {
			mutate: func(s *Spec) {
				s.Components.UserApps = &UserApps{Enabled: []string{"shop"}, Deploy: map[string]Deploy{"shop": {Image: "a:1"}, "shpo": {Image: "a:1"}}}
			},
			wantWarnings: []string{`spec.components.userApps.deploy[shpo]: Invalid value: "shpo": ignored: names no workload in spec.components.userApps.enabled`},
		},
		"VolumesOnDeleteNeitherDeleteNorKeep": {
			mutate: func(s *Spec) { s.VolumesOnDelete = "Retain" },
			wantErrs: []string{
				`spec.volumesOnDelete: Unsupported value: "Retain": supported values: "Delete", "Keep"`,
			},
		},
		"BothPoolForms": {
			mutate:       func(s *Spec) { s.ClusterSpec.NodePool = &SinglePool{Count: n(3)} },
			wantWarnings: []string{`spec.clusterSpec.nodePool: Invalid value: "": ignored because nodePools is set; move it into nodePools`},
		},
		"TagTooLong": {
			mutate: func(s *Spec) {
				s.ClusterSpec.Labels["environment"] = "an-environment-name-far-too-long-for-a-linode-tag"
			},
			wantErrs: []string{
				`spec.clusterSpec.labels[environment]: Invalid value: "an-environment-name-far-too-long-for-a-linode-tag": becomes the Linode tag "environment:an-environment-name-far-too-long-for-a-linode-tag", which must be 3-50 characters`,
			},
		},
		"DuplicateAndInvalidWorkloadNames": {
			mutate: func(s *Spec) {
				s.Workloads = []Workload{{Name: "demo-app", Score: map[string]any{"apiVersion": "score.dev/v1b1"}}, {Name: "Bad_Name"}}
				s.Components.UserApps = &UserApps{Enabled: []string{"demo-app"}}
			},
			wantErrs: []string{
				`spec.workloads[1].name: Invalid value: "Bad_Name": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
				"spec.workloads[1].score: Required value: a Score (score.dev/v1b1) workload spec",
				`spec.components.userApps.enabled[0]: Duplicate value: "demo-app"`,
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			s := &Spec{ClusterSpec: base(), VolumesOnDelete: VolumesDelete}
			tc.mutate(s)
			errs, warnings := s.Validate(regions, versions)
			if diff := cmp.Diff(tc.wantErrs, messages(errs), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Validate(...) errors: -want, +got:\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantWarnings, messages(warnings), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Validate(...) warnings: -want, +got:\n%s", diff)
			}
		})
	}
}
