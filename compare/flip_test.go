package compare

import (
	"context"
	"math"
	"testing"

	"gonum.org/v1/gonum/mathext"

	"github.com/retsim/retsim/sim"
)

// In the neutral world with a list price of 30 and a unit cost of 12, a
// firm that buys lambda customers a period at market.cac each earns 18 a
// month from each while it stays and pays cac once. Against the same firm
// without paid acquisition (common random numbers: the initial customers
// are the same), its extra cumulative profit is linear in cac and breaks
// even at cac* = 18 x sum_{t=1}^{T-1} sum_{a=0}^{T-1-t} S(a) / (T-1), where
// S(a) = B(alpha, beta+a)/B(alpha, beta) is the sBG survival to age a.
// FindFlip recovers cac* within its reported interval, and the bisection's
// value sits inside that interval.
func TestFindFlipRecoversBreakEven(t *testing.T) {
	ref := neutral(t)
	ref.Population.Initial, ref.Horizon.Periods, ref.Replications = 100, 12, 100
	ref.Market.CAC = 50
	alt := ref
	alt.Market.PaidPerPeriod = 20
	T, a, b := ref.Horizon.Periods, ref.Churn.Alpha, ref.Churn.Beta
	months := 0.0
	for join := 1; join < T; join++ {
		for age := 0; join+age < T; age++ {
			months += math.Exp(mathext.Lbeta(a, b+float64(age)) - mathext.Lbeta(a, b))
		}
	}
	want := (ref.Pricing.ListPrice - ref.Pricing.UnitCost) * months / float64(T-1)
	o, _ := OutcomeByName("cumulative_profit")
	f, err := FindFlip(context.Background(), Scenario{Name: "no paid", Config: ref}, Scenario{Name: "paid", Config: alt}, "market.cac", o, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("flip at %g [%g, %g], want %g; %d evaluations", f.Value, f.Low, f.High, want, f.Evaluations)
	if !f.Flips || f.Below() || f.Lo != 0 || f.Hi != 200 {
		t.Fatalf("flip %+v: want a flip above the central 50 within [0, 200]", f)
	}
	if !(f.Low <= f.Value && f.Value <= f.High) || !(f.Low <= want && want <= f.High) {
		t.Errorf("flip value %g and break-even %g should lie in the interval [%g, %g]", f.Value, want, f.Low, f.High)
	}
}

// A parameter that cannot move the verdict does not flip it.
func TestFindFlipNoFlip(t *testing.T) {
	ref := neutral(t)
	ref.Population.Initial, ref.Horizon.Periods, ref.Replications = 100, 6, 20
	alt := ref
	alt.Pricing.ListPrice = 40
	o, _ := OutcomeByName("cumulative_profit")
	f, err := FindFlip(context.Background(), Scenario{Name: "30", Config: ref}, Scenario{Name: "40", Config: alt}, "goodwill.decay", o, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if f.Flips || !math.IsNaN(f.Value) || f.AtCentral.Mean <= 0 {
		t.Errorf("flip %+v: a dearer price in the neutral world stays ahead whatever goodwill.decay", f)
	}
}

// The range searched is the allowed range, its upper end cut at the larger
// of 1 and four times the larger of the central value and the
// distribution's upper end.
func TestFlipRange(t *testing.T) {
	for _, c := range []struct {
		key          string
		central      float64
		d            *sim.Dist
		wantLo, want float64
	}{
		{"switching.cost", 0.2, &sim.Dist{Kind: sim.DistPERT, Min: 0, Mode: 0.2, Max: 0.6}, 0, 1},
		{"goodwill.negativity_bias", 2.25, &sim.Dist{Kind: sim.DistTriangular, Min: 1.5, Mode: 2.25, Max: 3}, 1, 12},
		{"market.cac", 150, &sim.Dist{Kind: sim.DistLognormal, Median: 150, SDLog: 0.3}, 0, 4 * 150 * math.Exp(4*0.3)},
		{"market.cac", 0, nil, 0, 1},
		{"switching.cost", 0.05, nil, 0, 1},
		{"churn.alpha", 0.8, nil, 0.8e-6, 3.2},
	} {
		p, _ := sim.Lookup(c.key)
		lo, hi := flipRange(p, c.central, c.d)
		if !near(lo, c.wantLo) || !near(hi, c.want) {
			t.Errorf("%s: [%g, %g], want [%g, %g]", c.key, lo, hi, c.wantLo, c.want)
		}
	}
}
