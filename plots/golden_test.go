package plots

import (
	"bytes"
	"math"
	"testing"

	"gonum.org/v1/plot/plotter"

	"github.com/retsim/retsim/compare"
	"github.com/retsim/retsim/plots/plotstest"
	"github.com/retsim/retsim/sim"
)

// The golden-image tests draw one chart of each kind from small inputs
// built by hand and compare the PNG with plots/testdata/golden/NAME.png
// (plotstest.Golden). After a change to a chart's look, look at the images
// drawn and, when they are right, rewrite the golden images with
//
//	make golden   (go test ./plots ./fit -run Golden -update)

// goldenPeriods is the horizon of the hand-made summaries.
const goldenPeriods = 24

// handSummary is a scenario's summary made by hand over goldenPeriods
// months: every metric a smooth curve set by k (0 to 1, the scenario's
// "giving"), its 5-95% band 10% of its size either side of the median,
// with an acquisition discount for three months when k < 0.5 and cohort-0
// cells of every channel but the discount one when k >= 0.5.
func handSummary(name string, k float64) *sim.Summary {
	cfg := sim.Default()
	cfg.Horizon.Periods = goldenPeriods
	cfg.Policy.Generosity = k
	cfg.Discounts.Depth, cfg.Discounts.Months = 0.3, 3
	cfg.Market.CAC = 150
	s := &sim.Summary{Scenario: name, Config: cfg, Replications: 20, Metrics: make([]sim.MetricSeries, sim.NumMetrics)}
	band := func(v float64) sim.Stat {
		d := 0.1 * math.Abs(v)
		return sim.Stat{Mean: v, SD: d / 1.645, P05: v - d, P50: v, P95: v + d}
	}
	for m := range sim.NumMetrics {
		ps := make([]sim.Stat, goldenPeriods)
		for t := range ps {
			ps[t] = band(handValue(m, float64(t), k))
		}
		s.Metrics[m] = sim.MetricSeries{Metric: m, Periods: ps}
	}
	for ch := range sim.NumChannels {
		if ch == sim.ChannelDiscount && k >= 0.5 {
			continue // no discount customers: a bar missing from CLV
		}
		c := sim.CohortSeries{Cohort: 0, Channel: ch, Customers: band(100), Lifetime: band(500 + 200*k + 20*float64(ch))}
		for a := range goldenPeriods - 1 {
			c.Value = append(c.Value, band((12+4*k-float64(ch))*float64(a+1)))
			c.Survival = append(c.Survival, band(math.Exp(-0.04*float64(a))))
		}
		s.Cohorts = append(s.Cohorts, c)
	}
	return s
}

// handValue is metric m of handSummary at period t.
func handValue(m sim.Metric, t, k float64) float64 {
	grow := 1 + (0.5+k)*t/goldenPeriods
	switch m {
	case sim.ChurnRate:
		if t >= 3 && k < 0.5 {
			return 0.035
		}
		return 0.03 - 0.01*k
	case sim.Survival:
		return math.Exp(-(0.04 - 0.015*k) * t)
	case sim.NPS:
		return 40 - 100*(1-k)*(1-math.Exp(-t/5))
	case sim.Promoters:
		return 0.5 - 0.3*(1-k)*t/goldenPeriods
	case sim.Passives:
		return 0.3
	case sim.Detractors:
		return 0.2 + 0.3*(1-k)*t/goldenPeriods
	case sim.CumulativeProfit:
		return 2000 * (t - 8*k) * grow
	case sim.CumulativeDiscountedProfit:
		return 1800 * (t - 10*k) * grow
	case sim.Revenue:
		return 16000 * grow
	}
	if m >= sim.CostVariable && m <= sim.CostLearning {
		return 1000 * float64(1+int(m)%3) * (1 + 0.3*k*t/goldenPeriods)
	}
	return 100 * float64(1+int(m)%5) * grow
}

// handSweep is a sweep by hand of two outcomes over a 4 x 3 grid, each
// outcome's mean a plane over the grid.
func handSweep() *compare.SweepResult {
	var outs []compare.Outcome
	for _, name := range []string{"cumulative_profit", "final_nps", "final_active"} {
		o, err := compare.OutcomeByName(name)
		if err != nil {
			panic(err)
		}
		outs = append(outs, o)
	}
	s := &compare.SweepResult{Axes: []compare.Axis{
		{Key: "policy.giving", From: 0, To: 1, Steps: 4},
		{Key: "switching.cost", From: 0, To: 0.9, Steps: 3},
	}, Outcomes: outs, Replications: 4}
	for i := range 4 {
		for j := range 3 {
			p := compare.SweepPoint{Values: []float64{float64(i) / 3, 0.45 * float64(j)}}
			for k := range outs {
				var acc sim.Accumulator
				for r := range 4 {
					acc.Add(math.Pow(10, float64(2*k)) * (float64(10*i+3*j*(k+1)) + float64(r)))
				}
				p.Outcomes = append(p.Outcomes, acc)
			}
			s.Points = append(s.Points, p)
		}
	}
	return s
}

