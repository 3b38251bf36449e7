package object

// ConditionTrue is a readiness query that holds once the manifest's own
// condition of type t is True. Every step is guarded with has(): an object
// the remote controller has not written status to yet must read as not
// ready, not fail the query.
func ConditionTrue(t string) string {
	return `has(object.status) && has(object.status.conditions) && object.status.conditions.exists(c, c.type == '` + t + `' && c.status == 'True')`
}

// RouteAccepted is the readiness of a Gateway API route: some parent
// Gateway accepted it. Routes report per parent, not in status.conditions.
const RouteAccepted = `has(object.status) && has(object.status.parents) && object.status.parents.exists(p, has(p.conditions) && p.conditions.exists(c, c.type == 'Accepted' && c.status == 'True'))`
