package plots

import (
	"context"
	"testing"

	"github.com/retsim/retsim/compare"
	"github.com/retsim/retsim/sim"
)

// TestPaletteOneColourPerScenario runs comparisons of 2 and 7 scenarios and
// checks that every chart of the run, the difference chart included, draws
// each scenario in one colour, its colour in the run's palette: the
// reference always the first Okabe-Ito colour, no two scenarios alike.
func TestPaletteOneColourPerScenario(t *testing.T) {
	names := []string{"zeta", "alpha", "giving", "taking", "beta", "neutral", "omega"} // not in sorted order
	for _, n := range []int{2, 7} {
		scs := make([]compare.Scenario, n)
		for i := range scs {
			scs[i] = compare.Scenario{Name: names[i], Config: tiny(t, map[string]float64{"policy.giving": float64(i) / 6})}
		}
		rs, err := compare.Simulate(context.Background(), scs, sim.Options{})
		if err != nil {
			t.Fatal(err)
		}
		sums := make([]*sim.Summary, n)
		for i, r := range rs {
			sums[i] = sim.Summarize(r)
		}
		cmp, err := compare.Compare(rs)
		if err != nil {
			t.Fatal(err)
		}
		figs, err := Figures(sums)
		if err != nil {
			t.Fatal(err)
		}
		diff, err := Difference(cmp)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]string{} // colour of each scenario, as first drawn
		charts := 0
		for _, f := range append(figs, diff) {
			if len(f.Scenarios) == 0 {
				continue // charts with one panel per scenario, titled by name
			}
			charts++
			for name, sty := range f.Scenarios {
				if prev, ok := seen[name]; ok && prev != sty.Hex() {
					t.Errorf("%d scenarios: %s is %s in %s but %s in an earlier chart", n, name, sty.Hex(), f.Name, prev)
				}
				seen[name] = sty.Hex()
			}
		}
		if charts < 5 {
			t.Errorf("%d scenarios: only %d charts tell scenarios apart by colour", n, charts)
		}
		if got := seen[names[0]]; got != "#E69F00" {
			t.Errorf("%d scenarios: reference %s is %s, want the first Okabe-Ito colour #E69F00", n, names[0], got)
		}
		distinct := map[string]bool{}
		for _, name := range names[:n] {
			if seen[name] == "" {
				t.Errorf("%d scenarios: %s is in no chart", n, name)
			}
			distinct[seen[name]] = true
		}
		if len(distinct) != n {
			t.Errorf("%d scenarios in %d colours: %v", n, len(distinct), seen)
		}
	}
}

func TestNewPalette(t *testing.T) {
	p := NewPalette([]string{"taking", "giving", "taking"})
	if p.Style("taking").Hex() != ScenarioStyle(0).Hex() || p.Style("giving").Hex() != ScenarioStyle(1).Hex() {
		t.Errorf("taking %s, giving %s: want the first two colours in order", p.Style("taking").Hex(), p.Style("giving").Hex())
	}
	if p.Style("other").Hex() != ScenarioStyle(2).Hex() {
		t.Errorf("a name not listed is %s, want the next colour %s", p.Style("other").Hex(), ScenarioStyle(2).Hex())
	}
}
