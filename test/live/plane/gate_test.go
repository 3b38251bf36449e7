package plane

import (
	"context"
	"io"
	"net"
	"testing"
	"time"
)

// fakeFunction answers every read of a request with a response-sized write,
// and hands its connection to the test.
func fakeFunction(t *testing.T) (string, chan net.Conn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	conns := make(chan net.Conn, 4)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns <- c
			go func() {
				buf := make([]byte, 64<<10)
				got := 0
				for {
					n, err := c.Read(buf)
					if err != nil {
						return
					}
					if got += n; got >= minRequestBytes {
						got = 0
						_, _ = c.Write(make([]byte, 2*minResponseBytes))
					}
				}
			}()
		}
	}()
	return ln.Addr().String(), conns
}

func TestGateHoldsTheResponseOfACallMadeWhileArmed(t *testing.T) {
	target, conns := fakeFunction(t)
	g, err := startGate("127.0.0.1:0", target)
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	c, err := net.Dial("tcp", g.ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fn := <-conns

	// Unarmed, a call is answered.
	if _, err := c.Write(make([]byte, minRequestBytes)); err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadFull(c, make([]byte, 2*minResponseBytes)); err != nil {
		t.Fatalf("unarmed gate: %v", err)
	}

	// Armed, the next call's response is held and never delivered.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	held := make(chan HeldCall, 1)
	go func() {
		h, err := g.Hold(ctx)
		if err != nil {
			t.Error(err)
		}
		held <- h
	}()
	for g.armedGen() == 0 {
		time.Sleep(time.Millisecond)
	}
	if _, err := c.Write(make([]byte, minRequestBytes)); err != nil {
		t.Fatal(err)
	}
	h := <-held
	if h.RequestBytes < minRequestBytes || h.ResponseBytes < minResponseBytes {
		t.Errorf("held %+v, want a request and a response", h)
	}
	// The function dies: Crossplane's side closes with nothing delivered.
	fn.Close()
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	if n, err := c.Read(make([]byte, 1)); n != 0 || err == nil {
		t.Errorf("after the function died: read %d bytes, err %v; want the connection closed with nothing delivered", n, err)
	}
}
