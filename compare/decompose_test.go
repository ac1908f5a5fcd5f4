package compare

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/retsim/retsim/sim"
)

// game is a cooperative game of k players given by the worth of each
// coalition (bit g set when player g is in it).
func game(k int, worth func(set int) float64) []float64 {
	v := make([]float64, 1<<k)
	for set := range v {
		v[set] = worth(set)
	}
	return v
}

// has reports whether every player of players is in set.
func has(set int, players ...int) bool {
	for _, p := range players {
		if set&(1<<p) == 0 {
			return false
		}
	}
	return true
}

func btof(b bool) float64 { return float64(btoi(b)) }

func TestShapleyClosedForms(t *testing.T) {
	for _, tc := range []struct {
		name  string
		k     int
		worth func(set int) float64
		want  []float64
	}{
		{"one player takes the whole difference", 1, func(s int) float64 { return 3 + 4*btof(has(s, 0)) }, []float64{4}},
		{"additive: each its own effect", 3, func(s int) float64 { return 10 + 1*btof(has(s, 0)) - 2*btof(has(s, 1)) + 5*btof(has(s, 2)) }, []float64{1, -2, 5}},
		{"an interaction is shared equally by its two players", 3,
			func(s int) float64 { return 2*btof(has(s, 0)) + 3*btof(has(s, 1)) + 8*btof(has(s, 0, 1)) }, []float64{6, 7, 0}},
		{"unanimity of three: a third each (symmetry)", 3, func(s int) float64 { return 9 * btof(has(s, 0, 1, 2)) }, []float64{3, 3, 3}},
		{"player 1 is worth something only after player 0", 2, func(s int) float64 { return 4*btof(has(s, 0)) + 6*btof(has(s, 0, 1)) }, []float64{7, 3}},
		{"a null player gets 0 among four", 4, func(s int) float64 { return 5*btof(has(s, 0))*(1+btof(has(s, 2))) - 3*btof(has(s, 3)) }, []float64{7.5, 0, 2.5, -3}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			phi := make([]float64, tc.k)
			shapley(game(tc.k, tc.worth), shapleyWeights(tc.k), phi)
			for g := range phi {
				if !near(phi[g], tc.want[g]) || (tc.want[g] == 0 && phi[g] != 0) {
					t.Errorf("phi = %v, want %v (a null player exactly 0)", phi, tc.want)
					break
				}
			}
		})
	}
}

// TestShapleyEfficiency checks, on random games of up to MaxGroups players,
// that the values add up to v(all) - v(none) and that players with the same
// marginal contributions everywhere get the same value.
func TestShapleyEfficiency(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for k := 1; k <= MaxGroups; k++ {
		v := game(k, func(int) float64 { return 1e6 * rng.NormFloat64() })
		phi := make([]float64, k)
		shapley(v, shapleyWeights(k), phi)
		sum := 0.0
		for _, x := range phi {
			sum += x
		}
		if total := v[len(v)-1] - v[0]; math.Abs(sum-total) > 1e-9*math.Max(1, math.Abs(total)) {
			t.Errorf("k = %d: values add up to %g, want v(all) - v(none) = %g", k, sum, total)
		}
		if k < 2 {
			continue
		}
		// Players 0 and 1 made interchangeable: v(S) depends on them only
		// through how many of the two S holds.
		for set := range v {
			if has(set, 1) && !has(set, 0) {
				v[set] = v[set^0b11]
			}
		}
		shapley(v, shapleyWeights(k), phi)
		if !near(phi[0], phi[1]) {
			t.Errorf("k = %d: interchangeable players get %g and %g, want equal", k, phi[0], phi[1])
		}
	}
}

