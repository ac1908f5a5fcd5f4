package sim_test

import (
	"context"
	"fmt"
	"runtime"
	"runtime/metrics"
	"testing"

	"github.com/retsim/retsim/scenarios"
	"github.com/retsim/retsim/sim"
)

// benchScenario runs a built-in scenario as configured (its replications
// included: 50 for every built-in), as retsim run does, on the given
// number of workers (0: all cores), and reports customer-months simulated
// per second and the bytes of state per live customer. (In a run of a
// few replications a core waits for the last one to finish for a
// noticeable share of the time, about 5% with 4 on 2 cores; a run of 50
// spreads that wait thin.)
func benchScenario(b *testing.B, name string, workers int) {
	sc, err := scenarios.Load(name, scenarios.Sources{})
	if err != nil {
		b.Fatal(err)
	}
	cfg := sc.Config
	var months float64
	b.ResetTimer()
	for b.Loop() {
		r, err := sim.Run(context.Background(), name, cfg, sim.Options{Workers: workers})
		if err != nil {
			b.Fatal(err)
		}
		for _, rep := range r.Reps {
			for _, row := range rep.Series {
				months += row[sim.Active]
			}
		}
	}
	b.ReportMetric(months/b.Elapsed().Seconds(), "customer-months/s")
	b.ReportMetric(float64(sim.CustomerBytes), "bytes/customer")
}

func BenchmarkNeutral(b *testing.B)         { benchScenario(b, "neutral", 0) }
func BenchmarkGiving(b *testing.B)          { benchScenario(b, "giving", 0) }
func BenchmarkGivingOneWorker(b *testing.B) { benchScenario(b, "giving", 1) }

// BenchmarkNeutralFaderHardie is the work of bench/numpy/sbg.py, the
// vectorised numpy reference of make bench-numpy: the neutral world (pure
// shifted-beta-geometric churn) on Fader and Hardie's (2007) parameters,
// alpha 0.704 and beta 1.182, with 1 million customers over 60 periods, one
// replication on one worker. It reports customer-months per second.
func BenchmarkNeutralFaderHardie(b *testing.B) {
	sc, err := scenarios.Load("neutral", scenarios.Sources{})
	if err != nil {
		b.Fatal(err)
	}
	cfg := sc.Config
	cfg.Churn.Alpha, cfg.Churn.Beta = 0.704, 1.182
	cfg.Population.Initial, cfg.Horizon.Periods, cfg.Replications = 1_000_000, 60, 1
	var months float64
	for b.Loop() {
		r, err := sim.Run(context.Background(), "neutral", cfg, sim.Options{Workers: 1})
		if err != nil {
			b.Fatal(err)
		}
		for _, row := range r.Reps[0].Series {
			months += row[sim.Active]
		}
	}
	b.ReportMetric(months/b.Elapsed().Seconds(), "customer-months/s")
}

// BenchmarkMonopoly is the largest built-in scenario: its customer base
// grows throughout the horizon.
func BenchmarkMonopoly(b *testing.B) { benchScenario(b, "monopoly", 0) }

// BenchmarkCollectorMemory streams replications of a small world into a
// Collector told their number in advance, as retsim run does, and reports
// the heap the collector holds at the end (collector-bytes) and the most
// heap in use at any point of the run (peak-heap-bytes: the collector,
// the replications under way and the garbage not yet collected, at the
// runtime's default GOGC). The collector's memory grows with the
// replications up to sim.ExactQuantiles and is flat beyond, and linear in
// the horizon: 600 periods x 1,000 replications is the size of the target
// run of issue 21 (giving with 1,000 customers, under 150 MB at its peak),
// and the benchmark fails if the heap alone peaks beyond that.
func BenchmarkCollectorMemory(b *testing.B) {
	for _, size := range []struct{ periods, reps int }{{12, 100}, {12, 1000}, {12, 10000}, {600, 1000}} {
		b.Run(fmt.Sprintf("periods=%d/replications=%d", size.periods, size.reps), func(b *testing.B) {
			cfg := sim.Default()
			cfg.Population.Initial = 100
			cfg.Horizon.Periods = size.periods
			cfg.Replications = size.reps
			var held, peak float64
			for b.Loop() {
				before := heap()
				sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
				c := sim.NewCollector("memory", cfg)
				c.Expect(cfg.Replications)
				err := sim.Stream(context.Background(), []sim.Scenario{{Name: "memory", Config: cfg}}, sim.Options{}, func(_ int, r []*sim.Replication) error {
					c.Add(r[0])
					metrics.Read(sample)
					peak = max(peak, float64(sample[0].Value.Uint64())-float64(before))
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
				held = float64(heap()) - float64(before)
				runtime.KeepAlive(c)
			}
			b.ReportMetric(held, "collector-bytes")
			b.ReportMetric(peak, "peak-heap-bytes")
			if size.periods == 600 && peak > 150e6 {
				b.Errorf("heap peaked at %.0f MB, beyond the 150 MB the whole run may take", peak/1e6)
			}
		})
	}
}

// heap is the live heap after a garbage collection.
func heap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}
