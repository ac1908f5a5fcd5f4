package compare

import (
	"context"
	"math"
	"testing"

	"github.com/retsim/retsim/sim"
)

// study runs scs as RunStudy does, with target as its outcome.
func study(t *testing.T, target Outcome, scs ...Scenario) *Study {
	t.Helper()
	st, err := RunStudy(context.Background(), scs, target, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if st.Assumptions == nil {
		t.Fatal("no assumptions recorded")
	}
	return st
}

// row is the uncertainty row of outcome name.
func row(t *testing.T, a *Assumptions, name string) UncertaintyRow {
	t.Helper()
	for _, r := range a.Rows() {
		if r.Outcome == name {
			return r
		}
	}
	t.Fatalf("no row for %s", name)
	return UncertaintyRow{}
}

var priceRange = sim.Dist{Kind: sim.DistUniform, Min: 25, Max: 45}

// In the neutral world price moves nothing but revenue, so with common
// random numbers the paired difference of total revenue between a list
// price p and the reference's 30 has the sign of p - 30 in every
// replication. With p held at its central value 35 the scenario beats the
// reference in every world; with p uniform on [25, 45] it beats it with
// probability P(p > 30) = 3/4, within 4 standard errors.
func TestPBeatsWithAssumptionUncertainty(t *testing.T) {
	ref := neutral(t)
	ref.Population.Initial, ref.Horizon.Periods, ref.Replications = 200, 6, 400
	alt := ref
	alt.Uncertain = []sim.Uncertain{{Key: "pricing.list_price", Dist: priceRange}}
	st := study(t, Total(sim.Revenue), Scenario{Name: "ref", Config: ref}, Scenario{Name: "uncertain price", Config: alt})
	r := row(t, st.Assumptions, "total_revenue")
	if r.Central.PBeats != 1 {
		t.Errorf("at the central price: P(beats) %g, want 1", r.Central.PBeats)
	}
	const want, n = 0.75, 400
	if se := math.Sqrt(want * (1 - want) / n); math.Abs(r.Drawn.PBeats-want) > 4*se {
		t.Errorf("price drawn: P(beats) %g, want %g (4 SE %g)", r.Drawn.PBeats, want, 4*se)
	}
	if r.Drawn.P05 >= 0 || r.Central.P05 <= 0 {
		t.Errorf("90%% ranges of the difference: drawn from %g, central from %g; want below and above 0", r.Drawn.P05, r.Central.P05)
	}
	d := st.Assumptions.Drivers()
	if len(d) != 1 || d[0].Key != "pricing.list_price" || d[0].Rho < 0.99 || d[0].Share != 1 {
		t.Errorf("drivers %+v, want pricing.list_price alone, rho about 1", d)
	}
}

// Common random numbers hold with uncertain parameters: scenarios that
// share three assumptions draw the same values for them, so a one-dial
// change still cuts the variance of the paired difference at least
// ten-fold.
func TestCommonRandomNumbersHoldWithAssumptions(t *testing.T) {
	cfg := small()
	cfg.Uncertain = []sim.Uncertain{
		{Key: "pricing.price_sensitivity", Dist: sim.Dist{Kind: sim.DistPERT, Min: 0.5, Mode: 2, Max: 4}},
		{Key: "goodwill.negativity_bias", Dist: sim.Dist{Kind: sim.DistTriangular, Min: 1.5, Mode: 2.25, Max: 3}},
		{Key: "switching.cost", Dist: sim.Dist{Kind: sim.DistPERT, Min: 0, Mode: 0.2, Max: 0.6}},
	}
	alt := cfg
	alt.Policy.HumanShare = 0.6
	o, _ := OutcomeByName("cumulative_discounted_profit")
	st := study(t, o, Scenario{Name: "reference", Config: cfg}, Scenario{Name: "more human", Config: alt})
	a := st.Assumptions
	for i := range a.Draws[0] {
		for j := range a.Draws[0][i] {
			if a.Draws[0][i][j] != a.Draws[1][i][j] {
				t.Fatalf("replication %d, %s: drew %g and %g", i, cfg.Uncertain[j].Key, a.Draws[0][i][j], a.Draws[1][i][j])
			}
		}
	}
	k := 1 // cumulative_discounted_profit in Outcomes
	p := Pair(a.Drawn[0][k], a.Drawn[1][k])
	t.Logf("variance reduction %.1f", p.VarianceReduction)
	if p.VarianceReduction < 10 {
		t.Errorf("variance reduction %.1f with three assumptions drawn, want at least 10", p.VarianceReduction)
	}
}

// A driver with no effect on the outcome ranks below one that sets it, and
// its rank correlation is within 4 standard errors (1/sqrt(n-1)) of 0.
func TestDriversRankByEffect(t *testing.T) {
	cfg := neutral(t)
	cfg.Population.Initial, cfg.Horizon.Periods, cfg.Replications = 200, 6, 200
	cfg.Uncertain = []sim.Uncertain{
		{Key: "goodwill.decay", Dist: sim.Dist{Kind: sim.DistUniform, Min: 0, Max: 1}}, // no experiences: goodwill stays 0
		{Key: "pricing.list_price", Dist: priceRange},
	}
	st := study(t, Total(sim.Revenue), Scenario{Name: "neutral", Config: cfg})
	d := st.Assumptions.Drivers()
	if len(d) != 2 || d[0].Key != "pricing.list_price" || d[0].Rho < 0.9 {
		t.Fatalf("drivers %+v, want pricing.list_price first with rho above 0.9", d)
	}
	if se := 1 / math.Sqrt(float64(cfg.Replications-1)); math.Abs(d[1].Rho) > 4*se {
		t.Errorf("goodwill.decay: rho %g, want 0 within %g", d[1].Rho, 4*se)
	}
}

// Tied values share their mean rank.
func TestRanks(t *testing.T) {
	got := ranks([]float64{3, 1, 3, 2})
	want := []float64{3.5, 1, 3.5, 2}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("ranks %v, want %v", got, want)
		}
	}
}
