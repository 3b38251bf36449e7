package configuration

// The XRDs' schemas are rewritten from the Go types by the test that
// checks them.
//go:generate go test -run TestXRDSchemasAreGenerated -update .
