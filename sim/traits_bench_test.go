package sim

import (
	"math"
	"testing"
)

// BenchmarkTraits is the cost of a new customer's traits on Fader and
// Hardie's (2007) churn parameters (alpha 0.704, beta 1.182), as join pays
// it per joiner: opening its traits stream and drawing its base churn,
// resistance, likelihood-to-recommend offset and plan fit.
func BenchmarkTraits(b *testing.B) {
	cfg := Default()
	cfg.Churn.Alpha, cfg.Churn.Beta = 0.704, 1.182
	m, s, base := newModel(&cfg), newStreams(), newBaseChurn(0.704, 1.182, true)
	shared := joinKey(cfg.Seed, 0, 1, ChannelPaid)
	var c customer
	for rank := 0; b.Loop(); rank++ {
		c = customer{key: customerKey(shared, rank), kind: kindOf(ChannelPaid, 0)}
		m.traits(&c, 1, s.at(c.key, procTraits, 0), &base)
	}
	sinkRate = c.rate
}

// sinkRate keeps the benchmarks' draws from being optimised away.
var sinkRate float32

// BenchmarkBeta is the cost of one base churn hazard on Fader and Hardie's
// (2007) churn parameters, from each sampler of baseChurn: exact (two
// Gamma draws and a log1p) and table.
func BenchmarkBeta(b *testing.B) {
	for _, sampler := range betaSamplers {
		b.Run(sampler.name, func(b *testing.B) {
			s, d := newStreams(), newBaseChurn(0.704, 1.182, sampler.tabulate)
			r := s.at(1, procTraits, 0)
			x := 0.0
			for b.Loop() {
				x += d.rate(r, 1)
			}
			sinkRate = float32(x)
		})
	}
}

// BenchmarkBetaTable is the cost of building the table of Beta(alpha,
// beta) on Fader and Hardie's (2007) churn parameters, which a run pays
// once for each pair of parameters (see tabulated).
func BenchmarkBetaTable(b *testing.B) {
	for b.Loop() {
		if newBetaTable(0.704, 1.182) == nil {
			b.Fatal("no table")
		}
	}
}

// BenchmarkJoinFloor is the floor of BenchmarkNeutralFaderHardie (in
// sim_test): a hand-written loop over 1 million customers joining at
// period 0 on Fader and Hardie's (2007) churn parameters, making per
// joiner the draws the engine makes, through the same code (its key, its
// traits stream re-seeded, the Beta table's hazard, math/rand/v2's
// exponential and normal, the plan-fit draw), and the least arithmetic to
// place it (the period its resistance runs out, a count of leavers by
// period and a revenue sum), without the engine's bookkeeping (ledger,
// cohort tables, value after the horizon). It reports ns/joiner; the
// engine's ns/joiner is BenchmarkNeutralFaderHardie's time per run over
// its million joiners. A vectorised numpy reference (bench/numpy) takes
// about 130 ns per joiner on the CI machine, so five times numpy needs
// about 26 ns per joiner.
func BenchmarkJoinFloor(b *testing.B) {
	const customers, periods = 1_000_000, 60
	base, s := newBaseChurn(0.704, 1.182, true), newStreams()
	shared := joinKey(1, 0, 0, ChannelInitial)
	var left [periods + 1]float64
	revenue := 0.0
	for b.Loop() {
		for rank := range customers {
			k := customerKey(shared, rank)
			r := s.at(k, procTraits, 0)
			rate := base.rate(r, 1)
			resist := r.Exp()
			ltr := r.Rand().NormFloat64()
			fit, _ := pair(r.pcg.Uint64())
			end := min(math.Ceil(resist/rate), periods)
			left[int(end)]++
			revenue += float64(b2i(fit < 0.3) + b2i(ltr >= 0.5))
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*customers), "ns/joiner")
	if left[periods] == 0 || revenue == 0 {
		b.Fatal("no customer outlived the horizon, or no revenue")
	}
}
