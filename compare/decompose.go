package compare

import (
	"context"
	"fmt"
	"math"
	"math/bits"
	"reflect"
	"slices"
	"strings"

	"github.com/retsim/retsim/sim"
)

// This file splits the paired difference between two scenarios among the
// groups of parameters in which they differ (the levers), with Shapley
// values over the combinations of groups, on common random numbers.

// MaxGroups is the most groups Decompose splits a difference among: k groups
// take 2^k configurations per replication, 1024 at ten.
const MaxGroups = 10

// ErrTooManyGroups is the error of NewDecomposer given more than MaxGroups
// groups.
var ErrTooManyGroups = fmt.Errorf("more than %d groups (%d configurations per replication)", MaxGroups, 1<<MaxGroups)

// Group is a lever of a decomposition: parameters moved together from the
// reference's values to the scenario's.
type Group struct {
	// Name is how the group was asked for, e.g. "policy.giving", "taking"
	// or "policy.giving+taking"; "other" for the parameters no chosen group
	// holds.
	Name string
	// Keys are the group's parameters whose values differ between the two
	// configurations, in the order of sim.Params; none when the group
	// changes nothing (its part is then exactly 0).
	Keys []string
}

// OtherGroup names the group ParseGroups adds for the parameters that differ
// but that no chosen group holds.
const OtherGroup = "other"

// movable reports whether a decomposition may move parameter key: every
// parameter but seed and replications, which set up the experiment.
func movable(key string) bool { return key != "seed" && key != "replications" }

// lever is the default group of parameter key: the key itself for a policy
// dial (policy.*), else its section, the part before the first dot.
func lever(key string) string {
	section, _, _ := strings.Cut(key, ".")
	if section == "policy" {
		return key
	}
	return section
}

// segmentsKey names a scenario's customer segments and targeting (M13) as
// one movable whole: a list, not a parameter of sim.Params.
const segmentsKey = "segments"

// differing are the movable parameters whose values differ between a and
// b, in the order of sim.Params, then segmentsKey if their segments differ.
func differing(a, b sim.Config) []string {
	var keys []string
	for _, p := range sim.Params {
		if !movable(p.Key) {
			continue
		}
		x, _ := a.Get(p.Key) // every key of sim.Params is a field of Config (tested in sim)
		y, _ := b.Get(p.Key)
		if x != y {
			keys = append(keys, p.Key)
		}
	}
	if !reflect.DeepEqual(a.Segments, b.Segments) {
		keys = append(keys, segmentsKey)
	}
	return keys
}

// DefaultGroups are the groups in which a and b differ, in the order of
// their first parameter in sim.Params: each policy dial on its own
// (policy.giving, policy.generosity, policy.human_share, policy.staff_skill)
// and each other section as one group (taking, giving, discounts, pricing,
// market, ...). Seed and replications are never moved.
func DefaultGroups(a, b sim.Config) []Group {
	var groups []Group
	at := map[string]int{}
	for _, key := range differing(a, b) {
		name := lever(key)
		i, ok := at[name]
		if !ok {
			i = len(groups)
			at[name] = i
			groups = append(groups, Group{Name: name})
		}
		groups[i].Keys = append(groups[i].Keys, key)
	}
	return groups
}

// ParseGroups reads the groups of spec, between a and b: groups separated by
// commas, each one or more members joined by "+", each member a parameter
// key (policy.giving, churn.alpha) or a section (taking, giving, policy, ...)
// standing for all of its parameters. For example
// "policy.giving+taking+giving,policy.generosity" makes two groups. A
// parameter may be in one group only; seed and replications in none.
// Parameters that differ between a and b but are in no group form one more
// group, OtherGroup, so that the parts still add up to the whole difference.
// A group in which a and b do not differ is kept: its part is exactly 0.
func ParseGroups(spec string, a, b sim.Config) ([]Group, error) {
	diff := differing(a, b)
	owner := map[string]string{} // key -> name of the group holding it
	var groups []Group
	for _, g := range strings.Split(spec, ",") {
		if strings.TrimSpace(g) == "" {
			return nil, fmt.Errorf("groups %q: empty group; separate groups with commas, join parameters or sections with +", spec)
		}
		parts := strings.Split(g, "+")
		for i := range parts {
			parts[i] = strings.TrimSpace(parts[i])
		}
		name := strings.Join(parts, "+")
		group := Group{Name: name}
		members := map[string]bool{}
		for _, m := range parts {
			keys := sectionKeys(m)
			if len(keys) == 0 {
				return nil, fmt.Errorf("group %q: %q is neither a parameter nor a section (sections: %s)", name, m, strings.Join(sections(), ", "))
			}
			for _, k := range keys {
				if o, ok := owner[k]; ok {
					return nil, fmt.Errorf("group %q: %s is already in group %q; a parameter may be in one group only", name, k, o)
				}
				owner[k], members[k] = name, true
			}
		}
		for _, k := range diff {
			if members[k] {
				group.Keys = append(group.Keys, k)
			}
		}
		groups = append(groups, group)
	}
	other := Group{Name: OtherGroup}
	for _, k := range diff {
		if _, ok := owner[k]; !ok {
			other.Keys = append(other.Keys, k)
		}
	}
	if len(other.Keys) > 0 {
		groups = append(groups, other)
	}
	return groups, nil
}

