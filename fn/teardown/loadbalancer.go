package teardown

import (
	"crypto/sha256"
	"encoding/hex"

	"github.com/platformcluster/function-platform-cluster/fn/compose"
)

// GatewayLBKey is the composition resource name of the guard of the
// default Gateway's LoadBalancer Service.
const GatewayLBKey = "teardown-lb-gateway"

// GatewayServiceName is the name NGINX Gateway Fabric gives the
// LoadBalancer Service it provisions for a Gateway, in the Gateway's
// namespace: <gateway>-<gatewayclass>, cut and hashed past 63 characters
// (v2.4.0: internal/framework/controller/resource.go CreateNginxResourceName,
// called with the Gateway's name and the GatewayClass name in
// internal/controller/provisioner/handler.go).
func GatewayServiceName(gateway, class string) string {
	const maxLen, hashLen = 63, 8
	full := gateway + "-" + class
	if len(full) <= maxLen {
		return full
	}
	sum := sha256.Sum256([]byte(full))
	h := hex.EncodeToString(sum[:])[:hashLen]
	maxName := maxLen - 2 - hashLen - len(class)
	name := gateway
	if len(name) > maxName {
		name = name[:maxName]
	}
	return name + "-" + h + "-" + class
}

// GatewayLB deletes the Gateway's LoadBalancer Service, and waits until it
// is gone, when the guard is deleted. NGINX Gateway Fabric deletes the
// Service itself when the Gateway goes, but only while it runs, and the
// Service has no owner reference for Kubernetes to collect it by; the
// Service is gone only once the cloud controller has deleted its
// NodeBalancer and released the service.kubernetes.io/load-balancer-cleanup
// finalizer.
func GatewayLB(o compose.Owner, gatewayNamespace, gateway, class string) compose.Resource {
	name := GatewayServiceName(gateway, class)
	m := map[string]any{
		"apiVersion": "v1",
		"kind":       "Service",
		"metadata":   map[string]any{"name": name, "namespace": gatewayNamespace},
	}
	return guard(o, GatewayLBKey, "lb-"+gatewayNamespace+"."+name, m, observeDelete)
}
