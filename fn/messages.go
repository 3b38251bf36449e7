package fn

import "strings"

// join makes one message of several, as conditions and results carry them.
func join(msgs []string) string { return strings.Join(msgs, "; ") }

// joinErrors makes one message of several errors.
func joinErrors[E error](errs []E) string {
	msgs := make([]string, 0, len(errs))
	for _, e := range errs {
		msgs = append(msgs, e.Error())
	}
	return join(msgs)
}
