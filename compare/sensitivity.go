package compare

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/retsim/retsim/sim"
)

// SensitivityStep is how far a sensitivity analysis moves a parameter that
// has neither an uncertain: distribution in the scenario nor a range with
// natural ends: 20% of its base value either way.
const SensitivityStep = 0.2

// SensitivityQuantiles are the cumulative probabilities of the low and high
// ends of a parameter moved over its uncertain: distribution.
var SensitivityQuantiles = [2]float64{0.05, 0.95}

// Where the ends of a sensitivity bar come from (Bar.Basis), in order of
// precedence.
const (
	// BasisUncertain: the 5% and 95% quantiles of the scenario's
	// uncertain: distribution of the parameter.
	BasisUncertain = "uncertain"
	// BasisAllowed: the ends of the parameter's allowed range, when both
	// are natural ends (a probability's 0 and 1, a correlation's -1 and 1),
	// not safety bounds (see sim.Param.Capped).
	BasisAllowed = "allowed"
	// BasisStep: the base value -+ SensitivityStep of it, clipped to the
	// allowed range, for an open-ended parameter.
	BasisStep = "step"
)

// SensitivityKeys are the parameters a sensitivity analysis moves by
// default: every parameter of sim.Params except those that set up the
// experiment rather than the world (seed, replications), the time span
// (horizon.periods, horizon.periods_per_year) and the scale
// (population.initial, market.potential), in the order of sim.Params.
func SensitivityKeys() []string {
	var keys []string
	for _, p := range sim.Params {
		switch {
		case p.Key == "seed", p.Key == "replications", strings.HasPrefix(p.Key, "horizon."),
			p.Key == "population.initial", p.Key == "market.potential":
			continue
		}
		keys = append(keys, p.Key)
	}
	return keys
}

// Bar is one parameter's bar of a tornado chart: the outcome's paired
// difference from the base when the parameter alone is moved to its low
// and its high end.
type Bar struct {
	Key, Unit string
	// Base, Low and High are the parameter's values; Low and High always
	// lie in its allowed range.
	Base, Low, High float64
	// LowDiff and HighDiff are outcome(end) - outcome(base), paired by
	// replication.
	LowDiff, HighDiff Paired
	// Swing is |HighDiff.Mean - LowDiff.Mean|, the bar's length.
	Swing float64
	// Note says how the ends were adjusted (rounded, clipped to the
	// allowed range or to a related parameter) or, for BasisUncertain,
	// which distribution they come from; empty when they were not.
	Note string
	// Basis says where Low and High come from: BasisUncertain,
	// BasisAllowed or BasisStep.
	Basis string
	// Replications is how many replications of the bar's ends were run:
	// 0, 1, ..., Replications-1. It is the same for every bar of a fixed
	// analysis (Sensitivity); an adaptive one (SensitivityAdaptive) stops
	// running a bar once its place is settled, so that it may have fewer
	// than Tornado.Replications.
	Replications int
	// SwingCI95 is the 95% t interval of the swing, |mean of
	// outcome(high) - outcome(low)| over the bar's replications. With one
	// replication it is the swing -+ 1.96 Tornado.AssumedSD (clipped at 0)
	// when AssumedSD is defined, else NaN.
	SwingCI95 Interval
}

// Screened reports whether the bar ranks below the first top bars of t and
// stopped with fewer replications than t's most: an adaptive analysis found
// it could not be among the first top (its swing interval lies below theirs).
func (b *Bar) Screened(t *Tornado, rank int) bool {
	return t.Top > 0 && rank >= t.Top && b.Replications < t.Replications
}

// Skip is a parameter a sensitivity analysis could not move, and why.
type Skip struct {
	Key    string
	Base   float64 // the parameter's value in the base configuration
	Reason string
}

