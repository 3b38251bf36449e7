// Command load serves the function on loopback and drives it with
// concurrent gRPC clients for a bounded time, printing throughput and
// latency percentiles. It measures what Crossplane pays per reconcile,
// including gRPC and protobuf, rather than the function alone.
//
//	go run ./test/load -claim full -concurrency 8 -duration 10s
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"os"
	"sort"
	"sync"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/proto"

	function "github.com/crossplane/function-sdk-go"
	"github.com/crossplane/function-sdk-go/logging"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/platformcluster/function-platform-cluster/fn"
	"github.com/platformcluster/function-platform-cluster/fn/codec"
	"github.com/platformcluster/function-platform-cluster/fn/fntest"
)

func main() {
	claim := flag.String("claim", "full", "claim to send: minimal, full, or large (full with 3 pools and 10 Score workloads)")
	concurrency := flag.Int("concurrency", 8, "concurrent clients")
	duration := flag.Duration("duration", 10*time.Second, "how long to drive load (at most 5m)")
	flag.Parse()
	if err := run(*claim, *concurrency, min(*duration, 5*time.Minute)); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(claim string, concurrency int, duration time.Duration) error {
	spec := map[string]string{"full": fntest.Full, "minimal": fntest.Minimal, "large": fntest.Large(10)}[claim]
	if spec == "" {
		return fmt.Errorf("unknown claim %q: want minimal, full or large", claim)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	addr := l.Addr().String()
	_ = l.Close()

	codec.Register()
	go func() {
		err := function.Serve(fn.New(logging.NewNopLogger()),
			function.Listen("tcp", addr), function.Insecure(true), function.WithMetricsServer(""))
		fmt.Fprintln(os.Stderr, "serve:", err)
		os.Exit(1)
	}()

	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return err
	}
	defer conn.Close() // Exiting anyway.
	client := fnv1.NewFunctionRunnerServiceClient(conn)
	ctx := context.Background()
	if err := waitReady(ctx, client); err != nil {
		return err
	}
	req, err := fntest.Converge(ctx, clientRunner{client}, spec, 10)
	if err != nil {
		return err
	}
	rsp, err := client.RunFunction(ctx, req)
	if err != nil {
		return err
	}

	var mu sync.Mutex
	var latencies []time.Duration
	deadline := time.Now().Add(duration)
	var wg sync.WaitGroup
	var failures int
	for range concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			bad := 0
			for time.Now().Before(deadline) {
				start := time.Now()
				if _, err := client.RunFunction(ctx, req); err != nil {
					bad++
					continue
				}
				mine = append(mine, time.Since(start))
			}
			mu.Lock()
			latencies = append(latencies, mine...)
			failures += bad
			mu.Unlock()
		}()
	}
	wg.Wait()
	sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })
	n := len(latencies)
	if n == 0 {
		return fmt.Errorf("no successful calls (%d failures)", failures)
	}
	fmt.Printf("claim=%s concurrency=%d duration=%s\n", claim, concurrency, duration)
	fmt.Printf("request %d bytes, response %d bytes, %d composed resources\n",
		proto.Size(req), proto.Size(rsp), len(rsp.GetDesired().GetResources()))
	fmt.Printf("calls %d, failures %d, throughput %.0f calls/s\n", n, failures, float64(n)/duration.Seconds())
	fmt.Printf("latency p50 %s, p90 %s, p99 %s, max %s\n",
		latencies[n*50/100], latencies[n*90/100], latencies[n*99/100], latencies[n-1])
	return nil
}

type clientRunner struct {
	c fnv1.FunctionRunnerServiceClient
}

func (r clientRunner) RunFunction(ctx context.Context, req *fnv1.RunFunctionRequest) (*fnv1.RunFunctionResponse, error) {
	return r.c.RunFunction(ctx, req)
}

func waitReady(ctx context.Context, c fnv1.FunctionRunnerServiceClient) error {
	var err error
	for range 100 {
		cctx, cancel := context.WithTimeout(ctx, time.Second)
		_, err = c.RunFunction(cctx, fntest.RequestFor(fntest.Minimal, nil, fntest.None), grpc.WaitForReady(true))
		cancel()
		if err == nil {
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("function not serving: %w", err)
}
