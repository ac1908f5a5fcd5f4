package sim

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/stat"
)

// firstPeriod is the neutral world (see neutral) with n initial customers,
// one period long: its mean goodwill is the goodwill moved by period 0's
// experiences alone, since every customer starts at 0.
func firstPeriod(n, reps int) Config {
	cfg := neutral()
	cfg.Population.Initial, cfg.Horizon.Periods, cfg.Replications = n, 1, reps
	cfg.Discounts.Months = 1 // at most the horizon
	return cfg
}

// M2 and M3: a resolved and an unresolved contact have the same base size
// s, and the negativity bias alone makes the bad one weigh more: a contact
// moves goodwill by +s when resolved and by -negativity_bias x s when not.
// Every contact reaches a person who resolves all (or none) of them, so
// period 0's mean goodwill is +s x contacts (or -bias x s x contacts); the
// same customers have the same contacts in both worlds (common random
// numbers), so the ratio of the two is exact, and the level is
// contact_rate x s within 4 Poisson standard errors.
func TestUnresolvedContactWeighsBiasTimesAResolvedOne(t *testing.T) {
	const n, reps, rate = 5000, 4, 0.5
	world := func(resolution float64) *Result {
		cfg := firstPeriod(n, reps)
		cfg.Service.ContactRate, cfg.Service.Warmth, cfg.Policy.HumanShare = rate, 0, 1
		cfg.Service.HumanResolutionBasic, cfg.Service.HumanResolutionSkilled = resolution, resolution
		return run(t, cfg)
	}
	resolved, unresolved := world(1), world(0)
	d := Default()
	s, bias := d.Service.ResolvedGoodwill, d.Goodwill.NegativityBias
	for i := range resolved.Reps {
		good, bad := resolved.Reps[i].Series[0][GoodwillMean], unresolved.Reps[i].Series[0][GoodwillMean]
		if ratio := bad / good; math.Abs(ratio+bias) > 1e-9*bias {
			t.Errorf("replication %d: an unresolved contact moves goodwill %.4g times what a resolved one does, want -negativity_bias = %g", i, ratio, -bias)
		}
	}
	got := stat.Mean(resolved.Value(GoodwillMean, 0), nil)
	want, se := rate*s, s*math.Sqrt(rate/(n*reps))
	if math.Abs(got-want) > 4*se {
		t.Errorf("mean goodwill after resolved contacts %.5f, want contact_rate x resolved_goodwill = %.5f, 4 SE = %.5f", got, want, 4*se)
	}
}
