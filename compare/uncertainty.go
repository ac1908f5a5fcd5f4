package compare

import (
	"cmp"
	"math"
	"slices"
	"sort"

	"gonum.org/v1/gonum/stat"

	"github.com/retsim/retsim/sim"
)

// CentralSuffix names the run of a scenario with every uncertain parameter
// held at its central value (sim.Config.Central): "giving@central".
const CentralSuffix = "@central"

// Assumptions is what a study of scenarios with uncertain parameters
// records, replication by replication: each scenario's draws, and its
// outcomes with the assumptions drawn and with them held at their central
// values on the same seeds (Monte Carlo noise only). Memory grows with the
// replications: a few numbers per replication, outcome and assumption.
type Assumptions struct {
	Scenarios []string
	// Uncertain is, by scenario, its assumptions (sim.Config.Uncertain).
	Uncertain [][]sim.Uncertain
	// Outcomes are the outcomes recorded: the package's Outcomes, then the
	// study's target if it is not one of them.
	Outcomes []Outcome
	// Target is the outcome whose drivers and flips are sought.
	Target Outcome
	// Draws[k][i][j] is replication i's value of scenario k's assumption j.
	Draws [][][]float64
	// Drawn[k][o][i] and Central[k][o][i] are outcome o of replication i of
	// scenario k with its assumptions drawn and held at their central
	// values.
	Drawn, Central [][][]float64
}

// WithCentrals is scs followed, when any of them has uncertain parameters,
// by each of them with every assumption held at its central value, named
// with CentralSuffix: the scenarios a study runs.
func WithCentrals(scs []Scenario) []Scenario {
	if !slices.ContainsFunc(scs, func(sc Scenario) bool { return len(sc.Config.Uncertain) > 0 }) {
		return scs
	}
	out := slices.Clone(scs)
	for _, sc := range scs {
		out = append(out, Scenario{Name: sc.Name + CentralSuffix, Config: sc.Config.Central()})
	}
	return out
}

func newAssumptions(scs []Scenario, target Outcome) *Assumptions {
	a := &Assumptions{Outcomes: slices.Clone(Outcomes), Target: target}
	if !slices.ContainsFunc(Outcomes, func(o Outcome) bool { return o.Name == target.Name }) {
		a.Outcomes = append(a.Outcomes, target)
	}
	for _, sc := range scs {
		a.Scenarios = append(a.Scenarios, sc.Name)
		a.Uncertain = append(a.Uncertain, sc.Config.Uncertain)
	}
	k := len(scs)
	a.Draws = make([][][]float64, k)
	a.Drawn, a.Central = make([][][]float64, k), make([][][]float64, k)
	for i := range k {
		a.Drawn[i], a.Central[i] = make([][]float64, len(a.Outcomes)), make([][]float64, len(a.Outcomes))
	}
	return a
}

// add takes one replication of every scenario (reps) and of its central
// run (central), in the scenarios' order.
func (a *Assumptions) add(scs, cs []Scenario, reps, central []*sim.Replication) {
	for k := range reps {
		a.Draws[k] = append(a.Draws[k], reps[k].Assumptions)
		for o, out := range a.Outcomes {
			a.Drawn[k][o] = append(a.Drawn[k][o], out.In(&scs[k].Config, reps[k]))
			a.Central[k][o] = append(a.Central[k][o], out.In(&cs[k].Config, central[k]))
		}
	}
}

// Spread is one outcome, or one paired difference, across replications.
type Spread struct {
	N        int
	Mean, SD float64
	// P05 and P95 bound the middle 90% of replications: the range of
	// worlds, not of the mean.
	P05, P95 float64
	CI95     Interval // of the mean
	// PBeats is, for a difference, the share of replications in which the
	// scenario beats the reference; NaN for a scenario's own outcome.
	PBeats float64
}

// spread summarises xs (NaN values left out); diff tells whether xs are
// differences, with a PBeats.
func spread(xs []float64, diff bool) Spread {
	v := slices.DeleteFunc(slices.Clone(xs), math.IsNaN)
	nan := math.NaN()
	s := Spread{N: len(v), Mean: nan, SD: nan, P05: nan, P95: nan, CI95: Interval{nan, nan}, PBeats: nan}
	if len(v) == 0 {
		return s
	}
	slices.Sort(v)
	s.Mean, s.SD = stat.MeanStdDev(v, nil)
	s.P05, s.P95 = stat.Quantile(0.05, stat.LinInterp, v, nil), stat.Quantile(0.95, stat.LinInterp, v, nil)
	s.CI95 = MeanInterval(v, 0.95)
	if diff {
		beats := 0
		for _, x := range v {
			if x > 0 {
				beats++
			}
		}
		s.PBeats = float64(beats) / float64(len(v))
	}
	return s
}

// UncertaintyRow is one outcome of a scenario (Reference empty) or its
// paired difference from the reference, with the assumptions drawn and
// held at their central values.
type UncertaintyRow struct {
	Scenario, Reference string
	Outcome, Unit       string
	Drawn, Central      Spread
}

