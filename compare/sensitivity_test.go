package compare

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/retsim/retsim/scenarios"
	"github.com/retsim/retsim/sim"
	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

func TestSensitivityKeys(t *testing.T) {
	keys := SensitivityKeys()
	excluded := []string{"seed", "replications", "horizon.periods", "horizon.periods_per_year", "population.initial", "market.potential"}
	if len(keys) != len(sim.Params)-len(excluded) {
		t.Errorf("%d keys, want every one of the %d parameters but %v", len(keys), len(sim.Params), excluded)
	}
	for _, k := range excluded {
		if slices.Contains(keys, k) {
			t.Errorf("%s is among the default keys", k)
		}
	}
}

// z95 is the standard normal's 95% quantile.
const z95 = 1.6448536269514722

func TestSpanOf(t *testing.T) {
	normal := &sim.Dist{Kind: sim.DistNormal, Mean: 0, SD: 1}
	uniform := &sim.Dist{Kind: sim.DistUniform, Min: 1, Max: 3}
	for _, tc := range []struct {
		key         string
		v           float64
		dist        *sim.Dist
		lo, hi      float64
		basis, note string
		err         string
	}{
		{"pricing.list_price", 30, nil, 24, 36, BasisStep, "", ""},
		{"goodwill.initial", -1, nil, -1.2, -0.8, BasisStep, "", ""},
		{"churn.alpha", 0.8, nil, 0.64, 0.96, BasisStep, "", ""},
		{"service.contact_rate", 0.3, nil, 0.24, 0.36, BasisStep, "", ""},
		{"goodwill.negativity_bias", 1.1, nil, 1, 1.32, BasisStep, "clipped to its range >= 1, at most 100", ""},
		{"discounts.months", 3, nil, 2, 4, BasisStep, "rounded outward to whole numbers", ""},
		{"policy.giving", 0.9, nil, 0, 1, BasisAllowed, "", ""},
		{"market.deterrence", 0, nil, 0, 1, BasisAllowed, "", ""},
		{"churn.alpha_beta_corr", 0, nil, -1, 1, BasisAllowed, "", ""},
		{"advocacy.ltr_neutral", 8.5, nil, 0, 10, BasisAllowed, "", ""},
		// goodwill.initial's -10 and 10 are safety bounds: a base of 0 does
		// not move it by a share of them.
		{"goodwill.initial", 0, nil, 0, 0, "", "", "base value 0 and range open-ended"},
		{"discounts.months", 0, nil, 0, 0, "", "", "open-ended"},
		{"market.cac", 0, nil, 0, 0, "", "", "give it an uncertain: distribution"},
		{"goodwill.initial", 0, normal, -z95, z95, BasisUncertain, "5% and 95% quantiles of normal mean=0 sd=1", ""},
		{"pricing.price_sensitivity", 2, uniform, 1.1, 2.9, BasisUncertain, "5% and 95% quantiles of uniform", ""},
		{"policy.giving", 0.5, &sim.Dist{Kind: sim.DistTriangular, Min: 0.4, Mode: 0.5, Max: 0.6}, 0.4 + 0.1*math.Sqrt(0.1), 0.6 - 0.1*math.Sqrt(0.1), BasisUncertain, "", ""},
	} {
		p, _ := sim.Lookup(tc.key)
		s, err := spanOf(p, tc.v, tc.dist)
		note := strings.Join(s.notes, "; ")
		switch {
		case tc.err != "":
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("spanOf(%s, %g, %v): error %v, want one containing %q", tc.key, tc.v, tc.dist, err, tc.err)
			}
		case err != nil:
			t.Errorf("spanOf(%s, %g, %v): %v", tc.key, tc.v, tc.dist, err)
		case math.Abs(s.ends[0]-tc.lo) > 1e-9 || math.Abs(s.ends[1]-tc.hi) > 1e-9 || s.basis != tc.basis || !strings.HasPrefix(note, tc.note):
			t.Errorf("spanOf(%s, %g, %v) = %v, %s, %q; want [%g %g], %s, %q...", tc.key, tc.v, tc.dist, s.ends, s.basis, note, tc.lo, tc.hi, tc.basis, tc.note)
		}
	}
}