func TestShapleyWeights(t *testing.T) {
	if w, want := shapleyWeights(3), []float64{1. / 3, 1. / 6, 1. / 3}; !slices.Equal(w, want) {
		t.Errorf("weights of 3 players %v, want %v", w, want)
	}
	for k := 1; k <= MaxGroups; k++ {
		// The weights of the coalitions a player can join sum to 1:
		// sum over s of C(k-1, s) w(s).
		w, sum, c := shapleyWeights(k), 0.0, 1.0
		for s := range k {
			sum += c * w[s]
			c = c * float64(k-1-s) / float64(s+1)
		}
		if !near(sum, 1) {
			t.Errorf("k = %d: weights sum to %g over the coalitions, want 1", k, sum)
		}
	}
}

// pair is a reference and a scenario of the decomposition tests: the
// default world at test size with the given parameters changed, the same
// seed and replications.
func pair(t *testing.T, reps int, ref, alt map[string]float64) (Scenario, Scenario) {
	t.Helper()
	base := sim.Default()
	base.Population.Initial = 300
	base.Horizon.Periods = 12
	base.Replications = reps
	base.Market.PaidPerPeriod = 20
	scs := [2]Scenario{{Name: "ref", Config: base}, {Name: "alt", Config: base}}
	for i, set := range []map[string]float64{ref, alt} {
		for k, x := range set {
			if err := scs[i].Config.Set(k, x); err != nil {
				t.Fatal(err)
			}
		}
	}
	return scs[0], scs[1]
}

func TestDefaultGroups(t *testing.T) {
	ref, alt := pair(t, 2, map[string]float64{"policy.giving": 0, "policy.staff_skill": 0.2, "seed": 1},
		map[string]float64{"policy.giving": 1, "policy.staff_skill": 0.9, "taking.fix_fee": 9, "taking.loyalty_rise": 0.2, "market.cac": 99, "seed": 2})
	got := DefaultGroups(ref.Config, alt.Config)
	want := []Group{
		{"market", []string{"market.cac"}},
		{"policy.giving", []string{"policy.giving"}},
		{"policy.staff_skill", []string{"policy.staff_skill"}},
		{"taking", []string{"taking.loyalty_rise", "taking.fix_fee"}},
	}
	if !slices.EqualFunc(got, want, func(a, b Group) bool { return a.Name == b.Name && slices.Equal(a.Keys, b.Keys) }) {
		t.Errorf("groups %v, want %v (the seed is never a group)", got, want)
	}
}

func TestParseGroups(t *testing.T) {
	ref, alt := pair(t, 2, map[string]float64{"policy.giving": 0, "policy.human_share": 0.1},
		map[string]float64{"policy.giving": 1, "policy.human_share": 0.8, "taking.fix_fee": 9, "giving.fast_fix": 0.9, "churn.alpha": 0.7})
	for _, tc := range []struct {
		spec string
		want []Group
	}{
		{"policy.giving + taking+giving, policy.human_share", []Group{
			{"policy.giving+taking+giving", []string{"policy.giving", "taking.fix_fee", "giving.fast_fix"}},
			{"policy.human_share", []string{"policy.human_share"}},
			{OtherGroup, []string{"churn.alpha"}},
		}},
		{"policy,churn", []Group{
			{"policy", []string{"policy.giving", "policy.human_share"}},
			{"churn", []string{"churn.alpha"}},
			{OtherGroup, []string{"taking.fix_fee", "giving.fast_fix"}},
		}},
		{"discounts,policy.giving", []Group{
			{"discounts", nil},
			{"policy.giving", []string{"policy.giving"}},
			{OtherGroup, []string{"churn.alpha", "policy.human_share", "taking.fix_fee", "giving.fast_fix"}},
		}},
	} {
		got, err := ParseGroups(tc.spec, ref.Config, alt.Config)
		if err != nil {
			t.Errorf("%q: %v", tc.spec, err)
			continue
		}
		if !slices.EqualFunc(got, tc.want, func(a, b Group) bool { return a.Name == b.Name && slices.Equal(a.Keys, b.Keys) }) {
			t.Errorf("%q: groups %v, want %v", tc.spec, got, tc.want)
		}
	}
	for _, tc := range []struct{ spec, want string }{
		{"policy.giving,,taking", "empty group"},
		{"policy.giving+", "neither a parameter nor a section"},
		{"tacking", "neither a parameter nor a section (sections: horizon, population"},
		{"seed", "neither a parameter nor a section"},
		{"policy,policy.giving", `policy.giving is already in group "policy"`},
		{"taking+taking.fix_fee", `taking.fix_fee is already in group "taking+taking.fix_fee"`},
	} {
		if _, err := ParseGroups(tc.spec, ref.Config, alt.Config); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want one containing %q", tc.spec, err, tc.want)
		}
	}
}

