package compare

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/retsim/retsim/sim"
)

// SensitivityStep is how far a sensitivity analysis moves each parameter
// either way: 20% of its base value.
const SensitivityStep = 0.2

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
	// Base, Low and High are the parameter's values.
	Base, Low, High float64
	// LowDiff and HighDiff are outcome(end) - outcome(base), paired by
	// replication.
	LowDiff, HighDiff Paired
	// Swing is |HighDiff.Mean - LowDiff.Mean|, the bar's length.
	Swing float64
	// Note says how the ends differ from base -+ 20%, if they do.
	Note string
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
	Replications  int
	Base          sim.Stat // the outcome at the base configuration
	Bars          []Bar    // largest swing first; ties in the order of the keys
	Skipped       []Skip   // in the order of the keys
}

// Sensitivity moves each named parameter (none means SensitivityKeys) alone
// to a low and a high end and measures the named outcome (see
// OutcomeByName) against base, every run with base's seed and replication
// count (common random numbers), so each effect is a paired difference.
//
// The ends are the base value -+ SensitivityStep (20%) of it, clipped to the
// parameter's allowed range; whole-number parameters round the low end down
// and the high end up, so they move by at least one. A parameter whose base
// value is 0 moves by 20% of the width of its range when that is finite by
// nature (not a safety bound, see sim.Param.Capped), and is skipped otherwise (20% of 0 does not move it). A parameter is also
// skipped when neither end differs from the base, or when an end breaks a
// relation between parameters (for example service.human_cost_basic above
// service.human_cost_skilled). The analysis runs the base and every end that
// differs from it (at most 1 + 2 x parameters simulations) in lockstep,
// replication by replication (sim.Stream), keeping only the paired
// statistics; the result depends only on the arguments other than opt.
func Sensitivity(ctx context.Context, base sim.Config, keys []string, outcome string, opt sim.Options) (*Tornado, error) {
	o, err := OutcomeByName(outcome)
	if err != nil {
		return nil, fmt.Errorf("sensitivity: %w", err)
	}
	if err := base.Validate(); err != nil {
		return nil, fmt.Errorf("sensitivity: base: %w", err)
	}
	tornado, sims, err := plan(base, keys, o)
	if err != nil {
		return nil, fmt.Errorf("sensitivity: %w", err)
	}
	// The base and every end run in lockstep, each end paired with the base.
	scs := []Scenario{{Name: "base", Config: base}}
	for _, sm := range sims {
		scs = append(scs, Scenario{Name: sm.name, Config: sm.cfg})
	}
	var baseValues sim.Accumulator
	var self Pairing // an end at the base value is the base itself
	pairs := make([]Pairing, len(sims))
	err = sim.Stream(ctx, scs, opt, func(_ int, reps []*sim.Replication) error {
		ref := o.In(&base, reps[0])
		baseValues.Add(ref)
		self.Add(ref, ref)
		for j := range sims {
			pairs[j].Add(ref, o.In(&scs[j+1].Config, reps[j+1]))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sensitivity: %w", err)
	}
	tornado.Base = baseValues.Stat()
	for i := range tornado.Bars {
		tornado.Bars[i].LowDiff, tornado.Bars[i].HighDiff = self.Paired(), self.Paired()
	}
	for j, sm := range sims {
		b := &tornado.Bars[sm.bar]
		if sm.high {
			b.HighDiff = pairs[j].Paired()
		} else {
			b.LowDiff = pairs[j].Paired()
		}
	}
	for i := range tornado.Bars {
		b := &tornado.Bars[i]
		b.Swing = math.Abs(b.HighDiff.Mean - b.LowDiff.Mean)
	}
	// Largest swing first, undefined ones last (cmp.Compare orders NaN first).
	slices.SortStableFunc(tornado.Bars, func(a, b Bar) int { return cmp.Compare(b.Swing, a.Swing) })
	return tornado, nil
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
	tornado := &Tornado{Outcome: o.Name, Unit: o.Unit, Replications: base.Replications}
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
		lo, hi, note, err := ends(p, v)
		var cfgs [2]sim.Config
		for e, x := range []float64{lo, hi} {
			if err == nil {
				cfgs[e], err = moved(base, key, x)
			}
		}
		if err != nil {
			tornado.Skipped = append(tornado.Skipped, Skip{Key: key, Base: v, Reason: err.Error()})
			continue
		}
		for e, x := range []float64{lo, hi} {
			if x != v {
				sims = append(sims, simulation{bar: len(tornado.Bars), high: e == 1, name: key + "=" + strconv.FormatFloat(x, 'g', -1, 64), cfg: cfgs[e]})
			}
		}
		tornado.Bars = append(tornado.Bars, Bar{Key: key, Unit: p.Unit, Base: v, Low: lo, High: hi, Note: note})
	}
	return tornado, sims, nil
}

// ends are the low and high values of parameter p at base value v, and a
// note when they are not v -+ 20% of v; an error when p cannot be moved.
func ends(p sim.Param, v float64) (lo, hi float64, note string, err error) {
	step := SensitivityStep * math.Abs(v)
	var notes []string
	if v == 0 {
		if math.IsInf(p.Min, 0) || math.IsInf(p.Max, 0) || p.Capped {
			return 0, 0, "", fmt.Errorf("base value 0 and range unbounded in nature (allowed %s): %g%% of 0 does not move it", p.Range(), 100*SensitivityStep)
		}
		step = SensitivityStep * (p.Max - p.Min)
		notes = append(notes, fmt.Sprintf("base value 0: moved by %g%% of its range %s", 100*SensitivityStep, p.Range()))
	}
	lo, hi = decimal(v-step), decimal(v+step)
	if p.Whole && (lo != math.Floor(lo) || hi != math.Ceil(hi)) {
		lo, hi = math.Floor(lo), math.Ceil(hi)
		notes = append(notes, "rounded outward to whole numbers")
	}
	if lo < p.Min || hi > p.Max {
		notes = append(notes, "clipped to its range "+p.Range())
	}
	lo, hi = math.Max(lo, p.Min), math.Min(hi, p.Max)
	if lo == v && hi == v {
		return 0, 0, "", fmt.Errorf("neither end differs from the base value %s", strconv.FormatFloat(v, 'g', -1, 64))
	}
	for _, x := range []float64{lo, hi} {
		if err := p.Check(x); err != nil {
			return 0, 0, "", err
		}
	}
	return lo, hi, strings.Join(notes, "; "), nil
}

// decimal rounds x to 12 significant digits, so that 0.8 + 20% is 0.96
// rather than 0.9600000000000001.
func decimal(x float64) float64 {
	y, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 12, 64), 64)
	return y
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