// diffs is alt - ref, replication by replication.
func diffs(ref, alt []float64) []float64 {
	d := make([]float64, len(ref))
	for i := range d {
		d[i] = alt[i] - ref[i]
	}
	return d
}

// Rows are, for one scenario, its outcomes; for several, each scenario's
// paired differences from the first, the reference, scenario by scenario.
func (a *Assumptions) Rows() []UncertaintyRow {
	var rows []UncertaintyRow
	if len(a.Scenarios) == 1 {
		for o, out := range a.Outcomes {
			rows = append(rows, UncertaintyRow{Scenario: a.Scenarios[0], Outcome: out.Name, Unit: out.Unit,
				Drawn: spread(a.Drawn[0][o], false), Central: spread(a.Central[0][o], false)})
		}
		return rows
	}
	for k := 1; k < len(a.Scenarios); k++ {
		for o, out := range a.Outcomes {
			rows = append(rows, UncertaintyRow{Scenario: a.Scenarios[k], Reference: a.Scenarios[0], Outcome: out.Name, Unit: out.Unit,
				Drawn:   spread(diffs(a.Drawn[0][o], a.Drawn[k][o]), true),
				Central: spread(diffs(a.Central[0][o], a.Central[k][o]), true)})
		}
	}
	return rows
}

// Driver is one assumption's share in the spread of the target outcome
// (of a scenario, or of its paired difference from the reference).
type Driver struct {
	Scenario, Reference string
	Outcome             string
	Key                 string
	Dist                sim.Dist
	// Rho is Spearman's rank correlation between the assumption's draws
	// and the outcome across replications; Rho^2 is the share of the
	// outcome's rank variance that the assumption alone explains.
	Rho float64
	// Share is Rho^2 over the sum of every assumption's Rho^2: its part of
	// what the assumptions explain, if they act independently.
	Share float64
}

// keyDraws are, by assumption key of the union of the scenarios k, their
// draws by replication: two scenarios that share an assumption draw the
// same values for it.
func (a *Assumptions) keyDraws(ks ...int) (keys []string, dists []sim.Dist, draws [][]float64) {
	for _, k := range ks {
		for j, u := range a.Uncertain[k] {
			if slices.Contains(keys, u.Key) {
				continue
			}
			x := make([]float64, len(a.Draws[k]))
			for i := range x {
				x[i] = a.Draws[k][i][j]
			}
			keys, dists, draws = append(keys, u.Key), append(dists, u.Dist), append(draws, x)
		}
	}
	return keys, dists, draws
}

// Drivers ranks the assumptions by their share in the spread of the
// target outcome: of the scenario's own with one scenario, of each
// scenario's paired difference from the reference with several; largest
// Rho^2 first.
func (a *Assumptions) Drivers() []Driver {
	o := slices.IndexFunc(a.Outcomes, func(o Outcome) bool { return o.Name == a.Target.Name })
	var out []Driver
	add := func(scenario, reference string, ys []float64, ks ...int) {
		keys, dists, draws := a.keyDraws(ks...)
		var ds []Driver
		total := 0.0
		for j, key := range keys {
			rho := spearman(draws[j], ys)
			ds = append(ds, Driver{Scenario: scenario, Reference: reference, Outcome: a.Target.Name, Key: key, Dist: dists[j], Rho: rho})
			if !math.IsNaN(rho) {
				total += rho * rho
			}
		}
		for j := range ds {
			ds[j].Share = ds[j].Rho * ds[j].Rho / total
		}
		slices.SortStableFunc(ds, func(x, y Driver) int { return cmp.Compare(y.Rho*y.Rho, x.Rho*x.Rho) })
		out = append(out, ds...)
	}
	if len(a.Scenarios) == 1 {
		add(a.Scenarios[0], "", a.Drawn[0][o], 0)
		return out
	}
	for k := 1; k < len(a.Scenarios); k++ {
		add(a.Scenarios[k], a.Scenarios[0], diffs(a.Drawn[0][o], a.Drawn[k][o]), 0, k)
	}
	return out
}

// spearman is Spearman's rank correlation of x and y (pairs with a NaN left
// out; tied values share their mean rank); NaN when either does not vary.
func spearman(x, y []float64) float64 {
	var xs, ys []float64
	for i := range x {
		if !math.IsNaN(x[i]) && !math.IsNaN(y[i]) {
			xs, ys = append(xs, x[i]), append(ys, y[i])
		}
	}
	return stat.Correlation(ranks(xs), ranks(ys), nil)
}

// ranks are the ranks of xs, 1 for the smallest, ties sharing their mean
// rank.
func ranks(xs []float64) []float64 {
	idx := make([]int, len(xs))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(i, j int) bool { return xs[idx[i]] < xs[idx[j]] })
	r := make([]float64, len(xs))
	for i := 0; i < len(idx); {
		j := i
		for j+1 < len(idx) && xs[idx[j+1]] == xs[idx[i]] {
			j++
		}
		for k := i; k <= j; k++ {
			r[idx[k]] = float64(i+j)/2 + 1
		}
		i = j + 1
	}
	return r
}