// Tornado is a one-at-a-time sensitivity analysis of one outcome.
type Tornado struct {
	Outcome, Unit string
	// Replications is the most replications any bar has: those of the
	// base (see Bar.Replications).
	Replications int
	// Runs is how many simulations (one replication of one configuration)
	// the analysis ran: the base's replications plus both ends' of every
	// bar, an end at the base value not counted twice.
	Runs    int
	Base    sim.Stat // the outcome at the base configuration, over Replications
	Bars    []Bar    // largest swing first; ties in the order of the keys
	Skipped []Skip   // in the order of the keys
	// Cap is the most replications the analysis could run: the base's
	// replication count.
	Cap int
	// Top is, for an adaptive analysis (SensitivityAdaptive), the number of
	// leading bars whose order it waited for; 0 for a fixed count.
	Top int
	// Tolerance is, for an adaptive analysis, the relative difference
	// below which two swings count as tied (see Tornado.Settled).
	Tolerance float64
	// Settled says the order of the first Top bars was settled
	// (Tornado.Unsettled) when the analysis stopped; false when an
	// adaptive analysis stopped at Cap or at its Budget without it, and
	// for a fixed count.
	Settled bool
	// CustomerMonths is the forecast customer-months of the runs so far:
	// sim.EstimateRun's for one replication of each configuration, times
	// its replications run. A forecast, not a count, so that it does not
	// depend on the random numbers.
	CustomerMonths float64
	// Budget is, for an adaptive analysis, Adaptive.Budget: the most
	// customer-months it may simulate; 0 for none.
	Budget float64
	// NextMonths is, for an adaptive analysis not settled, the forecast
	// customer-months of its next look; 0 when there is none (settled, or
	// every bar of an unsettled pair at Cap).
	NextMonths float64
	// Limited says an adaptive analysis stopped with its order unsettled
	// because its next look would have taken CustomerMonths past Budget.
	Limited bool
	// AssumedSD is the standard deviation of one replication's swing
	// assumed for a bar with a single replication: the largest sample
	// standard deviation of the per-replication swing among the bars with
	// at least two (NaN when none has). It assumes that a bar left at one
	// replication is no noisier than the bars that went on.
	AssumedSD float64
	// oriented holds, by rank, each bar's swing replication by replication,
	// high end minus low end, its sign turned so that their mean is the
	// bar's Swing: two bars' swings are compared replication by replication
	// on common random numbers (see Unsettled). Nil when the analysis was
	// not run (a plan).
	oriented [][]float64
}

// Unsettled finds the first pair of bars that leaves the order of the
// first k bars unsettled: i < k and j > i that are neither apart nor tied.
// Two bars with at least two replications in common are compared on them,
// replication by replication, as the runs share their random numbers: the
// 95% interval of the mean paired difference of their swings (each
// replication's swing signed as the bar's) is apart when it lies wholly
// above 0 and tied (with tol > 0) when it lies within -+ tol times the
// larger swing, so that the swings are known to differ by less than that
// share. A bar with a single replication is compared by its interval
// (Bar.SwingCI95, with the assumed standard deviation): apart when i's lies
// wholly above j's, tied when both lie inside one band no wider than tol
// times its upper end. It returns -1, -1 when there is none: each of the
// first k bars is then apart from or tied with every bar after it. Fewer
// than k+1 bars need only be settled among themselves; an undefined
// interval settles nothing.
func (t *Tornado) Unsettled(k int, tol float64) (i, j int) {
	i, j = -1, -1
	t.unsettled(k, tol, func(a, b int) bool { i, j = a, b; return false })
	return i, j
}

// unsettled calls pair(i, j) for each pair of bars that leaves the order of
// the first k bars unsettled (see Unsettled), i by i and j by j, until pair
// returns false.
func (t *Tornado) unsettled(k int, tol float64, pair func(i, j int) bool) {
	k = min(k, len(t.Bars)-1)
	for i := 0; i < k; i++ {
		a := t.Bars[i].SwingCI95
		for j := i + 1; j < len(t.Bars); j++ {
			b := t.Bars[j].SwingCI95
			top := math.Max(a.High, b.High)
			apart := a.Low > b.High
			tied := tol > 0 && top-math.Min(a.Low, b.Low) <= tol*top
			if d, ok := t.SwingDiff(i, j); ok {
				top := math.Max(t.Bars[i].Swing, t.Bars[j].Swing)
				apart = d.Low > 0
				tied = tol > 0 && d.Low >= -tol*top && d.High <= tol*top
			}
			if !apart && !tied && !pair(i, j) {
				return
			}
		}
	}
}

