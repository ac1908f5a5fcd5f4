package plots

import (
	"bytes"
	"math"
	"reflect"
	"strings"
	"testing"

	"gonum.org/v1/plot"

	"github.com/retsim/retsim/sim"
)

func TestRuns(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name string
		ys   []float64
		want []span
	}{
		{"empty", nil, nil},
		{"all finite", []float64{1, 2, 3}, []span{{0, 3}}},
		{"all NaN", []float64{nan, nan}, nil},
		{"gap", []float64{1, nan, 2, 3}, []span{{0, 1}, {2, 4}}},
		{"edges", []float64{nan, 1, 2, nan}, []span{{1, 3}}},
		{"infinity", []float64{1, math.Inf(1), 2}, []span{{0, 1}, {2, 3}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := runs(len(tc.ys), func(i int) bool { return finite(tc.ys[i]) })
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("runs(%v) = %v, want %v", tc.ys, got, tc.want)
			}
		})
	}
}

// stats builds one Stat per median, with quantiles 1 either side.
func stats(medians ...float64) []sim.Stat {
	out := make([]sim.Stat, len(medians))
	for i, m := range medians {
		out[i] = sim.Stat{Mean: m, P05: m - 1, P50: m, P95: m + 1}
	}
	return out
}

func TestBandPolygons(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name  string
		stats []sim.Stat
		fills int
	}{
		{"continuous", stats(1, 2, 3, 4), 1},
		{"one gap", stats(1, 2, nan, 4, 5), 2},
		{"two gaps", stats(1, nan, 3, nan, 5), 3},
		{"nothing", stats(nan, nan), 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := newPanel("band", "x", "y")
			if err := Band(p, tc.stats, 100, ScenarioStyle(0)); err != nil {
				t.Fatal(err)
			}
			f := &Figure{Name: "band", Title: "band", Panels: [][]*plot.Plot{{p}}}
			var buf bytes.Buffer
			if err := f.Render(&buf, SVG); err != nil {
				t.Fatal(err)
			}
			if got := parseSVG(t, buf.Bytes()).bandFills(); got != tc.fills {
				t.Errorf("%d band polygons, want %d", got, tc.fills)
			}
		})
	}
}

func TestZeroCrossing(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name    string
		medians []float64
		x       float64
		ok      bool
	}{
		{"rises through zero", []float64{-4, -2, 2, 6}, 1.5, true},
		{"reaches zero exactly", []float64{-3, 0, 5}, 1, true},
		{"starts above zero", []float64{1, 2, 3}, 0, false},
		{"falls through zero", []float64{2, -1, -3}, 0, false},
		{"first of two rises", []float64{-1, 1, -1, 3}, 0.5, true},
		{"never reaches zero", []float64{-5, -3, -1}, 0, false},
		{"gap before the rise", []float64{-2, nan, 2}, 0, false},
		{"single period", []float64{-1}, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			x, ok := ZeroCrossing(stats(tc.medians...))
			if ok != tc.ok || math.Abs(x-tc.x) > 1e-12 {
				t.Errorf("ZeroCrossing(%v) = %v, %v; want %v, %v", tc.medians, x, ok, tc.x, tc.ok)
			}
		})
	}
}

func TestCompactTicks(t *testing.T) {
	tests := []struct {
		lo, hi float64
		want   []string
	}{
		{0, 24, []string{"0", "5", "10", "15", "20"}},
		{-40000, 260000, []string{"0", "50k", "100k", "150k", "200k", "250k"}},
		{-260000, -40000, []string{"-250k", "-200k", "-150k", "-100k", "-50k"}},
		{0, 1, []string{"0.0", "0.2", "0.4", "0.6", "0.8", "1.0"}},
		{0, 12, []string{"0", "2", "4", "6", "8", "10", "12"}},
		{0, 15, []string{"0.0", "2.5", "5.0", "7.5", "10.0", "12.5", "15.0"}},
		{1e6, 4e6, []string{"1M", "1.5M", "2M", "2.5M", "3M", "3.5M", "4M"}},
	}
	for _, tc := range tests {
		var got []string
		for _, tk := range (compactTicks{}).Ticks(tc.lo, tc.hi) {
			got = append(got, tk.Label)
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("ticks(%v, %v) = %q, want %q", tc.lo, tc.hi, got, tc.want)
		}
	}
}

func TestGrid(t *testing.T) {
	tests := []struct{ n, rows, cols int }{{1, 1, 1}, {2, 1, 2}, {3, 2, 2}, {4, 2, 2}, {5, 2, 3}, {7, 2, 4}, {8, 2, 4}, {9, 3, 3}}
	for _, tc := range tests {
		panels := make([]*plot.Plot, tc.n)
		for i := range panels {
			panels[i] = plot.New()
		}
		g := grid(panels)
		if len(g) != tc.rows || len(g[0]) != tc.cols {
			t.Errorf("grid of %d: %dx%d, want %dx%d", tc.n, len(g), len(g[0]), tc.rows, tc.cols)
		}
		seen := 0
		for _, row := range g {
			for _, p := range row {
				if p != nil {
					seen++
				}
			}
		}
		if seen != tc.n {
			t.Errorf("grid of %d holds %d panels", tc.n, seen)
		}
	}
}