// TestHybrids checks that the configuration of each coalition takes exactly
// its groups' parameters from the scenario and every other from the
// reference, the first configuration being the reference and the last the
// scenario.
func TestHybrids(t *testing.T) {
	ref, alt := pair(t, 2, map[string]float64{"policy.giving": 0, "policy.human_share": 0.1},
		map[string]float64{"policy.giving": 1, "policy.human_share": 0.8, "taking.fix_fee": 9, "taking.upsell_rate": 0.3, "churn.alpha": 0.7})
	groups := DefaultGroups(ref.Config, alt.Config)
	d, err := NewDecomposer(ref, alt, groups)
	if err != nil {
		t.Fatal(err)
	}
	scs := d.Scenarios()
	if len(scs) != 1<<len(groups) {
		t.Fatalf("%d configurations for %d groups, want %d", len(scs), len(groups), 1<<len(groups))
	}
	if !reflect.DeepEqual(scs[0].Config, ref.Config) || !reflect.DeepEqual(scs[len(scs)-1].Config, alt.Config) {
		t.Errorf("first and last configurations are not the reference and the scenario")
	}
	from := map[string]int{} // key -> group index
	for g, group := range groups {
		for _, k := range group.Keys {
			from[k] = g
		}
	}
	for set, sc := range scs {
		for _, p := range sim.Params {
			got, _ := sc.Config.Get(p.Key)
			src := ref.Config
			if g, ok := from[p.Key]; ok && set&(1<<g) != 0 {
				src = alt.Config
			}
			if want, _ := src.Get(p.Key); got != want {
				t.Errorf("configuration %d (%s): %s = %g, want %g", set, sc.Name, p.Key, got, want)
			}
		}
	}
}

