// Package configuration holds the Configuration package's XRDs and
// Compositions, and embeds the XRDs so the function reads the defaults
// their schemas declare.
//
// Each XRD's openAPIV3Schema is generated from the Go types of the claim's
// spec and status (fn/spec for xrd.yaml, fn/tenantspec for
// tenant-xrd.yaml) and their kubebuilder markers; everything else in the
// files (names, printer columns, connection secret keys, policies,
// comments) is written by hand. go generate ./package/configuration
// rewrites the schemas, and its test fails when they differ.
package configuration

import _ "embed"

// The XRDs as committed.
var (
	//go:embed xrd.yaml
	PlatformXRD []byte
	//go:embed tenant-xrd.yaml
	TenantXRD []byte
)
