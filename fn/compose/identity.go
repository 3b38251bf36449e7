package compose

// Identity names a Kubernetes object.
type Identity struct {
	APIVersion, Kind, Namespace, Name string
}

// Identify reads obj's identity. A field that is missing or not a string
// reads as "", so malformed manifests never panic.
func Identify(obj map[string]any) Identity {
	md, _ := obj["metadata"].(map[string]any)
	var id Identity
	id.APIVersion, _ = obj["apiVersion"].(string)
	id.Kind, _ = obj["kind"].(string)
	id.Namespace, _ = md["namespace"].(string)
	id.Name, _ = md["name"].(string)
	return id
}
