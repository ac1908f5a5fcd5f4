package main

import (
	"bytes"
	"html"
	"strings"
	"testing"

	"github.com/retsim/retsim/compare"
	"github.com/retsim/retsim/output"
	"github.com/retsim/retsim/plots"
	"github.com/retsim/retsim/sim"
)

// accumulated is an accumulator that has taken xs.
func accumulated(xs ...float64) sim.Accumulator {
	var a sim.Accumulator
	for _, x := range xs {
		a.Add(x)
	}
	return a
}

// page renders a report file, its character references unescaped.
func page(t *testing.T, f output.File) string {
	t.Helper()
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return html.UnescapeString(b.String())
}

// The sweep's verdict names the points with the highest and the lowest mean
// of the first outcome and the difference between them.
func TestSweepReportVerdict(t *testing.T) {
	run := studyRun{scenario: "baseline", config: sim.Default(), command: "retsim sweep baseline"}
	for _, tc := range []struct {
		name  string
		means []float64 // of the first outcome at giving = 0, 0.5, 1
		want  string
	}{
		{"rising", []float64{100, 150, 200}, "value is highest at policy.giving = 1 (200 currency) and lowest at policy.giving = 0 (100): it moves by 100 currency across the grid, 100% of the lowest."},
		{"peaked", []float64{-10, 30, 5}, "value is highest at policy.giving = 0.5 (30.0 currency) and lowest at policy.giving = 0 (-10.0): it moves by 40.0 currency across the grid."},
		{"flat", []float64{7, 7, 7}, "value is 7.00 currency at every point of the grid: the swept parameters do not move it."},
	} {
		sw := &compare.SweepResult{
			Axes:         []compare.Axis{{Key: "policy.giving", From: 0, To: 1, Steps: 3}},
			Outcomes:     []compare.Outcome{{Name: "value", Unit: "currency"}, {Name: "final_nps", Unit: "points"}},
			Replications: 2,
		}
		for i, m := range tc.means {
			sw.Points = append(sw.Points, compare.SweepPoint{Values: []float64{float64(i) / 2}, Outcomes: []sim.Accumulator{accumulated(m-1, m+1), accumulated(1, 2)}})
		}
		fig, err := plots.Sweep(sw)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(page(t, sweepReport(sw, fig, run)), "<p>"+tc.want+"</p>") {
			t.Errorf("%s: report lacks the verdict %q", tc.name, tc.want)
		}
	}
}

// The sensitivity verdict names the parameters with the largest swings, in
// order, at most three.
func TestSensitivityReportVerdict(t *testing.T) {
	run := studyRun{scenario: "baseline", config: sim.Default(), command: "retsim sensitivity baseline"}
	bar := func(key string, low, high float64) compare.Bar {
		return compare.Bar{Key: key, Unit: "u", Base: 1, Low: 0.8, High: 1.2,
			LowDiff:  compare.Paired{Mean: low, CI95: compare.Interval{Low: low - 1, High: low + 1}},
			HighDiff: compare.Paired{Mean: high, CI95: compare.Interval{Low: high - 1, High: high + 1}},
			Swing:    high - low}
	}
	for _, tc := range []struct {
		name string
		bars []compare.Bar
		want string
	}{
		{"four bars", []compare.Bar{bar("churn.alpha", -50, 60), bar("policy.giving", -20, 10), bar("pricing.list_price", -4, 5), bar("market.cac", -1, 1)},
			"value moves most with churn.alpha (swing 110 currency: -50.0 at 0.800, +60.0 at 1.20), policy.giving (swing 30.0 currency: -20.0 at 0.800, +10.0 at 1.20) and pricing.list_price (swing 9.00 currency: -4.00 at 0.800, +5.00 at 1.20)."},
		{"one bar", []compare.Bar{bar("churn.alpha", -50, 60)}, "value moves most with churn.alpha (swing 110 currency: -50.0 at 0.800, +60.0 at 1.20)."},
		{"no swing", []compare.Bar{bar("churn.alpha", 0, 0)}, "none of the parameters moved value from its base mean of 1,000 currency."},
	} {
		tor := &compare.Tornado{Outcome: "value", Unit: "currency", Replications: 2, Base: sim.Stat{Mean: 1000, P05: 900, P95: 1100}, Bars: tc.bars}
		fig, err := plots.Tornado(tor)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(page(t, sensitivityReport(tor, fig, run)), "<p>"+tc.want+"</p>") {
			t.Errorf("%s: report lacks the verdict %q", tc.name, tc.want)
		}
	}
}
