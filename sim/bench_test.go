package sim_test

import (
	"context"
	"testing"

	"github.com/retsim/retsim/scenarios"
	"github.com/retsim/retsim/sim"
)

// benchScenario runs a built-in scenario with 4 replications per iteration
// on the given number of workers (0: all cores) and reports customer-months
// simulated per second and the bytes of state per live customer.
func benchScenario(b *testing.B, name string, workers int) {
	sc, err := scenarios.Load(name, scenarios.Sources{})
	if err != nil {
		b.Fatal(err)
	}
	cfg := sc.Config
	cfg.Replications = 4
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

// BenchmarkMonopoly is the largest built-in scenario: its customer base
// grows throughout the horizon.
func BenchmarkMonopoly(b *testing.B) { benchScenario(b, "monopoly", 0) }