// handTornado is a sensitivity analysis by hand of six parameters, one of
// them moved otherwise (starred).
func handTornado() *compare.Tornado {
	t := &compare.Tornado{Outcome: "cumulative_discounted_profit", Unit: "currency", Replications: 10, Base: sim.Stat{Mean: 1e6, P05: 9e5, P50: 1e6, P95: 1.1e6}}
	for i, key := range []string{"pricing.list_price", "churn.alpha", "market.cac", "goodwill.initial", "policy.giving", "service.contact_rate"} {
		d := 4e5 / float64(i+1)
		ci := func(m float64) compare.Interval { return compare.Interval{Low: m - 0.1*d, High: m + 0.1*d} }
		b := compare.Bar{Key: key, Base: 1, Low: 0.8, High: 1.2,
			LowDiff: compare.Paired{N: 10, Mean: -d, CI95: ci(-d)}, HighDiff: compare.Paired{N: 10, Mean: 0.8 * d, CI95: ci(0.8 * d)}, Swing: 1.8 * d}
		if i == 3 {
			b.Low, b.High, b.Note = -4, 4, "base value 0: moved by 20% of its range"
		}
		t.Bars = append(t.Bars, b)
	}
	return t
}

func TestGoldenCharts(t *testing.T) {
	two := []*sim.Summary{handSummary("taking", 0), handSummary("giving", 1)}
	tests := []struct {
		name  string
		chart func() (*Figure, error)
	}{
		{"bands", func() (*Figure, error) { return Churn(two) }},
		{"break_even", func() (*Figure, error) { return Money(two) }},
		{"bars", func() (*Figure, error) { return CLV(two) }},
		{"stacked", func() (*Figure, error) { return Costs(append(two, handSummary("middle", 0.5))) }},
		{"difference", func() (*Figure, error) { return Difference(handComparison(true)) }},
		{"heat_map", func() (*Figure, error) { return Sweep(handSweep()) }},
		{"tornado", func() (*Figure, error) { return Tornado(handTornado()) }},
		{"waterfall", func() (*Figure, error) { return Waterfall(handDecomposition()) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := tc.chart()
			if err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			if err := f.Render(&b, PNG); err != nil {
				t.Fatal(err)
			}
			plotstest.Golden(t, tc.name, b.Bytes())
		})
	}
}

// TestChartExplanations checks the words the charts of handSummary draw
// to explain themselves: why the churn of taking steps up, why a scenario
// has no break-even dot, which bar is missing from CLV, over what span of
// life its bars run, and what its whiskers are.
func TestChartExplanations(t *testing.T) {
	two := []*sim.Summary{handSummary("taking", 0), handSummary("giving", 1)}
	tests := []struct {
		name  string
		chart func([]*sim.Summary) (*Figure, error)
		want  []string
	}{
		{"churn", Churn, []string{"taking: acquisition discount ends (month 3)"}},
		{"money", Money, []string{"break-even: median reaches 0", "no break-even: ≥ 0 from the start"}},
		{"clv", CLV, []string{"none", "5–95% of replications", "CAC (paid and discount channels)",
			"Value per first-year customer by acquisition channel: first 23 months of life (horizon 24 months)"}},
		{"advocacy", Advocacy, []string{"Referrals made per month", "referrals made per month"}},
	}
	for _, tc := range tests {
		f, err := tc.chart(two)
		if err != nil {
			t.Fatal(err)
		}
		doc := render(t, f)
		for _, want := range tc.want {
			if !doc.hasText(want) {
				t.Errorf("%s: %q not drawn", tc.name, want)
			}
		}
	}
}

// TestCACLineSkipsInitialCustomers checks that the CAC is drawn over the
// bars of the channels that pay it (paid, discount) and not over those of
// initial customers or referrals.
func TestCACLineSkipsInitialCustomers(t *testing.T) {
	f, err := CLV([]*sim.Summary{handSummary("taking", 0), handSummary("giving", 1)})
	if err != nil {
		t.Fatal(err)
	}
	var spans [][2]float64
	for _, pl := range plottersOf(f.Panels[0][0]) {
		if l, ok := pl.(*plotter.Line); ok && l.XYs[0].Y == 150 && flat(l.XYs) {
			spans = append(spans, [2]float64{l.XYs[0].X, l.XYs[len(l.XYs)-1].X})
		}
	}
	// Channels at x = 0 (initial), 1 (paid), 2 (discount), 3 (referral).
	want := [][2]float64{{0.55, 1.45}, {1.55, 2.45}}
	if len(spans) != len(want) {
		t.Fatalf("CAC drawn over %v, want %v", spans, want)
	}
	for i := range want {
		if math.Abs(spans[i][0]-want[i][0]) > 1e-9 || math.Abs(spans[i][1]-want[i][1]) > 1e-9 {
			t.Errorf("CAC drawn over %v, want %v", spans, want)
		}
	}
}
