package plots

import (
	"testing"

	"github.com/retsim/retsim/compare"
	"github.com/retsim/retsim/sim"
)

// handAssumptions is one scenario over four replications whose outcome
// rises with its price and falls with its cost.
func handAssumptions() *compare.Assumptions {
	o, _ := compare.OutcomeByName("cumulative_profit")
	return &compare.Assumptions{
		Scenarios: []string{"giving"},
		Uncertain: [][]sim.Uncertain{{
			{Key: "pricing.list_price", Dist: sim.Dist{Kind: sim.DistUniform, Min: 20, Max: 40}},
			{Key: "pricing.unit_cost", Dist: sim.Dist{Kind: sim.DistUniform, Min: 10, Max: 14}},
		}},
		Outcomes: []compare.Outcome{o},
		Target:   o,
		Draws:    [][][]float64{{{21, 13}, {25, 14}, {33, 11}, {39, 10}}},
		Drawn:    [][][]float64{{{100, 200, 300, 400}}},
		Central:  [][][]float64{{{250, 250, 250, 250}}},
	}
}

// Drivers draws one bar per assumption, raising ones vermillion and
// lowering ones blue, labelled by key.
func TestDrivers(t *testing.T) {
	f, err := Drivers(handAssumptions())
	if err != nil {
		t.Fatal(err)
	}
	doc := render(t, f)
	for _, s := range []string{"pricing.list_price", "pricing.unit_cost", "raises", "lowers", "giving"} {
		if !doc.hasText(s) {
			t.Errorf("%q not drawn", s)
		}
	}
	// One bar and one legend sample each.
	if got := doc.fills(Style{Color: highColor}.Hex()); got != 2 {
		t.Errorf("%d vermillion fills, want 2 (the price's bar and the legend)", got)
	}
	if got := doc.fills(Style{Color: lowColor}.Hex()); got != 2 {
		t.Errorf("%d blue fills, want 2 (the cost's bar and the legend)", got)
	}
	a := handAssumptions()
	a.Uncertain, a.Draws = [][]sim.Uncertain{nil}, [][][]float64{{nil, nil, nil, nil}}
	if _, err := Drivers(a); err == nil {
		t.Error("no error without an uncertain parameter")
	}
}
