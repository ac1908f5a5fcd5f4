package plots

import (
	"math"
	"testing"

	"github.com/retsim/retsim/compare"
	"github.com/retsim/retsim/experiment"
	"github.com/retsim/retsim/sim"
)

// handSobol is a Saltelli experiment over two parameters and two outcomes,
// the second constant over the design (indices undefined).
func handSobol() *experiment.Result {
	profit, _ := compare.OutcomeByName("cumulative_profit")
	nps, _ := compare.OutcomeByName("final_nps")
	iv := func(lo, hi float64) compare.Interval { return compare.Interval{Low: lo, High: hi} }
	nan := math.NaN()
	return &experiment.Result{
		Plan: &experiment.Plan{
			Scenario: "baseline",
			Base:     sim.Default(),
			Design: experiment.Design{Kind: experiment.Saltelli, Samples: 64, Factors: []experiment.Factor{
				{Key: "pricing.unit_cost", Min: 8, Max: 16}, {Key: "service.self_cost", Min: 0, Max: 40},
			}},
			Outcomes:  []compare.Outcome{profit, nps},
			Resamples: 500,
		},
		Sobol: [][]experiment.Index{
			{{S1: 0.35, ST: 0.4, S1CI95: iv(0.3, 0.4), STCI95: iv(0.35, 0.45)}, {S1: 0.6, ST: 0.62, S1CI95: iv(0.5, 0.7), STCI95: iv(0.55, 0.7)}},
			{{S1: nan, ST: nan, S1CI95: iv(nan, nan), STCI95: iv(nan, nan)}, {S1: nan, ST: nan, S1CI95: iv(nan, nan), STCI95: iv(nan, nan)}},
		},
	}
}

// Sobol draws a panel per outcome with defined indices, two bars per
// parameter in the two colours, and refuses an experiment without indices.
func TestSobol(t *testing.T) {
	f, err := Sobol(handSobol())
	if err != nil {
		t.Fatal(err)
	}
	doc := render(t, f)
	for _, s := range []string{"pricing.unit_cost", "service.self_cost", "Cumulative profit", "first-order S1", "total ST"} {
		if !doc.hasText(s) {
			t.Errorf("%q not drawn", s)
		}
	}
	if doc.hasText("Final NPS") {
		t.Error("a panel for an outcome without indices")
	}
	// Two bars and one legend sample each.
	for name, c := range map[string]Style{"blue": {Color: sobolFirstColor}, "orange": {Color: sobolTotalColor}} {
		if got := doc.fills(c.Hex()); got != 3 {
			t.Errorf("%d %s fills, want 3 (two bars and the legend)", got, name)
		}
	}
	r := handSobol()
	r.Sobol = nil
	if _, err := Sobol(r); err == nil {
		t.Error("no error without Sobol indices")
	}
}
