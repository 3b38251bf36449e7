package teardown

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/platformcluster/function-platform-cluster/fn/compose"
)

// GatewayLBKey is the composition resource name of the guard of the
// default Gateway's LoadBalancer Service.
const GatewayLBKey = "teardown-lb-gateway"

// GatewayServiceName is the name NGINX Gateway Fabric gives the
// LoadBalancer Service it provisions for a Gateway, in the Gateway's
// namespace: <gateway>-<gatewayclass>, and past 63 characters the Gateway's
// name cut (trailing dashes trimmed), a hash, and the class (v2.6.7:
// internal/framework/controller/resource.go truncateAndHashName, called
// with the Gateway's name and the GatewayClass name in
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
	return strings.TrimRight(name, "-") + "-" + h + "-" + class
}

// GatewayLB deletes the Gateway's LoadBalancer Service, and waits until it
// is gone, when the guard is deleted. NGINX Gateway Fabric deletes the
// Service when the Gateway goes while it runs, and at v2.6.7 the Service
// is owned by the Gateway, so Kubernetes' garbage collector deletes it too;
// one made by v2.4.0 has no owner, and either way the deletion is
// asynchronous. The Service is gone only once the cloud controller has
// deleted its NodeBalancer and released the
// service.kubernetes.io/load-balancer-cleanup finalizer.
func GatewayLB(o compose.Owner, gatewayNamespace, gateway, class string) compose.Resource {
	name := GatewayServiceName(gateway, class)
	m := map[string]any{
		"apiVersion": "v1",
		"kind":       "Service",
		"metadata":   map[string]any{"name": name, "namespace": gatewayNamespace},
	}
	return guard(o, GatewayLBKey, "lb-"+gatewayNamespace+"."+name, m, observeDelete)
}