// SwingDiff is the 95% interval of the mean of bar i's swing minus bar
// j's (by rank) over the replications both have, each replication's swing
// signed as its bar's, paired on common random numbers; ok is false with
// fewer than two in common, or for an analysis not run.
func (t *Tornado) SwingDiff(i, j int) (iv Interval, ok bool) {
	if t.oriented == nil {
		return Interval{}, false
	}
	a, b := t.oriented[i], t.oriented[j]
	n := min(len(a), len(b))
	if n < 2 {
		return Interval{}, false
	}
	d := Pair(b[:n], a[:n]) // a - b
	return d.CI95, !math.IsNaN(d.CI95.Low) && !math.IsNaN(d.CI95.High)
}

// Adaptive says when an adaptive sensitivity analysis stops.
type Adaptive struct {
	// Top is how many leading bars must be in a settled order (at least 1).
	Top int
	// Tolerance (>= 0, below 1) is the relative difference below which two
	// swings count as tied, their order not waited for (see
	// Tornado.Unsettled); 0 waits for every order to be apart.
	Tolerance float64
	// Budget, when above 0, is the most customer-months the analysis may
	// simulate, counted by forecast (see Tornado.CustomerMonths): a look
	// that would take it past Budget is not run, and the analysis stops
	// there with Tornado.Limited set. Its first look must fit. 0: no limit.
	Budget float64
	// Look, if set, is called with the analysis at each look before it
	// continues, for example to report progress.
	Look func(*Tornado)
}

// Sensitivity moves each named parameter (none means SensitivityKeys) alone
// to a low and a high end and measures the named outcome (see
// OutcomeByName) against base, every run with base's seed and replication
// count (common random numbers), so each effect is a paired difference.
//
// The ends always lie in the parameter's allowed range. They are, first
// that applies: the 5% and 95% quantiles of the parameter's distribution
// when base has one (sim.Config.Uncertain; the ends then fix the parameter
// while the base draws it); the ends of the allowed range when both are
// natural (probabilities, correlations, the 0-10 likelihood to recommend;
// not safety bounds, see sim.Param.Capped); else the base value -+
// SensitivityStep (20%) of it, clipped to the allowed range, whole-number
// parameters rounding the low end down and the high end up so that they
// move by at least one. An open-ended parameter whose base value is 0 is
// skipped (20% of 0 does not move it): give it a distribution to move it.
// An end that breaks a relation between parameters (for example
// service.human_resolution_basic above service.human_resolution_skilled) is
// clipped to the other parameter's value. A parameter is skipped when
// neither end differs from the base, or an end breaks the configuration
// otherwise.
//
// The analysis runs every replication of the base and of every end that
// differs from it (at most 1 + 2 x parameters configurations), keeping only
// the outcome of each; the result depends only on the arguments other than
// opt. opt.Progress counts simulations (one replication of one
// configuration).
func Sensitivity(ctx context.Context, base sim.Config, keys []string, outcome string, opt sim.Options) (*Tornado, error) {
	ls, err := newLockstep(base, keys, outcome)
	if err != nil {
		return nil, err
	}
	if err := ls.extend(ctx, ls.tasks(ls.all(), base.Replications), opt); err != nil {
		return nil, err
	}
	return ls.tornado(), nil
}

// SensitivityStart is the replications of an adaptive sensitivity
// analysis's first look, which runs every end; each further look has half
// as many again, rounded up (1, 2, 3, 5, 8, 12, 18, 27, ...), the last
// base's replication count.
const SensitivityStart = 1

// SensitivityLooks are the replication counts at which an adaptive
// analysis with at most limit replications checks whether to stop.
func SensitivityLooks(limit int) []int {
	var looks []int
	for n := SensitivityStart; n < limit; n = (3*n + 1) / 2 {
		looks = append(looks, n)
	}
	return append(looks, limit)
}

// SensitivityFirstKeep is how many times Adaptive.Top bars, largest point
// swing first, an adaptive analysis goes on running after its first look of
// one replication, when no bar has an interval yet. It decides only what is
// run next: every bar is judged by the rule of SensitivityAdaptive before
// the analysis stops.
const SensitivityFirstKeep = 2

