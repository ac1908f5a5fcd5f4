package compare

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/retsim/retsim/sim"
)

func TestParseAxis(t *testing.T) {
	for _, tc := range []struct {
		in     string
		values []float64
	}{
		{"policy.giving=0:1:5", []float64{0, 0.25, 0.5, 0.75, 1}},
		{"policy.human_share=1:0:3", []float64{1, 0.5, 0}},
		{"pricing.list_price = 20 : 40 : 3", []float64{20, 30, 40}},
		{"discounts.months=0:12:5", []float64{0, 3, 6, 9, 12}},
		{"goodwill.initial=-1:1:2", []float64{-1, 1}},
		{"policy.generosity=0:1:11", []float64{0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1}},
	} {
		a, err := ParseAxis(tc.in)
		if err != nil {
			t.Errorf("ParseAxis(%q): %v", tc.in, err)
			continue
		}
		if got := a.Values(); !reflect.DeepEqual(got, tc.values) {
			t.Errorf("ParseAxis(%q).Values() = %v, want %v", tc.in, got, tc.values)
		}
		if b, err := ParseAxis(a.String()); err != nil || b != a {
			t.Errorf("ParseAxis(%q.String() = %q) = %v, %v; want the same axis", tc.in, a.String(), b, err)
		}
	}
}

func TestParseAxisRejects(t *testing.T) {
	for _, tc := range []struct {
		in, want string
	}{
		{"policy.giving", "want key=from:to:steps"},
		{"policy.giving=0:1", "got 2 field(s)"},
		{"policy.giving=0:1:5:7", "got 4 field(s)"},
		{"policy.givin=0:1:5", "policy.givin: unknown parameter"},
		{"=0:1:5", "unknown parameter"},
		{"policy.giving=zero:1:5", `from "zero" is not a number`},
		{"policy.giving=0:one:5", `to "one" is not a number`},
		{"policy.giving=0:1:five", `steps "five" is not a whole number`},
		{"policy.giving=0:1:2.5", `steps "2.5" is not a whole number`},
		{"policy.giving=0:1:1", "steps must be in [2, 1000], got 1"},
		{"policy.giving=0:1:0", "steps must be in [2, 1000], got 0"},
		{"policy.giving=0:1:1000000", "steps must be in [2, 1000], got 1000000"},
		{"policy.giving=0.5:0.5:3", "from and to must differ"},
		{"policy.giving=0:2:3", "policy.giving: must be in [0, 1], got 2"},
		{"policy.giving=-0.5:1:4", "policy.giving: must be in [0, 1], got -0.5"},
		{"churn.alpha=0:1:3", "churn.alpha: must be > 0, got 0"},
		{"discounts.months=1:4:3", "discounts.months: must be a whole number, got 2.5"},
		{"policy.giving=NaN:1:3", "must be a finite number"},
		{"seed=1:10:10", "seed: cannot be varied"},
		{"replications=10:100:3", "replications: cannot be varied"},
	} {
		_, err := ParseAxis(tc.in)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseAxis(%q) = %v, want an error containing %q", tc.in, err, tc.want)
		}
	}
}

// D4 through the sweep: each policy dial moved alone moves outcomes in the
// direction sim/params.go documents, at every step of a 1-D sweep, by more
// than 3 standard errors of the paired difference between neighbouring
// points (every point runs on the same seed).
func TestSweepDirection(t *testing.T) {
	base := small()
	base.Population.Initial = 1000
	base.Replications = 10
	type direction struct {
		outcome string
		up      bool // the outcome rises along the axis
	}
	for _, tc := range []struct {
		axis string
		want []direction
	}{
		{"policy.human_share=0:1:3", []direction{{"total_cost_service", true}, {"average_goodwill", true}}},
		{"policy.giving=0:1:3", []direction{{"average_nps", true}, {"average_goodwill", true}, {"total_fees", false}}},
		{"policy.generosity=0:1:3", []direction{{"total_cost_gestures", true}, {"average_goodwill", true}}},
	} {
		t.Run(tc.axis, func(t *testing.T) {
			a, err := ParseAxis(tc.axis)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, w := range tc.want {
				names = append(names, w.outcome)
			}
			s, err := Sweep(context.Background(), base, []Axis{a}, names, sim.Options{})
			if err != nil {
				t.Fatal(err)
			}
			// The same points with every replication kept, to pair them.
			var scs []Scenario
			for _, v := range a.Values() {
				cfg := base
				if err := cfg.Set(a.Key, v); err != nil {
					t.Fatal(err)
				}
				scs = append(scs, Scenario{Name: fmt.Sprint(v), Config: cfg})
			}
			rs, err := Simulate(context.Background(), scs, sim.Options{})
			if err != nil {
				t.Fatal(err)
			}
			for k, w := range tc.want {
				for p := range s.Points {
					if got, want := s.Stat(p, k).Mean, sim.StatOf(s.Outcomes[k].Of(rs[p])).Mean; !near(got, want) {
						t.Errorf("%s at %v: sweep mean %g, the point simulated alone %g", w.outcome, s.Points[p].Values, got, want)
					}
				}
				for p := 1; p < len(s.Points); p++ {
					d := Pair(s.Outcomes[k].Of(rs[p-1]), s.Outcomes[k].Of(rs[p]))
					m := d.Mean
					if !w.up {
						m = -m
					}
					t.Logf("%s %s step %d: %.1f SE", a.Key, w.outcome, p, m/d.SE())
					if !(m > 3*d.SE()) {
						t.Errorf("%s from %g to %g: %s moved %+.4g, needs more than 3 SE = %.4g in the documented direction",
							a.Key, s.Points[p-1].Values[0], s.Points[p].Values[0], w.outcome, d.Mean, 3*d.SE())
					}
				}
			}
		})
	}
}

