package plane

import (
	"context"
	"errors"
	"fmt"
	"time"
)

type permanent struct{ error }

func (p permanent) Unwrap() error { return p.error }

// Permanent marks an error that no retry can mend, ending Eventually early.
func Permanent(err error) error { return permanent{err} }

// Eventually calls check every half second until it returns nil, returns a
// Permanent error, or timeout passes; then it returns check's last error.
func Eventually(ctx context.Context, timeout time.Duration, check func() error) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	tick := time.NewTicker(500 * time.Millisecond)
	defer tick.Stop()
	for {
		err := check()
		if err == nil {
			return nil
		}
		var p permanent
		if errors.As(err, &p) {
			return p.error
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("after %s: %w", timeout, err)
		case <-tick.C:
		}
	}
}