// SensitivityAdaptive is Sensitivity that runs only the replications its
// answer needs: the order of the first a.Top bars, settled
// (Tornado.Unsettled).
//
// Its first look runs one replication (SensitivityStart) of every end and
// goes on with the SensitivityFirstKeep x a.Top bars of largest swing. At
// each later look, at SensitivityLooks(base.Replications), every bar is
// judged with its own replications: those bars go on to the next look's
// count that are in a pair leaving the order of the first a.Top bars
// unsettled, and no other. A bar below the first a.Top stops (is screened
// out) when it is apart from or tied with each of the first a.Top bars
// (paired on their common replications, see Tornado.Unsettled); a leading bar stops once its order with every
// bar after it is settled. A bar with one replication has the interval of
// its swing -+ 1.96 times the largest standard deviation of one
// replication's swing among the bars with more (Tornado.AssumedSD): the
// assumption that the bars left behind after the first look are no noisier
// than those that went on. A stopped bar that falls into an unsettled pair
// at a later look, as the intervals move, is run again from where it
// stopped. The analysis stops when no pair is unsettled (Tornado.Settled),
// or when every bar in one has base.Replications (the cap).
//
// Each replication of each configuration is simulated once (sim.StreamRange:
// replication i depends only on the seed and i), and the base runs as many
// as the bar that has most (Tornado.Replications). A bar's figures are those
// of Sensitivity with its replications (Bar.Replications). The intervals
// are not widened for the repeated looks, which are few.
func SensitivityAdaptive(ctx context.Context, base sim.Config, keys []string, outcome string, a Adaptive, opt sim.Options) (*Tornado, error) {
	if a.Top < 1 {
		return nil, fmt.Errorf("sensitivity: top must be at least 1, got %d", a.Top)
	}
	if !(a.Tolerance >= 0 && a.Tolerance < 1) {
		return nil, fmt.Errorf("sensitivity: tolerance must be at least 0 and below 1, got %g", a.Tolerance)
	}
	if !(a.Budget >= 0) {
		return nil, fmt.Errorf("sensitivity: budget must be at least 0, got %g", a.Budget)
	}
	ls, err := newLockstep(base, keys, outcome)
	if err != nil {
		return nil, err
	}
	return ls.adapt(ctx, a, opt)
}

// adapt runs the adaptive analysis of SensitivityAdaptive, a already
// checked.
func (ls *lockstep) adapt(ctx context.Context, a Adaptive, opt sim.Options) (*Tornado, error) {
	looks := SensitivityLooks(ls.scs[0].Config.Replications)
	first := ls.tasks(ls.all(), looks[0])
	if need := ls.months(first); a.Budget > 0 && need > a.Budget {
		return nil, fmt.Errorf("sensitivity: the first look (%d replication of every end) needs %.3g customer-months, over the budget of %.3g", looks[0], need, a.Budget)
	}
	if err := ls.extend(ctx, first, opt); err != nil {
		return nil, err
	}
	for look := 0; ; look++ {
		t := ls.tornado()
		t.Top, t.Tolerance, t.Budget = a.Top, a.Tolerance, a.Budget
		next := ls.indices(t, t.running())
		t.Settled = len(next) == 0
		var tasks []task // none when every bar in an unsettled pair is at the cap
		if !t.Settled {
			tasks = ls.tasks(next, looks[min(look+1, len(looks)-1)])
			t.NextMonths = ls.months(tasks)
			t.Limited = len(tasks) > 0 && a.Budget > 0 && t.CustomerMonths+t.NextMonths > a.Budget
		}
		if a.Look != nil {
			a.Look(t)
		}
		if len(tasks) == 0 || t.Limited {
			return t, nil
		}
		if err := ls.extend(ctx, tasks, opt); err != nil {
			return nil, err
		}
	}
}

// SensitivityRuns are the configurations a sensitivity analysis of keys
// (none means SensitivityKeys) runs: base first, then every end that
// differs from it. It lets a command check the analysis before it starts;
// its errors are in the arguments (an unknown parameter, one that cannot be
// moved, such as seed, or one listed twice).
func SensitivityRuns(base sim.Config, keys []string) ([]sim.Config, error) {
	if err := base.Validate(); err != nil {
		return nil, fmt.Errorf("sensitivity: base: %w", err)
	}
	_, sims, err := plan(base, keys, Outcome{})
	if err != nil {
		return nil, fmt.Errorf("sensitivity: %w", err)
	}
	cfgs := []sim.Config{base}
	for _, sm := range sims {
		cfgs = append(cfgs, sm.cfg)
	}
	return cfgs, nil
}