// A two-axis sweep visits the grid with the first axis varying slowest,
// runs every point on the base's seed (so points equal in the parameters
// that matter are equal replication by replication), and does not depend on
// the number of workers.
func TestSweepGrid(t *testing.T) {
	base := small()
	base.Population.Initial = 500
	base.Replications = 4
	axes := []Axis{{Key: "policy.giving", From: 0, To: 1, Steps: 2}, {Key: "taking.fix_fee", From: 0, To: 20, Steps: 3}}
	var first *SweepResult
	for _, workers := range []int{1, 3} {
		s, err := Sweep(context.Background(), base, axes, nil, sim.Options{Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = s
			continue
		}
		if !reflect.DeepEqual(first.Points, s.Points) {
			t.Errorf("%d workers: points differ from 1 worker", workers)
		}
	}
	var got [][]float64
	for _, p := range first.Points {
		got = append(got, p.Values)
		if len(p.Outcomes) != len(Outcomes) || p.Outcomes[0].N() != base.Replications {
			t.Fatalf("point %v: %d outcomes of %d replications, want %d of %d", p.Values, len(p.Outcomes), p.Outcomes[0].N(), len(Outcomes), base.Replications)
		}
	}
	want := [][]float64{{0, 0}, {0, 10}, {0, 20}, {1, 0}, {1, 10}, {1, 20}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("grid %v, want %v", got, want)
	}
	// At giving = 1 the fix fee is scaled by 1 - giving = 0: the three
	// points are the same world.
	for _, p := range []int{4, 5} {
		if !reflect.DeepEqual(first.Points[3].Outcomes, first.Points[p].Outcomes) {
			t.Errorf("giving 1: fix fee %v changed the outcomes; every point must share the seed", first.Points[p].Values[1])
		}
	}
}

func TestSweepRejects(t *testing.T) {
	base := small()
	giving := Axis{Key: "policy.giving", From: 0, To: 1, Steps: 2}
	for _, tc := range []struct {
		name     string
		axes     []Axis
		outcomes []string
		want     string
	}{
		{"no axis", nil, nil, "no axis"},
		{"same key twice", []Axis{giving, giving}, nil, "policy.giving is on more than one axis"},
		{"invalid axis", []Axis{{Key: "policy.giving", From: 0, To: 3, Steps: 2}}, nil, "must be in [0, 1], got 3"},
		{"unknown outcome", []Axis{giving}, []string{"profitt"}, `unknown outcome "profitt"`},
		{"unknown metric", []Axis{giving}, []string{"total_profitt"}, `"profitt" is not a metric`},
		{"relation broken at a point", []Axis{{Key: "discounts.months", From: 0, To: 30, Steps: 2}}, nil, "point 1 (discounts.months=30): discounts.months: must be <= horizon.periods"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Sweep(context.Background(), base, tc.axes, tc.outcomes, sim.Options{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

// A sweep against a reference equal to one of its grid points: at that
// point every paired difference is exactly 0 in every replication (the same
// configuration on the same seed), P(beats) is 0 with every pair a tie;
// at the other points the differences are not all 0. The reference runs on
// the swept scenario's seed, whatever its own.
func TestSweepAgainstReference(t *testing.T) {
	base := small()
	base.Population.Initial, base.Horizon.Periods, base.Replications = 200, 12, 6
	ref := base
	ref.Policy.Giving, ref.Seed = 0.5, base.Seed+99
	axis, err := ParseAxis("policy.giving=0:1:5")
	if err != nil {
		t.Fatal(err)
	}
	sw, err := NewSweeper(base, []Axis{axis}, nil, &Scenario{Name: "half giving", Config: ref})
	if err != nil {
		t.Fatal(err)
	}
	if err := sw.Extend(context.Background(), base.Replications, sim.Options{}); err != nil {
		t.Fatal(err)
	}
	s := sw.Result()
	if s.Reference != "half giving" {
		t.Errorf("reference %q, want half giving", s.Reference)
	}
	for _, pt := range s.Points {
		for k, o := range s.Outcomes {
			d, st := pt.Pairs[k].Paired(), pt.Diffs[k].Stat()
			zero := d.Mean == 0 && d.SD == 0 && d.PBeats == 0 && d.PTies == 1 && st.P05 == 0 && st.P95 == 0
			if at := pt.Values[0] == 0.5; zero != at && (at || o.Name == "value") {
				t.Errorf("giving %g, %s: difference %+v, its spread %+v; want all 0 exactly when giving is the reference's 0.5", pt.Values[0], o.Name, d, st)
			}
			if d.N != base.Replications && !strings.HasPrefix(o.Name, "clv") {
				t.Errorf("giving %g, %s: %d pairs, want %d", pt.Values[0], o.Name, d.N, base.Replications)
			}
		}
	}
	d := s.Differences()
	if d.Outcomes[0].Name != "value minus half giving" || len(d.Points) != 5 || d.Points[2].Outcomes[0].Mean() != 0 {
		t.Errorf("differences: outcome %q, %d points; want value minus half giving at 5 points, 0 at giving 0.5", d.Outcomes[0].Name, len(d.Points))
	}
	if plain, _ := Sweep(context.Background(), base, []Axis{axis}, nil, sim.Options{}); plain.Differences() != nil || plain.Points[0].Pairs != nil {
		t.Error("a sweep without a reference has differences")
	}
}

// A sweep grown in steps simulates each replication once and ends with the
// sweep of one run of the final count, past ExactQuantiles.
func TestSweepGrownEqualsOneRun(t *testing.T) {
	base := small()
	base.Population.Initial, base.Horizon.Periods, base.Replications = 50, 4, 10
	axis, _ := ParseAxis("policy.giving=0:1:2")
	ref := &Scenario{Name: "ref", Config: base}
	sw, err := NewSweeper(base, []Axis{axis}, []string{"value", "final_active"}, ref)
	if err != nil {
		t.Fatal(err)
	}
	final := sim.ExactQuantiles + 70
	simulated, done := 0, 0 // done: replications of the current step, all runs
	opt := sim.Options{Workers: 2, Progress: func(d, _ int) { done = d }}
	for _, reps := range []int{10, 10, 90, 205, final} {
		done = 0
		if err := sw.Extend(context.Background(), reps, opt); err != nil {
			t.Fatal(err)
		}
		simulated += done
		if sw.Replications() != reps {
			t.Fatalf("extended to %d, has %d", reps, sw.Replications())
		}
	}
	if runs := 3; simulated != runs*final {
		t.Errorf("simulated %d replications, want %d: the reference and 2 points, each replication once", simulated, runs*final)
	}
	got := sw.Result()
	one, _ := NewSweeper(base, []Axis{axis}, []string{"value", "final_active"}, ref)
	if err := one.Extend(context.Background(), final, sim.Options{}); err != nil {
		t.Fatal(err)
	}
	want := one.Result()
	for p := range got.Points {
		for k := range got.Outcomes {
			g, w := &got.Points[p], &want.Points[p]
			if fmt.Sprint(g.Outcomes[k].Stat(), g.Diffs[k].Stat(), g.Pairs[k].Paired()) != fmt.Sprint(w.Outcomes[k].Stat(), w.Diffs[k].Stat(), w.Pairs[k].Paired()) {
				t.Errorf("point %d, outcome %d: grown %v, one run %v", p, k, g.Outcomes[k].Stat(), w.Outcomes[k].Stat())
			}
		}
	}
	if got.Replications != final {
		t.Errorf("replications %d, want %d", got.Replications, final)
	}
	if err := sw.Extend(context.Background(), final+1, sim.Options{}); err == nil {
		t.Error("a sweep extended after it ended: no error")
	}
}
