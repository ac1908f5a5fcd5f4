package compare

import (
	"context"
	"testing"

	"github.com/retsim/retsim/scenarios"
	"github.com/retsim/retsim/sim"
)

// BenchmarkSensitivityBaseline times the sensitivity analysis of the
// built-in baseline scenario's cumulative discounted profit over every
// default parameter (about 170 configurations): "adaptive" as
// `retsim sensitivity baseline` runs it (top 5, 2% tolerance, at most the
// scenario's 50 replications) and "one replication" the fixed analysis of a
// single replication, the cost of one replication of every configuration,
// which the adaptive analysis's first look pays. runs/op counts simulations
// (one replication of one configuration). About 15 s of CPU per iteration:
// run it with -benchtime 1x.
func BenchmarkSensitivityBaseline(b *testing.B) {
	sc, err := scenarios.Load("baseline", scenarios.Sources{})
	if err != nil {
		b.Fatal(err)
	}
	const outcome = "cumulative_discounted_profit"
	b.Run("adaptive", func(b *testing.B) {
		var runs int
		for b.Loop() {
			t, err := SensitivityAdaptive(context.Background(), sc.Config, nil, outcome, Adaptive{Top: 5, Tolerance: 0.02}, sim.Options{})
			if err != nil {
				b.Fatal(err)
			}
			runs = t.Runs
		}
		b.ReportMetric(float64(runs), "runs/op")
	})
	b.Run("one replication", func(b *testing.B) {
		one := sc.Config
		one.Replications = 1
		var runs int
		for b.Loop() {
			t, err := Sensitivity(context.Background(), one, nil, outcome, sim.Options{})
			if err != nil {
				b.Fatal(err)
			}
			runs = t.Runs
		}
		b.ReportMetric(float64(runs), "runs/op")
	})
}
