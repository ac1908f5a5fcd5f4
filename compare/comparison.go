package compare

import (
	"context"
	"errors"
	"fmt"

	"github.com/retsim/retsim/sim"
)

// Scenario is a named configuration to simulate.
type Scenario = sim.Scenario

// Simulate runs the scenarios in lockstep (see sim.Stream), each with the
// replication count and seed of its own configuration (the counts must be
// equal), and returns every replication of each, in the scenarios' order.
// Its memory grows with the replications; Run keeps aggregates only.
func Simulate(ctx context.Context, scs []Scenario, opt sim.Options) ([]*sim.Result, error) {
	rs := make([]*sim.Result, len(scs))
	for k, sc := range scs {
		rs[k] = &sim.Result{Scenario: sc.Name, Config: sc.Config}
	}
	err := sim.Stream(ctx, scs, opt, func(_ int, reps []*sim.Replication) error {
		for k, rep := range reps {
			rs[k].Reps = append(rs[k].Reps, *rep)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return rs, nil
}

// OutcomeDiff is one outcome of one scenario compared with the reference.
type OutcomeDiff struct {
	Scenario string `json:"scenario"`
	Outcome  string `json:"outcome"`
	Unit     string `json:"unit"`
	Diff     Paired `json:"diff"` // scenario - reference, replication by replication
}

// Comparison is every scenario compared with the reference (the first),
// paired replication by replication.
type Comparison struct {
	Reference    string   `json:"reference"`
	Scenarios    []string `json:"scenarios"` // compared with the reference, in order
	Replications int      `json:"replications"`
	Periods      int      `json:"periods"`
	// PeriodsPerYear is the reference's periods a year, naming the period
	// in words (see sim.Horizon.PeriodName).
	PeriodsPerYear int `json:"periods_per_year"`
	// CommonRandomNumbers is true when every scenario ran with the
	// reference's seed; false when the pairs are independent.
	CommonRandomNumbers bool `json:"common_random_numbers"`
	// Outcomes holds, scenario by scenario, each of the package's Outcomes.
	Outcomes []OutcomeDiff `json:"outcomes"`
	// Crossovers holds, scenario by scenario, each of CrossoverMetrics.
	Crossovers []Crossover `json:"crossovers"`
	// Series holds, scenario by scenario, the per-period difference of each
	// of CrossoverMetrics.
	Series []DiffSeries `json:"series"`
}

// Compare compares every result with the first, the reference: a Comparer
// fed the results' replications in order. The results need the same number
// of replications and the same horizon; for common random numbers they
// also need the same seed.
func Compare(results []*sim.Result) (*Comparison, error) {
	scs := make([]Scenario, len(results))
	for k, r := range results {
		scs[k] = Scenario{Name: r.Scenario, Config: r.Config}
		if len(r.Reps) != len(results[0].Reps) {
			return nil, fmt.Errorf("compare: scenario %s has %d replications, reference %s has %d; pairs need the same number", r.Scenario, len(r.Reps), results[0].Scenario, len(results[0].Reps))
		}
	}
	c, err := NewComparer(scs)
	if err != nil {
		return nil, err
	}
	reps := make([]*sim.Replication, len(results))
	for i := range results[0].Reps {
		for k, r := range results {
			reps[k] = &r.Reps[i]
		}
		c.Add(reps)
	}
	if c.n == 0 {
		return nil, errors.New("compare: the reference has no replications")
	}
	return c.Comparison(), nil
}

// Comparer compares scenarios with the first, the reference, replication
// by replication, as their replications are added: it keeps the paired
// statistics, not the replications.
type Comparer struct {
	scs        []Scenario
	n          int
	outcomes   []Pairing        // [scenario-1][outcome], flattened
	crossovers []crossoverTally // [scenario-1][crossover metric], flattened
	series     []diffTally      // [scenario-1][crossover metric], flattened
	ref, alt   []float64        // one replication's series of a metric
}

// NewComparer starts comparing scs[1:] with scs[0]. The scenarios need the
// same replication count and horizon; for common random numbers they also
// need the same seed.
func NewComparer(scs []Scenario) (*Comparer, error) {
	if len(scs) < 2 {
		return nil, fmt.Errorf("compare: need a reference and at least one scenario, got %d", len(scs))
	}
	ref := scs[0]
	T := ref.Config.Horizon.Periods
	for _, alt := range scs[1:] {
		if n := alt.Config.Replications; n != ref.Config.Replications {
			return nil, fmt.Errorf("compare: scenario %s has %d replications, reference %s has %d; pairs need the same number", alt.Name, n, ref.Name, ref.Config.Replications)
		}
		if p := alt.Config.Horizon.Periods; p != T {
			return nil, fmt.Errorf("compare: scenario %s has horizon.periods %d, reference %s has %d; outcomes at the horizon need the same horizon", alt.Name, p, ref.Name, T)
		}
	}
	alts := len(scs) - 1
	c := &Comparer{scs: scs, outcomes: make([]Pairing, alts*len(Outcomes)), crossovers: make([]crossoverTally, alts*len(CrossoverMetrics)),
		series: make([]diffTally, alts*len(CrossoverMetrics)), ref: make([]float64, T), alt: make([]float64, T)}
	for i := range c.series {
		c.series[i] = make(diffTally, T)
	}
	return c, nil
}

// Add takes replication i of every scenario, in the scenarios' order, for
// i = 0, 1, ... in turn.
func (c *Comparer) Add(reps []*sim.Replication) {
	c.n++
	ref := reps[0]
	for a, alt := range reps[1:] {
		for k, o := range Outcomes {
			c.outcomes[a*len(Outcomes)+k].Add(o.In(&c.scs[0].Config, ref), o.In(&c.scs[a+1].Config, alt))
		}
		for j, m := range CrossoverMetrics {
			for t := range c.ref {
				c.ref[t], c.alt[t] = ref.Series[t][m], alt.Series[t][m]
			}
			c.crossovers[a*len(CrossoverMetrics)+j].add(c.ref, c.alt)
			c.series[a*len(CrossoverMetrics)+j].add(c.ref, c.alt)
		}
	}
}

// Comparison is the comparison of the replications added so far.
func (c *Comparer) Comparison() *Comparison {
	ref := c.scs[0]
	out := &Comparison{Reference: ref.Name, Replications: c.n, Periods: ref.Config.Horizon.Periods,
		PeriodsPerYear: ref.Config.Horizon.PeriodsPerYear, CommonRandomNumbers: true}
	for a, alt := range c.scs[1:] {
		out.CommonRandomNumbers = out.CommonRandomNumbers && alt.Config.Seed == ref.Config.Seed
		out.Scenarios = append(out.Scenarios, alt.Name)
		for k, o := range Outcomes {
			out.Outcomes = append(out.Outcomes, OutcomeDiff{Scenario: alt.Name, Outcome: o.Name, Unit: o.Unit, Diff: c.outcomes[a*len(Outcomes)+k].Paired()})
		}
		for j, m := range CrossoverMetrics {
			out.Crossovers = append(out.Crossovers, c.crossovers[a*len(CrossoverMetrics)+j].crossover(alt.Name, m))
			out.Series = append(out.Series, c.series[a*len(CrossoverMetrics)+j].series(alt.Name, m))
		}
	}
	return out
}
