package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestDockerfileMatchesAssembledImage keeps the Dockerfile, which cannot be
// built here, and the assembled image saying the same thing about how the
// function runs.
func TestDockerfileMatchesAssembledImage(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	df := string(b)
	stages := strings.Split(df, "\nFROM ")
	final := stages[len(stages)-1]
	for name, want := range map[string]*regexp.Regexp{
		"multi-stage build":    regexp.MustCompile(`(?m)^FROM .*golang:.* AS build$`),
		"static binary":        regexp.MustCompile(`CGO_ENABLED=0`),
		"distroless nonroot":   regexp.MustCompile(`^gcr\.io/distroless/static[^ ]*:nonroot`),
		"binary at entrypoint": regexp.MustCompile(`(?m)^COPY --from=build /function ` + regexp.QuoteMeta(entrypoint) + `$`),
		"port":                 regexp.MustCompile(`(?m)^EXPOSE ` + strings.TrimSuffix(port, "/tcp") + `$`),
		"user":                 regexp.MustCompile(`(?m)^USER nonroot:nonroot$`),
		"entrypoint":           regexp.MustCompile(`(?m)^ENTRYPOINT \["` + regexp.QuoteMeta(entrypoint) + `"\]$`),
	} {
		text := final
		if name == "multi-stage build" || name == "static binary" {
			text = df
		}
		if !want.MatchString(text) {
			t.Errorf("Dockerfile: %s: no match for %s", name, want)
		}
	}
	// The builder runs the Go that go.mod names, and the runtime base is
	// the distroless generation still supported (static-debian12 reached its
	// end in September 2026).
	mod, err := os.ReadFile(filepath.Join("..", "..", "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	goVersion := regexp.MustCompile(`(?m)^go (\S+)$`).FindSubmatch(mod)
	if goVersion == nil || !strings.Contains(df, "ARG GO_VERSION="+string(goVersion[1])+"\n") {
		t.Errorf("Dockerfile: GO_VERSION is not go.mod's go %s", goVersion)
	}
	if !strings.HasPrefix(final, "gcr.io/distroless/static-debian13:") {
		t.Errorf("Dockerfile: runtime base is not distroless static-debian13: %q", strings.SplitN(final, "\n", 2)[0])
	}
	// distroless' nonroot user is 65532, which the assembled image sets.
	if user != "65532:65532" {
		t.Errorf("assembled image user %q is not distroless nonroot", user)
	}
}