// TestSensitivityRangesAllowed: in every built-in scenario, every
// parameter a default sensitivity analysis moves moves inside its allowed
// range, over the range its basis promises: the scenario's distribution
// where it has one, the whole range where its ends are natural, else at
// most 20% of the base value (and one whole number) either way.
func TestSensitivityRangesAllowed(t *testing.T) {
	for _, info := range scenarios.List() {
		sc, err := scenarios.Load(info.Name, scenarios.Sources{})
		if err != nil {
			t.Fatal(err)
		}
		base := sc.Config
		tor, _, err := plan(base, nil, Outcome{})
		if err != nil {
			t.Fatalf("%s: %v", info.Name, err)
		}
		for _, b := range tor.Bars {
			p, _ := sim.Lookup(b.Key)
			for _, x := range []float64{b.Low, b.High} {
				if err := p.Check(x); err != nil {
					t.Errorf("%s: %s moved to %g, outside its allowed range: %v", info.Name, b.Key, x, err)
				}
			}
			if !(b.Low <= b.High) {
				t.Errorf("%s: %s moved from %g down to %g", info.Name, b.Key, b.Low, b.High)
			}
			dist := distOf(base, b.Key)
			relation := strings.Contains(b.Note, "clipped to service.")
			switch b.Basis {
			case BasisUncertain:
				lo, hi := dist.Quantile(0.05, p), dist.Quantile(0.95, p)
				if math.Abs(b.Low-lo) > 1e-9*math.Abs(lo) || math.Abs(b.High-hi) > 1e-9*math.Abs(hi) {
					t.Errorf("%s: %s moved over [%g, %g], want its distribution's 5-95%% [%g, %g]", info.Name, b.Key, b.Low, b.High, lo, hi)
				}
			case BasisAllowed:
				if dist != nil || !natural(p) || (!relation && (b.Low != p.Min || b.High != p.Max)) {
					t.Errorf("%s: %s moved over [%g, %g] as its allowed range %s (uncertain: %v)", info.Name, b.Key, b.Low, b.High, p.Range(), dist)
				}
			case BasisStep:
				reach := SensitivityStep*math.Abs(b.Base) + 1e-9
				if p.Whole {
					reach++
				}
				if dist != nil || natural(p) || b.Base-b.Low > reach || b.High-b.Base > reach {
					t.Errorf("%s: %s moved over [%g, %g] from %g by its base value", info.Name, b.Key, b.Low, b.High, b.Base)
				}
			default:
				t.Errorf("%s: %s: basis %q", info.Name, b.Key, b.Basis)
			}
		}
		if info.Name == "baseline" && !slices.ContainsFunc(tor.Skipped, func(s Skip) bool { return s.Key == "goodwill.initial" }) {
			t.Error("baseline: goodwill.initial at 0 is moved, not skipped")
		}
	}
}