// lockstep is a sensitivity analysis under way: the base and every end,
// each with the outcome of the replications run so far, which are
// 0, 1, ..., len-1 for each configuration.
type lockstep struct {
	o      Outcome
	plan   *Tornado // bars in key order, without results
	sims   []simulation
	scs    []Scenario  // the base, then sims; every one at base's replication count
	values [][]float64 // per scenario in scs, the outcome in each replication run
	ends   [][2]int    // per bar of plan, the low and high ends' index in scs (0: the base)
	// perRep is, per scenario in scs, the forecast customer-months of one
	// replication (sim.EstimateRun), by which a budget is counted.
	perRep []float64
	// simulate sets values[t.k][t.lo:t.hi] of each task: ls.simulateTasks,
	// unless a test stands in for the engine.
	simulate func(ctx context.Context, tasks []task, opt sim.Options) error
}

func newLockstep(base sim.Config, keys []string, outcome string) (*lockstep, error) {
	o, err := OutcomeByName(outcome)
	if err != nil {
		return nil, fmt.Errorf("sensitivity: %w", err)
	}
	if err := base.Validate(); err != nil {
		return nil, fmt.Errorf("sensitivity: base: %w", err)
	}
	t, sims, err := plan(base, keys, o)
	if err != nil {
		return nil, fmt.Errorf("sensitivity: %w", err)
	}
	ls := &lockstep{o: o, plan: t, sims: sims, scs: []Scenario{{Name: "base", Config: base}},
		values: make([][]float64, 1+len(sims)), ends: make([][2]int, len(t.Bars))}
	ls.simulate = ls.simulateTasks
	for j, sm := range sims {
		ls.scs = append(ls.scs, Scenario{Name: sm.name, Config: sm.cfg})
		ls.ends[sm.bar][btoi(sm.high)] = j + 1
	}
	for _, sc := range ls.scs {
		cfg := sc.Config
		cfg.Replications = 1
		ls.perRep = append(ls.perRep, sim.EstimateRun(cfg, 1).CustomerMonths)
	}
	return ls, nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// all is every bar, by its index in plan.
func (ls *lockstep) all() []int {
	bars := make([]int, len(ls.ends))
	for i := range bars {
		bars[i] = i
	}
	return bars
}

// count is how many replications bar (an index in plan) has: those of the
// end that is not the base.
func (ls *lockstep) count(bar int) int {
	return len(ls.values[max(ls.ends[bar][0], ls.ends[bar][1])])
}

// runs is how many simulations have been run.
func (ls *lockstep) runs() int {
	n := 0
	for _, v := range ls.values {
		n += len(v)
	}
	return n
}

// running says, by rank, which bars of an adaptive analysis (t.Top above 0)
// go on to its next look: those in a pair leaving the order of the first
// t.Top bars unsettled (Tornado.Unsettled); after a first look of one
// replication, when no bar has an interval, the SensitivityFirstKeep x
// t.Top bars of largest swing.
func (t *Tornado) running() []bool {
	in := make([]bool, len(t.Bars))
	if t.Replications == 1 && math.IsNaN(t.AssumedSD) && t.Cap > 1 {
		for r := range min(SensitivityFirstKeep*t.Top, len(t.Bars)) {
			in[r] = true
		}
		return in
	}
	t.unsettled(t.Top, t.Tolerance, func(i, j int) bool { in[i], in[j] = true, true; return true })
	return in
}

// indices are the bars of t for which in (by rank) holds, by their index
// in plan, in order.
func (ls *lockstep) indices(t *Tornado, in []bool) []int {
	var bars []int
	for r, b := range t.Bars {
		if in[r] {
			bars = append(bars, slices.IndexFunc(ls.plan.Bars, func(p Bar) bool { return p.Key == b.Key }))
		}
	}
	slices.Sort(bars)
	return bars
}

// tasks are the replications of bars (indices in plan) and of the base
// that each lacks up to n, each configuration's from its own count: none
// are run twice.
func (ls *lockstep) tasks(bars []int, n int) []task {
	need := []int{0}
	for _, b := range bars {
		for _, e := range ls.ends[b] {
			if e > 0 {
				need = append(need, e)
			}
		}
	}
	var tasks []task
	for _, k := range need {
		if lo := len(ls.values[k]); lo < n {
			tasks = append(tasks, task{k, lo, n})
		}
	}
	return tasks
}

// months is the forecast customer-months of the tasks (see
// lockstep.perRep).
func (ls *lockstep) months(tasks []task) float64 {
	m := 0.0
	for _, t := range tasks {
		m += float64(t.hi-t.lo) * ls.perRep[t.k]
	}
	return m
}

// extend runs the tasks (see lockstep.tasks). opt.Progress counts the
// simulations run so far, of as many as have been run or asked for.
func (ls *lockstep) extend(ctx context.Context, tasks []task, opt sim.Options) error {
	if progress, before := opt.Progress, ls.runs(); progress != nil {
		opt.Progress = func(done, total int) { progress(before+done, before+total) }
	}
	for _, t := range tasks {
		ls.values[t.k] = append(ls.values[t.k], make([]float64, t.hi-len(ls.values[t.k]))...)
	}
	if err := ls.simulate(ctx, tasks, opt); err != nil {
		return fmt.Errorf("sensitivity: %w", err)
	}
	return nil
}

// simulateTasks runs the tasks (runTasks), keeping the outcome of each
// replication in values.
func (ls *lockstep) simulateTasks(ctx context.Context, tasks []task, opt sim.Options) error {
	return runTasks(ctx, ls.scs, tasks, opt, func(k, i int, rep *sim.Replication) {
		ls.values[k][i] = ls.o.In(&ls.scs[k].Config, rep)
	})
}

// task is replications lo, ..., hi-1 of scenario k.
type task struct{ k, lo, hi int }

// runTasks simulates the tasks on opt.Workers goroutines, each task's
// replications in order on one of them (sim.StreamRange), and calls keep
// with each replication, one call at a time, in no fixed order across
// tasks; it stops at the first error. Which replication of which scenario
// keep sees never depends on opt.
func runTasks(ctx context.Context, scs []Scenario, tasks []task, opt sim.Options, keep func(k, i int, rep *sim.Replication)) error {
	total := 0
	for _, t := range tasks {
		total += t.hi - t.lo
	}
	if total == 0 {
		return nil
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan task)
	go func() {
		defer close(jobs)
		for _, t := range tasks {
			select {
			case jobs <- t:
			case <-ctx.Done():
				return
			}
		}
	}()
	var (
		mu       sync.Mutex
		done     int
		firstErr error
		wg       sync.WaitGroup
	)
	one := sim.Options{Workers: 1, MaxCustomers: opt.MaxCustomers}
	for range min(workers, len(tasks)) {
		wg.Go(func() {
			for t := range jobs {
				err := sim.StreamRange(ctx, scs[t.k:t.k+1], t.lo, t.hi, one, func(i int, reps []*sim.Replication) error {
					mu.Lock()
					defer mu.Unlock()
					keep(t.k, i, reps[0])
					done++
					if opt.Progress != nil {
						opt.Progress(done, total)
					}
					return nil
				})
				if err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					cancel()
					return
				}
			}
		})
	}
	wg.Wait()
	if firstErr == nil {
		firstErr = ctx.Err() // cancelled from outside between tasks
	}
	return firstErr
}

