package score

import (
	"testing"
)

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
