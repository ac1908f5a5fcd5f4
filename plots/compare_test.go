package plots

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"math"
	"reflect"
	"strings"
	"testing"

	"gonum.org/v1/plot"

	"github.com/retsim/retsim/compare"
	"github.com/retsim/retsim/sim"
)

// tiny is the configuration of the comparison charts' tests: sim.Default
// with 300 initial customers, 12 periods and 4 replications, and the
// parameters in set changed.
func tiny(tb testing.TB, set map[string]float64) sim.Config {
	tb.Helper()
	cfg := sim.Default()
	cfg.Population.Initial = 300
	cfg.Horizon.Periods = 12
	cfg.Replications = 4
	for k, v := range set {
		if err := cfg.Set(k, v); err != nil {
			tb.Fatal(err)
		}
	}
	return cfg
}

// Scenarios of the comparison tests.
var (
	taking  = map[string]float64{"policy.giving": 0, "policy.generosity": 0, "policy.human_share": 0.1}
	giving  = map[string]float64{"policy.giving": 1, "policy.generosity": 1, "policy.human_share": 0.9}
	cheapAd = map[string]float64{"market.paid_per_period": 20, "market.cac": 50}
)

// compareRuns simulates the named scenarios (name, parameters, name, ...)
// on tiny configurations and compares them with the first.
func compareRuns(t *testing.T, scenarios ...any) *compare.Comparison {
	t.Helper()
	var scs []compare.Scenario
	for i := 0; i < len(scenarios); i += 2 {
		scs = append(scs, compare.Scenario{Name: scenarios[i].(string), Config: tiny(t, scenarios[i+1].(map[string]float64))})
	}
	rs, err := compare.Simulate(context.Background(), scs, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	c, err := compare.Compare(rs)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// render renders f in both formats, checks that the PNG is 1200 x 800 px,
// that f has a name, a title and a caption, and that every line of the
// title is drawn, and returns the SVG as read back.
func render(t *testing.T, f *Figure) svgDoc {
	t.Helper()
	if f.Name == "" || f.Title == "" || f.Caption == "" {
		t.Errorf("name %q, title %q, caption %q: want all three", f.Name, f.Title, f.Caption)
	}
	var pngBuf, svgBuf bytes.Buffer
	if err := f.Render(&pngBuf, PNG); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&pngBuf)
	if err != nil {
		t.Fatal(err)
	}
	if sz := img.Bounds().Size(); sz.X != 1200 || sz.Y != 800 {
		t.Errorf("png is %dx%d px, want 1200x800", sz.X, sz.Y)
	}
	if err := f.Render(&svgBuf, SVG); err != nil {
		t.Fatal(err)
	}
	doc := parseSVG(t, svgBuf.Bytes())
	for _, line := range strings.Split(f.Title, "\n") {
		if !doc.hasText(line) {
			t.Errorf("title line %q not drawn", line)
		}
	}
	return doc
}

// count is how many <text> elements read s.
func (d svgDoc) count(s string) int {
	n := 0
	for _, t := range d.texts {
		if t == s {
			n++
		}
	}
	return n
}

// fills counts the paths filled with the opaque colour hex ("#RRGGBB").
func (d svgDoc) fills(hex string) int {
	n := 0
	for _, s := range d.styles {
		if s == "fill:"+hex {
			n++
		}
	}
	return n
}

// overtakeLabel is the note Difference writes for a crossover that happens,
// in whole months: the median rounded, the 90% range widened outwards.
func overtakeLabel(cr compare.Crossover) string {
	never := ""
	if cr.Never > 0 {
		never = fmt.Sprintf("; never in %s%%", shortNumber(100*cr.Never))
	}
	return fmt.Sprintf("%s overtakes: month %.0f (90%%: %.0f–%.0f%s)", cr.Scenario, math.Round(cr.Period.P50), math.Floor(cr.Period.P05), math.Ceil(cr.Period.P95), never)
}

func TestDifference(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		cmp  *compare.Comparison
	}{
		{"one scenario", compareRuns(t, "taking", taking, "giving", giving)},
		{"two scenarios", compareRuns(t, "taking", taking, "neutral", map[string]float64{}, "giving", giving)},
		{"crossover", compareRuns(t, "steady", map[string]float64{}, "advertising", cheapAd)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := tc.cmp
			f, err := Difference(c)
			if err != nil {
				t.Fatal(err)
			}
			if f.Name != "difference" {
				t.Errorf("name %q, want difference", f.Name)
			}
			if !strings.Contains(f.Title, "minus "+c.Reference) || !strings.Contains(f.Title, "(common random numbers)") {
				t.Errorf("title %q: want the reference and common random numbers", f.Title)
			}
			doc := render(t, f)
			for _, name := range c.Scenarios {
				if !doc.hasText(name) {
					t.Errorf("scenario %q not in the legend", name)
				}
			}
			// One band per scenario in each of the two panels, one legend sample each.
			if got, want := doc.bandFills(), 3*len(c.Scenarios); got != want {
				t.Errorf("%d band fills, want %d", got, want)
			}
			overtakes := 0
			for _, cr := range c.Crossovers {
				if !finite(cr.Period.P50) {
					continue
				}
				overtakes++
				if !doc.hasText(overtakeLabel(cr)) {
					t.Errorf("crossover label %q not drawn", overtakeLabel(cr))
				}
			}
			drawn := 0
			for _, s := range doc.texts {
				if strings.Contains(s, "overtakes: month") {
					drawn++
				}
			}
			if drawn != overtakes {
				t.Errorf("%d crossover labels, want %d", drawn, overtakes)
			}
			if tc.name == "crossover" && overtakes == 0 {
				t.Log("advertising did not overtake steady in this run: its labels were not checked")
			}
		})
	}
}

