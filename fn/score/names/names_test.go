package names

import (
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/util/validation"
)

func TestStableName(t *testing.T) {
	long := strings.Repeat("a", 70)
	tests := []struct {
		max   int
		parts []string
		want  string
	}{
		{63, []string{"demo-app", "db"}, "demo-app-db"},
		{63, []string{"Demo", "DB"}, "demo-db-" + Hash("Demo-DB", 8)},
		{63, []string{"a.b", "c"}, "a-b-c-" + Hash("a.b-c", 8)},
		{63, []string{long}, strings.Repeat("a", 54) + "-" + Hash(long, 8)},
		{52, []string{"x", long}, "x-" + strings.Repeat("a", 41) + "-" + Hash("x-"+long, 8)},
		{63, []string{"--"}, "x" + Hash("--", 8)},
		{63, []string{""}, "x" + Hash("", 8)},
	}
	for _, tc := range tests {
		got := Stable(tc.max, tc.parts...)
		if got != tc.want {
			t.Errorf("Stable(%d, %q) = %q, want %q", tc.max, tc.parts, got, tc.want)
		}
		if len(got) > tc.max || len(validation.IsDNS1123Label(got)) > 0 {
			t.Errorf("Stable(%d, %q) = %q is not a label of at most %d", tc.max, tc.parts, got, tc.max)
		}
	}
	// Sanitising must not make two inputs meet.
	if Stable(63, "A-b") == Stable(63, "a-B") || Stable(63, "a.b") == Stable(63, "a_b") {
		t.Errorf("different inputs got one name")
	}
}

func TestServiceName(t *testing.T) {
	for in, want := range map[string]string{
		"web":   "web",
		"9web":  "svc-9web",
		"1-app": "svc-1-app",
	} {
		if got := Service(63, in); got != want {
			t.Errorf("Service(%q) = %q, want %q", in, got, want)
		}
		if errs := validation.IsDNS1035Label(Service(63, in)); len(errs) > 0 {
			t.Errorf("Service(%q): %v", in, errs)
		}
	}
}

func TestIdentifier(t *testing.T) {
	long := strings.Repeat("x", 40)
	for _, tc := range []struct {
		in   string
		max  int
		want string
	}{
		{"db", 63, "db"},
		{"main-db", 63, "main_db"},
		{"Orders.v2", 63, "orders_v2"},
		{"9db", 63, "db_9db"},
		{long, 32, strings.Repeat("x", 23) + "_" + Hash(long, 8)},
	} {
		if got := Identifier(tc.in, tc.max); got != tc.want {
			t.Errorf("Identifier(%q, %d) = %q, want %q", tc.in, tc.max, got, tc.want)
		}
	}
}