// tornado is the analysis of the replications run so far, largest swing
// first.
func (ls *lockstep) tornado() *Tornado {
	t := *ls.plan
	base := ls.values[0]
	t.Replications, t.Cap, t.AssumedSD = len(base), ls.scs[0].Config.Replications, math.NaN()
	var acc sim.Accumulator
	for _, v := range base {
		acc.Add(v)
	}
	t.Base = acc.Stat()
	t.Runs = ls.runs()
	for k, v := range ls.values {
		t.CustomerMonths += float64(len(v)) * ls.perRep[k]
	}
	t.Bars = slices.Clone(ls.plan.Bars)
	swings := make([]Paired, len(t.Bars))
	oriented := make([][]float64, len(t.Bars))
	for i := range t.Bars {
		b := &t.Bars[i]
		n := ls.count(i)
		end := func(e int) []float64 { return ls.values[e][:n] }
		b.Replications = n
		b.LowDiff, b.HighDiff = Pair(base[:n], end(ls.ends[i][0])), Pair(base[:n], end(ls.ends[i][1]))
		b.Swing = math.Abs(b.HighDiff.Mean - b.LowDiff.Mean)
		swings[i] = Pair(end(ls.ends[i][0]), end(ls.ends[i][1]))
		b.SwingCI95 = absInterval(swings[i].CI95)
		sign := 1.0
		if swings[i].Mean < 0 {
			sign = -1
		}
		lo, hi := end(ls.ends[i][0]), end(ls.ends[i][1])
		oriented[i] = make([]float64, n)
		for r := range n {
			oriented[i][r] = sign * (hi[r] - lo[r])
		}
		if swings[i].N >= 2 && !(swings[i].SD <= t.AssumedSD) {
			t.AssumedSD = swings[i].SD
		}
	}
	z := distuv.UnitNormal.Quantile(0.975)
	for i := range t.Bars {
		if sw := swings[i]; sw.N == 1 && !math.IsNaN(t.AssumedSD) {
			t.Bars[i].SwingCI95 = absInterval(Interval{sw.Mean - z*t.AssumedSD, sw.Mean + z*t.AssumedSD})
		}
	}
	// Largest swing first, undefined ones last (cmp.Compare orders NaN first).
	order := make([]int, len(t.Bars))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(t.Bars[b].Swing, t.Bars[a].Swing) })
	bars := make([]Bar, len(order))
	t.oriented = make([][]float64, len(order))
	for r, i := range order {
		bars[r], t.oriented[r] = t.Bars[i], oriented[i]
	}
	t.Bars = bars
	return &t
}

