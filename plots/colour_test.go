package plots

import (
	"fmt"
	"reflect"
	"testing"
	"unsafe"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"

	"github.com/retsim/retsim/compare"
	"github.com/retsim/retsim/sim"
)

// signature is the constant value of every metric of the i-th scenario of
// TestDrawnScenarioColours: distinct for each scenario and unlike any other
// value a chart draws, so that a line or bar at that height belongs to it.
func signature(i int) float64 { return float64(11 + i) }

// signatureSummary is a summary whose every metric and cohort value is v
// in every period, its band v ± 0.5.
func signatureSummary(name string, v float64) *sim.Summary {
	cfg := sim.Default()
	cfg.Horizon.Periods = 12
	st := sim.Stat{Mean: v, SD: 0.3, P05: v - 0.5, P50: v, P95: v + 0.5}
	s := &sim.Summary{Scenario: name, Config: cfg, Replications: 4, Metrics: make([]sim.MetricSeries, sim.NumMetrics)}
	for m := range sim.NumMetrics {
		ps := make([]sim.Stat, cfg.Horizon.Periods)
		for t := range ps {
			ps[t] = st
		}
		s.Metrics[m] = sim.MetricSeries{Metric: m, Periods: ps}
	}
	for ch := range sim.NumChannels {
		c := sim.CohortSeries{Channel: ch, Customers: st, Lifetime: sim.Stat{Mean: 3 * v}}
		for range cfg.Horizon.Periods {
			c.Value, c.Survival = append(c.Value, st), append(c.Survival, st)
		}
		s.Cohorts = append(s.Cohorts, c)
	}
	return s
}

// signatureComparison compares the summaries with the first: each
// scenario's paired difference is its signature in every period.
func signatureComparison(sums []*sim.Summary) *compare.Comparison {
	c := &compare.Comparison{Reference: sums[0].Scenario, Replications: 4, Periods: 12, PeriodsPerYear: 12, CommonRandomNumbers: true}
	for _, s := range sums[1:] {
		c.Scenarios = append(c.Scenarios, s.Scenario)
		for _, m := range compare.CrossoverMetrics {
			ds := compare.DiffSeries{Scenario: s.Scenario, Metric: m.String(), Periods: make([]compare.PeriodDiff, c.Periods)}
			for t := range ds.Periods {
				ds.Periods[t].Diff = s.Metrics[0].Periods[t]
			}
			c.Series = append(c.Series, ds)
		}
	}
	return c
}

// plottersOf are the plotters added to p, read from its unexported list:
// the test checks what the charts draw, not what they say they draw.
func plottersOf(p *plot.Plot) []plot.Plotter {
	f := reflect.ValueOf(p).Elem().FieldByName("plotters")
	return reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem().Interface().([]plot.Plotter)
}

// drawnScenarios finds, in every panel of f, the lines and bars at the
// height of a scenario's signature (times 1 or 100, for shares in %) and
// returns the colours each scenario is drawn in, as "#RRGGBB".
func drawnScenarios(f *Figure, names []string) map[string]map[string]bool {
	out := map[string]map[string]bool{}
	at := func(y float64) (string, bool) {
		for i, n := range names {
			for _, scale := range []float64{1, 100} {
				if y == signature(i)*scale {
					return n, true
				}
			}
		}
		return "", false
	}
	record := func(name string, c any) {
		r, g, b, _ := c.(interface{ RGBA() (r, g, b, a uint32) }).RGBA()
		hex := fmt.Sprintf("#%02X%02X%02X", r>>8, g>>8, b>>8)
		if out[name] == nil {
			out[name] = map[string]bool{}
		}
		out[name][hex] = true
	}
	for _, row := range f.Panels {
		for _, p := range row {
			if p == nil {
				continue
			}
			for _, pl := range plottersOf(p) {
				switch pl := pl.(type) {
				case *plotter.Line:
					if name, ok := at(pl.XYs[0].Y); ok && flat(pl.XYs) {
						record(name, pl.LineStyle.Color)
					}
				case *plotter.Polygon:
					top := pl.XYs[0][1].Y // a bar: bottom left, top left, top right, bottom right
					if name, ok := at(top); ok && pl.Color != nil && len(pl.XYs[0]) == 4 {
						if c, ok := pl.Color.(interface{ RGBA() (r, g, b, a uint32) }); ok {
							if _, _, _, a := c.RGBA(); a == 0xFFFF {
								record(name, pl.Color)
							}
						}
					}
				}
			}
		}
	}
	return out
}

// flat reports whether every point of xys has the height of the first.
func flat(xys plotter.XYs) bool {
	for _, p := range xys {
		if p.Y != xys[0].Y {
			return false
		}
	}
	return true
}

// TestDrawnScenarioColours draws every chart of runs of 2 and 7 scenarios
// from summaries made by hand and checks, in what the charts draw, that a
// scenario has one colour in every chart, the colour its legend shows; that
// the reference is always the first Okabe-Ito colour (orange); and that no
// two scenarios share a colour.
func TestDrawnScenarioColours(t *testing.T) {
	all := []string{"zeta", "alpha", "giving", "taking", "beta", "neutral", "omega"} // not in sorted order
	for _, n := range []int{2, 7} {
		names := all[:n]
		sums := make([]*sim.Summary, n)
		for i, name := range names {
			sums[i] = signatureSummary(name, signature(i))
		}
		figs, err := Figures(sums)
		if err != nil {
			t.Fatal(err)
		}
		diff, err := Difference(signatureComparison(sums))
		if err != nil {
			t.Fatal(err)
		}
		colour := map[string]string{} // each scenario's colour, as first drawn
		for _, f := range append(figs, diff) {
			if len(f.Scenarios) == 0 {
				continue // one panel per scenario, titled by name
			}
			drawn := drawnScenarios(f, names)
			for name, legend := range f.Scenarios {
				cs := drawn[name]
				if len(cs) == 0 {
					t.Errorf("%d scenarios: %s lists %s but draws nothing of it", n, f.Name, name)
				}
				for c := range cs {
					if c != legend.Hex() {
						t.Errorf("%d scenarios: %s draws %s in %s, its legend shows %s", n, f.Name, name, c, legend.Hex())
					}
					if prev, ok := colour[name]; ok && prev != c {
						t.Errorf("%d scenarios: %s draws %s in %s, an earlier chart in %s", n, f.Name, name, c, prev)
					}
					colour[name] = c
				}
			}
		}
		if got := colour[names[0]]; got != "#E69F00" {
			t.Errorf("%d scenarios: reference %s drawn in %s, want orange #E69F00", n, names[0], got)
		}
		seen := map[string]string{}
		for _, name := range names {
			if other, ok := seen[colour[name]]; ok {
				t.Errorf("%d scenarios: %s and %s both drawn in %s", n, other, name, colour[name])
			}
			seen[colour[name]] = name
		}
	}
}
