package compare

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

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
	// SwingCI95 is the 95% t interval of the swing, |mean of
	// outcome(high) - outcome(low)| over replications; NaN bounds with
	// fewer than two.
	SwingCI95 Interval
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
	Replications  int      // replications run, the same for every bar
	Base          sim.Stat // the outcome at the base configuration
	Bars          []Bar    // largest swing first; ties in the order of the keys
	Skipped       []Skip   // in the order of the keys
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
	// adaptive analysis stopped at Cap without it, and for a fixed count.
	Settled bool
}

// Unsettled finds the first pair of bars that leaves the order of the
// first k bars unsettled: i < k and j > i such that the 95% swing
// intervals (Bar.SwingCI95) of i and j are neither apart (i's wholly above
// j's) nor tied (with tol > 0, both inside one band no wider than tol times
// its upper end, so that the swings are known to differ by less than that
// share). It returns -1, -1 when there is none: each of the first k bars is
// then apart from or tied with every bar after it. Fewer than k+1 bars need
// only be settled among themselves; an undefined interval settles nothing.
func (t *Tornado) Unsettled(k int, tol float64) (i, j int) {
	k = min(k, len(t.Bars)-1)
	for i := 0; i < k; i++ {
		a := t.Bars[i].SwingCI95
		for j := i + 1; j < len(t.Bars); j++ {
			b := t.Bars[j].SwingCI95
			top := math.Max(a.High, b.High)
			apart := a.Low > b.High
			tied := tol > 0 && top-math.Min(a.Low, b.Low) <= tol*top
			if !apart && !tied {
				return i, j
			}
		}
	}
	return -1, -1
}