// handComparison is giving compared with taking by hand over 12 periods:
// the discounted difference rises through zero, giving overtaking for good
// in month 5.5 (median; 4 to 8) but not at all in a quarter of the
// replications; the undiscounted difference stays below zero.
func handComparison(crn bool) *compare.Comparison {
	const periods = 12
	nan := math.NaN()
	c := &compare.Comparison{Reference: "taking", Scenarios: []string{"giving"}, Replications: 4, Periods: periods, PeriodsPerYear: 12, CommonRandomNumbers: crn}
	for _, m := range compare.CrossoverMetrics {
		ds := compare.DiffSeries{Scenario: "giving", Metric: m.String(), Periods: make([]compare.PeriodDiff, periods)}
		for t := range ds.Periods {
			mid := 100 * float64(t-5)
			if m == sim.CumulativeProfit {
				mid = -100 - 10*float64(t)
			}
			ds.Periods[t] = compare.PeriodDiff{Diff: sim.Stat{Mean: mid, SD: 30, P05: mid - 50, P50: mid, P95: mid + 50}, CI95: compare.Interval{Low: mid - 30, High: mid + 30}}
		}
		c.Series = append(c.Series, ds)
	}
	c.Crossovers = []compare.Crossover{
		{Scenario: "giving", Metric: sim.CumulativeDiscountedProfit.String(), N: 4, Never: 0.25, Period: sim.Stat{Mean: 5.7, SD: 1.5, P05: 4, P50: 5.5, P95: 8}},
		{Scenario: "giving", Metric: sim.CumulativeProfit.String(), N: 4, Never: 1, Period: sim.Stat{Mean: nan, SD: nan, P05: nan, P50: nan, P95: nan}},
	}
	return c
}

func TestDifferenceCrossoverLabels(t *testing.T) {
	t.Parallel()
	f, err := Difference(handComparison(true))
	if err != nil {
		t.Fatal(err)
	}
	doc := render(t, f)
	for _, want := range []string{
		"giving overtakes: month 6 (90%: 4–8; never in 25%)",
		"giving: not ahead in 12 months",
		"month (0 = first)",  // time axis
		"overtakes for good", // legend
	} {
		if !doc.hasText(want) {
			t.Errorf("%q not drawn; texts: %q", want, doc.texts)
		}
	}
	if got := doc.bandFills(); got != 3 {
		t.Errorf("%d band fills, want 3", got)
	}
}

func TestDifferenceIndependentSeeds(t *testing.T) {
	f, err := Difference(handComparison(false))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(f.Title, "(independent seeds)") || strings.Contains(f.Title, "common random numbers") {
		t.Errorf("title %q: want independent seeds", f.Title)
	}
	if !strings.Contains(f.Caption, "independent") {
		t.Errorf("caption %q does not say the pairs are independent", f.Caption)
	}
}

func TestDifferenceErrors(t *testing.T) {
	c := handComparison(true)
	c.Series = c.Series[:1]
	if _, err := Difference(c); err == nil || !strings.Contains(err.Error(), "cumulative_profit") {
		t.Errorf("missing series: got %v, want an error naming it", err)
	}
	if _, err := Difference(&compare.Comparison{Reference: "taking"}); err == nil {
		t.Error("no scenario: want an error")
	}
}

