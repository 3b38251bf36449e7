package observed

import (
	"testing"

	"github.com/crossplane/function-sdk-go/resource"
)

func TestState(t *testing.T) {
	s := State{
		"ready": {Resource: resource.MustStructJSON(`{"status": {"conditions": [
			{"type": "Synced", "status": "True"}, {"type": "Ready", "status": "True"}],
			"atProvider": {"id": "42", "apiEndpoints": ["https://a", "https://b"],
				"manifest": {"status": {"conditions": [{"type": "Complete", "status": "True"}]}}}}}`),
			ConnectionDetails: map[string][]byte{"kubeconfig": []byte("x"), "empty": nil}},
		"failing": {Resource: resource.MustStructJSON(`{"status": {"conditions": [
			{"type": "Synced", "status": "False", "reason": "ReconcileError", "message": "boom"}]}}`)},
		"silent":    {Resource: resource.MustStructJSON(`{"status": {}}`)},
		"malformed": {Resource: resource.MustStructJSON(`{"status": {"conditions": "Ready", "atProvider": 7}}`)},
		"nil":       {},
	}
	cases := map[string]struct {
		got, want any
	}{
		"ReadyTrue":          {s.Ready("ready"), true},
		"ReadyMissing":       {s.Ready("absent"), false},
		"ReadyMalformed":     {s.Ready("malformed"), false},
		"ReadyNilResource":   {s.Ready("nil"), false},
		"Exists":             {s.Exists("nil"), true},
		"MessageReady":       {s.Message("ready"), ""},
		"MessageFailing":     {s.Message("failing"), "Synced=False: ReconcileError boom"},
		"MessageSilent":      {s.Message("silent"), "waiting for the provider to report Ready"},
		"MessageAbsent":      {s.Message("absent"), "not created yet"},
		"String":             {s.String("ready", "status", "atProvider", "id"), "42"},
		"StringMalformed":    {s.String("malformed", "status", "atProvider", "id"), ""},
		"ListFirst":          {s.List("ready", "status", "atProvider", "apiEndpoints")[0].GetStringValue(), "https://a"},
		"ListMalformed":      {len(s.List("malformed", "status", "conditions")), 0},
		"ConnectionDetail":   {string(first(s.ConnectionDetail("ready", "kubeconfig"))), "x"},
		"EmptyConnectionOK":  {second(s.ConnectionDetail("ready", "empty")), false},
		"AbsentConnectionOK": {second(s.ConnectionDetail("absent", "kubeconfig")), false},
		"RemoteStatus":       {s.RemoteStatus("ready", "Complete"), "True"},
		"RemoteStatusNone":   {s.RemoteStatus("ready", "Failed"), ""},
		"RemoteStatusAbsent": {s.RemoteStatus("absent", "Complete"), ""},
		"RemoteMalformed":    {s.RemoteStatus("malformed", "Complete"), ""},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if tc.got != tc.want {
				t.Errorf("want %v, got %v", tc.want, tc.got)
			}
		})
	}
}

func first(b []byte, _ bool) []byte { return b }

func second(_ []byte, ok bool) bool { return ok }
