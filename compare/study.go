package compare

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"

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
}

// Source delivers replications lo to hi-1 of scenarios in lockstep as
// sim.StreamRange does, visit(i, reps) for i = lo, lo+1, ... in order, with
// replication i of every scenario in scenario order: sim.StreamRange
// itself, which simulates them, or a reader of replications simulated
// elsewhere (the shards of a run split across processes). Aggregating what
// a Source delivers gives the same numbers, bit for bit, whichever Source
// it is.
type Source func(ctx context.Context, scs []sim.Scenario, lo, hi int, opt sim.Options, visit func(i int, reps []*sim.Replication) error) error

// RunStudy simulates the scenarios, which need the same replication count
// (and, to be compared, the same horizon), in lockstep. target is the
// outcome whose precision a StudyRun measures (it is recorded in
// Assumptions). When any scenario has uncertain parameters, each also runs
// with them held at their central values, on the same seeds, in the same
// lockstep (see Assumptions). The result depends only on the scenarios and
// target, never on opt. It is a StudyRun extended once to the scenarios'
// replication count.
func RunStudy(ctx context.Context, scs []Scenario, target Outcome, opt sim.Options) (*Study, error) {
	r, err := NewStudyRun(scs, target)
	if err != nil {
		return nil, err
	}
	if err := r.Extend(ctx, scs[0].Config.Replications, opt); err != nil {
		return nil, err
	}
	return r.Study(), nil
}

// StudyFrom is RunStudy with the replications taken from src, which is
// asked for the scenarios of WithCentrals(scs) in one lockstep.
func StudyFrom(ctx context.Context, src Source, scs []Scenario, target Outcome, opt sim.Options) (*Study, error) {
	r, err := NewStudyRunFrom(src, scs, target)
	if err != nil {
		return nil, err
	}
	if err := r.Extend(ctx, scs[0].Config.Replications, opt); err != nil {
		return nil, err
	}
	return r.Study(), nil
}

// StudyRun is a Study under way: Extend adds replications to those already
// simulated, each replication simulated once, and Study ends the run. Since
// replication i depends only on the seed and i (sim.StreamRange), and the
// aggregates take the replications in order whatever the steps, a StudyRun
// extended to n replications in any steps ends with the Study that RunStudy
// gives with n replications, bit for bit.
type StudyRun struct {
	scs        []Scenario // as given
	run        []Scenario // scs, then their central runs (WithCentrals)
	target     Outcome
	src        Source // where replications come from: sim.StreamRange
	n          int    // replications simulated
	done       bool
	collectors []*sim.Collector
	cmp        *Comparer // nil with one scenario
	assume     *Assumptions
	means      []sim.Moments // target outcome by scenario
	pairs      []Pairing     // target outcome, scenario k+1 with the first
	values     []float64     // one replication's target outcome, by scenario
}

// NewStudyRun starts a study of the scenarios, with no replication yet.
// The scenarios need the same replication count (Extend then replaces it)
// and, to be compared, the same horizon.
func NewStudyRun(scs []Scenario, target Outcome) (*StudyRun, error) {
	return NewStudyRunFrom(sim.StreamRange, scs, target)
}

// NewStudyRunFrom is NewStudyRun with the replications taken from src.
func NewStudyRunFrom(src Source, scs []Scenario, target Outcome) (*StudyRun, error) {
	if len(scs) == 0 {
		return nil, errors.New("study: no scenario")
	}
	r := &StudyRun{scs: slices.Clone(scs), target: target, src: src, means: make([]sim.Moments, len(scs)), values: make([]float64, len(scs))}
	if len(scs) > 1 {
		var err error
		if r.cmp, err = NewComparer(r.scs); err != nil {
			return nil, err
		}
		r.pairs = make([]Pairing, len(scs)-1)
	}
	for _, sc := range r.scs {
		r.collectors = append(r.collectors, sim.NewCollector(sc.Name, sc.Config))
	}
	r.run = WithCentrals(r.scs)
	if len(r.run) > len(scs) {
		r.assume = newAssumptions(r.scs, target)
	}
	return r, nil
}

// Replications is the number of replications simulated so far.
func (r *StudyRun) Replications() int { return r.n }

// Extend simulates replications Replications() to reps-1 of every scenario
// and adds them to the aggregates; reps below Replications() is an error,
// as is extending a run that Study has ended.
func (r *StudyRun) Extend(ctx context.Context, reps int, opt sim.Options) error {
	if r.done {
		return errors.New("study: extended after it ended")
	}
	if reps < r.n {
		return fmt.Errorf("study: cannot shrink from %d to %d replications", r.n, reps)
	}
	run := slices.Clone(r.run)
	for k := range run {
		run[k].Config.Replications = reps
	}
	for _, c := range r.collectors {
		c.Expect(reps) // a run beyond sim.ExactQuantiles keeps digests from the start
	}
	k := len(r.scs)
	return r.src(ctx, run, r.n, reps, opt, func(_ int, all []*sim.Replication) error {
		r.add(all[:k], all[k:])
		return nil
	})
}

// add takes one replication of every scenario (reps) and, with uncertain
// parameters, of their central runs.
func (r *StudyRun) add(reps, central []*sim.Replication) {
	r.n++
	if r.assume != nil {
		r.assume.add(r.scs, r.run[len(r.scs):], reps, central)
	}
	for k, rep := range reps {
		r.collectors[k].Add(rep)
		r.values[k] = r.target.In(&r.scs[k].Config, rep)
		r.means[k].Add(r.values[k])
	}
	for k := range r.pairs {
		r.pairs[k].Add(r.values[0], r.values[k+1])
	}
	if r.cmp != nil {
		r.cmp.Add(reps)
	}
}

// MeanHalfWidth is the largest, over the scenarios, 95% interval
// half-width of the mean of the target outcome; NaN if any is undefined.
// It is what a run grown to a precision measures.
func (r *StudyRun) MeanHalfWidth() float64 {
	worst := 0.0
	for k := range r.means {
		worst = math.Max(worst, momentsInterval(&r.means[k], 0.95).HalfWidth())
	}
	return worst
}

// PairedHalfWidth is the largest, over the scenarios after the first, 95%
// interval half-width of the mean paired difference of the target outcome
// against the first; NaN if any is undefined. It is what a comparison
// grown to a precision measures.
func (r *StudyRun) PairedHalfWidth() float64 {
	worst := 0.0
	for k := range r.pairs {
		worst = math.Max(worst, r.pairs[k].Paired().CI95.HalfWidth())
	}
	return worst
}

// Study ends the run and returns its result, every configuration in it
// with the replications simulated as its replication count. Quantiles are
// read only here: reading them sorts exact values and merges a t-digest's
// buffer, which would change what later replications make of them, so a
// run cannot be extended once it has ended.
func (r *StudyRun) Study() *Study {
	r.done = true
	st := &Study{Assumptions: r.assume}
	for _, c := range r.collectors {
		s := c.Summary()
		s.Config.Replications = r.n
		st.Summaries = append(st.Summaries, s)
		st.CustomerMonths += c.CustomerMonths()
	}
	if r.cmp != nil {
		st.Comparison = r.cmp.Comparison()
	}
	return st
}
