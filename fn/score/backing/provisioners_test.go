package backing

import (
	"slices"
	"testing"
)

// Every backing service is a shared built-in taking no params, named
// builtin://<type> as the registry reports it.
func TestProvisioners(t *testing.T) {
	var types []string
	for _, p := range Provisioners() {
		s := p.Spec()
		if s.URI != "builtin://"+s.Type || !s.Sharable || !s.CheckParams || len(s.Params) > 0 || s.Class != nil || s.ID != nil {
			t.Errorf("%s: spec %+v", s.Type, s)
		}
		types = append(types, s.Type)
	}
	slices.Sort(types)
	want := []string{"amqp", "elasticsearch", "kafka-topic", "mongodb", "mssql", "mysql", "postgres", "postgres-instance", "redis", "s3"}
	if !slices.Equal(types, want) {
		t.Errorf("types = %v, want %v", types, want)
	}
}
