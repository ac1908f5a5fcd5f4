package experiment

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/retsim/retsim/compare"
	"github.com/retsim/retsim/scenarios"
	"github.com/retsim/retsim/sim"
)

// Plan is an experiment ready to run: its scenario, its design and the
// configuration of each design point, and the outcomes it records.
type Plan struct {
	Scenario string     // the scenario's name
	Base     sim.Config // the scenario, with the experiment's seed and replications
	Design   Design
	Points   [][]float64 // each point's factor values, in the order of Design.Factors
	Outcomes []compare.Outcome
	// Resamples is the bootstrap resamples of a Saltelli design's Sobol
	// indices.
	Resamples int
}

// NewPlan lays out design d over base: its points (drawn from base's seed
// where the design is sampled), each point's configuration (base with the
// factors fixed at the point's values, no longer uncertain, checked with
// sim.Config.Validate), and the named outcomes (compare.OutcomeByName;
// none means compare.Outcomes). resamples is used by a Saltelli design.
// Every point runs with base's seed and replications, so that points
// differ only where the factors act (common random numbers).
func NewPlan(scenario string, base sim.Config, d Design, outcomes []string, resamples int) (*Plan, error) {
	if err := base.Validate(); err != nil {
		return nil, fmt.Errorf("scenario %s: %w", scenario, err)
	}
	if len(d.Factors) == 0 {
		return nil, fmt.Errorf("design: no factor")
	}
	seen := map[string]bool{}
	for _, f := range d.Factors {
		if _, ok := sim.Lookup(f.Key); !ok || f.Key == "seed" || f.Key == "replications" {
			return nil, fmt.Errorf("design: %s: not a parameter a design can vary (see 'retsim params'; seed and replications stay the scenario's)", f.Key)
		}
		if seen[f.Key] {
			return nil, fmt.Errorf("design: %s is a factor twice", f.Key)
		}
		seen[f.Key] = true
	}
	if d.Kind == Saltelli && (resamples < MinResamples || resamples > MaxResamples) {
		return nil, fmt.Errorf("design: bootstrap resamples must be in [%d, %d], got %d", MinResamples, MaxResamples, resamples)
	}
	pts, err := d.Points(base.Seed)
	if err != nil {
		return nil, err
	}
	outs := compare.Outcomes
	if len(outcomes) > 0 {
		outs = make([]compare.Outcome, len(outcomes))
		for i, name := range outcomes {
			if outs[i], err = compare.OutcomeByName(name); err != nil {
				return nil, err
			}
		}
	}
	p := &Plan{Scenario: scenario, Base: base, Design: d, Points: pts, Outcomes: outs, Resamples: resamples}
	for i := range pts {
		cfg, err := p.config(i)
		if err == nil {
			err = cfg.Validate()
		}
		if err != nil {
			return nil, fmt.Errorf("design point %d (%s): %w", i, p.PointName(i), err)
		}
	}
	return p, nil
}

// config is the configuration of point i: base with the factors fixed at
// the point's values. NewPlan validates it; sim.Stream does again.
func (p *Plan) config(i int) (sim.Config, error) {
	cfg := p.Base
	for k, f := range p.Design.Factors {
		var err error
		if cfg, err = cfg.Fix(f.Key, p.Points[i][k]); err != nil {
			return cfg, err
		}
	}
	return cfg, nil
}

// PointName names point i by its values, e.g.
// "policy.giving=0.25,churn.alpha=0.8".
func (p *Plan) PointName(i int) string {
	parts := make([]string, len(p.Design.Factors))
	for k, f := range p.Design.Factors {
		parts[k] = f.Key + "=" + strconv.FormatFloat(p.Points[i][k], 'g', -1, 64)
	}
	return strings.Join(parts, ",")
}

// Config is the configuration simulated at point i (0 <= i <
// len(p.Points)); NewPlan has checked it.
func (p *Plan) Config(i int) sim.Config {
	cfg, _ := p.config(i)
	return cfg
}