func TestScenarioStyle(t *testing.T) {
	seen := map[string]bool{}
	for i := range scenarioColors {
		h := ScenarioStyle(i).Hex()
		if seen[h] {
			t.Errorf("scenario %d repeats colour %s", i, h)
		}
		seen[h] = true
		if ScenarioStyle(i).Dashes != nil {
			t.Errorf("scenario %d dashed before the palette is used up", i)
		}
	}
	if n := len(scenarioColors); ScenarioStyle(n).Dashes == nil || ScenarioStyle(n).Hex() != ScenarioStyle(0).Hex() {
		t.Errorf("scenario %d: want the first colour again, dashed", n)
	}
	if got := ScenarioStyle(0).Hex(); got != "#E69F00" {
		t.Errorf("first scenario colour %s, want Okabe-Ito orange #E69F00", got)
	}
}

// TestRoundAxis checks that an axis widened for drawing has a tick at each
// end, around every value of the data, and a readable number of ticks.
func TestRoundAxis(t *testing.T) {
	tests := []struct {
		lo, hi     float64
		panels     int
		first, end string
		maxTicks   int
	}{
		{-57, 52, 1, "-60", "60", 9},          // NPS of taking and giving
		{0, 59, 1, "0", "60", 9},              // a 60-month horizon
		{0, 15.7e6, 2, "0", "16M", 9},         // cumulative profit
		{-7.9e6, 12.9e6, 1, "-10M", "15M", 9}, // a tornado, padded
		{21.4e6, 25.2e6, 2, "21M", "26M", 9},  // a sweep's outcome
		{0, 59, 4, "0", "60", 5},              // small multiples four to a row
		{0.3, 0.3000001, 1, "0.3", "0.3", 99}, // nearly flat: still ends on ticks
	}
	for _, tc := range tests {
		ax := plot.New().Y
		ax.Min, ax.Max, ax.Tick.Marker = tc.lo, tc.hi, compactTicks{}
		roundAxis(&ax, tc.panels)
		ticks := ax.Tick.Marker.Ticks(ax.Min, ax.Max)
		if len(ticks) < 2 || len(ticks) > tc.maxTicks {
			t.Fatalf("[%v, %v]: %d ticks, want 2 to %d", tc.lo, tc.hi, len(ticks), tc.maxTicks)
		}
		first, last := ticks[0], ticks[len(ticks)-1]
		if first.Value != ax.Min || last.Value != ax.Max || ax.Min > tc.lo || ax.Max < tc.hi {
			t.Errorf("[%v, %v]: axis [%v, %v], ticks %v to %v: want ticks at both ends, around the data", tc.lo, tc.hi, ax.Min, ax.Max, first.Value, last.Value)
		}
		if !strings.HasPrefix(first.Label, tc.first) || !strings.HasPrefix(last.Label, tc.end) {
			t.Errorf("[%v, %v]: ticks %q to %q, want %q to %q", tc.lo, tc.hi, first.Label, last.Label, tc.first, tc.end)
		}
	}
}

// TestLayAxesRestores checks that drawing a figure leaves its axes as they
// were, so that it draws the same twice (PNG, then SVG), and that the NPS
// axis of Advocacy, drawn, has a tick below the lowest NPS.
func TestLayAxesRestores(t *testing.T) {
	sums := []*sim.Summary{handSummary("taking", 0), handSummary("giving", 1)}
	f, err := Advocacy(sums)
	if err != nil {
		t.Fatal(err)
	}
	nps := f.Panels[0][0]
	before := [2]float64{nps.Y.Min, nps.Y.Max}
	restore := f.layAxes()
	lowest := math.Inf(1)
	for _, s := range sums {
		for _, st := range s.Series(sim.NPS) {
			lowest = min(lowest, st.P05)
		}
	}
	if ticks := nps.Y.Tick.Marker.Ticks(nps.Y.Min, nps.Y.Max); ticks[0].Value > lowest {
		t.Errorf("lowest NPS tick %v above the lowest NPS drawn, %v", ticks[0].Value, lowest)
	}
	restore()
	if after := [2]float64{nps.Y.Min, nps.Y.Max}; after != before {
		t.Errorf("NPS axis %v after drawing, %v before", after, before)
	}
	if _, ok := nps.Y.Tick.Marker.(compactTicks); !ok || nps.Y.Tick.Marker.(compactTicks).step != 0 {
		t.Errorf("NPS ticks %#v after drawing, want the plain compactTicks", nps.Y.Tick.Marker)
	}
}
