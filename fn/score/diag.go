package score

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
)

// fieldError is an error about one field of the Score spec.
type fieldError struct {
	field, msg string
}

func (e *fieldError) Error() string {
	if e.field == "" {
		return e.msg
	}
	return e.field + ": " + e.msg
}

func fieldErr(field, format string, args ...any) *fieldError {
	return &fieldError{field: field, msg: fmt.Sprintf(format, args...)}
}

// diags collects the problems of one workload.
type diags struct {
	workload, source string
	list             []Problem
}

func (d *diags) add(sev Severity, field, format string, args ...any) {
	d.list = append(d.list, Problem{
		Severity: sev,
		Workload: d.workload,
		Field:    field,
		Message:  fmt.Sprintf(format, args...),
		Source:   d.source,
	})
}

func (d *diags) fatal(field, format string, args ...any) {
	d.add(SeverityFatal, field, format, args...)
}

func (d *diags) warn(field, format string, args ...any) {
	d.add(SeverityWarning, field, format, args...)
}

// fatalErr records err, which is a *fieldError or plain error, as Fatal.
func (d *diags) fatalErr(err error) {
	var fe *fieldError
	if errors.As(err, &fe) {
		d.fatal(fe.field, "%s", fe.msg)
		return
	}
	d.fatal("", "%s", err.Error())
}

func (d *diags) hasFatal() bool { return d.fatalCount() > 0 }

func (d *diags) fatalCount() int {
	n := 0
	for _, p := range d.list {
		if p.Severity == SeverityFatal {
			n++
		}
	}
	return n
}

func sortProblems(ps []Problem) {
	slices.SortFunc(ps, func(a, b Problem) int {
		return cmp.Or(
			cmp.Compare(a.Workload, b.Workload),
			cmp.Compare(a.Field, b.Field),
			cmp.Compare(b.Severity, a.Severity),
			cmp.Compare(a.Message, b.Message),
			cmp.Compare(a.Source, b.Source),
		)
	})
}

// dedupProblems sorts ps and drops repeats: the same problem can be found
// twice, e.g. one unknown placeholder used twice in one value.
func dedupProblems(ps []Problem) []Problem {
	sortProblems(ps)
	return slices.Compact(ps)
}
