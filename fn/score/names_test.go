package score

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
		{63, []string{"Demo", "DB"}, "demo-db-" + shortHash("Demo-DB", 8)},
		{63, []string{"a.b", "c"}, "a-b-c-" + shortHash("a.b-c", 8)},
		{63, []string{long}, strings.Repeat("a", 54) + "-" + shortHash(long, 8)},
		{52, []string{"x", long}, "x-" + strings.Repeat("a", 41) + "-" + shortHash("x-"+long, 8)},
		{63, []string{"--"}, "x" + shortHash("--", 8)},
		{63, []string{""}, "x" + shortHash("", 8)},
	}
	for _, tc := range tests {
		got := stableName(tc.max, tc.parts...)
		if got != tc.want {
			t.Errorf("stableName(%d, %q) = %q, want %q", tc.max, tc.parts, got, tc.want)
		}
		if len(got) > tc.max || len(validation.IsDNS1123Label(got)) > 0 {
			t.Errorf("stableName(%d, %q) = %q is not a label of at most %d", tc.max, tc.parts, got, tc.max)
		}
	}
	// Sanitising must not make two inputs meet.
	if stableName(63, "A-b") == stableName(63, "a-B") || stableName(63, "a.b") == stableName(63, "a_b") {
		t.Errorf("different inputs got one name")
	}
}

func TestServiceName(t *testing.T) {
	for in, want := range map[string]string{
		"web":   "web",
		"9web":  "svc-9web",
		"1-app": "svc-1-app",
	} {
		if got := serviceName(63, in); got != want {
			t.Errorf("serviceName(%q) = %q, want %q", in, got, want)
		}
		if errs := validation.IsDNS1035Label(serviceName(63, in)); len(errs) > 0 {
			t.Errorf("serviceName(%q): %v", in, errs)
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
		{long, 32, strings.Repeat("x", 23) + "_" + shortHash(long, 8)},
	} {
		if got := identifier(tc.in, tc.max); got != tc.want {
			t.Errorf("identifier(%q, %d) = %q, want %q", tc.in, tc.max, got, tc.want)
		}
	}
}

func TestProblemError(t *testing.T) {
	for _, tc := range []struct {
		p    Problem
		want string
	}{
		{Problem{Workload: "demo-app", Field: "containers.main.image", Message: "is required", Source: "spec.workloads[1].score"},
			"workload demo-app: containers.main.image: is required (from spec.workloads[1].score)"},
		{Problem{Workload: "demo-app", Message: "bad"}, "workload demo-app: bad"},
		{Problem{Message: "bad"}, "bad"},
	} {
		if got := tc.p.Error(); got != tc.want {
			t.Errorf("Error() = %q, want %q", got, tc.want)
		}
	}
}

func TestSeverityText(t *testing.T) {
	for _, s := range []Severity{SeverityWarning, SeverityFatal} {
		b, _ := s.MarshalText()
		var back Severity
		if err := back.UnmarshalText(b); err != nil || back != s {
			t.Errorf("%v does not round-trip: %v", s, err)
		}
	}
	var s Severity
	if s.String() != "Severity(0)" || s.UnmarshalText([]byte("error")) == nil {
		t.Errorf("the zero severity or an unknown name is accepted")
	}
}
