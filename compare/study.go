package compare

import (
	"context"
	"math"

	"github.com/retsim/retsim/sim"
)

// Study is a run of one or more scenarios in lockstep (see sim.Stream) that
// keeps aggregates only, so that its memory does not grow with the
// replications: each scenario's Summary and, with two or more scenarios,
// their Comparison with the first.
type Study struct {
	Summaries  []*sim.Summary // in the scenarios' order
	Comparison *Comparison    // nil with one scenario
	// Assumptions is, when any scenario has uncertain parameters, their
	// draws and the outcomes with them drawn and held at their central
	// values; nil otherwise.
	Assumptions *Assumptions
	// CustomerMonths is the customer-months simulated, all scenarios.
	CustomerMonths float64
	target         Outcome
	means          []sim.Moments // target outcome by scenario
	pairs          []Pairing     // target outcome, scenario k+1 with the first
}

// Source delivers the replications of scenarios in lockstep as sim.Stream
// does, visit(i, reps) for i = 0, 1, ... in order, with replication i of
// every scenario in scenario order: sim.Stream itself, which simulates
// them, or a reader of replications simulated elsewhere (the shards of a
// run split across processes). Aggregating what a Source delivers gives
// the same numbers, bit for bit, whichever Source it is.
type Source func(ctx context.Context, scs []sim.Scenario, opt sim.Options, visit func(i int, reps []*sim.Replication) error) error

// RunStudy simulates the scenarios, which need the same replication count
// (and, to be compared, the same horizon), in lockstep. target is the
// outcome whose precision MeanHalfWidth and PairedHalfWidth measure. When
// any scenario has uncertain parameters, each also runs with them held at
// their central values, on the same seeds, in the same lockstep (see
// Assumptions). The result depends only on the scenarios and target, never
// on opt.
func RunStudy(ctx context.Context, scs []Scenario, target Outcome, opt sim.Options) (*Study, error) {
	return StudyFrom(ctx, sim.Stream, scs, target, opt)
}

// StudyFrom is RunStudy with the replications taken from src, which is
// asked for the scenarios of WithCentrals(scs) in one lockstep.
func StudyFrom(ctx context.Context, src Source, scs []Scenario, target Outcome, opt sim.Options) (*Study, error) {
	st := &Study{target: target, means: make([]sim.Moments, len(scs))}
	var cmp *Comparer
	if len(scs) > 1 {
		var err error
		if cmp, err = NewComparer(scs); err != nil {
			return nil, err
		}
		st.pairs = make([]Pairing, len(scs)-1)
	}
	collectors := make([]*sim.Collector, len(scs))
	for k, sc := range scs {
		collectors[k] = sim.NewCollector(sc.Name, sc.Config)
	}
	values := make([]float64, len(scs))
	run := WithCentrals(scs)
	cs := run[len(scs):]
	if len(cs) > 0 {
		st.Assumptions = newAssumptions(scs, target)
	}
	err := src(ctx, run, opt, func(_ int, all []*sim.Replication) error {
		reps := all[:len(scs)]
		if st.Assumptions != nil {
			st.Assumptions.add(scs, cs, reps, all[len(scs):])
		}
		for k, rep := range reps {
			collectors[k].Add(rep)
			values[k] = target.In(&scs[k].Config, rep)
			st.means[k].Add(values[k])
		}
		for k := range st.pairs {
			st.pairs[k].Add(values[0], values[k+1])
		}
		if cmp != nil {
			cmp.Add(reps)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, c := range collectors {
		st.Summaries = append(st.Summaries, c.Summary())
		st.CustomerMonths += c.CustomerMonths()
	}
	if cmp != nil {
		st.Comparison = cmp.Comparison()
	}
	return st, nil
}

// MeanHalfWidth is the largest, over the scenarios, 95% interval
// half-width of the mean of the target outcome; NaN if any is undefined.
// It is what a run grown to a precision measures.
func (s *Study) MeanHalfWidth() float64 {
	worst := 0.0
	for k := range s.means {
		worst = math.Max(worst, momentsInterval(&s.means[k], 0.95).HalfWidth())
	}
	return worst
}

// PairedHalfWidth is the largest, over the scenarios after the first, 95%
// interval half-width of the mean paired difference of the target outcome
// against the first; NaN if any is undefined. It is what a comparison
// grown to a precision measures.
func (s *Study) PairedHalfWidth() float64 {
	worst := 0.0
	for k := range s.pairs {
		worst = math.Max(worst, s.pairs[k].Paired().CI95.HalfWidth())
	}
	return worst
}