// sweep runs a sweep of tiny over the axes (written as compare.ParseAxis
// reads them) measuring the named outcomes.
func sweep(t *testing.T, outcomes []string, axes ...string) *compare.SweepResult {
	t.Helper()
	as := make([]compare.Axis, len(axes))
	for i, s := range axes {
		a, err := compare.ParseAxis(s)
		if err != nil {
			t.Fatal(err)
		}
		as[i] = a
	}
	s, err := compare.Sweep(context.Background(), tiny(t, nil), as, outcomes, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSweepOneAxis(t *testing.T) {
	t.Parallel()
	outcomes := []string{"cumulative_discounted_profit", "final_active", "final_nps"}
	s := sweep(t, outcomes, "policy.giving=0:1:3")
	for p := range s.Points {
		for k := range outcomes {
			if st := s.Stat(p, k); !finite(st.P05) || !finite(st.P95) {
				t.Fatalf("point %d, %s: %+v undefined; the test needs every band whole", p, outcomes[k], st)
			}
		}
	}
	f, err := Sweep(s)
	if err != nil {
		t.Fatal(err)
	}
	if f.Name != "sweep" {
		t.Errorf("name %q, want sweep", f.Name)
	}
	doc := render(t, f)
	// One band per outcome, one legend sample.
	if got, want := doc.bandFills(), len(outcomes)+1; got != want {
		t.Errorf("%d band fills, want %d", got, want)
	}
	if got := doc.count("policy.giving"); got != len(outcomes) {
		t.Errorf("%d x axes labelled policy.giving, want %d", got, len(outcomes))
	}
	// A title too wide for a panel four to a row is on two lines.
	for _, want := range []string{"Cumulative", "discounted profit", "Final active", "Final NPS", "0", "0.5", "1"} {
		if !doc.hasText(want) {
			t.Errorf("%q not drawn", want)
		}
	}
}

func TestSweepTwoAxes(t *testing.T) {
	t.Parallel()
	outcomes := []string{"final_active", "final_nps"}
	s := sweep(t, outcomes, "policy.giving=0:1:3", "policy.generosity=0:1:2")
	f, err := Sweep(s)
	if err != nil {
		t.Fatal(err)
	}
	doc := render(t, f)
	// Small multiples side by side: each labels its x axis, the first its y axis.
	for key, want := range map[string]int{"policy.giving": len(outcomes), "policy.generosity": 1} {
		if got := doc.count(key); got != want {
			t.Errorf("%d axes labelled %s, want %d", got, key, want)
		}
	}
	// Each panel: its title, then its unit, a colour bar from its least to
	// its greatest mean; each cell: its mean.
	labels := map[string]int{}
	for k, o := range outcomes {
		lo, hi := math.Inf(1), math.Inf(-1)
		for p := range s.Points {
			m := s.Stat(p, k).Mean
			lo, hi = math.Min(lo, m), math.Max(hi, m)
			labels[shortNumber(m)]++
		}
		for _, want := range []string{outcomeLabel(o, true), "(" + s.Outcomes[k].Unit + ")", shortNumber(lo), shortNumber(hi)} {
			if !doc.hasText(want) {
				t.Errorf("panel title line %q not drawn", want)
			}
		}
	}
	for label, n := range labels {
		if got := doc.count(label); got < n {
			t.Errorf("cell label %q drawn %d times, want at least %d", label, got, n)
		}
	}
	// One filled rectangle per cell and a colour bar in each panel, besides the white background.
	cells := 0
	for _, st := range doc.styles {
		if strings.HasPrefix(st, "fill:#") && !strings.Contains(st, ";") && st != "fill:#FFFFFF" {
			cells++
		}
	}
	if want := len(outcomes) * (len(s.Points) + gradientSteps); cells != want {
		t.Errorf("%d opaque fills, want %d cells and %d gradient steps in each of %d panels", cells, len(s.Points), gradientSteps, len(outcomes))
	}
}

func TestSweepErrors(t *testing.T) {
	axis := func(key string) compare.Axis { return compare.Axis{Key: key, From: 0, To: 1, Steps: 2} }
	outs := compare.Outcomes[:1]
	tests := []struct {
		name string
		s    *compare.SweepResult
		want string
	}{
		{"three axes", &compare.SweepResult{Axes: []compare.Axis{axis("policy.giving"), axis("policy.generosity"), axis("policy.human_share")}, Outcomes: outs, Points: make([]compare.SweepPoint, 8)}, "got 3"},
		{"no axis", &compare.SweepResult{Outcomes: outs, Points: make([]compare.SweepPoint, 1)}, "got 0"},
		{"points missing", &compare.SweepResult{Axes: []compare.Axis{axis("policy.giving")}, Outcomes: outs, Points: make([]compare.SweepPoint, 1)}, "1 points"},
		{"one grid point", &compare.SweepResult{Axes: []compare.Axis{{Key: "policy.giving", Steps: 1}}, Outcomes: outs, Points: make([]compare.SweepPoint, 1)}, "want at least 2"},
		{"no outcome", &compare.SweepResult{Axes: []compare.Axis{axis("policy.giving")}, Points: make([]compare.SweepPoint, 2)}, "no outcome"},
	}
	for _, tc := range tests {
		if _, err := Sweep(tc.s); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want an error with %q", tc.name, err, tc.want)
		}
	}
}

// tickStrings writes ticks as "x:label", x rounded to 9 decimals.
func tickStrings(ticks []plot.Tick) []string {
	out := make([]string, len(ticks))
	for i, tk := range ticks {
		x := math.Round(tk.Value*1e9) / 1e9
		if x == 0 {
			x = 0 // not -0
		}
		out[i] = fmt.Sprintf("%g:%s", x, tk.Label)
	}
	return out
}

func TestGridTicks(t *testing.T) {
	axis := func(from, to float64, steps int) compare.Axis {
		return compare.Axis{Key: "k", From: from, To: to, Steps: steps}
	}
	tests := []struct {
		name  string
		ticks gridTicks
		want  []string
	}{
		{"each grid point by index", gridTicks{axis(10, 30, 5), true}, []string{"0:10", "1:15", "2:20", "3:25", "4:30"}},
		{"each grid point by value", gridTicks{axis(10, 30, 5), false}, []string{"10:10", "15:15", "20:20", "25:25", "30:30"}},
		{"falling axis by index", gridTicks{axis(1, 0, 3), true}, []string{"0:1", "1:0.5", "2:0"}},
		{"round values by index", gridTicks{axis(0, 100, 11), true}, []string{"0:0", "2:20", "4:40", "6:60", "8:80", "10:100"}},
		{"round values by value", gridTicks{axis(0, 1, 101), false}, []string{"0:0.0", "0.2:0.2", "0.4:0.4", "0.6:0.6", "0.8:0.8", "1:1.0"}},
		{"round values of a falling axis", gridTicks{axis(1, 0, 11), true}, []string{"10:0.0", "8:0.2", "6:0.4", "4:0.6", "2:0.8", "0:1.0"}},
	}
	for _, tc := range tests {
		if got := tickStrings(tc.ticks.Ticks(-1, 1000)); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: ticks %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestTornado(t *testing.T) {
	t.Parallel()
	keys := []string{"policy.giving", "policy.generosity", "policy.human_share", "market.cac"} // market.cac is 0 with no bound: skipped
	tor, err := compare.Sensitivity(context.Background(), tiny(t, nil), keys, "cumulative_profit", sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(tor.Bars) != 3 || len(tor.Skipped) != 1 {
		t.Fatalf("%d bars and %d skipped, want 3 and 1", len(tor.Bars), len(tor.Skipped))
	}
	f, err := Tornado(tor)
	if err != nil {
		t.Fatal(err)
	}
	if f.Name != "sensitivity" {
		t.Errorf("name %q, want sensitivity", f.Name)
	}
	if want := "Sensitivity of cumulative profit: effect of moving each parameter over its allowed range (paired, 95% intervals)"; strings.ReplaceAll(f.Title, "\n", " ") != want {
		t.Errorf("title %q, want %q", f.Title, want)
	}
	if !strings.Contains(f.Caption, "1 parameter(s) could not be moved") || strings.Contains(f.Caption, "n=R") {
		t.Errorf("caption %q does not mention the skipped parameter, or mentions bars with fewer replications", f.Caption)
	}
	doc := render(t, f)
	for _, b := range tor.Bars {
		if !doc.hasText(barLabel(tor, b)) {
			t.Errorf("row %q not drawn", barLabel(tor, b))
		}
	}
	if !doc.hasText("policy.giving (0 → 1)") {
		t.Errorf("row of policy.giving not labelled with its ends")
	}
	if !doc.hasText("cumulative profit difference (currency)") {
		t.Error("x axis not labelled")
	}
	low, high := Style{Color: lowColor}.Hex(), Style{Color: highColor}.Hex()
	for _, end := range []struct {
		hex   string
		diffs func(compare.Bar) compare.Paired
	}{{low, func(b compare.Bar) compare.Paired { return b.LowDiff }}, {high, func(b compare.Bar) compare.Paired { return b.HighDiff }}} {
		want := 1 // the legend sample
		for _, b := range tor.Bars {
			if finite(end.diffs(b).Mean) {
				want++
			}
		}
		if got := doc.fills(end.hex); got != want {
			t.Errorf("%d bars in %s, want %d", got, end.hex, want)
		}
	}
}

func TestTornadoTop20(t *testing.T) {
	t.Parallel()
	tor := &compare.Tornado{Outcome: "final_nps", Unit: "points", Replications: 4, Base: sim.Stat{Mean: 10, P05: 5, P50: 10, P95: 15}}
	for i := range 25 {
		d := float64(25 - i)
		tor.Bars = append(tor.Bars, compare.Bar{
			Key: fmt.Sprintf("p%02d", i), Base: 1, Low: 0.8, High: 1.2,
			LowDiff:  compare.Paired{N: 4, Mean: -d, CI95: compare.Interval{Low: -d - 1, High: -d + 1}},
			HighDiff: compare.Paired{N: 4, Mean: d, CI95: compare.Interval{Low: math.NaN(), High: math.NaN()}},
			Swing:    2 * d,
		})
	}
	tor.Bars[3].Note = "clipped to its range [0, 1]"
	// An adaptive analysis screened out p06 after one replication.
	tor.Top = 5
	for i := range tor.Bars {
		tor.Bars[i].Replications = 4
	}
	tor.Bars[6].Replications = 1
	f, err := Tornado(tor)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(f.Caption, "Only the 20 largest of 25") || !strings.Contains(f.Caption, "* marks ends adjusted") || !strings.Contains(f.Caption, "n=R marks a bar with fewer replications") {
		t.Errorf("caption %q: want the cut, the * and n=R explained", f.Caption)
	}
	doc := render(t, f)
	for i, b := range tor.Bars {
		if drawn := doc.hasText(barLabel(tor, b)); drawn != (i < maxBars) {
			t.Errorf("row %q drawn: %v, want %v", barLabel(tor, b), drawn, i < maxBars)
		}
	}
	if !doc.hasText("p03 (0.8 → 1.2) *") {
		t.Error("row with a note not starred")
	}
	if !doc.hasText("p06 (0.8 → 1.2) n=1") || doc.hasText("p05 (0.8 → 1.2) n=4") {
		t.Error("want the row with fewer replications, and only it, to say how many")
	}
	if got := doc.fills(Style{Color: lowColor}.Hex()) + doc.fills(Style{Color: highColor}.Hex()); got != 2*maxBars+2 {
		t.Errorf("%d bars, want %d and 2 legend samples", got, 2*maxBars)
	}
}

func TestTornadoNoBars(t *testing.T) {
	if _, err := Tornado(&compare.Tornado{Outcome: "final_nps", Skipped: []compare.Skip{{Key: "market.cac"}}}); err == nil {
		t.Error("no bars: want an error")
	}
}

func TestShortNumber(t *testing.T) {
	for _, tc := range []struct {
		x    float64
		want string
	}{
		{0, "0"}, {5.5, "5.5"}, {14, "14"}, {25, "25"}, {0.01234, "0.0123"}, {123.456, "123"},
		{-39.84, "-39.8"}, {12345, "12.3k"}, {-46612, "-46.6k"}, {1234567, "1.23M"}, {math.NaN(), "NaN"},
	} {
		if got := shortNumber(tc.x); got != tc.want {
			t.Errorf("shortNumber(%v) = %q, want %q", tc.x, got, tc.want)
		}
	}
}

func TestOutcomeLabel(t *testing.T) {
	for _, tc := range []struct {
		name    string
		capital bool
		want    string
	}{
		{"cumulative_discounted_profit", true, "Cumulative discounted profit"},
		{"final_nps", true, "Final NPS"},
		{"clv_per_acquired", false, "CLV per acquired"},
		{"total_cost_service", false, "total cost service"},
	} {
		if got := outcomeLabel(tc.name, tc.capital); got != tc.want {
			t.Errorf("outcomeLabel(%q, %v) = %q, want %q", tc.name, tc.capital, got, tc.want)
		}
	}
}

func TestFitTitle(t *testing.T) {
	if got := fitTitle("Short: title"); got != "Short: title" {
		t.Errorf("short title broken: %q", got)
	}
	long := "Sensitivity of cumulative discounted profit: effect of moving each parameter ±20% (paired, 95% intervals)"
	if got, want := fitTitle(long), strings.Replace(long, ": ", ":\n", 1); got != want {
		t.Errorf("fitTitle(long) = %q, want %q", got, want)
	}
}

// undefinedSweep is a sweep by hand over the axes whose outcome, final_nps,
// is NaN in every replication of point nan and 1, 2, 3, 4 elsewhere.
func undefinedSweep(nan int, axes ...compare.Axis) *compare.SweepResult {
	nps, err := compare.OutcomeByName("final_nps")
	if err != nil {
		panic(err)
	}
	s := &compare.SweepResult{Axes: axes, Outcomes: []compare.Outcome{nps}, Replications: 4}
	points := 1
	for _, a := range axes {
		points *= a.Steps
	}
	for p := range points {
		samples := []float64{1, 2, 3, 4}
		if p == nan || nan < 0 {
			samples = []float64{math.NaN(), math.NaN(), math.NaN(), math.NaN()}
		}
		var acc sim.Accumulator
		for _, x := range samples {
			acc.Add(x)
		}
		s.Points = append(s.Points, compare.SweepPoint{Outcomes: []sim.Accumulator{acc}})
	}
	return s
}

func TestSweepUndefinedValues(t *testing.T) {
	giving := compare.Axis{Key: "policy.giving", From: 0, To: 1, Steps: 3}
	generosity := compare.Axis{Key: "policy.generosity", From: 0, To: 1, Steps: 2}
	tests := []struct {
		name      string
		s         *compare.SweepResult
		want      []string
		bandFills int
	}{
		{"1-D, one point undefined", undefinedSweep(1, giving), []string{"Final NPS"}, 2 + 1},
		{"1-D, all undefined", undefinedSweep(-1, giving), []string{"Final NPS"}, 0 + 1},
		{"2-D, one cell undefined", undefinedSweep(2, giving, generosity), []string{"Final NPS", "(points)", "2.5", "no defined value"}, 0},
		{"2-D, all undefined", undefinedSweep(-1, giving, generosity), []string{"Final NPS", "no defined value"}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Sweep(tc.s)
			if err != nil {
				t.Fatal(err)
			}
			doc := render(t, f)
			for _, want := range tc.want {
				if !doc.hasText(want) {
					t.Errorf("%q not drawn", want)
				}
			}
			if got := doc.bandFills(); got != tc.bandFills {
				t.Errorf("%d band fills, want %d", got, tc.bandFills)
			}
		})
	}
}

// TestMovedHow checks that the tornado's title says how the parameters
// were moved from the ends of its bars, not from a constant.
func TestMovedHow(t *testing.T) {
	bar := func(key string, base, low, high float64, note string) compare.Bar {
		return compare.Bar{Key: key, Base: base, Low: low, High: high, Note: note}
	}
	tests := []struct {
		name string
		bars []compare.Bar
		want string
	}{
		{"20% of the base", []compare.Bar{bar("pricing.list_price", 30, 24, 36, ""), bar("churn.alpha", 0.8, 0.64, 0.96, "")}, "±20%"},
		{"10% of the base, a clipped end aside", []compare.Bar{bar("pricing.list_price", 30, 27, 33, ""), bar("policy.giving", 0.95, 0.855, 1, "clipped")}, "±10%"},
		{"the allowed range", []compare.Bar{bar("policy.giving", 0.5, 0, 1, ""), bar("policy.generosity", 0.3, 0, 1, "")}, "over its allowed range"},
		{"neither", []compare.Bar{bar("policy.giving", 0.5, 0, 1, ""), bar("pricing.list_price", 30, 24, 36, "")}, "to a low and a high value"},
		{"every bar noted", []compare.Bar{bar("policy.giving", 0.5, 0.2, 0.9, "moved")}, "to a low and a high value"},
	}
	for _, tc := range tests {
		if got := movedHow(tc.bars); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}
