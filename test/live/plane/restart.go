package plane

import (
	"context"
	"time"
)

// RestartCrossplane starts Crossplane core again after a Kill and waits
// until it is ready.
func (p *Plane) RestartCrossplane(ctx context.Context) error {
	if err := p.Restart("crossplane"); err != nil {
		return err
	}
	return p.waitFor(ctx, "crossplane", 2*time.Minute, func() error { return httpOK(ctx, "http://"+crossplaneHealth+"/readyz") })
}
