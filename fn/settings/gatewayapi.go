package settings

import (
	"fmt"
	"net/url"
	"path"
)

// crdsManifest checks the Input's gateway.crdsManifest, which the Gateway
// API CRDs' installer Job hands to kubectl apply -f: a URL, or a file in
// the kubectl image for clusters that reach no web server at all. Empty
// keeps the pinned release's install file on GitHub.
func crdsManifest(in string) (string, error) {
	if in == "" || (path.IsAbs(in) && path.Clean(in) == in) {
		return in, nil
	}
	if u, err := url.Parse(in); err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" {
		return in, nil
	}
	return "", fmt.Errorf("input gateway.crdsManifest %q must be an https:// or http:// URL, or an absolute path to a file in the kubectl image (workloads.secretGeneratorImage)", in)
}
