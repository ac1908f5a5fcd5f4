package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/retsim/retsim/scenarios"
	"github.com/retsim/retsim/serve"
	"github.com/retsim/retsim/sim"
)

// Load of BenchmarkExplorerLoad: clients moving sliders on loopback for a
// while, each drag loadMoves moves loadGap apart (each move aborts the
// run of the one before, as the page does), then a pause.
const (
	loadClients  = 20
	loadDuration = 30 * time.Second
	loadMoves    = 4
	loadGap      = 150 * time.Millisecond
	loadPause    = time.Second
	firstReps    = 2 // the replications of the page's first answer (explorer.js)
)

// tally counts, server side, the explorer's runs begun and ended.
type tally struct {
	h            http.Handler
	begun, ended atomic.Int64
}

func (c *tally) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.begun.Add(1)
	defer c.ended.Add(1)
	c.h.ServeHTTP(w, r)
}

// BenchmarkExplorerLoad: 20 clients (and, for comparison, one) move the
// sliders of baseline against itself on the explorer as retsim serve
// builds it (its guard, on a loopback address) for 30 seconds, as the page
// moves them (see drag). It reports the 95th and 50th percentiles of the
// time from a drag's last move to its first updated chart, from 2
// replications (p95-first-s, p50-first-s), the 95th to the chart of all 8
// (p95-full-s), the drags, the runs the server began, the peak of the
// heap in use (peak-MiB, sampled every 20 ms) and the memory bound it must
// stay within (bound-MiB): the forecast memory of baseline's
// configuration (sim.EstimateRun: live customers, replications held and
// collected) for each of a run's two scenarios, for Concurrent full and Concurrent quick runs at
// once, and 64 MiB for everything else. It fails if the peak
// passes the bound, if a run the client did not abort is not answered
// with 200, or if any run the server began has not ended. Run it alone:
//
//	go test ./cmd/retsim -run '^$' -bench ExplorerLoad -benchtime 1x
func BenchmarkExplorerLoad(b *testing.B) {
	srv, err := serve.New(nil, serveGuard, serveReport)
	if err != nil {
		b.Fatal(err)
	}
	base, err := scenarios.Load("baseline", scenarios.Sources{Sets: []string{"replications=" + strconv.Itoa(serve.DefaultReplications)}})
	if err != nil {
		b.Fatal(err)
	}
	est := sim.EstimateRun(base.Config, runtime.GOMAXPROCS(0))
	bound := float64(2*serve.Concurrent)*2*(est.Live+est.Held+est.Collected) + 64<<20 // full and quick runs
	for _, n := range []int{1, loadClients} {
		b.Run(fmt.Sprintf("clients=%d", n), func(b *testing.B) { load(b, srv, n, bound) })
	}
}

// load is BenchmarkExplorerLoad with n clients.
func load(b *testing.B, srv http.Handler, n int, bound float64) {
	for b.Loop() {
		counted := &tally{h: serve.LocalOnly(srv)}
		ts := httptest.NewServer(counted) // 127.0.0.1
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		floor := float64(ms.HeapInuse)
		var peak atomic.Uint64
		stop := make(chan struct{})
		var sampler sync.WaitGroup
		sampler.Go(func() {
			tick := time.NewTicker(20 * time.Millisecond)
			defer tick.Stop()
			for {
				select {
				case <-stop:
					return
				case <-tick.C:
					var m runtime.MemStats
					runtime.ReadMemStats(&m)
					if m.HeapInuse > peak.Load() {
						peak.Store(m.HeapInuse)
					}
				}
			}
		})
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: n}}
		var (
			mu            sync.Mutex
			firsts, fulls []float64 // seconds to each drag's first and full answers
			failures      []string
		)
		end := time.Now().Add(loadDuration)
		var clients sync.WaitGroup
		for c := range n {
			clients.Go(func() {
				rng := rand.New(rand.NewPCG(uint64(c), 1))
				for time.Now().Before(end) {
					first, full, fail := drag(client, ts.URL, rng)
					mu.Lock()
					if fail != "" {
						failures = append(failures, fail)
					} else {
						firsts = append(firsts, first.Seconds())
						fulls = append(fulls, full.Seconds())
					}
					mu.Unlock()
					time.Sleep(loadPause)
				}
			})
		}
		clients.Wait()
		ts.Close() // waits for every handler to return
		close(stop)
		sampler.Wait()
		if n, m := counted.begun.Load(), counted.ended.Load(); n != m {
			b.Errorf("%d runs begun, %d ended", n, m)
		}
		if len(failures) > 0 {
			b.Errorf("%d drags failed, the first: %s", len(failures), failures[0])
		}
		q := func(xs []float64, p float64) float64 {
			if len(xs) == 0 {
				return 0
			}
			slices.Sort(xs)
			return xs[min(len(xs)-1, int(p*float64(len(xs))))]
		}
		used := float64(peak.Load()) - floor
		if used > bound {
			b.Errorf("heap in use peaked %.0f MiB above its start, beyond the bound of %.0f MiB", used/(1<<20), bound/(1<<20))
		}
		b.ReportMetric(q(firsts, 0.95), "p95-first-s")
		b.ReportMetric(q(firsts, 0.5), "p50-first-s")
		b.ReportMetric(q(fulls, 0.95), "p95-full-s")
		b.ReportMetric(float64(len(fulls)), "drags")
		b.ReportMetric(float64(counted.begun.Load()), "runs")
		b.ReportMetric(used/(1<<20), "peak-MiB")
		b.ReportMetric(bound/(1<<20), "bound-MiB")
	}
}

// drag moves one slider of baseline loadMoves times, loadGap apart, as the
// page does: each move aborts the runs of the one before and asks first for
// firstReps replications, then for all. It returns the times from the last
// move to its first answer and to its full one, or why an answer failed.
func drag(client *http.Client, base string, rng *rand.Rand) (first, full time.Duration, fail string) {
	d := serve.Dials[rng.IntN(len(serve.Dials)-1)] // not the horizon
	steps := int((d.Max-d.Min)/d.Step + 0.5)
	type answer struct {
		first, full time.Duration
		fail        string
	}
	var cancel context.CancelFunc = func() {}
	var last chan answer
	for m := range loadMoves {
		cancel()
		value := strconv.FormatFloat(d.Min+float64(rng.IntN(steps+1))*d.Step, 'f', -1, 64)
		var ctx context.Context
		ctx, cancel = context.WithCancel(context.Background())
		done := make(chan answer, 1)
		go func() {
			start := time.Now()
			var a answer
			for i, reps := range []int{firstReps, serve.DefaultReplications} {
				q := url.Values{"ref": {"baseline"}, "scenario": {"baseline"}, "reps": {strconv.Itoa(reps)}, d.Key: {value}}
				if a.fail = get(ctx, client, base+"/api/run?"+q.Encode()); a.fail != "" || ctx.Err() != nil {
					break
				}
				if i == 0 {
					a.first = time.Since(start)
				}
				a.full = time.Since(start)
			}
			done <- a
		}()
		last = done
		if m < loadMoves-1 {
			time.Sleep(loadGap)
		}
	}
	defer cancel()
	a := <-last
	return a.first, a.full, a.fail
}

// get fetches u and reads its body, and says what went wrong, if anything
// but the client's own abort.
func get(ctx context.Context, client *http.Client, u string) string {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err.Error()
	}
	resp, err := client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return ""
		}
		return err.Error()
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil && ctx.Err() == nil {
		return err.Error()
	}
	if resp.StatusCode != http.StatusOK && ctx.Err() == nil {
		return resp.Status
	}
	return ""
}