func TestNewDecomposerRejects(t *testing.T) {
	ref, alt := pair(t, 2, map[string]float64{"service.human_cost_basic": 10, "service.human_cost_skilled": 12},
		map[string]float64{"service.human_cost_basic": 20, "service.human_cost_skilled": 25})
	var many []Group
	for i := range MaxGroups + 1 {
		many = append(many, Group{Name: strings.Repeat("g", i+1)})
	}
	many[0].Keys = []string{"service.human_cost_basic", "service.human_cost_skilled"}
	otherSeed := alt
	otherSeed.Config.Seed++
	otherReps := alt
	otherReps.Config.Replications++
	both := []Group{{"service", []string{"service.human_cost_basic", "service.human_cost_skilled"}}}
	for _, tc := range []struct {
		name     string
		alt      Scenario
		groups   []Group
		want     string
		sentinel error
	}{
		{"too many groups", alt, many, "11 groups", ErrTooManyGroups},
		{"no group", alt, nil, "no group", nil},
		{"different seeds", otherSeed, both, "common random numbers", nil},
		{"different replications", otherReps, both, "same number", nil},
		{"a difference in no group", alt, []Group{{"basic", []string{"service.human_cost_basic"}}}, "service.human_cost_skilled, which no group holds", nil},
		{"a parameter in two groups", alt, append(both, Group{"again", []string{"service.human_cost_basic"}}), "in groups", nil},
		{"an invalid hybrid", alt, []Group{{"basic", []string{"service.human_cost_basic"}}, {"skilled", []string{"service.human_cost_skilled"}}},
			"service.human_cost_skilled: must be >= service.human_cost_basic", nil},
	} {
		_, err := NewDecomposer(ref, tc.alt, tc.groups)
		if err == nil || !strings.Contains(err.Error(), tc.want) || (tc.sentinel != nil && !errors.Is(err, tc.sentinel)) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}

// TestDecomposeProperties splits taking's move to giving on the first dial
// and more human contact, in a world without generosity
// (policy.generosity = 0 in both), where the gesture parameters, which
// differ, can do nothing: no gesture is ever made.
func TestDecomposeProperties(t *testing.T) {
	ref, alt := pair(t, 6,
		map[string]float64{"policy.giving": 0, "policy.generosity": 0, "policy.human_share": 0.1, "generosity.gesture_cost": 5, "generosity.gesture_goodwill": 0.1},
		map[string]float64{"policy.giving": 1, "policy.generosity": 0, "policy.human_share": 0.9, "generosity.gesture_cost": 50, "generosity.gesture_goodwill": 0.9})
	groups := DefaultGroups(ref.Config, alt.Config)
	if names := groupNames(groups); !slices.Equal(names, []string{"policy.giving", "policy.human_share", "generosity"}) {
		t.Fatalf("groups %v", names)
	}
	const inert = 2
	d, err := NewDecomposer(ref, alt, groups)
	if err != nil {
		t.Fatal(err)
	}
	// Per replication, from kept replications: efficiency and the inert
	// group's exact zero.
	rs, err := Simulate(context.Background(), d.Scenarios(), sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	v, phi := make([]float64, len(rs)), make([]float64, len(groups))
	means := make([][]sim.Moments, len(Outcomes))
	for o, out := range Outcomes {
		means[o] = make([]sim.Moments, len(groups))
		for i := range ref.Config.Replications {
			for set, r := range rs {
				v[set] = out.In(&r.Config, &r.Reps[i])
			}
			shapley(v, d.weights, phi)
			sum := 0.0
			for g, x := range phi {
				sum += x
				means[o][g].Add(x)
			}
			if total := v[len(v)-1] - v[0]; math.Abs(sum-total) > 1e-9*math.Max(1, math.Abs(total)) {
				t.Errorf("%s, replication %d: parts add up to %g, want the difference %g", out.Name, i, sum, total)
			}
			if phi[inert] != 0 {
				t.Errorf("%s, replication %d: the gesture parameters' part is %g, want exactly 0 without generosity", out.Name, i, phi[inert])
			}
		}
	}
	// Streamed: the same parts, adding up in the mean to the paired
	// difference of the comparison on the same random numbers.
	dec, err := Decompose(context.Background(), ref, alt, groups, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	c, err := Compare([]*sim.Result{rs[0], rs[len(rs)-1]})
	if err != nil {
		t.Fatal(err)
	}
	for o, op := range dec.Outcomes {
		if want := c.Outcomes[o].Diff; op.Total != want {
			t.Errorf("%s: total %+v, want the comparison's %+v", op.Outcome, op.Total, want)
		}
		sum := 0.0
		for g, p := range op.Parts {
			sum += p.Mean
			if p.Mean != means[o][g].Mean() || p.N != ref.Config.Replications {
				t.Errorf("%s, %s: streamed mean %g over %d, want %g over %d", op.Outcome, p.Group, p.Mean, p.N, means[o][g].Mean(), ref.Config.Replications)
			}
		}
		if !near(sum, op.Total.Mean) {
			t.Errorf("%s: parts add up to %g, want the total %g", op.Outcome, sum, op.Total.Mean)
		}
		if p := op.Parts[inert]; p.Mean != 0 || p.CI95 != (Interval{0, 0}) {
			t.Errorf("%s: inert group's part %g %v, want exactly 0 with interval [0, 0]", op.Outcome, p.Mean, p.CI95)
		}
	}
}

func groupNames(groups []Group) []string {
	names := make([]string, len(groups))
	for i, g := range groups {
		names[i] = g.Name
	}
	return names
}
