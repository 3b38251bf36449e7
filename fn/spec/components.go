package spec

// KnownComponents are the keys spec.components accepts.
var KnownComponents = []string{"gatewayFabric", "harbor", "headlamp", "o11yStack", "userApps"}
