package plane

import (
	"context"
	"errors"
	"net"
	"sync"
)

// FunctionGateAddress is where Crossplane reaches the function: a TCP
// relay in front of FunctionAddress. mTLS runs end to end through it (the
// serving certificate is for 127.0.0.1, whatever the port).
const FunctionGateAddress = "127.0.0.1:9445"

// Thresholds that tell a RunFunction call from HTTP/2's housekeeping
// (SETTINGS, PING, WINDOW_UPDATE frames of a few dozen bytes): every
// request carries the XR, the Input and the observed state, and every
// response the desired state, several kilobytes each.
const (
	minRequestBytes  = 4 << 10
	minResponseBytes = 1 << 10
)

// Gate relays Crossplane's connections to the function. Armed, it lets the
// next RunFunction request through and holds the response back, so that
// the test knows a call is in flight from Crossplane's side, with the
// function's answer not yet delivered, when it kills the function.
type Gate struct {
	ln     net.Listener
	target string

	mu    sync.Mutex
	armed bool
	// gen counts Holds, so that a connection counts only what it sent
	// since the gate was armed.
	gen  int
	held chan HeldCall
}

// HeldCall is what the gate saw of the call it holds.
type HeldCall struct {
	// RequestBytes went to the function; ResponseBytes came back from it
	// and were not delivered.
	RequestBytes, ResponseBytes int
}

func startGate(listen, target string) (*Gate, error) {
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return nil, err
	}
	g := &Gate{ln: ln, target: target}
	go g.serve()
	return g, nil
}

func (g *Gate) serve() {
	for {
		c, err := g.ln.Accept()
		if err != nil {
			return
		}
		go g.relay(c)
	}
}

// Hold arms the gate and waits until a call's response is held. The
// connection it holds is closed, undelivered, once the function's side of
// it closes: the caller kills the function.
func (g *Gate) Hold(ctx context.Context) (HeldCall, error) {
	ch := make(chan HeldCall, 1)
	g.mu.Lock()
	g.armed, g.held = true, ch
	g.gen++
	g.mu.Unlock()
	defer func() {
		g.mu.Lock()
		g.armed, g.held = false, nil
		g.mu.Unlock()
	}()
	select {
	case h := <-ch:
		return h, nil
	case <-ctx.Done():
		return HeldCall{}, errors.New("no RunFunction call reached the function while the gate was armed")
	}
}

// armedGen is the current Hold's generation, 0 when the gate is not armed.
func (g *Gate) armedGen() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.armed {
		return 0
	}
	return g.gen
}

// take claims the armed gate for one connection.
func (g *Gate) take() chan HeldCall {
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.armed {
		return nil
	}
	ch := g.held
	g.armed = false
	return ch
}

func (g *Gate) relay(client net.Conn) {
	server, err := net.Dial("tcp", g.target)
	if err != nil {
		client.Close()
		return
	}
	var (
		mu      sync.Mutex
		gen     int
		sent    int // since the gate was armed
		holding chan HeldCall
		call    HeldCall
	)
	// Crossplane to the function: count what goes out once the gate is
	// armed.
	go func() {
		buf := make([]byte, 64<<10)
		for {
			n, err := client.Read(buf)
			if n > 0 {
				mu.Lock()
				if ag := g.armedGen(); ag != gen {
					gen, sent = ag, 0
				}
				if gen != 0 {
					sent += n
				}
				mu.Unlock()
				if _, werr := server.Write(buf[:n]); werr != nil {
					break
				}
			}
			if err != nil {
				break
			}
		}
		server.Close()
	}()
	// The function to Crossplane: once a request has gone out on an armed
	// gate, a response-sized read starts holding; held bytes are never
	// delivered.
	buf := make([]byte, 64<<10)
	for {
		n, err := server.Read(buf)
		if n > 0 {
			mu.Lock()
			if holding == nil && n >= minResponseBytes && sent >= minRequestBytes {
				if holding = g.take(); holding != nil {
					call.RequestBytes = sent
				}
			}
			if holding != nil {
				first := call.ResponseBytes == 0
				call.ResponseBytes += n
				if first {
					holding <- call
				}
			}
			h := holding
			mu.Unlock()
			if h == nil {
				if _, werr := client.Write(buf[:n]); werr != nil {
					break
				}
			}
		}
		if err != nil {
			break
		}
	}
	client.Close()
	server.Close()
}

// Close stops accepting connections.
func (g *Gate) Close() { _ = g.ln.Close() }

// Armed reports whether the gate waits for a call to hold.
func (g *Gate) Armed() bool { return g.armedGen() != 0 }