// sectionKeys are the movable parameters that member names: the parameter
// itself, or every parameter of the section; none when it names neither.
func sectionKeys(member string) []string {
	var keys []string
	for _, p := range sim.Params {
		if movable(p.Key) && (p.Key == member || strings.HasPrefix(p.Key, member+".")) {
			keys = append(keys, p.Key)
		}
	}
	return keys
}

// sections are the sections of the movable parameters, in the order of
// sim.Params.
func sections() []string {
	var out []string
	for _, p := range sim.Params {
		if s, _, ok := strings.Cut(p.Key, "."); ok && movable(p.Key) && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// Hybrid is a with the parameters of each group whose bit is set in set
// (bit g for groups[g]) taken from b: the configuration of coalition set in
// a decomposition. Set 0 is a; every bit set is b wherever the groups hold
// every parameter in which they differ.
func Hybrid(a, b sim.Config, groups []Group, set uint) (sim.Config, error) {
	h := a
	for g, group := range groups {
		if set&(1<<g) == 0 {
			continue
		}
		for _, k := range group.Keys {
			if k == segmentsKey {
				h.Segments = b.Segments
				continue
			}
			x, err := b.Get(k)
			if err == nil {
				err = h.Set(k, x)
			}
			if err != nil {
				return sim.Config{}, fmt.Errorf("group %s: %w", group.Name, err)
			}
		}
	}
	return h, nil
}

// Part is one group's share of an outcome's paired difference: the mean
// over replications of its per-replication Shapley value.
type Part struct {
	Group string
	N     int     // replications in which the outcome is defined in every configuration
	Mean  float64 // mean Shapley value, in the outcome's unit
	SD    float64 // sample standard deviation of the per-replication values
	CI95  Interval
}

// OutcomeParts is one outcome's paired difference, scenario minus reference,
// and its split among the groups.
type OutcomeParts struct {
	Outcome, Unit string
	// Total is the paired difference over the replications in which the
	// outcome is defined in every configuration (all of them, unless it
	// is undefined somewhere, as CLV is without acquisitions).
	Total Paired
	// Parts are the groups' shares, in the order of Decomposition.Groups;
	// in each replication they add up to the difference (up to rounding),
	// hence their means to Total.Mean.
	Parts []Part
}

// Decomposition is the paired difference of each outcome between a scenario
// and a reference split among the groups of parameters in which they
// differ, with Shapley values.
type Decomposition struct {
	Reference, Scenario string
	Replications        int
	Groups              []Group
	// Values are each group's parameters' values, reference then scenario,
	// by key.
	Values   map[string][2]float64
	Outcomes []OutcomeParts // in the order of Outcomes
}

// Configurations is the number of configurations run per replication, 2^k
// for k groups.
func (d *Decomposition) Configurations() int { return 1 << len(d.Groups) }

// Decomposer splits the paired difference of each of the package's Outcomes
// between a scenario and a reference among groups of parameters, as the
// replications of every hybrid configuration (see Hybrid) are added: it
// keeps the moments of the Shapley values, not the replications.
//
// The value of a coalition S of groups in one replication is the outcome of
// the configuration taking S's parameters from the scenario and the rest
// from the reference, all run with the same seed (common random numbers).
// Group g's share in that replication is its Shapley value
//
//	phi_g = sum over S not holding g of |S|! (k-|S|-1)! / k! x (v(S ∪ {g}) - v(S)),
//
// the average, over every order in which the groups could be moved one
// after another, of what moving g adds; the shares add up to v(all) - v(none),
// the paired difference, in every replication. A group that changes nothing
// in any coalition gets exactly 0; two groups that change the outcome alike
// in every coalition get the same share.
type Decomposer struct {
	ref, alt Scenario
	groups   []Group
	configs  []Scenario    // by coalition: bit g set when groups[g] comes from alt
	weights  []float64     // by coalition size s: s! (k-s-1)! / k!
	totals   []Pairing     // by outcome
	parts    []sim.Moments // [outcome][group], flattened
	v, phi   []float64     // one outcome of one replication, by coalition; by group
}

// NewDecomposer prepares the decomposition of alt minus ref among groups,
// which must hold every parameter in which ref and alt differ, each in one
// group only, and number from 1 to MaxGroups (else ErrTooManyGroups). The two
// scenarios need the same seed, replication count and horizon, and every
// hybrid configuration must be valid.
func NewDecomposer(ref, alt Scenario, groups []Group) (*Decomposer, error) {
	a, b := ref.Config, alt.Config
	switch {
	case len(groups) == 0:
		return nil, fmt.Errorf("decompose: no group of parameters to split %s minus %s among", alt.Name, ref.Name)
	case len(groups) > MaxGroups:
		return nil, fmt.Errorf("decompose: %d groups: %w", len(groups), ErrTooManyGroups)
	case a.Seed != b.Seed:
		return nil, fmt.Errorf("decompose: %s has seed %d, %s has %d; a decomposition needs common random numbers", alt.Name, b.Seed, ref.Name, a.Seed)
	case a.Replications != b.Replications:
		return nil, fmt.Errorf("decompose: %s has %d replications, %s has %d; pairs need the same number", alt.Name, b.Replications, ref.Name, a.Replications)
	case a.Horizon.Periods != b.Horizon.Periods:
		return nil, fmt.Errorf("decompose: %s has horizon.periods %d, %s has %d; outcomes at the horizon need the same horizon", alt.Name, b.Horizon.Periods, ref.Name, a.Horizon.Periods)
	}
	held := map[string]string{}
	for _, g := range groups {
		for _, k := range g.Keys {
			if o, ok := held[k]; ok {
				return nil, fmt.Errorf("decompose: %s is in groups %q and %q; a parameter may be in one group only", k, o, g.Name)
			}
			held[k] = g.Name
		}
	}
	var missing []string
	for _, k := range differing(a, b) {
		if _, ok := held[k]; !ok {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("decompose: %s and %s differ in %s, which no group holds", ref.Name, alt.Name, strings.Join(missing, ", "))
	}
	k := len(groups)
	d := &Decomposer{ref: ref, alt: alt, groups: groups, configs: make([]Scenario, 1<<k), weights: shapleyWeights(k),
		totals: make([]Pairing, len(Outcomes)), parts: make([]sim.Moments, len(Outcomes)*k), v: make([]float64, 1<<k), phi: make([]float64, k)}
	for set := range d.configs {
		cfg, err := Hybrid(a, b, groups, uint(set))
		name := d.coalition(uint(set))
		if err == nil {
			err = cfg.Validate()
		}
		if err != nil {
			return nil, fmt.Errorf("decompose: %s: %w; keep related parameters in one group", name, err)
		}
		d.configs[set] = Scenario{Name: name, Config: cfg}
	}
	return d, nil
}

// coalition names the configuration of set: "ref", "alt" or
// "ref with {g1, g2} from alt".
func (d *Decomposer) coalition(set uint) string {
	switch {
	case set == 0:
		return d.ref.Name
	case set == 1<<len(d.groups)-1:
		return d.alt.Name
	}
	var names []string
	for g, group := range d.groups {
		if set&(1<<g) != 0 {
			names = append(names, group.Name)
		}
	}
	return fmt.Sprintf("%s with {%s} from %s", d.ref.Name, strings.Join(names, ", "), d.alt.Name)
}

// Scenarios are the configurations to run in lockstep and Add, by
// coalition: index S takes groups[g] from the scenario when bit g of S is
// set. The first is the reference, the last the scenario.
func (d *Decomposer) Scenarios() []Scenario { return d.configs }

// Add takes replication i of every configuration, in the order of
// Scenarios, for i = 0, 1, ... in turn.
func (d *Decomposer) Add(reps []*sim.Replication) {
	k := len(d.groups)
	for o, out := range Outcomes {
		defined := true
		for set, rep := range reps {
			d.v[set] = out.In(&d.configs[set].Config, rep)
			defined = defined && !math.IsNaN(d.v[set])
		}
		if !defined {
			continue
		}
		d.totals[o].Add(d.v[0], d.v[len(d.v)-1])
		shapley(d.v, d.weights, d.phi)
		for g := range k {
			d.parts[o*k+g].Add(d.phi[g])
		}
	}
}

// Decomposition is the decomposition of the replications added so far.
func (d *Decomposer) Decomposition() *Decomposition {
	k := len(d.groups)
	out := &Decomposition{Reference: d.ref.Name, Scenario: d.alt.Name, Replications: d.ref.Config.Replications,
		Groups: d.groups, Values: map[string][2]float64{}}
	for _, g := range d.groups {
		for _, key := range g.Keys {
			x, _ := d.ref.Config.Get(key) // the keys were set on a Config in NewDecomposer
			y, _ := d.alt.Config.Get(key)
			out.Values[key] = [2]float64{x, y}
		}
	}
	for o, oc := range Outcomes {
		op := OutcomeParts{Outcome: oc.Name, Unit: oc.Unit, Total: d.totals[o].Paired()}
		for g, group := range d.groups {
			m := &d.parts[o*k+g]
			op.Parts = append(op.Parts, Part{Group: group.Name, N: m.N(), Mean: m.Mean(), SD: m.SD(), CI95: momentsInterval(m, 0.95)})
		}
		out.Outcomes = append(out.Outcomes, op)
	}
	return out
}

// Decompose splits the paired difference of each of the package's Outcomes,
// alt minus ref, among groups: a NewDecomposer run (see Decomposer.Run).
// For groups, see DefaultGroups and ParseGroups.
func Decompose(ctx context.Context, ref, alt Scenario, groups []Group, opt sim.Options) (*Decomposition, error) {
	d, err := NewDecomposer(ref, alt, groups)
	if err != nil {
		return nil, err
	}
	return d.Run(ctx, opt)
}

// Run runs the 2^k hybrid configurations in lockstep (sim.StreamRange),
// replication by replication, adding each replication, and returns the
// Decomposition: its memory does not grow with the replications, and the
// result depends only on the scenarios and groups, never on opt.
func (d *Decomposer) Run(ctx context.Context, opt sim.Options) (*Decomposition, error) {
	return d.RunFrom(ctx, sim.StreamRange, opt)
}

// RunFrom is Run with the replications of the hybrid configurations,
// d.Scenarios() in one lockstep, taken from src.
func (d *Decomposer) RunFrom(ctx context.Context, src Source, opt sim.Options) (*Decomposition, error) {
	scs := d.Scenarios()
	err := src(ctx, scs, 0, scs[0].Config.Replications, opt, func(_ int, reps []*sim.Replication) error {
		d.Add(reps)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("decompose: %w", err)
	}
	return d.Decomposition(), nil
}

// shapleyWeights are the Shapley weights of a game of k players by
// coalition size s = 0..k-1: s! (k-s-1)! / k! = 1 / (k x C(k-1, s)).
func shapleyWeights(k int) []float64 {
	w := make([]float64, k)
	c := 1.0 // C(k-1, s), exact in float64 for k <= MaxGroups
	for s := range k {
		w[s] = 1 / (float64(k) * c)
		c = c * float64(k-1-s) / float64(s+1)
	}
	return w
}

// shapley sets phi[g] to the Shapley value of player g of the game whose
// coalition S (bit g set when player g is in it) is worth v[S], len(v) =
// 2^len(phi): phi_g = sum over S not holding g of weights[|S|] x (v[S ∪
// {g}] - v[S]).
func shapley(v, weights, phi []float64) {
	for g := range phi {
		bit := 1 << g
		sum := 0.0
		for set := range v {
			if set&bit == 0 {
				sum += weights[bits.OnesCount(uint(set))] * (v[set|bit] - v[set])
			}
		}
		phi[g] = sum
	}
}