// Adaptive says when an adaptive sensitivity analysis stops.
type Adaptive struct {
	// Top is how many leading bars must be in a settled order (at least 1).
	Top int
	// Tolerance (>= 0, below 1) is the relative difference below which two
	// swings count as tied, their order not waited for (see
	// Tornado.Unsettled); 0 waits for every order to be apart.
	Tolerance float64
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
// The analysis runs the base and every end that differs from it (at most
// 1 + 2 x parameters simulations) in lockstep, replication by replication
// (sim.Stream), keeping only the paired statistics; the result depends only
// on the arguments other than opt.
func Sensitivity(ctx context.Context, base sim.Config, keys []string, outcome string, opt sim.Options) (*Tornado, error) {
	ls, err := newLockstep(base, keys, outcome)
	if err != nil {
		return nil, err
	}
	if err := ls.extend(ctx, base.Replications, opt); err != nil {
		return nil, err
	}
	return ls.tornado(), nil
}

// SensitivityStart is the replications of an adaptive sensitivity
// analysis's first look; each further look has half as many again (4, 6,
// 9, 14, 21, ...), the last base's replication count.
const SensitivityStart = 4

// SensitivityLooks are the replication counts at which an adaptive
// analysis with at most limit replications checks whether to stop.
func SensitivityLooks(limit int) []int {
	var looks []int
	for n := SensitivityStart; n < limit; n = (3*n + 1) / 2 {
		looks = append(looks, n)
	}
	return append(looks, limit)
}

// SensitivityAdaptive is Sensitivity that stops adding replications as soon
// as the order of the first a.Top bars is settled (Tornado.Unsettled) at
// one of the looks SensitivityLooks(base.Replications), and runs them all
// otherwise. Each replication is simulated once (sim.StreamRange) and the
// result is that of Sensitivity with the replications it used
// (Tornado.Replications); Tornado.Top and Settled say why it stopped. The
// intervals are not widened for the repeated looks, which are few.
func SensitivityAdaptive(ctx context.Context, base sim.Config, keys []string, outcome string, a Adaptive, opt sim.Options) (*Tornado, error) {
	top := a.Top
	if top < 1 {
		return nil, fmt.Errorf("sensitivity: top must be at least 1, got %d", top)
	}
	if !(a.Tolerance >= 0 && a.Tolerance < 1) {
		return nil, fmt.Errorf("sensitivity: tolerance must be at least 0 and below 1, got %g", a.Tolerance)
	}
	ls, err := newLockstep(base, keys, outcome)
	if err != nil {
		return nil, err
	}
	var t *Tornado
	for _, n := range SensitivityLooks(base.Replications) {
		if err := ls.extend(ctx, n, opt); err != nil {
			return nil, err
		}
		t = ls.tornado()
		i, _ := t.Unsettled(top, a.Tolerance)
		t.Top, t.Tolerance, t.Settled = top, a.Tolerance, i < 0
		if a.Look != nil {
			a.Look(t)
		}
		if t.Settled {
			break
		}
	}
	return t, nil
}

// SensitivityRuns are the configurations a sensitivity analysis of keys
// (none means SensitivityKeys) runs in lockstep: base first, then every end
// that differs from it. It lets a command check the analysis before it
// starts; its errors are in the arguments (an unknown parameter, one that
// cannot be moved, such as seed, or one listed twice).
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

// lockstep is a sensitivity analysis under way: the base and every end
// simulated together, replication by replication, with the paired
// statistics of the replications run so far.
type lockstep struct {
	o          Outcome
	plan       *Tornado // bars in key order, without results
	sims       []simulation
	scs        []Scenario // the base, then sims; every one at base's replication count
	done       int        // replications run: 0, 1, ..., done-1
	baseValues sim.Accumulator
	self       Pairing   // an end at the base value is the base itself
	pairs      []Pairing // per simulation, against the base
	swings     []Pairing // per bar, outcome(high) against outcome(low)
	ends       [][2]int  // per bar, the low and high ends' index in scs (0: the base)
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
		pairs: make([]Pairing, len(sims)), swings: make([]Pairing, len(t.Bars)), ends: make([][2]int, len(t.Bars))}
	for j, sm := range sims {
		ls.scs = append(ls.scs, Scenario{Name: sm.name, Config: sm.cfg})
		ls.ends[sm.bar][btoi(sm.high)] = j + 1
	}
	return ls, nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// extend runs replications done, ..., n-1 (none when n <= done);
// opt.Progress counts from 0 to the base's replication count.
func (ls *lockstep) extend(ctx context.Context, n int, opt sim.Options) error {
	if n <= ls.done {
		return nil
	}
	lo, total := ls.done, ls.scs[0].Config.Replications
	if progress := opt.Progress; progress != nil {
		opt.Progress = func(done, _ int) { progress(lo+done, total) }
	}
	values := make([]float64, len(ls.scs))
	err := sim.StreamRange(ctx, ls.scs, lo, n, opt, func(_ int, reps []*sim.Replication) error {
		for j := range ls.scs {
			values[j] = ls.o.In(&ls.scs[j].Config, reps[j])
		}
		ls.baseValues.Add(values[0])
		ls.self.Add(values[0], values[0])
		for j := range ls.sims {
			ls.pairs[j].Add(values[0], values[j+1])
		}
		for b, e := range ls.ends {
			ls.swings[b].Add(values[e[0]], values[e[1]])
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sensitivity: %w", err)
	}
	ls.done = n
	return nil
}

// tornado is the analysis of the replications run so far, largest swing
// first.
func (ls *lockstep) tornado() *Tornado {
	t := *ls.plan
	t.Replications, t.Cap = ls.done, ls.scs[0].Config.Replications
	t.Base = ls.baseValues.Stat()
	t.Bars = slices.Clone(ls.plan.Bars)
	for i := range t.Bars {
		b := &t.Bars[i]
		b.LowDiff, b.HighDiff = ls.self.Paired(), ls.self.Paired()
		if e := ls.ends[i][0]; e > 0 {
			b.LowDiff = ls.pairs[e-1].Paired()
		}
		if e := ls.ends[i][1]; e > 0 {
			b.HighDiff = ls.pairs[e-1].Paired()
		}
		b.Swing = math.Abs(b.HighDiff.Mean - b.LowDiff.Mean)
		sw := ls.swings[i].Paired()
		b.SwingCI95 = absInterval(sw.CI95)
	}
	// Largest swing first, undefined ones last (cmp.Compare orders NaN first).
	slices.SortStableFunc(t.Bars, func(a, b Bar) int { return cmp.Compare(b.Swing, a.Swing) })
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
