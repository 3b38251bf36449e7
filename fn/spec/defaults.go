package spec

// Defaults are what the platform team, through the function Input, fills
// into a claim's node pools. Every other default of a claim is a marker on
// these types and so in the XRD's schema, where the API server applies it;
// Decode applies the same (crossplane render applies none).
type Defaults struct {
	NodeType  string
	NodeCount int64
}

// What happens to the cluster's volumes when the claim is deleted. Delete is
// the default: a team deleting a test cluster expects nothing left billed,
// so keeping production data must be asked for.
const (
	VolumesDelete = "Delete"
	VolumesKeep   = "Keep"
)

// KeepsVolumes reports whether the claim keeps its volumes on deletion.
func (s *Spec) KeepsVolumes() bool { return s.VolumesOnDelete == VolumesKeep }

// DefaultPoolName names the pool built from the short nodePool form.
const DefaultPoolName = "default"

// ApplyDefaults fills the node pools from the Input's defaults. nodePool
// (the reference's short form) is turned into a single pool named
// "default" so every later step deals only with nodePools.
func (s *Spec) ApplyDefaults(d Defaults) {
	c := &s.ClusterSpec
	if len(c.NodePools) == 0 {
		p := NodePool{Name: DefaultPoolName}
		if c.NodePool != nil {
			p.Type, p.Count = c.NodePool.Type, c.NodePool.Count
		}
		c.NodePools = []NodePool{p}
		c.NodePool = nil
	}
	for i := range c.NodePools {
		p := &c.NodePools[i]
		if p.Type == "" {
			p.Type = d.NodeType
		}
		if p.Count == nil && p.Autoscaler == nil {
			n := d.NodeCount
			p.Count = &n
		}
	}
}

// HighAvailabilityEnabled reports whether the control plane is highly available.
func (c ClusterSpec) HighAvailabilityEnabled() bool {
	return c.HighAvailability != nil && *c.HighAvailability
}

// IsEnabled reports whether the gateway is on.
func (g *GatewayFabric) IsEnabled() bool { return g != nil && g.Enabled }

// PublicDomain is the domain the platform is published under, or "" when
// the gateway is off or has none.
func (g *GatewayFabric) PublicDomain() string {
	if !g.IsEnabled() {
		return ""
	}
	return g.Domain
}

// TLSEnabled reports whether the platform's hosts are served over HTTPS.
func (g *GatewayFabric) TLSEnabled() bool { return g.PublicDomain() != "" && g.TLS != nil }

// IsEnabled reports whether a toggle is on.
func (t *Toggle) IsEnabled() bool { return t != nil && t.Enabled }

// Parts reports which parts of the observability stack are on: the stack
// must be enabled, and each part is on unless the claim turns it off (the
// XRD defaults each to true).
func (o *O11y) Parts() (loki, tempo, grafana, alloy bool) {
	if o == nil || !o.Enabled {
		return false, false, false, false
	}
	on := func(b *bool) bool { return b != nil && *b }
	return on(o.Loki), on(o.Tempo), on(o.Grafana), on(o.Alloy)
}
