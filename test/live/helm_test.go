package live

import (
	"context"
	"testing"
)

// startProviderHelm starts the real provider-helm once its package has
// installed every CRD of its release, as its runtime would. It installs the
// charts from the plane's chart repository, where the Configuration built
// by buildAndPush points every chart (airGapConfiguration). The repository
// and provider-helm's forwarders serve for the rest of the run, as the
// package runtime does.
func startProviderHelm(t *testing.T) {
	t.Helper()
	waitProviderCRDs(t, "provider-helm")
	if err := cp.StartProviderHelm(context.Background(), providerNamed(t, "provider-helm")); err != nil {
		t.Fatal(err)
	}
}
