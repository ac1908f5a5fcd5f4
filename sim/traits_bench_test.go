package sim

import "testing"

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