// absInterval is the interval of |x| for x in iv.
func absInterval(iv Interval) Interval {
	switch {
	case math.IsNaN(iv.Low) || math.IsNaN(iv.High):
		return iv
	case iv.Low >= 0:
		return iv
	case iv.High <= 0:
		return Interval{-iv.High, -iv.Low}
	default:
		return Interval{0, math.Max(-iv.Low, iv.High)}
	}
}

// simulation is one end of a sensitivity bar that differs from the base.
type simulation struct {
	bar  int // index in Tornado.Bars
	high bool
	name string
	cfg  sim.Config
}

// plan resolves the keys (none means SensitivityKeys) into the tornado's
// bars, in key order and without results yet, its skipped parameters and
// the simulations to run.
func plan(base sim.Config, keys []string, o Outcome) (*Tornado, []simulation, error) {
	if len(keys) == 0 {
		keys = SensitivityKeys()
	}
	tornado := &Tornado{Outcome: o.Name, Unit: o.Unit, Replications: base.Replications, Cap: base.Replications}
	var sims []simulation
	seen := map[string]bool{}
	for _, key := range keys {
		p, err := variable(key)
		if err != nil {
			return nil, nil, err
		}
		if seen[key] {
			return nil, nil, fmt.Errorf("%s is listed more than once", key)
		}
		seen[key] = true
		v, err := base.Get(key)
		if err != nil {
			return nil, nil, err
		}
		var cfgs [2]sim.Config
		s, err := spanOf(p, v, distOf(base, key))
		for e := range cfgs {
			if err == nil {
				var note string
				cfgs[e], s.ends[e], note, err = fitted(base, key, s.ends[e])
				s.note(note)
			}
		}
		if err == nil && s.ends[0] == v && s.ends[1] == v {
			err = fmt.Errorf("neither end differs from the base value %s", strconv.FormatFloat(v, 'g', -1, 64))
		}
		if err != nil {
			tornado.Skipped = append(tornado.Skipped, Skip{Key: key, Base: v, Reason: err.Error()})
			continue
		}
		for e, x := range s.ends {
			if x != v {
				sims = append(sims, simulation{bar: len(tornado.Bars), high: e == 1, name: key + "=" + strconv.FormatFloat(x, 'g', -1, 64), cfg: cfgs[e]})
			}
		}
		tornado.Bars = append(tornado.Bars, Bar{Key: key, Unit: p.Unit, Base: v, Low: s.ends[0], High: s.ends[1],
			Note: strings.Join(s.notes, "; "), Basis: s.basis})
	}
	return tornado, sims, nil
}

// distOf is the distribution of key in base, nil when it has none.
func distOf(base sim.Config, key string) *sim.Dist {
	for _, u := range base.Uncertain {
		if u.Key == key {
			return &u.Dist
		}
	}
	return nil
}

// barRange is the range a parameter moves over: its low and high ends, where
// they come from and how they were adjusted.
type barRange struct {
	ends  [2]float64
	basis string
	notes []string
}