// Digest is the SHA-256 (hex) of what the plan's outputs depend on besides
// the simulations: the scenario's name, the design (kind, samples,
// factors), the outcomes, the bootstrap resamples, and the configuration
// of every point (sim.Config.Hash: the seed, the replications, the
// parameters with the factors fixed). Results evaluated under one plan
// belong to another only when their digests are equal.
func (p *Plan) Digest() string {
	h := sha256.New()
	fmt.Fprintf(h, "%q %s %d %d\n", p.Scenario, p.Design.Kind, p.Design.Samples, p.Resamples)
	for _, f := range p.Design.Factors {
		fmt.Fprintf(h, "factor %q\n", f.Key)
	}
	for _, o := range p.Outcomes {
		fmt.Fprintf(h, "outcome %q\n", o.Name)
	}
	for i := range p.Points {
		cfg := p.Config(i)
		fmt.Fprintf(h, "point %d %s\n", i, cfg.Hash())
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Plan resolves the spec over its loaded scenario: the spec's seed and
// replications, where given, replace the scenario's, and each parameter's
// values or range is completed:
//
//   - factorial: values as listed, or steps values from min to max (linear
//     or log spacing);
//   - lhs and saltelli: uniform (or log-uniform) on [min, max].
//
// Without min and max, the range is the scenario's distribution of the
// parameter when it is uncertain (sampled designs draw from it; factorial
// ones span its bounds), else the parameter's allowed range when that has
// natural ends (sim.Param: finite, not a safety cap). Every error is a
// *scenarios.Error naming the design file and the key.
func (s *Spec) Plan(scenario string, base sim.Config) (*Plan, error) {
	if s.Seed != nil {
		base.Seed = *s.Seed
	}
	if s.Replications > 0 {
		base.Replications = s.Replications
	}
	d := Design{Kind: s.Kind, Samples: s.Samples}
	for _, ps := range s.Params {
		f, err := ps.factor(s.Kind, base)
		if err != nil {
			return nil, &scenarios.Error{File: s.File, Key: "params." + ps.Key, Msg: err.Error()}
		}
		d.Factors = append(d.Factors, f)
	}
	if n := d.Size(); n > MaxPoints {
		return nil, &scenarios.Error{File: s.File, Key: "params", Msg: fmt.Sprintf("the design has %s points; at most %d are allowed", sizeWords(n), MaxPoints)}
	}
	if s.Kind == Saltelli && 2*len(d.Factors) > MaxSobolDims {
		return nil, &scenarios.Error{File: s.File, Key: "params", Msg: fmt.Sprintf("a saltelli design varies at most %d parameters, got %d", MaxSobolDims/2, len(d.Factors))}
	}
	for i, name := range s.Outcomes {
		if _, err := compare.OutcomeByName(name); err != nil {
			return nil, &scenarios.Error{File: s.File, Key: fmt.Sprintf("outcomes[%d]", i), Msg: err.Error()}
		}
	}
	p, err := NewPlan(scenario, base, d, s.Outcomes, s.Resamples)
	if err != nil {
		return nil, &scenarios.Error{File: s.File, Msg: err.Error()}
	}
	return p, nil
}

// factor resolves ps for a design of the given kind over base.
func (ps ParamSpec) factor(kind Kind, base sim.Config) (Factor, error) {
	p, _ := sim.Lookup(ps.Key)
	f := Factor{Key: ps.Key, Log: ps.Log}
	sampled := kind != Factorial
	switch {
	case sampled && (ps.Values != nil || ps.Steps > 0):
		return f, fmt.Errorf("values and steps belong to a factorial design; a design of kind %s samples from min to max", kind)
	case sampled && p.Whole:
		return f, fmt.Errorf("a whole-number parameter can be varied only in a factorial design")
	case ps.Values != nil && (ps.Steps > 0 || ps.Min != nil || ps.Max != nil || ps.Log):
		return f, fmt.Errorf("give either values, or steps with min and max, not both")
	case ps.Values != nil:
		for i, x := range ps.Values {
			if err := check(p, x); err != nil {
				return f, fmt.Errorf("values[%d]: %w", i, err)
			}
		}
		f.Values = ps.Values
		return f, nil
	case !sampled && ps.Steps == 0:
		return f, fmt.Errorf("a factorial design needs values, or steps (with min and max, or the default range)")
	case (ps.Min == nil) != (ps.Max == nil):
		return f, fmt.Errorf("give both min and max, or neither for the default range")
	}
	if ps.Min != nil {
		f.Min, f.Max = *ps.Min, *ps.Max
	} else {
		var err error
		if f.Min, f.Max, f.Dist, err = defaultRange(p, base, sampled); err != nil {
			return f, err
		}
		if f.Dist != nil && ps.Log {
			return f, fmt.Errorf("spacing: the range is the scenario's distribution of %s (%s); give min and max for a log range", p.Key, f.Dist)
		}
	}
	if f.Dist == nil {
		if !(f.Min < f.Max) {
			return f, fmt.Errorf("min (%g) must be below max (%g)", f.Min, f.Max)
		}
		if ps.Log && f.Min <= 0 {
			return f, fmt.Errorf("spacing log needs min > 0, got %g", f.Min)
		}
		for _, x := range []float64{f.Min, f.Max} {
			if err := check(p, x); err != nil {
				return f, err
			}
		}
	}
	if sampled {
		return f, nil
	}
	f.Values = make([]float64, ps.Steps)
	for i := range f.Values {
		f.Values[i] = f.At(float64(i) / float64(ps.Steps-1))
		if err := check(p, f.Values[i]); err != nil {
			if p.Whole {
				return f, fmt.Errorf("grid point: %w (choose steps so that (max - min)/(steps - 1) is whole)", err)
			}
			return f, fmt.Errorf("grid point: %w", err)
		}
	}
	f.Values[ps.Steps-1] = f.Max
	f.Min, f.Max, f.Log = 0, 0, false
	return f, nil
}

// check is p.Check(x) without the key, which the design file's error
// names already.
func check(p sim.Param, x float64) error {
	var pe *sim.ParamError
	if err := p.Check(x); errors.As(err, &pe) {
		return errors.New(pe.Msg)
	}
	return nil
}

// defaultRange is the range of parameter p when the design file gives
// none: the scenario's distribution of p (sampled designs draw from it,
// factorial ones need its bounds), or p's allowed range when its ends are
// natural.
func defaultRange(p sim.Param, base sim.Config, sampled bool) (lo, hi float64, dist *sim.Dist, err error) {
	for _, u := range base.Uncertain {
		if u.Key != p.Key {
			continue
		}
		switch {
		case sampled:
			return 0, 0, &u.Dist, nil
		case u.Dist.Kind == sim.DistNormal || u.Dist.Kind == sim.DistLognormal || u.Dist.Kind == sim.DistDiscrete:
			return 0, 0, nil, fmt.Errorf("the scenario's distribution of %s (%s) has no bounds to span; give min and max", p.Key, u.Dist)
		}
		return u.Dist.Min, u.Dist.Max, nil, nil
	}
	if math.IsInf(p.Max, 1) || p.Capped {
		return 0, 0, nil, fmt.Errorf("give min and max: the allowed range of %s (%s) has no natural upper end", p.Key, p.Range())
	}
	return p.Min, p.Max, nil, nil
}