// A tornado of cumulative profit over parameters chosen to exercise every
// rule: a plain ±20% (list price, which must raise profit), a probability
// over its allowed range (giving), one whose high end breaks its relation
// with another parameter (human_resolution_basic, clipped to
// human_resolution_skilled), a distribution (price sensitivity), a zero
// with an open-ended range (CAC, skipped), a whole number (discount months)
// and an end clipped by a relation (human_cost_basic, kept below
// human_cost_skilled).
func TestSensitivity(t *testing.T) {
	base := small()
	base.Population.Initial = 1000
	base.Replications = 8
	base.Policy.Giving = 0.9
	base.Service.HumanCostBasic = 9
	base.Uncertain = []sim.Uncertain{{Key: "pricing.price_sensitivity", Dist: sim.Dist{Kind: sim.DistUniform, Min: 1, Max: 3}}}
	keys := []string{"pricing.list_price", "policy.giving", "service.human_resolution_basic", "pricing.price_sensitivity",
		"market.cac", "discounts.months", "service.human_cost_basic"}
	tor, err := Sensitivity(context.Background(), base, keys, "cumulative_profit", sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(tor.Bars) != 6 || len(tor.Skipped) != 1 || tor.Replications != 8 || tor.Cap != 8 || tor.Top != 0 {
		t.Fatalf("%d bars, %d skipped, %d of %d replications, top %d; want 6, 1, 8 of 8, 0: %+v", len(tor.Bars), len(tor.Skipped), tor.Replications, tor.Cap, tor.Top, tor)
	}
	if !slices.IsSortedFunc(tor.Bars, func(a, b Bar) int { return cmp.Compare(b.Swing, a.Swing) }) {
		t.Error("bars not sorted by swing, largest first")
	}
	bars := map[string]Bar{}
	for _, b := range tor.Bars {
		bars[b.Key] = b
		t.Logf("%-32s %-9s %6g %6g  low %+12.0f  high %+12.0f  swing %.0f [%.0f, %.0f]  %s", b.Key, b.Basis, b.Low, b.High,
			b.LowDiff.Mean, b.HighDiff.Mean, b.Swing, b.SwingCI95.Low, b.SwingCI95.High, b.Note)
		if !b.SwingCI95.Contains(b.Swing) {
			t.Errorf("%s: swing %g outside its interval %v", b.Key, b.Swing, b.SwingCI95)
		}
	}
	if b := bars["pricing.list_price"]; b.Low != 24 || b.High != 36 || !(b.LowDiff.CI95.High < 0) || !(b.HighDiff.CI95.Low > 0) {
		t.Errorf("list price %g to %g: effects %+v and %+v; want profit clearly lower at 24 and higher at 36", b.Low, b.High, b.LowDiff, b.HighDiff)
	}
	if b := bars["policy.giving"]; b.Low != 0 || b.High != 1 || b.Basis != BasisAllowed {
		t.Errorf("giving at 0.9: moved over [%g, %g] (%s), want its allowed range [0, 1]", b.Low, b.High, b.Basis)
	}
	if b := bars["service.human_resolution_basic"]; b.Low != 0 || b.High != 0.9 || !strings.Contains(b.Note, "clipped to service.human_resolution_skilled (0.9)") {
		t.Errorf("human_resolution_basic: moved over [%g, %g], note %q; want [0, 0.9], clipped to human_resolution_skilled", b.Low, b.High, b.Note)
	}
	if b := bars["service.human_cost_basic"]; b.Low != 7.2 || b.High != 10 || !strings.Contains(b.Note, "clipped to service.human_cost_skilled (10)") {
		t.Errorf("human_cost_basic at 9: moved over [%g, %g], note %q; want [7.2, 10], clipped to human_cost_skilled", b.Low, b.High, b.Note)
	}
	if b := bars["pricing.price_sensitivity"]; b.Low != 1.1 || b.High != 2.9 || b.Basis != BasisUncertain || !(b.HighDiff.Mean < 0) {
		t.Errorf("price sensitivity, uniform on [1, 3]: moved over [%g, %g] (%s), effect at the high end %g; want [1.1, 2.9] (uncertain), lower profit", b.Low, b.High, b.Basis, b.HighDiff.Mean)
	}
	if b := bars["discounts.months"]; b.Low != 2 || b.High != 4 {
		t.Errorf("discount months at 3: ends %g and %g, want 2 and 4", b.Low, b.High)
	}
	if s := tor.Skipped[0]; s.Key != "market.cac" || !strings.Contains(s.Reason, "open-ended") {
		t.Errorf("skipped %s: %q, want market.cac, open-ended", s.Key, s.Reason)
	}
}

func TestSensitivityRejects(t *testing.T) {
	base := small()
	bad := base
	bad.Churn.Alpha = -1
	for _, tc := range []struct {
		name    string
		base    sim.Config
		keys    []string
		outcome string
		want    string
	}{
		{"unknown key", base, []string{"pricing.list_prize"}, "cumulative_profit", "pricing.list_prize: unknown parameter"},
		{"seed", base, []string{"seed"}, "cumulative_profit", "seed: cannot be varied"},
		{"key twice", base, []string{"policy.giving", "policy.giving"}, "cumulative_profit", "listed more than once"},
		{"unknown outcome", base, nil, "profit", `unknown outcome "profit"`},
		{"invalid base", bad, nil, "cumulative_profit", "base: churn.alpha: must be > 0, got -1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Sensitivity(context.Background(), tc.base, tc.keys, tc.outcome, sim.Options{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestUnsettled(t *testing.T) {
	bar := func(lo, hi float64) Bar { return Bar{SwingCI95: Interval{lo, hi}} }
	nan := math.NaN()
	for _, tc := range []struct {
		name string
		bars []Bar
		k    int
		tol  float64
		want [2]int
	}{
		{"apart", []Bar{bar(10, 12), bar(5, 9), bar(0, 4)}, 2, 0, [2]int{-1, -1}},
		{"second overlaps third", []Bar{bar(10, 12), bar(5, 9), bar(0, 6)}, 2, 0, [2]int{1, 2}},
		{"only the first asked", []Bar{bar(10, 12), bar(5, 9), bar(0, 6)}, 1, 0, [2]int{-1, -1}},
		{"first overlaps a later one", []Bar{bar(10, 12), bar(5, 9), bar(0, 11)}, 1, 0, [2]int{0, 2}},
		{"touching", []Bar{bar(9, 12), bar(5, 9)}, 1, 0, [2]int{0, 1}},
		{"ties at zero, no tolerance", []Bar{bar(0, 0), bar(0, 0)}, 1, 0, [2]int{0, 1}},
		{"ties at zero, tolerance", []Bar{bar(0, 0), bar(0, 0)}, 1, 0.01, [2]int{-1, -1}},
		// 100.5 - 99.5 is 1% of 100.5: within a 1% tolerance, not 0.9%.
		{"tied within 1%", []Bar{bar(99.6, 100.5), bar(99.5, 100.4), bar(50, 60)}, 2, 0.01, [2]int{-1, -1}},
		{"not tied within 0.9%", []Bar{bar(99.6, 100.5), bar(99.5, 100.4), bar(50, 60)}, 2, 0.009, [2]int{0, 1}},
		{"overlapping but too wide to be tied", []Bar{bar(90, 110), bar(95, 100)}, 1, 0.01, [2]int{0, 1}},
		{"undefined", []Bar{bar(nan, nan), bar(0, 1)}, 1, 0.5, [2]int{0, 1}},
		{"more asked than bars", []Bar{bar(10, 12), bar(5, 9)}, 5, 0, [2]int{-1, -1}},
		{"one bar", []Bar{bar(nan, nan)}, 5, 0, [2]int{-1, -1}},
	} {
		if i, j := (&Tornado{Bars: tc.bars}).Unsettled(tc.k, tc.tol); i != tc.want[0] || j != tc.want[1] {
			t.Errorf("%s: Unsettled(%d, %g) = %d, %d, want %v", tc.name, tc.k, tc.tol, i, j, tc.want)
		}
	}
}

func TestSensitivityLooks(t *testing.T) {
	for _, tc := range []struct {
		limit int
		want  []int
	}{
		{50, []int{1, 2, 3, 5, 8, 12, 18, 27, 41, 50}},
		{9, []int{1, 2, 3, 5, 8, 9}},
		{3, []int{1, 2, 3}},
		{1, []int{1}},
	} {
		if got := SensitivityLooks(tc.limit); !slices.Equal(got, tc.want) {
			t.Errorf("SensitivityLooks(%d) = %v, want %v", tc.limit, got, tc.want)
		}
	}
}

// sameAsFixed checks that every bar of an adaptive analysis got is that of
// a fixed analysis of base with the bar's replications, but for the
// assumed swing interval of a bar with one replication.
func sameAsFixed(t *testing.T, got *Tornado, base sim.Config, keys []string, outcome string) {
	t.Helper()
	fixed := map[int]map[string]Bar{}
	for _, b := range got.Bars {
		if fixed[b.Replications] == nil {
			cfg := base
			cfg.Replications = b.Replications
			want, err := Sensitivity(context.Background(), cfg, keys, outcome, sim.Options{Workers: 1})
			if err != nil {
				t.Fatal(err)
			}
			fixed[b.Replications] = map[string]Bar{}
			for _, w := range want.Bars {
				fixed[b.Replications][w.Key] = w
			}
		}
		want := fixed[b.Replications][b.Key]
		if b.Replications == 1 {
			b.SwingCI95 = want.SwingCI95
		}
		if g, w := fmt.Sprintf("%+v", b), fmt.Sprintf("%+v", want); g != w {
			t.Errorf("%s: adaptive bar\n%s\nwant that of a fixed run of %d replications\n%s", b.Key, g, b.Replications, w)
		}
	}
}

// TestSensitivityAdaptive: with one parameter dominating, an adaptive
// analysis stops at its second look (two replications: the first has no
// interval) with the order settled; with parameters that do not move the
// outcome at all (tied at a swing of 0), it never settles and runs to the
// cap, unless ties within a tolerance count as settled. Every bar is that
// of a fixed analysis with the bar's replications.
func TestSensitivityAdaptive(t *testing.T) {
	base := small()
	base.Population.Initial = 500
	base.Replications = 24
	for _, tc := range []struct {
		name    string
		keys    []string
		top     int
		tol     float64
		settled bool
		reps    int
	}{
		// Cumulative profit: list price moves it by a fifth of revenue,
		// the cost of a self-service contact by cents a contact.
		{"one dominates", []string{"service.self_cost", "pricing.list_price", "community.cost"}, 1, 0, true, 2},
		// Without a community (policy.community 0) its cost and goodwill
		// change nothing.
		{"tied", []string{"community.cost", "community.goodwill"}, 1, 0, false, 24},
		// Known to be tied (both swings exactly 0), within any tolerance.
		{"tied within a tolerance", []string{"community.cost", "community.goodwill"}, 1, 0.01, true, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var looks []int
			look := func(t *Tornado) { looks = append(looks, t.Replications) }
			got, err := SensitivityAdaptive(context.Background(), base, tc.keys, "cumulative_profit", Adaptive{Top: tc.top, Tolerance: tc.tol, Look: look}, sim.Options{Workers: 2})
			if err != nil {
				t.Fatal(err)
			}
			if got.Settled != tc.settled || got.Replications != tc.reps || got.Cap != 24 || got.Top != tc.top || got.Tolerance != tc.tol {
				t.Errorf("settled %v after %d of %d replications (top %d), want %v after %d of 24 (top %d)", got.Settled, got.Replications, got.Cap, got.Top, tc.settled, tc.reps, tc.top)
			}
			if want := SensitivityLooks(24); !slices.Equal(looks, want[:len(looks)]) || looks[len(looks)-1] != got.Replications {
				t.Errorf("looked at %v replications, want the first of %v up to %d", looks, want, got.Replications)
			}
			sameAsFixed(t, got, base, tc.keys, "cumulative_profit")
		})
	}
}

// screeningKeys are parameters of small() whose swings of cumulative
// profit range from a fifth of revenue (list price) to cents a contact.
var screeningKeys = []string{"pricing.list_price", "churn.alpha", "churn.beta", "pricing.unit_cost", "market.cac",
	"service.contact_rate", "economics.discount_rate", "service.self_cost", "community.cost", "goodwill.decay",
	"advocacy.referral_rate", "discounts.depth"}

// TestSensitivityScreening: an adaptive analysis of a dozen parameters
// screens out bars below its top three, which then have fewer replications
// than the top, so that it runs fewer simulations than a fixed analysis at
// its cap; its top three are those of the fixed analysis, in the same
// order, where the fixed analysis settles that order; every bar is that of
// a fixed analysis with its replications; and the result does not depend
// on the worker count.
func TestSensitivityScreening(t *testing.T) {
	const top, outcome = 3, "cumulative_profit"
	base := small()
	base.Replications = 12
	full, err := Sensitivity(context.Background(), base, screeningKeys, outcome, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if i, j := full.Unsettled(top, 0); i >= 0 {
		t.Fatalf("premise: the fixed analysis leaves ranks %d and %d unsettled", i+1, j+1)
	}
	var csvs []string
	for _, workers := range []int{1, 2, 3} {
		got, err := SensitivityAdaptive(context.Background(), base, screeningKeys, outcome, Adaptive{Top: top}, sim.Options{Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := WriteSensitivityCSV(&b, got); err != nil {
			t.Fatal(err)
		}
		csvs = append(csvs, b.String())
		if workers > 1 {
			if csvs[0] != b.String() {
				t.Errorf("workers %d: sensitivity.csv differs from one worker's:\n%s\nwant\n%s", workers, b.String(), csvs[0])
			}
			continue
		}
		for r := range top {
			if got.Bars[r].Key != full.Bars[r].Key {
				t.Errorf("rank %d: %s, want %s as in the fixed analysis", r+1, got.Bars[r].Key, full.Bars[r].Key)
			}
		}
		screened := 0
		for r := range got.Bars {
			if got.Bars[r].Screened(got, r) {
				screened++
			}
		}
		t.Logf("%d bars screened, %d of %d replications, %d runs against %d", screened, got.Replications, got.Cap, got.Runs, full.Runs)
		if screened == 0 || got.Runs >= full.Runs || !got.Settled {
			t.Errorf("%d bars screened, %d runs against %d for the fixed analysis, settled %v; want some screened, fewer runs, settled", screened, got.Runs, full.Runs, got.Settled)
		}
		sameAsFixed(t, got, base, screeningKeys, outcome)
	}
}

// TestRunning: after its first look a bar goes on when it is in a pair
// that leaves the order of the first Top bars unsettled, so a bar below
// them stops only when its swing interval lies wholly below theirs (or is
// tied with them); after a first look of one replication, without
// intervals, the SensitivityFirstKeep x Top largest swings go on.
func TestRunning(t *testing.T) {
	bar := func(swing, lo, hi float64) Bar { return Bar{Swing: swing, SwingCI95: Interval{lo, hi}} }
	nan := math.NaN()
	for _, tc := range []struct {
		name    string
		reps    int
		assumed float64
		top     int
		tol     float64
		bars    []Bar
		want    []bool
	}{
		{"third apart from the second", 5, 1, 2, 0, []Bar{bar(11, 10, 12), bar(7, 6, 8), bar(5, 4, 5.9), bar(1, 0, 2)}, []bool{false, false, false, false}},
		{"third overlaps the second", 5, 1, 2, 0, []Bar{bar(11, 10, 12), bar(7, 6, 8), bar(5, 4, 6.5), bar(1, 0, 2)}, []bool{false, true, true, false}},
		{"third touches the second", 5, 1, 2, 0, []Bar{bar(11, 10, 12), bar(7, 6, 8), bar(5, 4, 6), bar(1, 0, 2)}, []bool{false, true, true, false}},
		// A wide interval with few replications reaches above the first.
		{"wide fourth overlaps the first", 5, 1, 2, 0, []Bar{bar(11, 10, 12), bar(7, 6, 8), bar(5, 4, 5.5), bar(3, 0, 10.5)}, []bool{true, true, false, true}},
		{"tied within the tolerance", 5, 1, 1, 0.05, []Bar{bar(10, 9.8, 10.2), bar(10, 9.7, 10.1), bar(1, 0, 2)}, []bool{false, false, false}},
		{"not tied within a smaller tolerance", 5, 1, 1, 0.02, []Bar{bar(10, 9.8, 10.2), bar(10, 9.7, 10.1), bar(1, 0, 2)}, []bool{true, true, false}},
		{"first look", 1, nan, 1, 0, []Bar{bar(11, nan, nan), bar(7, nan, nan), bar(5, nan, nan), bar(1, nan, nan)}, []bool{true, true, false, false}},
	} {
		tor := &Tornado{Replications: tc.reps, Cap: 10, AssumedSD: tc.assumed, Top: tc.top, Tolerance: tc.tol, Bars: tc.bars}
		if got := tor.running(); !slices.Equal(got, tc.want) {
			t.Errorf("%s: running %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestSensitivityReadmits: a bar left behind at one replication after the
// first look whose assumed interval reaches the leading bar's at the next
// look is run again from its second replication, no replication of any
// configuration is simulated twice, and the analysis settles once the
// leading bar is apart from the others.
func TestSensitivityReadmits(t *testing.T) {
	// Swings by bar and replication; the low ends and the base are 0.
	swings := [][]float64{
		{10, 10.2, 9.9, 10.1, 10, 10.1, 9.9, 10, 10.1, 9.9, 10, 10.2},
		{9.8, 8, 8.1, 7.9, 8, 8.1, 7.9, 8, 8, 8.1, 7.9, 8},
		{9.5, 7, 7.1, 6.9, 7, 7.1, 6.9, 7, 7, 7.1, 6.9, 7},
	}
	ls := &lockstep{plan: &Tornado{Outcome: "fake"}, scs: []Scenario{{Config: sim.Config{Replications: len(swings[0])}}}, values: make([][]float64, 1+2*len(swings)), perRep: make([]float64, 1+2*len(swings))}
	for b := range swings {
		ls.plan.Bars = append(ls.plan.Bars, Bar{Key: string(rune('a' + b))})
		ls.ends = append(ls.ends, [2]int{1 + 2*b, 2 + 2*b})
	}
	simulated := map[[2]int]bool{}
	ls.simulate = func(_ context.Context, tasks []task, _ sim.Options) error {
		for _, tk := range tasks {
			for i := tk.lo; i < tk.hi; i++ {
				if simulated[[2]int{tk.k, i}] {
					t.Errorf("replication %d of configuration %d simulated twice", i, tk.k)
				}
				simulated[[2]int{tk.k, i}] = true
				if tk.k > 0 && tk.k%2 == 0 {
					ls.values[tk.k][i] = swings[tk.k/2-1][i]
				}
			}
		}
		return nil
	}
	var reps [][]int // by look, each bar's replications in key order
	look := func(t *Tornado) {
		n := make([]int, len(t.Bars))
		for _, b := range t.Bars {
			n[b.Key[0]-'a'] = b.Replications
		}
		reps = append(reps, n)
	}
	got, err := ls.adapt(context.Background(), Adaptive{Top: 1, Look: look}, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Look 1: one replication each, c third; look 2: a and b at 2, c left
	// at 1, its interval 9.5 -+ 1.96 x (largest SD) reaching a's; look 3:
	// c run again with a and b.
	if len(reps) < 3 || !slices.Equal(reps[0], []int{1, 1, 1}) || !slices.Equal(reps[1], []int{2, 2, 1}) || !slices.Equal(reps[2], []int{3, 3, 3}) {
		t.Errorf("replications by look %v, want [1 1 1] [2 2 1] [3 3 3] ...", reps)
	}
	if !got.Settled || got.Bars[0].Key != "a" {
		t.Errorf("settled %v with %s first, want settled with a", got.Settled, got.Bars[0].Key)
	}
	if want := got.Runs; len(simulated) != want {
		t.Errorf("%d simulations, Tornado.Runs %d", len(simulated), want)
	}
}

// TestSensitivityBudget: an adaptive analysis with a budget of
// customer-months (here one per replication of each configuration) does
// not run a look that would take it past the budget: it stops there with
// its order unsettled, says so and names the unsettled pairs; a first look
// over the budget is an error; no budget, or one large enough, changes
// nothing.
func TestSensitivityBudget(t *testing.T) {
	// Swings by bar and replication, as in TestSensitivityReadmits: the
	// looks run 7, then 5 (a and b at 2), then 9 (all at 3) simulations.
	swings := [][]float64{
		{10, 10.2, 9.9, 10.1, 10, 10.1, 9.9, 10, 10.1, 9.9, 10, 10.2},
		{9.8, 8, 8.1, 7.9, 8, 8.1, 7.9, 8, 8, 8.1, 7.9, 8},
		{9.5, 7, 7.1, 6.9, 7, 7.1, 6.9, 7, 7, 7.1, 6.9, 7},
	}
	newLs := func() *lockstep {
		n := 1 + 2*len(swings)
		ls := &lockstep{plan: &Tornado{Outcome: "fake"}, scs: []Scenario{{Config: sim.Config{Replications: len(swings[0])}}},
			values: make([][]float64, n), perRep: slices.Repeat([]float64{1}, n)}
		for b := range swings {
			ls.plan.Bars = append(ls.plan.Bars, Bar{Key: string(rune('a' + b))})
			ls.ends = append(ls.ends, [2]int{1 + 2*b, 2 + 2*b})
		}
		ls.simulate = func(_ context.Context, tasks []task, _ sim.Options) error {
			for _, tk := range tasks {
				for i := tk.lo; i < tk.hi; i++ {
					if tk.k > 0 && tk.k%2 == 0 {
						ls.values[tk.k][i] = swings[tk.k/2-1][i]
					}
				}
			}
			return nil
		}
		return ls
	}
	unlimited, err := newLs().adapt(context.Background(), Adaptive{Top: 1}, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		budget  float64
		runs    int
		limited bool
		err     string
	}{
		{"none", 0, unlimited.Runs, false, ""},
		{"enough", float64(unlimited.Runs), unlimited.Runs, false, ""},
		{"second look only", 12, 12, true, ""},
		{"first look only", 11, 7, true, ""},
		{"first look too large", 6, 0, false, "first look (1 replication of every end) needs 7 customer-months, over the budget of 6"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := newLs().adapt(context.Background(), Adaptive{Top: 1, Budget: tc.budget}, sim.Options{})
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Runs != tc.runs || got.Limited != tc.limited || got.CustomerMonths != float64(tc.runs) || got.Settled == tc.limited {
				t.Errorf("%d runs (%g customer-months), limited %v, settled %v; want %d, limited %v, settled %v",
					got.Runs, got.CustomerMonths, got.Limited, got.Settled, tc.runs, tc.limited, !tc.limited)
			}
			if tc.limited && got.CustomerMonths+got.NextMonths <= tc.budget {
				t.Errorf("stopped with %g used and %g next, within the budget %g", got.CustomerMonths, got.NextMonths, tc.budget)
			}
			var table strings.Builder
			if err := WriteSensitivityTable(&table, got); err != nil {
				t.Fatal(err)
			}
			if stopped := strings.Contains(table.String(), "refinement stopped at the work limit") && strings.Contains(table.String(), " unsettled"); stopped != tc.limited {
				t.Errorf("table says it stopped at the limit, naming the unsettled pairs: %v, want %v:\n%s", stopped, tc.limited, table.String())
			}
		})
	}
}

func TestSensitivityAdaptiveRejects(t *testing.T) {
	for _, tc := range []struct {
		a    Adaptive
		want string
	}{
		{Adaptive{}, "top must be at least 1, got 0"},
		{Adaptive{Top: 5, Tolerance: -0.1}, "tolerance must be at least 0 and below 1, got -0.1"},
		{Adaptive{Top: 5, Tolerance: 1}, "tolerance must be at least 0 and below 1, got 1"},
		{Adaptive{Top: 5, Tolerance: math.NaN()}, "tolerance must be at least 0 and below 1, got NaN"},
	} {
		if _, err := SensitivityAdaptive(context.Background(), small(), nil, "cumulative_profit", tc.a, sim.Options{}); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: error %v, want one containing %q", tc.a, err, tc.want)
		}
	}
}

// TestSensitivityCancelled: a cancelled analysis returns the context's
// error, never a tornado of replications it did not run.
func TestSensitivityCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, workers := range []int{1, 2} {
		if tor, err := Sensitivity(ctx, small(), screeningKeys, "cumulative_profit", sim.Options{Workers: workers}); !errors.Is(err, context.Canceled) {
			t.Errorf("workers %d: %v, %v; want context.Canceled", workers, tor, err)
		}
	}
}

// TestUnsettledPairsTheSwings: bars with two or more replications in
// common are ordered by the paired difference of their swings, on common
// random numbers, not by whether their own intervals overlap. The expected
// intervals are worked out here: the mean difference -+ t(0.975, n-1) x
// sd / sqrt(n).
func TestUnsettledPairsTheSwings(t *testing.T) {
	mean := func(xs []float64) float64 { return stat.Mean(xs, nil) }
	// Two swings whose own intervals overlap widely, the first above the
	// second by 0.5 in every replication.
	a := []float64{10, 12, 11, 13}
	b := []float64{9.5, 11.5, 10.5, 12.5}
	tornado := func(tol float64, x, y []float64) *Tornado {
		return &Tornado{Top: 1, Tolerance: tol, Bars: []Bar{
			{Key: "a", Swing: mean(x), SwingCI95: Interval{9, 14}},
			{Key: "b", Swing: mean(y), SwingCI95: Interval{8.5, 13.5}},
		}, oriented: [][]float64{x, y}}
	}
	if i, j := tornado(0, a, b).Unsettled(1, 0); i >= 0 {
		t.Errorf("a constant paired difference of 0.5: unsettled %d, %d; want apart", i, j)
	}
	if i, _ := (&Tornado{Bars: tornado(0, a, b).Bars}).Unsettled(1, 0); i != 0 {
		t.Errorf("the same bars without their replications: want their overlapping intervals unsettled")
	}
	// Differences about 0: tied within 2% of a swing of 11.5 (0.23) when
	// the interval of their mean lies inside -+0.23, not at 1%.
	c := []float64{10.1, 11.9, 11.05, 12.95} // a - c: -0.1, 0.1, -0.05, 0.05
	d := make([]float64, len(a))
	for k := range a {
		d[k] = a[k] - c[k]
	}
	half := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: 3}.Quantile(0.975) * stat.StdDev(d, nil) / 2
	if lo, hi := mean(d)-half, mean(d)+half; !(lo > -0.02*11.5 && hi < 0.02*11.5 && lo < -0.01*11.5) {
		t.Fatalf("the case is not what it should show: interval [%g, %g]", lo, hi)
	}
	if iv, ok := tornado(0, a, c).SwingDiff(0, 1); !ok || math.Abs(iv.Low-(mean(d)-half)) > 1e-12 || math.Abs(iv.High-(mean(d)+half)) > 1e-12 {
		t.Errorf("SwingDiff = %+v, %v; want [%g, %g]", iv, ok, mean(d)-half, mean(d)+half)
	}
	if i, _ := tornado(0.02, a, c).Unsettled(1, 0.02); i >= 0 {
		t.Errorf("differences within 2%%: want tied")
	}
	if i, _ := tornado(0.01, a, c).Unsettled(1, 0.01); i != 0 {
		t.Errorf("differences not within 1%%: want unsettled")
	}
	// A single replication in common: the intervals decide.
	if i, _ := tornado(0, a[:1], b).Unsettled(1, 0); i != 0 {
		t.Errorf("one replication in common: want the overlapping intervals unsettled")
	}
}
