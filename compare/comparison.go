package compare

import (
	"context"
	"errors"
	"fmt"

	"github.com/retsim/retsim/sim"
)

// Scenario is a named configuration to simulate.
type Scenario struct {
	Name   string
	Config sim.Config
}

// Simulate runs each scenario in turn, each with the replication count and
// seed of its own configuration, and returns the results in the same order.
// opt.Progress, if set, counts replications over all the scenarios.
func Simulate(ctx context.Context, scs []Scenario, opt sim.Options) ([]*sim.Result, error) {
	rs := make([]*sim.Result, len(scs))
	for k, sc := range scs {
		r, err := sim.Run(ctx, sc.Name, sc.Config, stage(opt, k, len(scs)))
		if err != nil {
			return nil, err
		}
		rs[k] = r
	}
	return rs, nil
}

// stage returns opt for run k of n runs with the same replication count, its
// Progress counting the replications of all n runs.
func stage(opt sim.Options, k, n int) sim.Options {
	outer := opt.Progress
	if outer == nil {
		return opt
	}
	opt.Progress = func(done, total int) { outer(k*total+done, n*total) }
	return opt
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

// Compare compares every result with the first, the reference. The results
// need the same number of replications and the same horizon; for common
// random numbers they also need the same seed.
func Compare(results []*sim.Result) (*Comparison, error) {
	if len(results) < 2 {
		return nil, fmt.Errorf("compare: need a reference and at least one scenario, got %d result(s)", len(results))
	}
	ref := results[0]
	c := &Comparison{
		Reference:           ref.Scenario,
		Replications:        len(ref.Reps),
		Periods:             ref.Config.Horizon.Periods,
		CommonRandomNumbers: true,
	}
	if c.Replications == 0 {
		return nil, errors.New("compare: the reference has no replications")
	}
	for _, alt := range results[1:] {
		if len(alt.Reps) != c.Replications {
			return nil, fmt.Errorf("compare: scenario %s has %d replications, reference %s has %d; pairs need the same number", alt.Scenario, len(alt.Reps), ref.Scenario, c.Replications)
		}
		if p := alt.Config.Horizon.Periods; p != c.Periods {
			return nil, fmt.Errorf("compare: scenario %s has horizon.periods %d, reference %s has %d; outcomes at the horizon need the same horizon", alt.Scenario, p, ref.Scenario, c.Periods)
		}
		c.CommonRandomNumbers = c.CommonRandomNumbers && alt.Config.Seed == ref.Config.Seed
		c.Scenarios = append(c.Scenarios, alt.Scenario)
		for _, o := range Outcomes {
			c.Outcomes = append(c.Outcomes, OutcomeDiff{Scenario: alt.Scenario, Outcome: o.Name, Unit: o.Unit, Diff: Pair(o.Of(ref), o.Of(alt))})
		}
		for _, m := range CrossoverMetrics {
			c.Crossovers = append(c.Crossovers, Crossovers(ref, alt, m))
			c.Series = append(c.Series, SeriesDiff(ref, alt, m))
		}
	}
	return c, nil
}
