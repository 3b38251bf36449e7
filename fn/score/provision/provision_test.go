package provision

import "testing"

func TestSpecMatches(t *testing.T) {
	large, main := "large", "main"
	tests := []struct {
		name       string
		spec       Spec
		class, id  *string
		typ        string
		wantsMatch bool
	}{
		{"any class and id", Spec{Type: "postgres"}, &large, &main, "postgres", true},
		{"another type", Spec{Type: "postgres"}, nil, nil, "mysql", false},
		{"the default class", Spec{Type: "postgres", Class: new("default")}, nil, nil, "postgres", true},
		{"another class", Spec{Type: "postgres", Class: &large}, nil, nil, "postgres", false},
		{"its id", Spec{Type: "postgres", ID: &main}, nil, &main, "postgres", true},
		{"no id", Spec{Type: "postgres", ID: &main}, nil, nil, "postgres", false},
	}
	for _, tt := range tests {
		if got := tt.spec.Matches(tt.typ, tt.class, tt.id); got != tt.wantsMatch {
			t.Errorf("%s: Matches = %v", tt.name, got)
		}
	}
}

func TestText(t *testing.T) {
	ref := &SecretRef{Name: "db", Key: "password"}
	if s, ok := (Text{{Text: "a"}, {Text: "b"}}).Plain(); !ok || s != "ab" {
		t.Errorf("Plain = %q, %v", s, ok)
	}
	if _, ok := (Text{{Text: "a"}, {Secret: ref}}).Plain(); ok {
		t.Error("a text with a secret is not plain")
	}
	if got, ok := (Text{{Secret: ref}}).WholeSecret(); !ok || got != ref {
		t.Errorf("WholeSecret = %v, %v", got, ok)
	}
	if _, ok := (Text{{Text: "x"}, {Secret: ref}}).WholeSecret(); ok {
		t.Error("a secret inside text is not a whole secret")
	}
	if got := ref.EnvVarSource().SecretKeyRef; got.Name != "db" || got.Key != "password" {
		t.Errorf("EnvVarSource = %+v", got)
	}
}