func (s *barRange) note(n string) {
	if n != "" {
		s.notes = append(s.notes, n)
	}
}

// spanOf is the range parameter p moves over from base value v, given its
// distribution in the scenario (nil for none), inside p's allowed range; an
// error when p cannot be moved.
func spanOf(p sim.Param, v float64, dist *sim.Dist) (barRange, error) {
	var s barRange
	switch {
	case dist != nil:
		s.basis = BasisUncertain
		for e, q := range SensitivityQuantiles {
			s.ends[e] = readable(p, dist.Quantile(q, p))
		}
		s.note(fmt.Sprintf("%g%% and %g%% quantiles of %s", 100*SensitivityQuantiles[0], 100*SensitivityQuantiles[1], dist))
	case natural(p):
		s.basis = BasisAllowed
		s.ends = [2]float64{p.Min, p.Max}
	case v == 0:
		return s, fmt.Errorf("base value 0 and range open-ended (allowed %s): %g%% of 0 does not move it; give it an uncertain: distribution in the scenario to move it over that", p.Range(), 100*SensitivityStep)
	default:
		s.basis = BasisStep
		step := SensitivityStep * math.Abs(v)
		lo, hi := decimal(v-step), decimal(v+step)
		if p.Whole && (lo != math.Floor(lo) || hi != math.Ceil(hi)) {
			lo, hi = math.Floor(lo), math.Ceil(hi)
			s.note("rounded outward to whole numbers")
		}
		if lo < p.Min || hi > p.Max {
			s.note("clipped to its range " + p.Range())
		}
		s.ends = [2]float64{math.Max(lo, p.Min), math.Min(hi, p.Max)}
	}
	for _, x := range s.ends {
		if err := p.Check(x); err != nil {
			return barRange{}, err
		}
	}
	return s, nil
}

// natural reports whether both ends of p's allowed range are natural ends
// that a sensitivity analysis may move p to: finite, closed and not safety
// bounds (sim.Param.Capped).
func natural(p sim.Param) bool {
	return !p.Capped && !p.MinOpen && !math.IsInf(p.Min, 0) && !math.IsInf(p.Max, 0)
}

// readable is x rounded to 12 significant digits (see decimal) when that is
// still an allowed value of p, else x.
func readable(p sim.Param, x float64) float64 {
	if d := decimal(x); p.Check(d) == nil {
		return d
	}
	return x
}

// decimal rounds x to 12 significant digits, so that 0.8 + 20% is 0.96
// rather than 0.9600000000000001.
func decimal(x float64) float64 {
	y, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 12, 64), 64)
	return y
}

// maxRelations bounds how many relations between parameters one end is
// clipped to (see fitted).
const maxRelations = 4

// fitted is base with key set to x or, when x breaks a relation between key
// and another parameter (an inequality such as
// service.human_resolution_basic <= service.human_resolution_skilled), to
// that parameter's value, which lies between x and the base value; the
// value set and a note when it is not x.
func fitted(base sim.Config, key string, x float64) (sim.Config, float64, string, error) {
	var notes []string
	for range maxRelations {
		cfg, err := moved(base, key, x)
		var pe *sim.ParamError
		if err == nil || !errors.As(err, &pe) || pe.Other == "" || (pe.Key != key && pe.Other != key) {
			return cfg, x, strings.Join(notes, "; "), err
		}
		other := pe.Other
		if other == key {
			other = pe.Key
		}
		if x, err = base.Get(other); err != nil {
			return sim.Config{}, 0, "", err
		}
		notes = append(notes, fmt.Sprintf("clipped to %s (%s)", other, strconv.FormatFloat(x, 'g', -1, 64)))
	}
	return sim.Config{}, 0, "", fmt.Errorf("%s: an end breaks more than %d relations with other parameters", key, maxRelations)
}

// moved is base with key set to x (no longer drawn, if it was uncertain),
// validated.
func moved(base sim.Config, key string, x float64) (sim.Config, error) {
	base, err := base.Fix(key, x)
	if err != nil {
		return sim.Config{}, err
	}
	if err := base.Validate(); err != nil {
		return sim.Config{}, fmt.Errorf("%s = %s breaks the configuration: %w", key, strconv.FormatFloat(x, 'g', -1, 64), err)
	}
	return base, nil
}
