package plots

import (
	"math"
	"strings"
	"testing"

	"github.com/retsim/retsim/compare"
)

// handDecomposition is giving minus taking split by hand among three groups
// for two outcomes, the second undefined for the last group and in total.
func handDecomposition() *compare.Decomposition {
	nan := math.NaN()
	parts := func(means ...float64) []compare.Part {
		names := []string{"policy.giving", "policy.human_share", "taking+giving"}
		out := make([]compare.Part, len(means))
		for i, m := range means {
			out[i] = compare.Part{Group: names[i], N: 4, Mean: m, SD: 10, CI95: compare.Interval{Low: m - 15, High: m + 15}}
		}
		return out
	}
	return &compare.Decomposition{Reference: "taking", Scenario: "giving", Replications: 4,
		Groups: []compare.Group{{Name: "policy.giving", Keys: []string{"policy.giving"}}, {Name: "policy.human_share", Keys: []string{"policy.human_share"}},
			{Name: "taking+giving", Keys: []string{"taking.fix_fee"}}},
		Outcomes: []compare.OutcomeParts{
			{Outcome: "cumulative_profit", Unit: "currency", Total: compare.Paired{N: 4, Mean: 60, CI95: compare.Interval{Low: 40, High: 80}}, Parts: parts(-40, 30, 70)},
			{Outcome: "final_nps", Unit: "points", Total: compare.Paired{Mean: nan, CI95: compare.Interval{Low: nan, High: nan}}, Parts: parts(5, 8, nan)},
		}}
}

func TestWaterfall(t *testing.T) {
	d := handDecomposition()
	f, err := Waterfall(d)
	if err != nil {
		t.Fatal(err)
	}
	if f.Name != "decomposition" || !strings.Contains(f.Title, "giving minus taking, split by lever") {
		t.Errorf("name %q, title %q", f.Name, f.Title)
	}
	if !strings.Contains(f.Caption, "8 configurations") || !strings.Contains(f.Caption, "over 4 replications") {
		t.Errorf("caption %q: want the configurations and replications", f.Caption)
	}
	doc := render(t, f)
	for _, s := range []string{"1  policy.giving", "2  policy.human_share", "3  taking+giving", "total: giving − taking", "95% interval of the mean",
		"Cumulative profit", "Final NPS", "difference (currency)", "difference (points)"} {
		if !doc.hasText(s) {
			t.Errorf("%q not drawn", s)
		}
	}
	// Tick labels: groups 1 to 3 and total in each of the two panels.
	for _, s := range []string{"1", "2", "3", "total"} {
		if n := doc.count(s); n < 2 {
			t.Errorf("tick %q drawn %d times, want at least once per panel", s, n)
		}
	}
	// One bar per defined part or total, one legend sample per colour.
	for _, c := range []struct {
		name string
		hex  string
		want int
	}{
		{"group 1", Style{Color: groupColor(0)}.Hex(), 3},
		{"group 2", Style{Color: groupColor(1)}.Hex(), 3},
		{"group 3", Style{Color: groupColor(2)}.Hex(), 2},
		{"total", "#999999", 2},
	} {
		if got := doc.fills(c.hex); got != c.want {
			t.Errorf("%s: %d fills in %s, want %d", c.name, got, c.hex, c.want)
		}
	}
}

func TestWaterfallErrors(t *testing.T) {
	d := handDecomposition()
	d.Groups = nil
	if _, err := Waterfall(d); err == nil {
		t.Error("no error without groups")
	}
}
