package shard

import (
	"context"
	"testing"

	"github.com/retsim/retsim/sim"
)

// benchReps is the replications of the benchmarks' scenario: the
// built-in defaults, at their full size.
const benchReps = 8

// BenchmarkSimulate simulates the default scenario on one worker and
// aggregates it (sim.Collector), as a single process does: the cost that
// a merge's reading (BenchmarkRead) replaces.
func BenchmarkSimulate(b *testing.B) {
	sc := sim.Scenario{Name: "default", Config: sim.Default()}
	sc.Config.Replications = benchReps
	for b.Loop() {
		c := sim.NewCollector(sc.Name, sc.Config)
		err := sim.Stream(context.Background(), []sim.Scenario{sc}, sim.Options{Workers: 1}, func(_ int, reps []*sim.Replication) error {
			c.Add(reps[0])
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(benchReps*b.N)/b.Elapsed().Seconds(), "replications/s")
}

// BenchmarkRead reads the same replications from 2 shards and aggregates
// them as merge does.
func BenchmarkRead(b *testing.B) {
	sc := sim.Scenario{Name: "default", Config: sim.Default()}
	sc.Config.Replications = benchReps
	set, err := Open(writeSet(b, b.TempDir(), 2, []sim.Scenario{sc}), "test")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		c := sim.NewCollector(sc.Name, sc.Config)
		err := set.Stream(context.Background(), []sim.Scenario{sc}, sim.Options{}, func(_ int, reps []*sim.Replication) error {
			c.Add(reps[0])
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(benchReps*b.N)/b.Elapsed().Seconds(), "replications/s")
}
