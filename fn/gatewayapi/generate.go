package gatewayapi

// The CRDs in crds/ are regenerated from the module cache's copy of
// sigs.k8s.io/gateway-api (the version in go.mod) by the test that checks
// them.
//go:generate go test -run TestCRDsMatchModule -update .
