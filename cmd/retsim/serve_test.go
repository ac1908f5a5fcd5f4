package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/retsim/retsim/sim"
)

// TestServeStartsAndStops: retsim serve prints its address, serves the
// explorer there, and stops on interruption with exitInterrupted.
func TestServeStartsAndStops(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	var stderr bytes.Buffer
	done := make(chan int, 1)
	go func() {
		done <- execute(ctx, []string{"serve", "--addr", "127.0.0.1:0"}, pw, &stderr)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	go io.Copy(io.Discard, pr)
	_, rest, ok := strings.Cut(line, "http://")
	if !ok || strings.Contains(line, "warning") {
		t.Fatalf("first line %q: want the address, no warning", line)
	}
	url := "http://" + strings.Fields(rest)[0]
	resp, err := http.Get(url + "api/scenarios")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET %sapi/scenarios: %s", url, resp.Status)
	}
	cancel()
	if code := <-done; code != exitInterrupted {
		t.Errorf("exit %d, want %d; stderr %q", code, exitInterrupted, stderr.String())
	}
}

// TestServeRefusesBadFile: a file that does not load is refused at start,
// as run refuses it.
func TestServeRefusesBadFile(t *testing.T) {
	code, _, stderr := cli(t, "serve", "no-such-file.yaml", "--addr", "127.0.0.1:0")
	if code != exitUsage || !strings.Contains(stderr, "no-such-file.yaml") {
		t.Errorf("exit %d, stderr %q; want %d naming the file", code, stderr, exitUsage)
	}
}

// TestListenWarnsOffLoopback: listening on an address other hosts can
// reach prints a warning before the address.
func TestListenWarnsOffLoopback(t *testing.T) {
	for _, tc := range []struct {
		addr string
		warn bool
	}{{"127.0.0.1:0", false}, {"0.0.0.0:0", true}} {
		ln, err := net.Listen("tcp", tc.addr)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		var out bytes.Buffer
		if err := listen(ctx, &out, ln, http.NotFoundHandler()); err != context.Canceled {
			t.Errorf("%s: %v, want context.Canceled", tc.addr, err)
		}
		if got := strings.HasPrefix(out.String(), "warning: "); got != tc.warn {
			t.Errorf("%s: output %q, warning %v, want %v", tc.addr, out.String(), got, tc.warn)
		}
	}
}

// TestServeGuard: the explorer's runs are refused as run refuses them,
// without suggesting --allow-large, which it does not have.
func TestServeGuard(t *testing.T) {
	cfg := sim.Default()
	for key, x := range map[string]float64{"population.initial": 1e8, "horizon.periods": 240, "replications": 64} {
		if err := cfg.Set(key, x); err != nil {
			t.Fatal(err)
		}
	}
	_, err := serveGuard("serve", []sim.Config{cfg, cfg})
	if err == nil || !strings.Contains(err.Error(), "exceeds") || strings.Contains(err.Error(), "allow-large") {
		t.Errorf("got %v, want a refusal without --allow-large", err)
	}
	small := sim.Default()
	if _, err := serveGuard("serve", []sim.Config{small, small}); err != nil {
		t.Errorf("default scenario refused: %v", err)
	}
}
